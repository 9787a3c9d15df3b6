#!/usr/bin/env bash
# Runs the three test tiers in order and prints one summary line per tier.
# Exits non-zero when any tier fails; later tiers still run, so one report shows everything.
set -uo pipefail
cd "$(dirname "$0")/.."

declare -a names results
run_tier() { # name, command...
  local name=$1; shift
  printf '\n\033[1m== %s ==\033[0m\n' "$name"
  local start=$SECONDS
  if "$@"; then results+=("PASS"); else results+=("FAIL"); fi
  names+=("$name ($((SECONDS - start)) s)")
}

run_tier "native: cargo test (core, cli)" make --no-print-directory test-native
run_tier "browser components: wasm-bindgen-test in Chromium" make --no-print-directory test-wasm
run_tier "end to end: Playwright on the release build" make --no-print-directory test-e2e

printf '\n\033[1m== Summary ==\033[0m\n'
failed=0
for i in "${!names[@]}"; do
  printf '%s  %s\n' "${results[$i]}" "${names[$i]}"
  [ "${results[$i]}" = PASS ] || failed=$((failed + 1))
done
passed=$(( ${#names[@]} - failed ))
echo "tiers: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
