#!/usr/bin/env bash
# Prints the size of every file of the built site (raw and gzip -9) and the totals:
# what a browser transfers on first load. Usage: scripts/size-report.sh DIST_DIR
set -euo pipefail
dist=${1:-dist}
[ -d "$dist" ] || { echo "no $dist/: run 'make build' first" >&2; exit 1; }
printf '%-48s %10s %10s\n' file raw gzip
total_raw=0; total_gz=0
while IFS= read -r f; do
  raw=$(wc -c <"$f"); gz=$(gzip -9 -c "$f" | wc -c)
  total_raw=$((total_raw + raw)); total_gz=$((total_gz + gz))
  printf '%-48s %10d %10d\n' "${f#"$dist"/}" "$raw" "$gz"
done < <(find "$dist" -type f | sort)
printf '%-48s %10d %10d\n' TOTAL "$total_raw" "$total_gz"
