#!/usr/bin/env node
// Tiny static file server for testing a generated site (no dependencies).
//
//   import { startServer } from './serve.mjs';
//   const { url, close } = await startServer({ dir: 'public', prefix: '/rmc-achterhoek/' });
//
// CLI: node serve.mjs <dir> [--prefix /sub/] [--port 8080]
//
// - serves <dir> under <prefix> (default "/"); any request outside the prefix gets 404,
//   so links that assume the domain root break here as they would on subpath hosting;
// - a directory URL serves its index.html; "/foo" redirects (301) to "/foo/" when foo is a directory;
// - 404 answers with <dir>/404.html (if present) and status 404;
// - binds to 127.0.0.1 only.

import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.pdf': 'application/pdf',
  '.csv': 'text/csv; charset=utf-8',
};

/** Normalise a prefix to "/" or "/a/b/". */
export function normalizePrefix(prefix) {
  let p = (prefix || '/').trim();
  if (!p.startsWith('/')) p = '/' + p;
  if (!p.endsWith('/')) p += '/';
  return p.replace(/\/{2,}/g, '/');
}

function contentType(file) {
  return CONTENT_TYPES[path.extname(file).toLowerCase()] || 'application/octet-stream';
}

function statOrNull(p) {
  try {
    return fs.statSync(p);
  } catch {
    return null;
  }
}

/**
 * Start a static server. Resolves to { url, port, close }, where url is the
 * site's base URL including the prefix (e.g. "http://127.0.0.1:41234/rmc-achterhoek/").
 */
export function startServer({ dir, prefix = '/', port = 0, host = '127.0.0.1' } = {}) {
  if (!dir) throw new Error('startServer: dir is required');
  const root = path.resolve(dir);
  if (!statOrNull(root)?.isDirectory()) throw new Error(`startServer: not a directory: ${root}`);
  const pre = normalizePrefix(prefix);

  function send(res, status, headers, body, method) {
    res.writeHead(status, { 'Cache-Control': 'no-store', ...headers });
    res.end(method === 'HEAD' ? undefined : body);
  }

  function notFound(req, res) {
    const page = path.join(root, '404.html');
    if (statOrNull(page)?.isFile()) {
      send(res, 404, { 'Content-Type': CONTENT_TYPES['.html'] }, fs.readFileSync(page), req.method);
    } else {
      send(res, 404, { 'Content-Type': 'text/plain; charset=utf-8' }, `404 Not Found: ${req.url}\n`, req.method);
    }
  }

  const server = http.createServer((req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      send(res, 405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain' }, 'Method Not Allowed\n', req.method);
      return;
    }
    let pathname;
    let search;
    try {
      const u = new URL(req.url, 'http://localhost');
      pathname = decodeURIComponent(u.pathname);
      search = u.search;
    } catch {
      send(res, 400, { 'Content-Type': 'text/plain' }, 'Bad Request\n', req.method);
      return;
    }
    if (pathname.includes('\0')) return notFound(req, res);

    // "/sub" (prefix without its trailing slash) -> "/sub/"
    if (pre !== '/' && pathname === pre.slice(0, -1)) {
      send(res, 301, { Location: pre + search }, '', req.method);
      return;
    }
    if (!pathname.startsWith(pre)) return notFound(req, res);

    const rel = pathname.slice(pre.length);
    const file = path.resolve(root, '.' + path.posix.normalize('/' + rel));
    if (file !== root && !file.startsWith(root + path.sep)) return notFound(req, res);

    const st = statOrNull(file);
    if (!st) return notFound(req, res);
    let target = file;
    if (st.isDirectory()) {
      if (!pathname.endsWith('/')) {
        // Location keeps the original (encoded) path.
        const enc = new URL(req.url, 'http://localhost').pathname;
        send(res, 301, { Location: enc + '/' + search }, '', req.method);
        return;
      }
      target = path.join(file, 'index.html');
      if (!statOrNull(target)?.isFile()) return notFound(req, res);
    } else if (!st.isFile()) {
      return notFound(req, res);
    }
    const body = fs.readFileSync(target);
    send(res, 200, { 'Content-Type': contentType(target), 'Content-Length': body.length }, body, req.method);
  });

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const actual = server.address().port;
      const base = `http://${host}:${actual}`;
      resolve({
        url: base + pre,
        origin: base,
        port: actual,
        prefix: pre,
        server,
        close: () =>
          new Promise((res) => {
            server.close(() => res());
            server.closeAllConnections?.();
          }),
      });
    });
  });
}

// ---- CLI -------------------------------------------------------------------

function parseArgs(argv) {
  const out = { dir: null, prefix: '/', port: 8080 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--prefix') out.prefix = argv[++i];
    else if (a.startsWith('--prefix=')) out.prefix = a.slice(9);
    else if (a === '--port') out.port = Number(argv[++i]);
    else if (a.startsWith('--port=')) out.port = Number(a.slice(7));
    else if (a === '-h' || a === '--help') out.help = true;
    else if (!out.dir) out.dir = a;
    else throw new Error(`unexpected argument: ${a}`);
  }
  return out;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  let args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error(e.message);
    process.exit(2);
  }
  if (args.help || !args.dir) {
    console.error('usage: node serve.mjs <dir> [--prefix /sub/] [--port 8080]');
    process.exit(args.help ? 0 : 2);
  }
  startServer(args).then(
    ({ url, close }) => {
      console.log(`Serving ${path.resolve(args.dir)} at ${url}  (Ctrl+C to stop)`);
      const stop = () => close().then(() => process.exit(0));
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    },
    (e) => {
      console.error(`serve: ${e.message}`);
      process.exit(2);
    },
  );
}
