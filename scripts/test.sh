#!/usr/bin/env bash
# Builds Parley and runs every test. Usage:
#   scripts/test.sh            normal build, the whole suite
#   scripts/test.sh --all      that, then the suite under ASan+UBSan and the
#                              multi-threaded integration tests under TSan (what CI runs)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
jobs=$(nproc)
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true  # the 1,000-client tests need descriptors

run_suite() {  # build_dir sanitizer [ctest args...]
  local dir=$1 sanitize=$2
  shift 2
  echo "== building in $dir ${sanitize:+(sanitizer: $sanitize)}"
  "$root/scripts/build.sh" "$dir" "$sanitize"
  echo "== testing in $dir"
  ctest --test-dir "$dir" --output-on-failure -j "$jobs" "$@"
}

run_suite "$root/build" ""
if [ "${1:-}" = "--all" ]; then
  ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 run_suite "$root/build-asan" address
  TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1" run_suite "$root/build-tsan" thread -L mt
fi
