#!/usr/bin/env node
// Runs real searches on a generated site's search page in headless Chromium, the way a reader
// does: served over HTTP (optionally under a subpath), typing into the field and pressing
// Enter, or opening the page with ?q=.
//
//   node tests/browser/search.mjs <dir> --expect "schoolverlaters=nieuws/a/" [--expect ...]
//                                 [--none <query>] [--prefix /sub/] [--page zoeken/]
//                                 [--screenshot out.png] [--width 375]
//
// Each --expect is "<query>=<site path>": the page at that path must be among the results;
// each --none is a query that must find nothing (words from menus and footers, say).
// The first query is typed into the field; the others open the page with ?q=. Also fails on
// JavaScript errors, files that do not load, a status line that never says how many results
// there are, and WCAG 2.1 A/AA problems (axe-core) on the page with its results shown.
// Exit code: 0 = all found, 1 = a search failed, 2 = could not run.

import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { startServer } from './serve.mjs';
import { launchChromium, die } from './browser.mjs';

const TOOL = 'search';
const USAGE =
  'usage: node search.mjs <dir> --expect "<query>=<site path>" [...] [--none <query>] [--prefix /sub/] [--page zoeken/] [--screenshot out.png] [--width 375]';

function parseArgs(argv) {
  const o = { dir: null, expect: [], none: [], prefix: '/', page: 'zoeken/', screenshot: null, width: 1280 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--expect') {
      const spec = v();
      const eq = spec.lastIndexOf('=');
      if (eq < 1) throw new Error(`--expect wants "<query>=<site path>", got "${spec}"`);
      o.expect.push({ query: spec.slice(0, eq), path: spec.slice(eq + 1).replace(/^\/+/, '') });
    } else if (a === '--none') o.none.push(v());
    else if (a === '--prefix') o.prefix = v();
    else if (a === '--page') o.page = v().replace(/^\/+/, '');
    else if (a === '--screenshot') o.screenshot = v();
    else if (a === '--width') o.width = Number(v());
    else if (a === '-h' || a === '--help') o.help = true;
    else if (a.startsWith('--')) throw new Error(`unknown option: ${a}`);
    else if (!o.dir) o.dir = a;
    else throw new Error(`unexpected argument: ${a}`);
  }
  if (!o.help && (!o.dir || o.expect.length + o.none.length === 0)) throw new Error('expected <dir> and at least one --expect or --none');
  return o;
}

/** Waits until the status line reports a count (or failure) and returns it with the result paths. */
async function results(tab, base) {
  await tab.waitForFunction(
    () => {
      const s = document.getElementById('search-status');
      const form = document.querySelector('form[data-search]');
      return s && form && s.textContent.trim() !== '' && s.textContent !== form.dataset.busy;
    },
    null,
    { timeout: 20_000 },
  );
  const status = (await tab.textContent('#search-status')).trim();
  const hrefs = await tab.$$eval('#search-results > li h2 a', (as) => as.map((a) => a.href));
  const paths = hrefs.map((h) => {
    const u = new URL(h);
    return u.href.startsWith(base) ? u.pathname.slice(new URL(base).pathname.length) : u.href;
  });
  return { status, paths };
}

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
  const dir = path.resolve(o.dir);
  if (!fs.existsSync(path.join(dir, o.page, 'index.html'))) die(TOOL, `no search page at ${o.page} in ${o.dir}`);

  const server = await startServer({ dir, prefix: o.prefix });
  const browser = await launchChromium(TOOL);
  const failures = [];
  let passed = 0;
  try {
    const context = await browser.newContext({
      viewport: { width: o.width, height: 900 },
      locale: 'nl-NL',
      timezoneId: 'Europe/Amsterdam',
    });
    const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
    await context.addInitScript({ content: axeSource });
    const tab = await context.newPage();
    tab.on('pageerror', (e) => failures.push(`JavaScript error: ${e.message}`));
    tab.on('requestfailed', (r) => failures.push(`could not load ${r.url()} (${r.failure()?.errorText})`));
    tab.on('response', (r) => {
      if (r.status() >= 400) failures.push(`${r.status()} for ${r.url()}`);
    });
    const pageUrl = server.url + o.page;

    for (const [i, { query, path: want }] of o.expect.entries()) {
      if (i === 0) {
        // As a keyboard user: the field, typing, Enter.
        await tab.goto(pageUrl, { waitUntil: 'load' });
        await tab.focus('input[name="q"]');
        await tab.keyboard.type(query);
        await tab.keyboard.press('Enter');
      } else {
        await tab.goto(`${pageUrl}?q=${encodeURIComponent(query)}`, { waitUntil: 'load' });
      }
      let found;
      try {
        found = await results(tab, server.url);
      } catch (e) {
        failures.push(`"${query}": no result count appeared (${e.message.split('\n')[0]})`);
        continue;
      }
      const ok = found.paths.includes(want);
      const line = `"${query}": ${found.status} -> ${found.paths.slice(0, 6).join(', ')}${found.paths.length > 6 ? ', ...' : ''}`;
      console.log(`${ok ? 'ok  ' : 'FAIL'} ${line}`);
      if (ok) passed += 1;
      else failures.push(`"${query}" should find ${want}`);
      if (i === 0) {
        // The results as they are shown must be as accessible as the rest of the site.
        const violations = await tab.evaluate(async () => {
          const r = await window.axe.run(document, {
            runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
            resultTypes: ['violations'],
          });
          return r.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join('; ')})`);
        });
        for (const v of violations) failures.push(`accessibility, with results shown: ${v}`);
      }
    }
    for (const query of o.none) {
      await tab.goto(`${pageUrl}?q=${encodeURIComponent(query)}`, { waitUntil: 'load' });
      let found;
      try {
        found = await results(tab, server.url);
      } catch (e) {
        failures.push(`"${query}": no result count appeared (${e.message.split('\n')[0]})`);
        continue;
      }
      const ok = found.paths.length === 0;
      console.log(`${ok ? 'ok  ' : 'FAIL'} "${query}": ${found.status}`);
      if (ok) passed += 1;
      else failures.push(`"${query}" should find nothing, found ${found.paths.join(', ')}`);
    }
    if (o.screenshot) {
      await tab.screenshot({ path: path.resolve(o.screenshot), fullPage: true });
      console.log(`screenshot: ${o.screenshot}`);
    }
  } finally {
    await browser.close();
    await server.close();
  }
  for (const f of failures) console.log(`error: ${f}`);
  console.log(`search: ${passed} passed, ${o.expect.length + o.none.length - passed} failed`);
  return failures.length ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e) => die(TOOL, e.stack || e.message),
);
