// node --test tests/browser/serve.test.mjs
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, normalizePrefix } from './serve.mjs';

function makeSite() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bundel-serve-'));
  fs.mkdirSync(path.join(dir, 'nieuws'));
  fs.mkdirSync(path.join(dir, 'leeg'));
  fs.writeFileSync(path.join(dir, 'index.html'), '<p>home');
  fs.writeFileSync(path.join(dir, 'nieuws', 'index.html'), '<p>nieuws');
  fs.writeFileSync(path.join(dir, '404.html'), '<p>niet gevonden');
  for (const ext of ['css', 'js', 'svg', 'png', 'jpg', 'webp', 'woff2', 'pdf', 'xml', 'json']) {
    fs.writeFileSync(path.join(dir, `f.${ext}`), 'x');
  }
  return dir;
}

const get = (url) => fetch(url, { redirect: 'manual' });

test('normalizePrefix', () => {
  assert.equal(normalizePrefix(undefined), '/');
  assert.equal(normalizePrefix('rmc-achterhoek'), '/rmc-achterhoek/');
  assert.equal(normalizePrefix('/a//b'), '/a/b/');
});

test('serves under a prefix, 404 outside it', async (t) => {
  const dir = makeSite();
  const s = await startServer({ dir, prefix: '/rmc-achterhoek/', port: 0 });
  t.after(async () => {
    await s.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  assert.match(s.url, /^http:\/\/127\.0\.0\.1:\d+\/rmc-achterhoek\/$/);

  let r = await get(s.url);
  assert.equal(r.status, 200);
  assert.equal(await r.text(), '<p>home');
  assert.equal(r.headers.get('content-type'), 'text/html; charset=utf-8');

  r = await get(s.url + 'nieuws/');
  assert.equal(await r.text(), '<p>nieuws');

  r = await get(s.url + 'nieuws');
  assert.equal(r.status, 301);
  assert.equal(r.headers.get('location'), '/rmc-achterhoek/nieuws/');

  r = await get(s.url.slice(0, -1));
  assert.equal(r.status, 301);
  assert.equal(r.headers.get('location'), '/rmc-achterhoek/');

  for (const p of ['/index.html', '/f.css', '/rmc-achterhoek/bestaat-niet', '/rmc-achterhoek/leeg/', '/rmc-achterhoek/../index.html']) {
    r = await get(s.origin + p);
    assert.equal(r.status, 404, p);
    assert.equal(await r.text(), '<p>niet gevonden', p);
  }
});

test('content types and traversal', async (t) => {
  const dir = makeSite();
  const s = await startServer({ dir });
  t.after(async () => {
    await s.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const want = {
    css: 'text/css', js: 'text/javascript', svg: 'image/svg+xml', png: 'image/png', jpg: 'image/jpeg',
    webp: 'image/webp', woff2: 'font/woff2', pdf: 'application/pdf', xml: 'application/xml', json: 'application/json',
  };
  for (const [ext, type] of Object.entries(want)) {
    const r = await get(`${s.url}f.${ext}`);
    assert.equal(r.status, 200, ext);
    assert.equal(r.headers.get('content-type').split(';')[0], type, ext);
  }
  const r = await get(`${s.url}%2e%2e/%2e%2e/etc/passwd`);
  assert.equal(r.status, 404);
});

test('404 without a 404.html is plain text', async (t) => {
  const dir = makeSite();
  fs.rmSync(path.join(dir, '404.html'));
  const s = await startServer({ dir });
  t.after(async () => {
    await s.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const r = await get(s.url + 'nope');
  assert.equal(r.status, 404);
  assert.match(await r.text(), /404 Not Found/);
});
