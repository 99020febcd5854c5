#!/usr/bin/env node
// Screenshot one page of a generated site, to look at it as a reader would.
//
//   node tests/browser/screenshot.mjs <dir> <page-path> <out.png> [--width 375] [--height 800]
//                                     [--full | --no-full] [--prefix /sub/]
//
// <page-path> is relative to the site root: "" or "/" for the home page, "nieuws/", "a/b.html".
// The whole page is captured by default (--full); --no-full captures only the first screen.
// Exit code: 0 = written, 1 = the page did not load (nothing written), 2 = could not run.

import fs from 'node:fs';
import path from 'node:path';
import { startServer } from './serve.mjs';
import { launchChromium, pageArgToPage, die } from './browser.mjs';

const TOOL = 'screenshot';
const USAGE = 'usage: node screenshot.mjs <dir> <page-path> <out.png> [--width 375] [--height 800] [--full | --no-full] [--prefix /sub/]';

function parseArgs(argv) {
  const o = { pos: [], width: 375, height: 800, full: true, prefix: '/' };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const [flag, inline] = a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const v = () => {
      if (inline !== undefined) return inline;
      if (i + 1 >= argv.length) throw new Error(`${flag} needs a value`);
      return argv[++i];
    };
    if (flag === '--width') o.width = Number(v());
    else if (flag === '--height') o.height = Number(v());
    else if (flag === '--full') o.full = true;
    else if (flag === '--no-full') o.full = false;
    else if (flag === '--prefix') o.prefix = v();
    else if (flag === '-h' || flag === '--help') o.help = true;
    else if (a.startsWith('--')) throw new Error(`unknown option: ${a}`);
    else o.pos.push(a);
  }
  for (const k of ['width', 'height']) {
    if (!Number.isInteger(o[k]) || o[k] < 100 || o[k] > 10000) throw new Error(`--${k} must be a whole number of pixels (100-10000)`);
  }
  if (!o.help && o.pos.length !== 3) throw new Error('expected <dir> <page-path> <out.png>');
  return o;
}

const shown = (p) => {
  const rel = path.relative(process.cwd(), p);
  return rel && !rel.startsWith('..') ? rel : p;
};

async function main() {
  let o;
  try {
    o = parseArgs(process.argv.slice(2));
  } catch (e) {
    die(TOOL, `${e.message}\n${USAGE}`);
  }
  if (o.help) {
    console.log(USAGE);
    return 0;
  }
  const [dirArg, pageArg, outArg] = o.pos;
  const dir = path.resolve(dirArg);
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) die(TOOL, `not a directory: ${dirArg}`);
  const page = pageArgToPage(dir, pageArg);
  const out = path.resolve(outArg);
  fs.mkdirSync(path.dirname(out), { recursive: true });

  const server = await startServer({ dir, prefix: o.prefix });
  const browser = await launchChromium(TOOL);
  try {
    const context = await browser.newContext({
      viewport: { width: o.width, height: o.height },
      deviceScaleFactor: 1,
      locale: 'nl-NL',
      timezoneId: 'Europe/Amsterdam',
    });
    const tab = await context.newPage();
    const problems = new Map(); // what -> message (first one wins: a 404 is then also "aborted")
    const note = (k, m) => problems.has(k) || problems.set(k, m);
    tab.on('requestfailed', (r) => note(r.url(), `could not load ${r.url()} (${r.failure()?.errorText})`));
    tab.on('response', (r) => {
      const mainDoc = r.request().isNavigationRequest() && r.frame() === tab.mainFrame();
      if (r.status() >= 400 && !mainDoc) note(r.url(), `could not load ${r.url()} (HTTP ${r.status()})`);
    });
    tab.on('pageerror', (e) => note(e.message, `JavaScript error: ${e.message}`));
    const url = server.url + encodeURI(page.urlPath);
    const resp = await tab.goto(url, { waitUntil: 'load', timeout: 30_000 });
    if (!resp || resp.status() >= 400) {
      console.error(`${TOOL}: ${url} answered HTTP ${resp ? resp.status() : 'nothing'}: no such page (${page.label}); nothing written`);
      return 1;
    }
    await tab.evaluate(() => document.fonts.ready.then(() => true));
    await tab.screenshot({ path: out, fullPage: o.full, animations: 'disabled' });
    const size = await tab.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.scrollHeight]);
    for (const p of problems.values()) console.error(`${TOOL}: warning: ${p}`);
    console.log(
      `${TOOL}: wrote ${shown(out)} (${page.label}, ${o.width}px wide, ${o.full ? `full page ${size[1]}px high` : `first ${o.height}px`})`,
    );
    if (size[0] > o.width) console.error(`${TOOL}: warning: the page is ${size[0]}px wide, wider than the ${o.width}px screen (horizontal scrolling)`);
    return 0;
  } finally {
    await browser.close().catch(() => {});
    await server.close();
  }
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(`${TOOL}: could not run: ${e.stack || e}`);
    process.exit(2);
  },
);
