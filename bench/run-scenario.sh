#!/usr/bin/env bash
# Runs one parley-bench scenario against a fresh parleyd: starts parleyd on a
# free port with bench-friendly limits (see parleyd-harness.sh), runs the
# bench with --server-pid, stops parleyd with SIGTERM, prints the results.
#
#   bench/run-scenario.sh BUILD_DIR fanout|idle [parley-bench options...]
#
# With --proto irc among the options the bench gets parleyd's IRC port,
# else its text port (--proto redis and seed need their own servers); with
# --tls, parleyd also opens its TLS ports and the bench gets those; with --ws
# (IRC over WebSocket) the bench gets the web port, and with both the HTTPS
# port (wss).
# Environment: PARLEYD_ARGS  extra parleyd flags, e.g. "--threads 2"
#              BENCH_JSON    also keep the JSON result in this file
#              BENCH_KEEP_TMP=1  keep the temp dir (config, parleyd.log)
# Builds nothing. Exit status is parley-bench's (0 ok, 1 failed, 2 usage).
set -euo pipefail

usage() { sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
[[ $# -ge 2 ]] || usage
build_dir=$1
scenario=$2
shift 2
[[ "$scenario" == fanout || "$scenario" == idle ]] || usage
bench_bin="$build_dir/apps/parley-bench/parley-bench"
[[ -x "$bench_bin" ]] || { echo "run: no parley-bench at $bench_bin (build it first)" >&2; exit 2; }

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=SCRIPTDIR/parleyd-harness.sh
source "$here/parleyd-harness.sh"

read -r -a parleyd_args <<<"${PARLEYD_ARGS:-}"
irc=false
tls=false
ws=false
prev=""
for arg in "$@"; do
  if [[ "$arg" == "--proto=irc" || ( "$prev" == "--proto" && "$arg" == irc ) ]]; then irc=true; fi
  if [[ "$arg" == "--tls" ]]; then tls=true; fi
  if [[ "$arg" == "--ws" ]]; then ws=true; fi
  prev=$arg
done
if $tls; then parleyd_args+=(--text-tls-port 0 --irc-tls-port 0); fi
if $tls && $ws; then parleyd_args+=(--https-port 0); fi  # --tls --ws: IRC over WebSocket over TLS (wss)
harness_start "$build_dir" "${parleyd_args[@]}"

json="${BENCH_JSON:-$HARNESS_DIR/result.json}"
case "$irc,$tls" in
  false,false) port=$PARLEYD_PORT ;;
  true,false) port=$PARLEYD_IRC_PORT ;;
  false,true) port=$PARLEYD_TEXT_TLS_PORT ;;
  true,true) port=$PARLEYD_IRC_TLS_PORT ;;
esac
if $ws; then port=$PARLEYD_HTTP_PORT; fi
if $ws && $tls; then port=$PARLEYD_HTTPS_PORT; fi
status=0
# In the background so that a signal to this script is handled at once (the
# trap stops both processes) rather than after the bench finishes.
"$bench_bin" --scenario "$scenario" --port "$port" --server-pid "$PARLEYD_PID" --json "$json" "$@" \
  >"$HARNESS_DIR/summary.txt" &
bench_pid=$!
HARNESS_CHILDREN+=("$bench_pid")
wait "$bench_pid" || status=$?
harness_stop

cat "$HARNESS_DIR/summary.txt"
if [[ -s "$json" ]]; then cat "$json"; fi
if [[ -n "${BENCH_KEEP_TMP:-}" ]]; then echo "run: kept $HARNESS_DIR" >&2; fi
exit "$status"
