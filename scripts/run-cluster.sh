#!/usr/bin/env bash
# A cluster demo on loopback (issue 16, docs/cluster.md): builds parleyd, starts
# a redis-server that saves nothing, a throwaway PostgreSQL 15 (initdb in the
# temporary folder) that the nodes share for accounts, rooms, bans and
# history, and three parleyd nodes joined through both, each with its own
# data directory:
#   node 1: text 127.0.0.1:7001, IRC 6671, web http://127.0.0.1:8081
#   node 2: text 127.0.0.1:7002, IRC 6672, web http://127.0.0.1:8082
#   node 3: text 127.0.0.1:7003, IRC 6673, web http://127.0.0.1:8083
# Connect to different nodes and talk in #lobby. Ctrl-C stops everything and
# deletes the folder.
# Environment: REDIS_PORT (default 6390), POSTGRES_PORT (default 5490);
# NO_POSTGRES=1 leaves PostgreSQL out (each node then keeps its own SQLite file).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/build.sh" "$root/build" "" parleyd parley >&2
redis_port=${REDIS_PORT:-6390}
pg_port=${POSTGRES_PORT:-5490}
pg_bin=/usr/lib/postgresql/15/bin
dir=$(mktemp -d "${TMPDIR:-/tmp}/parley-cluster-XXXXXX")
pids=()
as_postgres=()  # PostgreSQL refuses to run as root
[ "$(id -u)" = 0 ] && as_postgres=(runuser -u postgres --)
stop() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  [ -d "$dir/pg" ] && "${as_postgres[@]}" "$pg_bin/pg_ctl" -D "$dir/pg" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap stop EXIT INT TERM

redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no --dir "$dir" >"$dir/redis.log" 2>&1 &
pids+=($!)

storage=""
if [ -z "${NO_POSTGRES:-}" ]; then
  echo "Starting PostgreSQL on 127.0.0.1:$pg_port (data in $dir/pg)..." >&2
  [ "$(id -u)" = 0 ] && chown postgres "$dir"
  "${as_postgres[@]}" "$pg_bin/initdb" -D "$dir/pg" -U parley --auth=trust -E UTF8 --locale=C.UTF-8 \
    --no-instructions >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
  "${as_postgres[@]}" "$pg_bin/pg_ctl" -D "$dir/pg" -l "$dir/postgres.log" -w \
    -o "-p $pg_port -k $dir -c listen_addresses=127.0.0.1" start >/dev/null
  storage=$(printf '[storage]\nurl = "postgresql://parley@127.0.0.1:%s/postgres"\n' "$pg_port")
fi

for n in 1 2 3; do
  mkdir -p "$dir/node$n"
  printf '[cluster]\nredis = "redis://127.0.0.1:%s"\nnode = "node%s"\n%s\n' "$redis_port" "$n" "$storage" \
    >"$dir/node$n.toml"
  "$root/build/apps/parleyd/parleyd" --config "$dir/node$n.toml" --data-dir "$dir/node$n" \
    --text-port "700$n" --irc-port "667$n" --http-port "808$n" > >(sed -u "s/^/[node$n] /") 2>&1 &
  pids+=($!)
done
echo "Cluster up: text ports 7001-7003, IRC 6671-6673, web 8081-8083; Redis on $redis_port${storage:+, PostgreSQL on $pg_port}. Ctrl-C stops it." >&2
wait
