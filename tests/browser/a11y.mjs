#!/usr/bin/env node
// Accessibility gate: checks the pages of a generated site in headless Chromium.
//
//   node tests/browser/a11y.mjs <dir> [--prefix /sub/] [--pages a/,b/c/] [--all] [--concurrency 3]
//
// For every page (default, or --all: every *.html file under <dir>; or the --pages list)
// at 375px and 1280px wide:
//   - axe-core with the WCAG 2.0/2.1 A and AA rules (color-contrast included);
//   - the page itself must load (no 404);
//   - no JavaScript errors in the console;
//   - every file the page loads from the site itself (CSS, fonts, images, scripts) must load:
//     with --prefix this catches links that assume the site lives at the domain root;
//   - every link (<a href>) to a page or file of the site itself must lead somewhere;
//   - <html> must have a lang attribute, and there must be at most one <h1>.
// Files loaded from other sites are blocked (no network during tests) and reported as warnings.
//
// Exit code: 0 = no problems, 1 = problems found (listed), 2 = the check could not run.

import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { startServer, normalizePrefix } from './serve.mjs';
import { launchChromium, findHtmlFiles, fileToUrlPath, pageArgToPage, mapLimit, die } from './browser.mjs';

const TOOL = 'a11y';
const WIDTHS = [375, 1280];
const HEIGHT = 800;
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const IMPACT_ORDER = { critical: 0, serious: 1, moderate: 2, minor: 3, warning: 4 };
const NAV_TIMEOUT = 30_000;
const RESOURCE_KINDS = { stylesheet: 'stylesheet (CSS)', image: 'image', font: 'font', script: 'script', media: 'media file', document: 'frame', fetch: 'file', xhr: 'file' };

const USAGE = `usage: node a11y.mjs <dir> [--prefix /sub/] [--pages a/,b/c/] [--all] [--concurrency N]
  <dir>            the generated site (e.g. public)
  --prefix /sub/   serve the site under this path, as on subpath hosting (default /)
  --pages LIST     comma-separated pages relative to the site root (a/, b/c/, x.html)
  --all            check every *.html file under <dir> (the default without --pages)
  --concurrency N  browser tabs at once (default 3)`;

function parseArgs(argv) {
  const o = { dir: null, prefix: '/', pages: null, all: false, concurrency: 3 };
  const value = (i, name) => {
    if (i >= argv.length) throw new Error(`${name} needs a value`);
    return argv[i];
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const [flag, inline] = a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const v = () => (inline !== undefined ? inline : value(++i, flag));
    if (flag === '--prefix') o.prefix = v();
    else if (flag === '--pages') o.pages = v().split(',').map((s) => s.trim()).filter(Boolean);
    else if (flag === '--all') o.all = true;
    else if (flag === '--concurrency' || flag === '-j') o.concurrency = Number(v());
    else if (flag === '-h' || flag === '--help') o.help = true;
    else if (a.startsWith('-')) throw new Error(`unknown option: ${a}`);
    else if (!o.dir) o.dir = a;
    else throw new Error(`unexpected argument: ${a}`);
  }
  if (o.all && o.pages) throw new Error('give either --all or --pages, not both');
  if (!Number.isInteger(o.concurrency) || o.concurrency < 1) throw new Error('--concurrency must be a whole number >= 1');
  return o;
}

const oneLine = (s, max = 160) => {
  const t = String(s ?? '').replace(/\s+/g, ' ').trim();
  return t.length > max ? t.slice(0, max - 1) + '…' : t;
};

/**
 * axe's failureSummary -> one line. It has sections "Fix all of the following:" (every
 * item applies) and "Fix any of the following:" (alternatives: one fix is enough, so only
 * the first, most direct one is shown).
 */
const summaryLine = (s) => {
  const parts = [];
  let mode = 'all';
  let shownAny = false;
  for (const raw of String(s || '').split('\n')) {
    const l = raw.trim();
    const head = /^Fix (any|all) of the following:$/.exec(l);
    if (head) {
      mode = head[1];
      shownAny = false;
    } else if (l && (mode === 'all' || !shownAny)) {
      parts.push(l);
      shownAny = true;
    }
  }
  return oneLine(parts.join('; '), 300);
};

const targetToString = (target) => (target || []).map((t) => (Array.isArray(t) ? t.join(' >>> ') : t)).join(', ');

/** HTTP status of a same-site URL (following redirects), fetched once per run. */
const linkCache = new Map();
function linkStatus(url) {
  if (!linkCache.has(url)) {
    linkCache.set(url, fetch(url, { method: 'HEAD', signal: AbortSignal.timeout(15000) }).then((r) => r.status, () => 0));
  }
  return linkCache.get(url);
}

/**
 * One browser tab that checks pages one after another. Opening a tab costs far more
 * (a new renderer, ~0.3-0.6 s) than navigating one, so each worker keeps its tab.
 * Event listeners write into `state`, which is swapped for every page; between pages
 * the tab goes to about:blank so late events of one page cannot land on the next.
 */
async function openTab(browser, axeSource, server) {
  const origin = server.origin;
  const autoFavicon = `${origin}/favicon.ico`; // Chromium asks for it by itself
  const sameOrigin = (u) => {
    try {
      return new URL(u).origin === origin;
    } catch {
      return false;
    }
  };
  const sitePath = (u) => {
    const x = new URL(u);
    try {
      return decodeURI(x.pathname) + x.search;
    } catch {
      return x.pathname + x.search;
    }
  };
  const outsidePrefix = (u) => server.prefix !== '/' && !new URL(u).pathname.startsWith(server.prefix);
  const fixHint = (u, otherwise) =>
    outsidePrefix(u)
      ? `the site is served under ${server.prefix} but this link points outside it (it starts at the domain root "/"); use a relative link or include the site's base path`
      : otherwise;

  const context = await browser.newContext({
    viewport: { width: WIDTHS[0], height: HEIGHT },
    deviceScaleFactor: 1,
    locale: 'nl-NL',
    timezoneId: 'Europe/Amsterdam',
    serviceWorkers: 'block',
  });
  await context.addInitScript({ content: axeSource });
  const tab = await context.newPage();

  const newState = () => ({
    inflight: 0,
    broken: new Map(), // url -> {type, why}
    external: new Set(),
    consoleErrors: [],
    iconUrls: new Set([autoFavicon]),
    declaredIcons: [],
    deadLinks: [],
  });
  let state = newState();

  const isMainDoc = (req) => req.isNavigationRequest() && req.frame() === tab.mainFrame();
  tab.on('request', () => state.inflight++);
  tab.on('requestfinished', () => state.inflight--);
  tab.on('requestfailed', (req) => {
    state.inflight--;
    const u = req.url();
    if (sameOrigin(u)) {
      if (!isMainDoc(req) && !state.broken.has(u)) state.broken.set(u, { type: req.resourceType(), why: req.failure()?.errorText || 'failed' });
    } else if (/^https?:/.test(u)) state.external.add(u);
  });
  tab.on('response', (res) => {
    const req = res.request();
    if (!isMainDoc(req) && sameOrigin(res.url()) && res.status() >= 400) {
      state.broken.set(res.url(), { type: req.resourceType(), why: `HTTP ${res.status()}` });
    }
  });
  tab.on('console', (msg) => {
    if (msg.type() === 'error') state.consoleErrors.push({ text: msg.text(), url: msg.location()?.url || '' });
  });
  tab.on('pageerror', (err) => state.consoleErrors.push({ text: `Uncaught ${err.name || 'Error'}: ${err.message}`, url: '' }));

  const waitIdle = async (max = 5000) => {
    const end = Date.now() + max;
    let quiet = 0;
    while (Date.now() < end && quiet < 2) {
      await new Promise((r) => setTimeout(r, 25));
      quiet = state.inflight <= 0 ? quiet + 1 : 0;
    }
  };

  async function check(page) {
    state = newState();
    const st = state;
    const problems = new Map(); // key -> problem
    const add = (p) => {
      const key = `${p.rule}|${p.target || ''}|${p.html || ''}|${p.help}`;
      const prev = problems.get(key);
      if (prev) {
        if (p.width) prev.widths.add(p.width);
      } else problems.set(key, { ...p, widths: new Set(p.width ? [p.width] : []) });
    };
    const url = server.url + encodeURI(page.urlPath);

    try {
      await tab.setViewportSize({ width: WIDTHS[0], height: HEIGHT });
      let resp;
      try {
        resp = await tab.goto(url, { waitUntil: 'load', timeout: NAV_TIMEOUT });
      } catch (e) {
        add({ impact: 'critical', rule: 'page-load', help: `the page did not load: ${oneLine(e.message.split('\n')[0])}` });
        return finish();
      }
      const status = resp ? resp.status() : 0;
      if (status >= 400 || !resp) {
        add({
          impact: 'critical',
          rule: 'page-not-found',
          help: `the page does not exist: ${sitePath(url)} answered HTTP ${status || 'no response'}` +
            (fs.existsSync(path.join(server.dir, page.label)) ? '' : ` (no file ${page.label} in the site)`),
        });
        st.consoleErrors.length = 0; // only "Failed to load resource" for the page itself
        return finish();
      }
      await tab.evaluate(() => document.fonts.ready.then(() => true)).catch(() => {});

      // Document-level checks (same at every width).
      const info = await tab.evaluate(() => ({
        lang: document.documentElement.getAttribute('lang'),
        h1s: [...document.querySelectorAll('h1')].map((h) => ({ text: h.textContent, html: h.outerHTML })),
        icons: [...document.querySelectorAll('link[rel~="icon" i], link[rel~="apple-touch-icon" i]')].map((l) => l.href).filter(Boolean),
        links: [...document.querySelectorAll('a[href], area[href]')].map((a) => ({ href: a.href, html: a.outerHTML })),
      }));
      // Links to pages and downloads of the site itself must lead somewhere (checked once per
      // URL for the whole run; with --prefix this catches menus that link to "/nieuws/").
      const links = new Map();
      for (const l of info.links) {
        if (!/^https?:/.test(l.href) || !sameOrigin(l.href)) continue;
        const u = l.href.replace(/#.*$/, '');
        if (!links.has(u)) links.set(u, l.html);
      }
      for (const [u, html] of links) {
        const status = await linkStatus(u);
        if (status >= 400 || status === 0) st.deadLinks.push({ url: u, html, status });
      }
      // Chromium loads icons outside the page's network events (and asks for /favicon.ico on
      // its own when none is declared), so declared icons are fetched here instead.
      st.declaredIcons = info.icons;
      for (const icon of info.icons) {
        if (!sameOrigin(icon)) continue;
        st.iconUrls.add(icon);
        if (st.broken.has(icon)) continue;
        const status = await linkStatus(icon);
        if (status >= 400 || status === 0) st.broken.set(icon, { type: 'icon', why: status ? `HTTP ${status}` : 'no answer' });
      }

      let axeSawLang = false;
      for (const width of WIDTHS) {
        if (width !== WIDTHS[0]) await tab.setViewportSize({ width, height: HEIGHT });
        await waitIdle();
        // two animation frames so layout and media queries have settled after a resize
        // (Frames may not come for a tab the browser deems hidden: a short timer ends the wait.)
        await tab.evaluate(() => new Promise((r) => { requestAnimationFrame(() => requestAnimationFrame(r)); setTimeout(r, 250); }));
        let violations;
        try {
          violations = await tab.evaluate(
            async ({ tags }) => {
              if (!window.axe) throw new Error('axe-core was not injected');
              const r = await window.axe.run(document, {
                runOnly: { type: 'tag', values: tags },
                rules: { 'color-contrast': { enabled: true } },
                resultTypes: ['violations'],
              });
              return r.violations.map((v) => ({
                id: v.id,
                impact: v.impact,
                help: v.help,
                helpUrl: v.helpUrl,
                nodes: v.nodes.map((n) => ({ target: n.target, html: n.html, summary: n.failureSummary })),
              }));
            },
            { tags: AXE_TAGS },
          );
        } catch (e) {
          add({ impact: 'critical', rule: 'axe-error', help: `the accessibility check could not run: ${oneLine(e.message)}`, width });
          continue;
        }
        for (const v of violations) {
          if (v.id === 'html-has-lang') axeSawLang = true;
          for (const n of v.nodes) {
            add({
              impact: v.impact || 'serious',
              rule: v.id,
              help: v.help,
              helpUrl: v.helpUrl,
              target: targetToString(n.target),
              html: oneLine(n.html),
              detail: summaryLine(n.summary),
              width,
            });
          }
        }
      }

      if ((!info.lang || !info.lang.trim()) && !axeSawLang) {
        add({ impact: 'serious', rule: 'html-has-lang', help: '<html> element must have a lang attribute', target: 'html', detail: 'add lang="nl" to the <html> element' });
      }
      if (info.h1s.length > 1) {
        add({
          impact: 'moderate',
          rule: 'single-h1',
          help: `page has ${info.h1s.length} <h1> headings; a page must have exactly one main heading`,
          target: 'h1',
          html: info.h1s.map((h) => oneLine(h.html, 80)).join(' | '),
          detail: 'keep one <h1> (the page title) and make the others <h2> or lower',
        });
      } else if (info.h1s.length === 0) {
        add({ impact: 'warning', rule: 'page-has-heading-one', help: 'page has no <h1> heading', warning: true });
      }
      await waitIdle();
      return finish();
    } finally {
      // Leave the page so nothing of it reports into the next page's state.
      await tab.goto('about:blank').catch(() => {});
    }

    function finish() {
      for (const [u, b] of st.broken) {
        if (u === autoFavicon && !st.declaredIcons.includes(u)) continue;
        const kind = st.iconUrls.has(u) ? 'icon' : RESOURCE_KINDS[b.type] || 'file';
        const hint = fixHint(u, 'check that the file exists in the generated site and that the link is spelled correctly');
        add({
          impact: 'serious',
          rule: 'broken-resource',
          help: `this page uses a file that could not be loaded: ${sitePath(u)} (${kind}, ${b.why})`,
          detail: hint,
        });
      }
      for (const d of st.deadLinks) {
        add({
          impact: 'serious',
          rule: 'broken-link',
          help: `link to a page or file that does not exist: ${sitePath(d.url)} (${d.status ? `HTTP ${d.status}` : 'no answer'})`,
          target: 'a',
          html: oneLine(d.html),
          detail: fixHint(d.url, 'check the link target: the page or file is not in the generated site'),
        });
      }
      for (const u of st.external) {
        add({
          impact: 'warning',
          rule: 'external-resource',
          help: `loads a file from another site (blocked during the test): ${oneLine(u, 200)}`,
          detail: 'a public-body site should host its own files (privacy, and it must work without that site)',
          warning: true,
        });
      }
      for (const c of st.consoleErrors) {
        // "Failed to load resource" duplicates the network events reported above.
        if (/^Failed to load resource/.test(c.text) && (st.broken.has(c.url) || st.external.has(c.url) || st.iconUrls.has(c.url) || !sameOrigin(c.url))) continue;
        add({ impact: 'serious', rule: 'console-error', help: `JavaScript error in the browser console: ${oneLine(c.text, 300)}`, target: c.url ? sitePath(c.url) : '' });
      }
      return { page, problems: [...problems.values()] };
    }
  }

  return { check, close: () => context.close().catch(() => {}) };
}

function formatProblem(label, p) {
  let line = `${label}: [${p.impact}] ${p.rule}: ${p.help}`;
  if (p.target || p.html) line += ` (${[p.target, p.html].filter(Boolean).join('; ')})`;
  if (p.widths.size && p.widths.size < WIDTHS.length) line += ` [only at ${[...p.widths].join(', ')}px wide]`;
  if (p.detail) line += `\n    ${p.detail}`;
  return line;
}

async function main() {
  let args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error(`${TOOL}: ${e.message}\n${USAGE}`);
    process.exit(2);
  }
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  if (!args.dir) die(TOOL, `no site directory given\n${USAGE}`);
  const dir = path.resolve(args.dir);
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) die(TOOL, `not a directory: ${args.dir}`);

  const pages = args.pages
    ? args.pages.map((p) => pageArgToPage(dir, p))
    : findHtmlFiles(dir).map((f) => ({ urlPath: fileToUrlPath(f), label: f }));
  if (pages.length === 0) die(TOOL, `no .html files found in ${args.dir} (was the site built?)`);

  const require = createRequire(import.meta.url);
  let axeSource;
  try {
    axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  } catch {
    die(TOOL, 'axe-core is not installed. Run: npm ci --ignore-scripts --prefix tests/browser');
  }

  const t0 = Date.now();
  const server = await startServer({ dir, prefix: normalizePrefix(args.prefix) });
  server.dir = dir;
  const browser = await launchChromium(TOOL);
  let results;
  try {
    const tabs = await Promise.all(
      Array.from({ length: Math.min(args.concurrency, pages.length) }, () => openTab(browser, axeSource, server)),
    );
    const free = [...tabs];
    // A page whose check hangs (a request or a script that never ends) fails on its own
    // instead of stalling the run; its tab is not used again.
    const PAGE_LIMIT_MS = 60000;
    const checkOnce = async (p) => {
      const tab = free.pop();
      let stuck = false;
      let timer;
      try {
        if (!tab) throw new Error('no browser tab could be opened after an earlier page hung');
        const limit = new Promise((_, reject) => {
          timer = setTimeout(() => { stuck = true; reject(new Error(`the check did not finish within ${PAGE_LIMIT_MS / 1000} s`)); }, PAGE_LIMIT_MS);
        });
        return { result: await Promise.race([tab.check(p), limit]) };
      } catch (e) {
        return { error: e, stuck };
      } finally {
        clearTimeout(timer);
        if (tab && !stuck) free.push(tab);
        else if (tab) free.push(await openTab(browser, axeSource, server).catch(() => undefined));
      }
    };
    results = await mapLimit(pages, tabs.length, async (p) => {
      let r = await checkOnce(p);
      // A check that hung is tried once more in a fresh tab before it counts as a failure.
      if (r.stuck) r = await checkOnce(p);
      if (r.result) return r.result;
      const help = `the page could not be checked: ${oneLine(String(r.error.message || r.error).split('\n')[0], 300)}`;
      return { page: p, problems: [{ impact: 'critical', rule: 'check-error', help, widths: new Set() }] };
    });
  } finally {
    await browser.close().catch(() => {});
    await server.close();
  }
  const secs = ((Date.now() - t0) / 1000).toFixed(1);

  let failedPages = 0;
  let errorCount = 0;
  let warningCount = 0;
  const helpUrls = new Map();
  for (const r of results) {
    const sorted = r.problems.sort(
      (a, b) => IMPACT_ORDER[a.impact] - IMPACT_ORDER[b.impact] || a.rule.localeCompare(b.rule) || (a.target || '').localeCompare(b.target || ''),
    );
    const errs = sorted.filter((p) => !p.warning);
    if (errs.length) failedPages++;
    errorCount += errs.length;
    warningCount += sorted.length - errs.length;
    for (const p of sorted) {
      console.log(formatProblem(r.page.label, p));
      if (p.helpUrl) helpUrls.set(p.rule, p.helpUrl.replace(/\?.*$/, ''));
    }
  }
  if (helpUrls.size) {
    console.log('\nWhat the rules mean and how to fix them:');
    for (const [rule, u] of [...helpUrls].sort()) console.log(`  ${rule}: ${u}`);
  }
  const where = args.prefix && normalizePrefix(args.prefix) !== '/' ? ` under ${normalizePrefix(args.prefix)}` : '';
  console.log(
    `\n${TOOL}: ${pages.length} page(s)${where} checked at ${WIDTHS.join('px and ')}px in ${secs}s: ` +
      `${pages.length - failedPages} passed, ${failedPages} failed` +
      ` (${errorCount} problem(s), ${warningCount} warning(s))`,
  );
  return errorCount ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(`${TOOL}: could not run: ${e.stack || e}`);
    process.exit(2);
  },
);
