#!/usr/bin/env bash
# Benchmark: one bar chart of 20,000 categories and one line chart of 500 series x 20 years.
# Label placement used to be quadratic (36 s for the bar chart); it is now linear (<1 s).
#
#   benches/big_chart.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
cargo build --release --quiet
site="$(mktemp -d "${TMPDIR:-/tmp}/bundel-bigchart.XXXXXX")"
trap 'rm -rf "$site"' EXIT
mkdir -p "$site/content" "$site/data"
echo "title: Grote grafiek" > "$site/site.yaml"
python3 - "$site" <<'PY'
import sys
d = sys.argv[1]
open(f"{d}/data/veel.csv", "w").write("naam,aantal\n" + "".join(f"School {i},{i % 97}\n" for i in range(20000)))
open(f"{d}/data/reeks.csv", "w").write("jaar,soort,aantal\n" + "".join(f"{2000 + i % 20},Soort {i // 20},{i % 97}\n" for i in range(10000)))
PY
printf -- '---\ntitle: Veel\n---\n```chart\ntype: hbar\ndata: veel\nx: naam\ny: aantal\ntitle: Veel\n```\n' > "$site/content/veel.md"
printf -- '---\ntitle: Reeks\n---\n```chart\ntype: line\ndata: reeks\nx: jaar\nseries: soort\ny: aantal\ntitle: Reeks\n```\n' > "$site/content/reeks.md"
/usr/bin/time -f "%e s, %M KB peak" target/release/bundel build "$site" --output "$site/public"
