#!/usr/bin/env bash
# Build speed and peak memory of bundel on a generated 10,000-page Dutch site, and the ratio
# against Hugo on the same content (needs hugo and hyperfine: apt-get install -y hugo hyperfine).
#   benches/build.sh [PAGES]
# The corpus lives on tmpfs (/dev/shm): on the ordinary disk run-to-run noise is 30-100%.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-10000}
SHARED=${SHARED:-../shared/bench}
CORPUS=${CORPUS:-/dev/shm/bundel-bench/n$N}
cargo build --release --quiet
[ -d "$CORPUS" ] || python3 "$SHARED/gen_corpus.py" --pages "$N" --seed 42 --out "$CORPUS" --tools hugo,bundel >/dev/null
# Comparable work: the Hugo side builds no search index, so neither does bundel here (it
# still writes feeds, taxonomy pages and the sitemap, which the Hugo side leaves out).
grep -q '^search:' "$CORPUS/bundel/site.yaml" || echo 'search: false' >> "$CORPUS/bundel/site.yaml"
echo "== peak memory (bundel, $N pages, no search index)"
/usr/bin/time -f "%e s wall, %M KB peak RSS" target/release/bundel build "$CORPUS/bundel" 2>&1 | tail -2
echo "== bundel vs hugo"
CORPUS="$CORPUS" BUNDEL=target/release/bundel bash "$SHARED/vs-hugo.sh" "$N"
