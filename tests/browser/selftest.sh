#!/usr/bin/env bash
# Self-test of the browser tooling: the good fixture must pass every gate, the bad one
# must fail with each of its deliberate problems reported. Exit 0 = all assertions hold.
# Needs: npm ci --ignore-scripts --prefix tests/browser, chromium, java (see README.md).
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cd "$here"
if [ ! -d node_modules/playwright-core ] || [ ! -d node_modules/axe-core ] || [ ! -d node_modules/vnu-jar ]; then
  echo "selftest: node modules missing; run: npm ci --ignore-scripts --prefix tests/browser" >&2
  exit 2
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0
failed=0
ok() { passed=$((passed + 1)); echo "ok   - $1"; }
not_ok() { failed=$((failed + 1)); echo "FAIL - $1"; [ -n "${2:-}" ] && sed 's/^/       | /' "$2"; }

# expect_exit CODE NAME CMD...: run CMD, output to $tmp/NAME.out, assert its exit code.
expect_exit() {
  local want=$1 name=$2; shift 2
  local got=0
  "$@" >"$tmp/$name.out" 2>&1 || got=$?
  if [ "$got" -eq "$want" ]; then ok "$name exits $want"; else not_ok "$name exits $want (got $got)" "$tmp/$name.out"; fi
}
# expect_line NAME REGEX DESCRIPTION: assert the output of NAME has a line matching REGEX.
expect_line() {
  if grep -Eq -- "$2" "$tmp/$1.out"; then ok "$1 reports $3"; else not_ok "$1 reports $3 (no line matching: $2)" "$tmp/$1.out"; fi
}

prefix=/rmc-achterhoek/

expect_exit 0 serve-unit-tests node --test serve.test.mjs

expect_exit 0 a11y-good node a11y.mjs fixtures/good
expect_exit 0 a11y-good-prefix node a11y.mjs fixtures/good --prefix "$prefix"
expect_exit 1 a11y-bad node a11y.mjs fixtures/bad --prefix "$prefix"
expect_line a11y-bad '^index\.html: \[critical\] image-alt: ' 'missing alt text'
expect_line a11y-bad '^index\.html: \[serious\] color-contrast: .*Deze tekst is te licht' 'low-contrast text'
expect_line a11y-bad '^index\.html: \[serious\] html-has-lang: ' 'missing lang'
expect_line a11y-bad '^index\.html: \[serious\] broken-resource: .* /style\.css \(stylesheet \(CSS\), HTTP 404\)' 'the root-relative /style.css broken under the prefix'
expect_line a11y-bad '^index\.html: \[serious\] broken-link: .* /nieuws/ \(HTTP 404\)' 'the menu link to /nieuws/ broken under the prefix'
expect_line a11y-bad '^index\.html: \[moderate\] single-h1: page has 2 <h1>' 'two h1 headings'
expect_line a11y-bad '^a11y: 1 page\(s\) under /rmc-achterhoek/ checked .*: 0 passed, 1 failed' 'a summary line'
expect_exit 1 a11y-missing-page node a11y.mjs fixtures/good --pages nieuws/,bestaat-niet/
expect_line a11y-missing-page '^bestaat-niet/index\.html: \[critical\] page-not-found: ' 'a page that does not exist'
expect_exit 2 a11y-no-dir node a11y.mjs "$tmp/no-such-dir"

expect_exit 0 vnu-good node vnu.mjs fixtures/good
expect_exit 1 vnu-bad node vnu.mjs fixtures/bad
expect_line vnu-bad '^fixtures/bad/index\.html:14:3: error: An .img. element must have an .alt. attribute' 'the img without alt at file:line:col'
expect_line vnu-bad '^fixtures/bad/index\.html:[0-9]+:[0-9]+: warning: .*lang' 'missing lang as a warning'

expect_exit 0 layout-good node layout.mjs fixtures/good
expect_exit 1 layout-bad node layout.mjs fixtures/layout-bad
expect_line layout-bad '"Afgesneden tabel" is [0-9]+px wide and cut off at [0-9]+px, with no box to scroll it' 'a table cut off without a scroll box'
expect_line layout-bad '"Tabel zonder toetsenbord" scrolls in a box that a keyboard cannot reach' 'a scroll box without tabindex'
expect_line layout-bad '"Verkleinde grafiek": text "te klein" renders at [0-9.]+px' 'chart text below 12px'

expect_exit 0 screenshot node screenshot.mjs fixtures/good nieuws/ "$tmp/shot.png" --width 375 --prefix "$prefix"
if [ "$(head -c 8 "$tmp/shot.png" 2>/dev/null | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ]; then
  ok "screenshot writes a PNG"
else
  not_ok "screenshot writes a PNG"
fi

echo "selftest: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
