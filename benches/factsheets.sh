#!/usr/bin/env bash
# Benchmark: build 400 factsheets (40 regions x 10 school years), each with five charts, a
# table and three key-figure tiles, from the example site's factsheet section.
#
#   benches/factsheets.sh            # target: under 3 s per build on the 2-core dev machine
#   RUNS=10 benches/factsheets.sh
#
# The data comes from benches/gen_factsheets.py (seeded, so every run builds the same site).
# Times `bundel build` with hyperfine when installed (apt-get install -y hyperfine), else
# with /usr/bin/time.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
runs="${RUNS:-5}"

cargo build --release --quiet
bundel="$PWD/target/release/bundel"

site="$(mktemp -d "${TMPDIR:-/tmp}/bundel-factsheets.XXXXXX")"
[ -n "${KEEP:-}" ] || trap 'rm -rf "$site"' EXIT

python3 benches/gen_factsheets.py --years 10 --out "$site/data/factsheets"
cp data/factsheets/*.meta.yaml "$site/data/factsheets/"
mkdir -p "$site/content/factsheets"
cp content/factsheets/*.md "$site/content/factsheets/"
cat > "$site/site.yaml" <<'EOF'
title: Vsv in cijfers
base_url: https://example.org/vsv/
language: nl
menu:
  - {title: Vsv in cijfers, url: /factsheets/}
EOF
printf -- '---\ntitle: Vsv in cijfers\n---\nAlle factsheets staan onder [Vsv in cijfers](factsheets/_index.md).\n' \
  > "$site/content/_index.md"

# One build first: it must succeed, and it tells what was built.
"$bundel" build "$site" --output "$site/public"
pages=$(find "$site/public/factsheets" -mindepth 3 -name index.html | wc -l)
charts=$(grep -o 'class="figure figure--chart[ "]' "$site/public/factsheets/twente/2016-2017/index.html" | wc -l)
echo "factsheets: $pages pages, $charts charts on each (checked on twente/2016-2017)"
if [ "$pages" -ne 400 ] || [ "$charts" -lt 5 ]; then
  echo "factsheets: expected 400 pages with at least 5 charts each" >&2
  exit 1
fi

if command -v hyperfine >/dev/null 2>&1; then
  hyperfine --warmup 1 --runs "$runs" --export-json "$site/times.json" \
    "$bundel build $site --output $site/public"
  mean=$(python3 -c "import json,sys; print(f\"{json.load(open(sys.argv[1]))['results'][0]['mean']:.2f}\")" "$site/times.json")
else
  total=0
  for _ in $(seq "$runs"); do
    t=$( { /usr/bin/time -f '%e' "$bundel" build "$site" --output "$site/public" >/dev/null; } 2>&1 | tail -1)
    echo "  ${t} s"
    total=$(python3 -c "print($total + $t)")
  done
  mean=$(python3 -c "print(f'{$total / $runs:.2f}')")
fi
echo "factsheets: mean build time ${mean} s for 400 factsheets (target: under 3 s)"
python3 -c "import sys; sys.exit(0 if float(sys.argv[1]) < 3 else 1)" "$mean" \
  || { echo "factsheets: slower than the 3 s target" >&2; exit 1; }
