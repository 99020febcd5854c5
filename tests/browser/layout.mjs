#!/usr/bin/env node
// Layout gate: what a reader sees of figures on a phone and on a desktop screen.
//
//   node tests/browser/layout.mjs <dir> [--prefix /sub/] [--pages a/,b/c/] [--concurrency 3]
//                                 [--max-lines "page#table-id=2"]...
//
// On every page (or the --pages list), at 375px wide:
//   - no table shows less than all of its columns unless it sits in a scroll box that a
//     keyboard can reach (tabindex >= 0) and that has a name (aria-label/-labelledby);
//   - the page itself never scrolls sideways;
//   - every chart shows exactly one drawing, and all its text renders at >= 12 CSS px
//     (computed font size times the drawing's scale);
// and at 1280px wide:
//   - chart text stays >= 12 px as well;
//   - each --max-lines table's row names wrap over at most N lines.
//
// Exit code: 0 = no problems, 1 = problems found (listed), 2 = the check could not run.

import fs from 'node:fs';
import path from 'node:path';
import { startServer } from './serve.mjs';
import { launchChromium, findHtmlFiles, fileToUrlPath, pageArgToPage, mapLimit, die } from './browser.mjs';

const TOOL = 'layout';
const MIN_CHART_PX = 12;

const USAGE = `usage: node layout.mjs <dir> [--prefix /sub/] [--pages a/,b/c/] [--concurrency N] [--max-lines "page#table-id=N"]...`;

function parseArgs(argv) {
  const o = { dir: null, prefix: '/', pages: null, concurrency: 3, maxLines: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const [flag, inline] = a.startsWith('--') && a.includes('=') && !a.startsWith('--max-lines')
      ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)]
      : [a, undefined];
    const v = () => {
      if (inline !== undefined) return inline;
      if (i + 1 >= argv.length) throw new Error(`${flag} needs a value`);
      return argv[++i];
    };
    if (flag === '--prefix') o.prefix = v();
    else if (flag === '--pages') o.pages = v().split(',').map((s) => s.trim()).filter(Boolean);
    else if (flag === '--concurrency') o.concurrency = Number(v());
    else if (flag === '--max-lines') {
      const spec = v();
      const m = /^(.*)#([^=]+)=(\d+)$/.exec(spec);
      if (!m) throw new Error(`--max-lines wants "page#table-id=N", got "${spec}"`);
      o.maxLines.push({ page: m[1], id: m[2], lines: Number(m[3]) });
    } else if (flag === '-h' || flag === '--help') o.help = true;
    else if (a.startsWith('-')) throw new Error(`unknown option: ${a}`);
    else if (!o.dir) o.dir = a;
    else throw new Error(`unexpected argument: ${a}`);
  }
  if (!o.help && !o.dir) throw new Error('expected <dir>');
  return o;
}

// Runs in the page: problems with tables and charts at the current width.
function inspect() {
  const problems = [];
  const where = (el) => {
    const fig = el.closest('figure');
    const label = fig?.querySelector('figcaption')?.textContent?.trim().replace(/\s+/g, ' ');
    return label ? `"${label.slice(0, 70)}"` : `<${el.tagName.toLowerCase()}${el.id ? ` id=${el.id}` : ''}>`;
  };
  const vw = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth > vw + 1) {
    problems.push(`the page is ${document.documentElement.scrollWidth}px wide on a ${vw}px screen: it scrolls sideways`);
  }
  const visible = (el) => {
    const s = getComputedStyle(el);
    if (s.display === 'none' || s.visibility === 'hidden') return false;
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0;
  };
  for (const table of document.querySelectorAll('main table')) {
    if (!visible(table)) continue;
    const t = table.getBoundingClientRect();
    // The nearest box that clips the table sideways.
    let box = table.parentElement;
    while (box && box !== document.body) {
      const ox = getComputedStyle(box).overflowX;
      if (ox !== 'visible') break;
      box = box.parentElement;
    }
    const clip = box && box !== document.body ? box.getBoundingClientRect() : { left: 0, right: vw };
    const hidden = t.right > clip.right + 1 || t.left < clip.left - 1 || t.right > vw + 1;
    if (!hidden) continue;
    const ox = box && box !== document.body ? getComputedStyle(box).overflowX : 'visible';
    const scrolls = ox === 'auto' || ox === 'scroll';
    const focusable = scrolls && box.tabIndex >= 0;
    const named = scrolls && (box.getAttribute('aria-label') || box.getAttribute('aria-labelledby'));
    if (!scrolls) {
      problems.push(`table ${where(table)} is ${Math.round(t.width)}px wide and cut off at ${Math.round(clip.right - Math.max(t.left, clip.left))}px, with no box to scroll it`);
    } else if (!focusable || !named) {
      problems.push(`table ${where(table)} scrolls in a box that ${focusable ? '' : 'a keyboard cannot reach (no tabindex="0")'}${!focusable && !named ? ' and ' : ''}${named ? '' : 'has no name (aria-label)'}`);
    }
  }
  for (const frame of document.querySelectorAll('.chart-frame')) {
    if (!visible(frame)) continue;
    const shown = [...frame.querySelectorAll('svg.chart')].filter(visible);
    if (shown.length !== 1) {
      problems.push(`chart ${where(frame)} shows ${shown.length} drawings instead of one`);
      continue;
    }
    const svg = shown[0];
    const vb = svg.viewBox.baseVal;
    const scale = vb && vb.width ? svg.getBoundingClientRect().width / vb.width : 1;
    let smallest = Infinity;
    let computed = Infinity;
    let sample = '';
    for (const text of svg.querySelectorAll('text')) {
      const size = parseFloat(getComputedStyle(text).fontSize);
      computed = Math.min(computed, size);
      if (size * scale < smallest) {
        smallest = size * scale;
        sample = text.textContent;
      }
    }
    if (computed < 12 || smallest < 12) {
      problems.push(`chart ${where(frame)}: text "${sample}" renders at ${smallest.toFixed(1)}px (computed ${computed}px, drawing scaled ${scale.toFixed(2)}x); chart text must be at least 12px`);
    }
  }
  return problems;
}

function lineCount(id) {
  const table = document.getElementById(id)?.querySelector('table') || document.getElementById(id);
  if (!table) return { error: `no table with id ${id}` };
  let worst = 0;
  let name = '';
  for (const th of table.querySelectorAll('tbody th')) {
    // One client rectangle per line box the text takes.
    const range = document.createRange();
    range.selectNodeContents(th);
    const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size;
    if (lines > worst) {
      worst = lines;
      name = th.textContent.trim();
    }
  }
  return { worst, name };
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
  if (!fs.existsSync(dir)) die(TOOL, `not a directory: ${o.dir}`);
  const pages = o.pages
    ? o.pages.map((p) => pageArgToPage(dir, p))
    : findHtmlFiles(dir).map((f) => ({ urlPath: fileToUrlPath(f), label: f }));
  const server = await startServer({ dir, prefix: o.prefix });
  const browser = await launchChromium(TOOL);
  const problems = [];
  try {
    for (const width of [375, 1280]) {
      const context = await browser.newContext({ viewport: { width, height: 800 }, deviceScaleFactor: 1 });
      await mapLimit(pages, o.concurrency, async (page) => {
        const tab = await context.newPage();
        try {
          const resp = await tab.goto(server.url + encodeURI(page.urlPath), { waitUntil: 'load', timeout: 30_000 });
          if (!resp || resp.status() >= 400) {
            problems.push(`${page.label}: could not load (HTTP ${resp ? resp.status() : '-'})`);
            return;
          }
          await tab.evaluate(() => document.fonts.ready.then(() => true));
          for (const p of await tab.evaluate(inspect)) {
            // Sideways scrolling and hidden tables are phone problems; chart text counts at both.
            if (width === 1280 && !p.startsWith('chart ')) continue;
            problems.push(`${page.label} [${width}px]: ${p}`);
          }
          if (width === 1280) {
            for (const m of o.maxLines.filter((m) => pageArgToPage(dir, m.page).label === page.label)) {
              const r = await tab.evaluate(lineCount, m.id);
              if (r.error) problems.push(`${page.label}: ${r.error}`);
              else if (r.worst > m.lines) {
                problems.push(`${page.label} [1280px]: in #${m.id} "${r.name}" wraps over ${r.worst} lines (at most ${m.lines})`);
              }
            }
          }
        } finally {
          await tab.close();
        }
      });
      await context.close();
    }
  } finally {
    await browser.close().catch(() => {});
    await server.close();
  }
  const missing = o.maxLines.filter((m) => !pages.some((p) => p.label === pageArgToPage(dir, m.page).label));
  for (const m of missing) problems.push(`--max-lines names ${m.page}, which is not among the pages checked`);
  if (problems.length) {
    for (const p of problems.sort()) console.log(p);
    console.log(`${TOOL}: ${problems.length} problem(s) on ${pages.length} page(s)`);
    return 1;
  }
  console.log(`${TOOL}: ${pages.length} page(s) at 375px and 1280px: tables reachable, chart text >= ${MIN_CHART_PX}px`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(`${TOOL}: could not run: ${e.stack || e}`);
    process.exit(2);
  },
);
