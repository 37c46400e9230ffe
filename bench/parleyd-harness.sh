# Sourced by the bench/run-*.sh scripts: starts one parleyd on a free port
# with bench-friendly limits, and makes sure it is stopped on every exit.
#
#   harness_start BUILD_DIR [extra parleyd flags...]   sets PARLEYD_PID, PARLEYD_PORT (text),
#                                                       PARLEYD_IRC_PORT, HARNESS_DIR, and with
#                                                       --text-tls-port/--irc-tls-port among the flags
#                                                       PARLEYD_TEXT_TLS_PORT, PARLEYD_IRC_TLS_PORT
#   harness_stop                                        SIGTERM, wait (then SIGKILL after a grace)
#
# The caller must have `set -euo pipefail`.

PARLEYD_PID=""
PARLEYD_PORT=""
PARLEYD_IRC_PORT=""
PARLEYD_TEXT_TLS_PORT=""
PARLEYD_IRC_TLS_PORT=""
PARLEYD_HTTP_PORT=""
HARNESS_DIR=""
HARNESS_CHILDREN=()   # every process this script starts, for the trap

harness_cleanup() {
  local pid
  for pid in "${HARNESS_CHILDREN[@]}"; do
    if kill -0 "$pid" 2>/dev/null; then
      kill -TERM "$pid" 2>/dev/null || true
    fi
  done
  for pid in "${HARNESS_CHILDREN[@]}"; do
    harness_wait_for_exit "$pid" 10 || { kill -KILL "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; }
  done
  HARNESS_CHILDREN=()
  if [[ -n "$HARNESS_DIR" && -d "$HARNESS_DIR" && -z "${BENCH_KEEP_TMP:-}" ]]; then
    rm -rf -- "$HARNESS_DIR"
  fi
}

# harness_wait_for_exit PID SECONDS: true once PID (a child of this shell) has exited.
harness_wait_for_exit() {
  local pid=$1 limit=$2 i
  for ((i = 0; i < limit * 10; i++)); do
    if ! kill -0 "$pid" 2>/dev/null; then
      wait "$pid" 2>/dev/null || true
      return 0
    fi
    sleep 0.1
  done
  return 1
}

trap harness_cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

harness_start() {
  local build_dir=$1
  shift
  local parleyd="$build_dir/apps/parleyd/parleyd"
  [[ -x "$parleyd" ]] || { echo "run: no parleyd at $parleyd (build it first)" >&2; return 1; }

  HARNESS_DIR=$(mktemp -d "${TMPDIR:-/tmp}/parley-bench.XXXXXX")
  cat >"$HARNESS_DIR/parleyd.toml" <<TOML
data_dir = "$HARNESS_DIR/data"

[limits]
connections_per_address = 0   # the bench spreads sources, but do not measure this limit
messages_per_second = 0       # unlimited: measure the server, not its flood pacing
max_connections = 1000000
name_timeout_seconds = 120
TOML

  "$parleyd" --config "$HARNESS_DIR/parleyd.toml" --text-port 0 --irc-port 0 --http-port 0 "$@" >"$HARNESS_DIR/parleyd.log" 2>&1 &
  PARLEYD_PID=$!
  HARNESS_CHILDREN+=("$PARLEYD_PID")

  local i line irc_line
  for ((i = 0; i < 100; i++)); do   # up to 10 s
    line=$(grep -m1 -o 'Listening for text clients on .*' "$HARNESS_DIR/parleyd.log" || true)
    irc_line=$(grep -m1 -o 'Listening for IRC clients on .*' "$HARNESS_DIR/parleyd.log" || true)
    if [[ -n "$line" && -n "$irc_line" ]]; then
      PARLEYD_PORT=${line##*:}
      PARLEYD_IRC_PORT=${irc_line##*:}
      # TLS listeners open after the plain ones, before "Waiting for new users".
      if grep -q 'Waiting for new users' "$HARNESS_DIR/parleyd.log"; then
        line=$(grep -m1 -o 'Listening for text clients over TLS on .*' "$HARNESS_DIR/parleyd.log" || true)
        PARLEYD_TEXT_TLS_PORT=${line##*:}
        line=$(grep -m1 -o 'Listening for IRC clients over TLS on .*' "$HARNESS_DIR/parleyd.log" || true)
        PARLEYD_IRC_TLS_PORT=${line##*:}
        line=$(grep -m1 -o 'Listening for web clients on .*' "$HARNESS_DIR/parleyd.log" || true)
        PARLEYD_HTTP_PORT=${line##*:}
        line=$(grep -m1 -o 'Listening for web clients over TLS on .*' "$HARNESS_DIR/parleyd.log" || true)
        PARLEYD_HTTPS_PORT=${line##*:}
        break
      fi
    fi
    if ! kill -0 "$PARLEYD_PID" 2>/dev/null; then
      echo "run: parleyd exited early; its log:" >&2
      cat "$HARNESS_DIR/parleyd.log" >&2
      return 1
    fi
    sleep 0.1
  done
  [[ "$PARLEYD_PORT" =~ ^[0-9]+$ && "$PARLEYD_IRC_PORT" =~ ^[0-9]+$ ]] ||
    { echo "run: parleyd did not report its ports" >&2; return 1; }
  echo "run: parleyd pid $PARLEYD_PID listening on 127.0.0.1:$PARLEYD_PORT (text), :$PARLEYD_IRC_PORT (IRC) ($*)" >&2
}

harness_stop() {
  [[ -n "$PARLEYD_PID" ]] || return 0
  kill -TERM "$PARLEYD_PID" 2>/dev/null || true
  if ! harness_wait_for_exit "$PARLEYD_PID" 15; then
    echo "run: parleyd did not stop within 15 s of SIGTERM; killing it" >&2
    kill -KILL "$PARLEYD_PID" 2>/dev/null || true
    wait "$PARLEYD_PID" 2>/dev/null || true
  fi
  PARLEYD_PID=""
  HARNESS_CHILDREN=()
}
