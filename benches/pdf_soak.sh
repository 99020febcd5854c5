#!/usr/bin/env bash
# Soak test for PDF printing: builds the example site with `--pdf` RUNS times in a row (20 by
# default), first on an idle machine, then while BUSY processes (one per core by default)
# keep every core at 100%. Every build must succeed: 0 failures is the bar. Prints failures,
# total time and seconds per PDF for both.
#
#   benches/pdf_soak.sh                 # 20 idle runs, 20 busy runs
#   RUNS=3 benches/pdf_soak.sh          # a quick look
#   PHASES=busy benches/pdf_soak.sh     # only under load
#   WARM=1 benches/pdf_soak.sh          # keep .bundel-cache/pdf: rebuilds with nothing changed
#
# A benchmark, not a test: timings depend on the machine. Needs Chromium and poppler-utils.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
runs="${RUNS:-20}"
busy="${BUSY:-$(nproc)}"
phases="${PHASES:-idle busy}"

cargo build --release --quiet || exit 1
bundel="$PWD/target/release/bundel"
out="$(mktemp -d "${TMPDIR:-/tmp}/bundel-soak.XXXXXX")"
log="$out/log"
loops=()
cleanup() {
  for p in "${loops[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null; done
  rm -rf "$out"
}
trap cleanup EXIT

phase() {
  local name="$1" failures=0 pdfs=0 start end
  start=$(date +%s.%N)
  for i in $(seq 1 "$runs"); do
    rm -rf "$out/public"
    # Unchanged PDFs are reused from the site's cache; the soak is about printing them.
    [ "${WARM:-0}" = 1 ] || rm -rf .bundel-cache/pdf
    if ! "$bundel" build --pdf --output "$out/public" >"$log" 2>&1; then
      failures=$((failures + 1))
      echo "  $name run $i FAILED:" >&2
      sed 's/^/    /' "$log" >&2
      continue
    fi
    local n
    n=$(find "$out/public" -name '*.pdf' | wc -l)
    # Every PDF must open and have pages.
    while IFS= read -r f; do
      pdfinfo "$f" >/dev/null 2>&1 || { echo "  $name run $i: unreadable $f" >&2; failures=$((failures + 1)); }
    done < <(find "$out/public" -name '*.pdf' | shuf -n 5 --random-source=<(yes))
    pdfs=$((pdfs + n))
  done
  end=$(date +%s.%N)
  awk -v name="$name" -v runs="$runs" -v f="$failures" -v p="$pdfs" -v s="$start" -v e="$end" 'BEGIN {
    t = e - s
    printf "%s: %d builds, %d failures, %d PDFs, %.1f s in all, %.1f s per build, %.3f s per PDF\n",
      name, runs, f, p, t, t / runs, (p > 0 ? t / p : 0)
  }'
  [ "$failures" -eq 0 ]
}

status=0
for p in $phases; do
  if [ "$p" = busy ]; then
    for _ in $(seq 1 "$busy"); do
      (while :; do :; done) &
      loops+=("$!")
    done
    echo "busy: $busy busy-loop processes running"
  fi
  phase "$p" || status=1
done
exit $status
