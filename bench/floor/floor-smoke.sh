#!/usr/bin/env bash
# floor_bench_smoke: parley-bench's IRC fan-out against parley-floor, briefly.
# Passes when the bench registers, joins, and every message reaches every
# member in order (its exit status 0). Usage: floor-smoke.sh FLOOR BENCH
set -euo pipefail
floor=$1 bench=$2
out=$(mktemp)
"$floor" --host 127.0.0.1 --port 0 >"$out" &
pid=$!
trap 'kill -TERM $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -f "$out"' EXIT
port=""
for _ in $(seq 100); do   # its first line, within 10 s
  port=$(sed -n 's/^floor: listening on 127\.0\.0\.1:\([0-9]*\)$/\1/p' "$out")
  [[ -n $port ]] && break
  sleep 0.1
done
[[ -n $port ]] || { echo "no listening line from $floor" >&2; exit 1; }
"$bench" --scenario fanout --proto irc --host 127.0.0.1 --port "$port" --server-pid "$pid" \
  --clients 10 --senders 2 --window 4 --size 64 --warmup 0.2 --duration 0.5 --time-limit 60
