// Shared helpers for the browser tools: launching Debian's Chromium through
// playwright-core, and finding the HTML pages of a generated site.

import fs from 'node:fs';
import path from 'node:path';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

// Everything that could make Chromium talk to the internet is off; any host
// other than localhost resolves to "not found", so a page that pulls in an
// external resource fails fast and deterministically instead of hanging.
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--disable-dev-shm-usage',
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost',
];

/** Print a setup problem and exit 2 (2 = "could not run the check", 1 = "check found problems"). */
export function die(tool, message) {
  console.error(`${tool}: ${message}`);
  process.exit(2);
}

/**
 * Launch headless Chromium. Playwright gives every launch a fresh temporary
 * profile (--user-data-dir) and removes it on close.
 */
export async function launchChromium(tool) {
  if (!fs.existsSync(CHROMIUM_PATH)) {
    die(tool, `Chromium not found at ${CHROMIUM_PATH}. Install it with: apt-get install -y chromium (or set CHROMIUM_PATH).`);
  }
  let chromium;
  try {
    ({ chromium } = await import('playwright-core'));
  } catch {
    die(tool, 'playwright-core is not installed. Run: npm ci --ignore-scripts --prefix tests/browser');
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
    timeout: 60_000,
  });
}

/** All *.html files under dir, as paths relative to dir with "/" separators, sorted. */
export function findHtmlFiles(dir) {
  const out = [];
  const walk = (abs, rel) => {
    for (const ent of fs.readdirSync(abs, { withFileTypes: true })) {
      if (ent.name === 'node_modules' || ent.name.startsWith('.')) continue;
      const a = path.join(abs, ent.name);
      const r = rel ? `${rel}/${ent.name}` : ent.name;
      if (ent.isDirectory()) walk(a, r);
      else if (ent.isFile() && /\.html?$/i.test(ent.name)) out.push(r);
    }
  };
  walk(dir, '');
  return out.sort();
}

/** "a/b/index.html" -> "a/b/", "index.html" -> "", "a/x.html" -> "a/x.html" (URL path relative to the site root). */
export function fileToUrlPath(file) {
  if (file === 'index.html') return '';
  if (file.endsWith('/index.html')) return file.slice(0, -'index.html'.length);
  return file;
}

/**
 * A page given on the command line ("a/", "/a/b/", "a/x.html", "a/index.html")
 * -> { urlPath, label }: urlPath is relative to the site root, label is what we
 * print (the file that should exist for that page).
 */
export function pageArgToPage(dir, arg) {
  const trailing = /\/$/.test(arg.trim());
  let p = path.posix.normalize('/' + arg.trim()).replace(/^\/+/, ''); // "./a//b/../c" -> "a/c"
  if (p === '.' || p === '/') p = '';
  if (trailing && p && !p.endsWith('/')) p += '/';
  const abs = path.join(dir, p);
  let isDir = p === '' || p.endsWith('/');
  if (!isDir) {
    try {
      isDir = fs.statSync(abs).isDirectory();
    } catch {
      /* missing: checked as given, and reported as not found */
    }
  }
  if (isDir) {
    const d = p === '' ? '' : p.replace(/\/?$/, '/');
    return { urlPath: d, label: `${d}index.html` };
  }
  return { urlPath: fileToUrlPath(p), label: p };
}

/** Run async fn over items with at most `limit` running at once; results keep input order. */
export async function mapLimit(items, limit, fn) {
  const results = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}
