#!/usr/bin/env bash
# Builds Parley and runs every test. Usage:
#   scripts/test.sh            normal build, the whole suite
#   scripts/test.sh --all      what CI runs: warnings are errors in every build;
#                              the normal build and the whole suite, the suite
#                              under ASan+UBSan, the multi-threaded integration
#                              tests under TSan, and a Release (-O3) build of
#                              every target with the unit tests (and tests/layers),
#                              and each libFuzzer target for 30 s (scripts/fuzz.sh)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
jobs=$(nproc)
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true  # the 1,000-client tests need descriptors

all=false
[ "${1:-}" = "--all" ] && all=true
# Our CI's compiler is known (GCC 12, Debian 12), so a warning there is a bug
# to fix; a user's compiler may warn about things ours does not.
$all && export PARLEY_WERROR=ON

run_suite() {  # build_dir sanitizer "ninja targets (empty: all)" [ctest args...]
  local dir=$1 sanitize=$2 targets=$3
  shift 3
  echo "== building ${targets:-everything} in $dir ${sanitize:+(sanitizer: $sanitize)}${PARLEY_BUILD_TYPE:+($PARLEY_BUILD_TYPE)}"
  # shellcheck disable=SC2086  # the targets are words
  "$root/scripts/build.sh" "$dir" "$sanitize" $targets
  echo "== testing in $dir"
  ctest --test-dir "$dir" --output-on-failure -j "$jobs" "$@"
}

run_suite "$root/build" "" ""
if $all; then
  ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 run_suite "$root/build-asan" address ""
  # TSan builds only what `-L mt` runs (the server and the multi-threaded
  # tests): the rest is single-threaded and already ran twice.
  TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1" run_suite "$root/build-tsan" thread parley_mt_tests -L mt
  # -O3 inlines further and warns about other things (GCC 12's -Wrestrict in
  # std::string's operator+, say): every target must build; the unit tests
  # check the optimizer did not change what the code means. The integration
  # suite already ran above, so it is left out here to keep CI short.
  PARLEY_BUILD_TYPE=Release run_suite "$root/build-release" "" "" -L 'unit|layers'
  # A short run of each fuzz target from its seed corpus: finds what a change
  # broke in the input paths; the long runs are recorded in docs/reliability.md.
  "$root/scripts/fuzz.sh" 30 "$root/build-fuzz"
fi
