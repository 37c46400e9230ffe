# Sourced by the history benchmarks: starts a fresh parleyd pinned to CPU 1
# on a data directory of its own, as their same-run A/Bs need.
#
#   start_pinned_parleyd DIR PARLEYD true|false   (history enabled or not)
#
# Sets `server` (its pid: the caller stops it) and `port` (IRC); exits with
# its log when it does not start within 10 s. Loopback ports only.
start_pinned_parleyd() {
  local dir=$1 parleyd=$2 history=$3 i
  cat >"$dir/parleyd.toml" <<TOML
data_dir = "$dir/data"
[limits]
connections_per_address = 0
messages_per_second = 0
max_connections = 1000000
name_timeout_seconds = 120
[history]
enabled = $history
TOML
  : >"$dir/log"
  taskset -c 1 "$parleyd" --config "$dir/parleyd.toml" --text-port 0 --irc-port 0 --http-port 0 >"$dir/log" 2>&1 &
  server=$! port=""
  for ((i = 0; i < 100; i++)); do
    port=$(grep -m1 -o 'Listening for IRC clients on .*' "$dir/log" | sed 's/.*://' || true)
    [[ -n "$port" ]] && grep -q 'Waiting for new users' "$dir/log" && break
    sleep 0.1
  done
  [[ -n "$port" ]] || { echo "parleyd did not start:"; cat "$dir/log"; exit 1; } >&2
}
