#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz) with clang 14, ASan and UBSan, and
# runs each for a while from its seed corpus. Usage:
#   scripts/fuzz.sh [SECONDS_PER_TARGET] [BUILD_DIR] [TARGET...]
# Defaults: 30 s each (what scripts/test.sh --all runs), build-fuzz, all six.
# A crash, a leak or a broken invariant stops the run with the input saved in
# BUILD_DIR/findings/<target>/; the seed corpus in the repository is read, not
# written (new inputs go to BUILD_DIR/corpus/<target>/). Prints each target's
# coverage (libFuzzer's "cov:" edges) and executions at the end.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-30}
build_dir=${2:-$root/build-fuzz}
shift $(( $# > 2 ? 2 : $# ))
targets=("$@")
((${#targets[@]})) || targets=(fuzz_line_framer fuzz_irc_message fuzz_text_session fuzz_config fuzz_names fuzz_packed_lines)

"$root/scripts/install-deps.sh"
export CCACHE_BASEDIR="$root" CCACHE_NOHASHDIR=true
# Warnings are not errors here: the warning policy is GCC 12's (scripts/build.sh),
# and clang warns about other things.
cmake -S "$root" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++-14 \
  -DPARLEY_FUZZ=ON -DBUILD_TESTING=OFF -DPARLEY_WERROR=OFF >/dev/null
ninja -C "$build_dir" "${targets[@]}"

status=0
for t in "${targets[@]}"; do
  corpus="$build_dir/corpus/$t"
  findings="$build_dir/findings/$t"
  mkdir -p "$corpus" "$findings"
  log="$build_dir/$t.log"
  echo "== fuzzing $t for ${seconds}s"
  if ! "$build_dir/tests/fuzz/$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
      -artifact_prefix="$findings/" "$corpus" "$root/tests/fuzz/corpus/$t" >"$log" 2>&1; then
    echo "!! $t failed; the input is in $findings/; the end of its log:"
    tail -40 "$log"
    status=1
  fi
  # The last status line: "#N DONE cov: C ft: F corp: ..." (executions and edges covered).
  grep -E "DONE|#[0-9]+.*cov:" "$log" | tail -1 | sed "s/^/   $t: /" || true
done
exit $status
