#!/usr/bin/env bash
# A cluster demo on loopback (issue 16, docs/cluster.md): builds parleyd, starts
# a redis-server that saves nothing and three parleyd nodes joined through it,
# each with its own data directory under a temporary folder:
#   node 1: text 127.0.0.1:7001, IRC 6671, web http://127.0.0.1:8081
#   node 2: text 127.0.0.1:7002, IRC 6672, web http://127.0.0.1:8082
#   node 3: text 127.0.0.1:7003, IRC 6673, web http://127.0.0.1:8083
# Connect to different nodes and talk in #lobby. Ctrl-C stops everything.
# Environment: REDIS_PORT (default 6390). No PostgreSQL yet: history and
# accounts stay on each node.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/build.sh" "$root/build" "" parleyd parley >&2
redis_port=${REDIS_PORT:-6390}
dir=$(mktemp -d "${TMPDIR:-/tmp}/parley-cluster-XXXXXX")
pids=()
stop() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$dir"
}
trap stop EXIT INT TERM

redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no --dir "$dir" >"$dir/redis.log" 2>&1 &
pids+=($!)
for n in 1 2 3; do
  mkdir -p "$dir/node$n"
  printf '[cluster]\nredis = "redis://127.0.0.1:%s"\nnode = "node%s"\n' "$redis_port" "$n" >"$dir/node$n.toml"
  "$root/build/apps/parleyd/parleyd" --config "$dir/node$n.toml" --data-dir "$dir/node$n" \
    --text-port "700$n" --irc-port "667$n" --http-port "808$n" > >(sed -u "s/^/[node$n] /") 2>&1 &
  pids+=($!)
done
echo "Cluster up: text ports 7001-7003, IRC 6671-6673, web 8081-8083; Redis on $redis_port. Ctrl-C stops it." >&2
wait
