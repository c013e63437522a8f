#!/usr/bin/env bash
# Builds and runs Tributary's libFuzzer targets (docs/hardening.md).
#   Fuzz/fuzz.sh build            build every target (-sanitize=fuzzer,address; FUZZ_CONFIG=release|debug)
#   Fuzz/fuzz.sh seeds            (re)write each target's seed corpus from the fixtures and sample repositories
#   Fuzz/fuzz.sh run T [SECONDS] [RUNS]
#                                 fuzz target T (or "all") until SECONDS pass or RUNS executions are done
#   Fuzz/fuzz.sh ci [SECONDS]     build, seed and fuzz every target for SECONDS (default 20); fails on any finding
# Work files (corpora, crashes, logs) go to Fuzz/.work/<target>/, which git ignores.
set -euo pipefail
cd "$(dirname "$0")"
CONFIG="${FUZZ_CONFIG:-release}"
TARGETS=(FuzzDAGCBOR FuzzCID FuzzCAR FuzzFrame FuzzCommit FuzzMST FuzzDIDDocument FuzzSubscribeParameters)
SWIFT="${SWIFT:-swift}"
# Leaks are findings too (a decoder that leaks would grow the relay's memory); Swift metadata caches are not leaks
# to LeakSanitizer because they stay reachable.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:symbolize=1}"

max_len() {
  case "$1" in
    FuzzCID) echo 256 ;;
    FuzzSubscribeParameters) echo 2048 ;;
    FuzzDAGCBOR|FuzzDIDDocument) echo 32768 ;;
    *) echo 131072 ;;
  esac
}

bin_dir() { "$SWIFT" build -c "$CONFIG" --show-bin-path -Xswiftc -sanitize=fuzzer,address; }

build() {
  echo "building fuzz targets ($CONFIG, -sanitize=fuzzer,address)"
  "$SWIFT" build -c "$CONFIG" -Xswiftc -sanitize=fuzzer,address
}

seeds() {
  local bin; bin="$(bin_dir)"
  for target in "${TARGETS[@]}"; do
    rm -rf ".work/$target/seeds"
    TRIBUTARY_FUZZ_SEEDS=".work/$target/seeds" "$bin/$target"
  done
}

run_one() {
  local target="$1" seconds="$2" runs="$3" bin; bin="$(bin_dir)"
  local work=".work/$target"
  mkdir -p "$work/corpus" "$work/crashes"
  [ -d "$work/seeds" ] || TRIBUTARY_FUZZ_SEEDS="$work/seeds" "$bin/$target"
  echo "fuzzing $target for up to ${seconds}s / ${runs} runs"
  local status=0
  "$bin/$target" -max_total_time="$seconds" -runs="$runs" -max_len="$(max_len "$target")" -timeout=10 \
    -rss_limit_mb=3072 -print_final_stats=1 -artifact_prefix="$work/crashes/" "$work/corpus" "$work/seeds" \
    >"$work/last.log" 2>&1 || status=$?
  local done_line cov_line
  done_line="$(grep -E '^Done [0-9]+ runs' "$work/last.log" | tail -1 || true)"
  cov_line="$(grep -E '#[0-9]+.*cov:' "$work/last.log" | tail -1 || true)"
  echo "  $target: ${done_line:-no completion line} | ${cov_line:-}"
  if [ "$status" -ne 0 ]; then
    echo "  $target FAILED (exit $status); log: Fuzz/$work/last.log, inputs: Fuzz/$work/crashes/"
    tail -40 "$work/last.log"
    return 1
  fi
}

run() {
  local which="${1:-all}" seconds="${2:-30}" runs="${3:--1}" failed=0
  if [ "$which" = all ]; then
    for target in "${TARGETS[@]}"; do run_one "$target" "$seconds" "$runs" || failed=1; done
  else
    run_one "$which" "$seconds" "$runs" || failed=1
  fi
  return "$failed"
}

case "${1:-}" in
  build) build ;;
  seeds) seeds ;;
  run) shift; run "$@" ;;
  ci) build; seeds; run all "${2:-20}" ;;
  *) sed -n '2,8p' "$0"; exit 2 ;;
esac
