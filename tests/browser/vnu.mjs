#!/usr/bin/env node
// HTML validity gate: runs the Nu HTML Checker (npm package vnu-jar, needs Java 11+)
// over every *.html file of a generated site.
//
//   node tests/browser/vnu.mjs <dir|file.html>...
//
// Prints errors as "file:line:col: error: message" and warnings as
// "file:line:col: warning: message", each followed by the offending source.
// Exit code: 0 = no errors (warnings allowed), 1 = errors, 2 = could not run
// (no Java, no HTML files, checker not installed).

import fs from 'node:fs';
import path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { findHtmlFiles, die } from './browser.mjs';

const TOOL = 'vnu';
const USAGE = 'usage: node vnu.mjs <dir|file.html>...';

function javaCommand() {
  if (process.env.JAVA) return process.env.JAVA;
  if (process.env.JAVA_HOME) {
    const j = path.join(process.env.JAVA_HOME, 'bin', 'java');
    if (fs.existsSync(j)) return j;
  }
  return 'java';
}

function vnuJarPath() {
  const require = createRequire(import.meta.url);
  try {
    return path.join(path.dirname(require.resolve('vnu-jar/package.json')), 'build', 'dist', 'vnu.jar');
  } catch {
    return null;
  }
}

function oneLine(s, max = 200) {
  const t = String(s ?? '').replace(/\s+/g, ' ').trim();
  return t.length > max ? t.slice(0, max - 1) + '…' : t;
}

async function main() {
  const args = process.argv.slice(2);
  if (args.includes('-h') || args.includes('--help')) {
    console.log(USAGE);
    return 0;
  }
  const unknown = args.find((a) => a.startsWith('-'));
  if (unknown) die(TOOL, `unknown option: ${unknown}\n${USAGE}`);
  if (args.length === 0) die(TOOL, `no site directory given\n${USAGE}`);

  // Collect the HTML files (absolute path -> how we print it).
  const files = new Map();
  for (const a of args) {
    if (!fs.existsSync(a)) die(TOOL, `no such file or directory: ${a}`);
    if (fs.statSync(a).isDirectory()) {
      for (const f of findHtmlFiles(a)) files.set(path.resolve(a, f), path.join(a, f));
    } else {
      files.set(path.resolve(a), a);
    }
  }
  if (files.size === 0) die(TOOL, `no .html files found in ${args.join(', ')} (was the site built?)`);

  const java = javaCommand();
  const probe = spawnSync(java, ['-version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    die(TOOL, `Java is needed to run the Nu HTML Checker, but "${java}" could not be run. Install it with: apt-get install -y default-jre-headless`);
  }
  const jar = vnuJarPath();
  if (!jar || !fs.existsSync(jar)) die(TOOL, 'vnu-jar is not installed. Run: npm ci --ignore-scripts --prefix tests/browser');

  const t0 = Date.now();
  const out = await new Promise((resolve, reject) => {
    // -Xss: the checker recurses on deeply nested markup; its docs advise a larger stack.
    // --no-langdetect: its language guess is random on short or repetitive text (it once
    // called synthetic Dutch "Oromo"), which would make the output differ between runs.
    const vnuArgs = ['--skip-non-html', '--no-langdetect', '--format', 'json', '--stdout'];
    const child = spawn(java, ['-Xss4m', '-jar', jar, ...vnuArgs, ...files.keys()], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
  const secs = ((Date.now() - t0) / 1000).toFixed(1);

  let report;
  try {
    report = JSON.parse(out.stdout);
  } catch {
    die(TOOL, `the checker did not produce a report (exit ${out.code}):\n${(out.stderr || out.stdout).slice(0, 4000)}`);
  }

  const label = (u) => {
    if (!u) return '(checker)';
    try {
      const abs = u.startsWith('file:') ? fileURLToPath(u) : u;
      return files.get(abs) || path.relative(process.cwd(), abs) || abs;
    } catch {
      return u;
    }
  };

  const errors = [];
  const warnings = [];
  for (const m of report.messages || []) {
    const isError = m.type === 'error' || m.type === 'non-document-error';
    const isWarning = m.type === 'info' && m.subType === 'warning';
    if (!isError && !isWarning) continue; // plain info messages
    const line = m.firstLine ?? m.lastLine ?? 0;
    const col = m.firstColumn ?? m.lastColumn ?? 0;
    const entry = { file: label(m.url), line, col, text: oneLine(m.message, 400) };
    if (m.extract) {
      const ex = typeof m.hiliteStart === 'number' ? m.extract.substr(m.hiliteStart, m.hiliteLength) : m.extract;
      entry.source = oneLine(ex, 200);
    }
    (isError ? errors : warnings).push(entry);
  }
  const byPos = (a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.col - b.col;
  const print = (e, kind) => {
    console.log(`${e.file}:${e.line}:${e.col}: ${kind}: ${e.text}`);
    if (e.source) console.log(`    ${e.source}`);
  };
  errors.sort(byPos).forEach((e) => print(e, 'error'));
  warnings.sort(byPos).forEach((e) => print(e, 'warning'));

  const badFiles = new Set(errors.map((e) => e.file)).size;
  console.log(
    `\n${TOOL}: ${files.size} HTML file(s) checked in ${secs}s: ${files.size - badFiles} valid, ${badFiles} with errors` +
      ` (${errors.length} error(s), ${warnings.length} warning(s))`,
  );
  return errors.length ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(`${TOOL}: could not run: ${e.stack || e}`);
    process.exit(2);
  },
);
