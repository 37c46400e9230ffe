#!/usr/bin/env bash
# Where the history writer's CPU goes in the `small` scenario (IRC, 50
# clients, 5 senders, window 32, 64 B, history on): one run per binary, the
# `history-write` thread profiled by perf for the whole run (DWARF stacks),
# its CPU ticks read at the end, and its samples split between writing lines
# (SqliteHistory::commit) and indexing them for search (index_some):
#
#   bench/history/writer-split.sh BENCH LABEL=PARLEYD [LABEL=PARLEYD...]
#
# Prints, per binary, the lines written, the writer's CPU per line, and the
# share and CPU per line of each part. Server on CPU 1, bench on CPU 0, as
# ab-history.sh; every process it starts is stopped on exit.
set -euo pipefail
bench=$1
shift
duration=${AB_DURATION:-8} warmup=${AB_WARMUP:-2}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/writer-split.XXXXXX")
server="" profiler=""
cleanup() {
  [[ -n "$profiler" ]] && kill -INT "$profiler" 2>/dev/null && wait "$profiler" || true
  if [[ -n "$server" ]] && kill -0 "$server" 2>/dev/null; then kill -TERM "$server"; wait "$server" || true; fi
  rm -rf -- "$tmp"
}
trap cleanup EXIT
source "$(dirname "${BASH_SOURCE[0]}")/pinned-parleyd.sh"

for spec in "$@"; do
  label=${spec%%=*} parleyd=${spec#*=} dir="$tmp/$label"
  mkdir -p "$dir"
  start_pinned_parleyd "$dir" "$parleyd" true
  writer=""
  for t in /proc/"$server"/task/*; do [[ $(cat "$t/comm") == history-write ]] && writer=${t##*/}; done
  perf record -F 499 --call-graph dwarf,8192 -t "$writer" -o "$dir/perf.data" >/dev/null 2>&1 &
  profiler=$!
  taskset -c 0 "$bench" --scenario fanout --proto irc --port "$port" --clients 50 --senders 5 --window 32 \
    --size 64 --duration "$duration" --warmup "$warmup" --server-pid "$server" --json "$dir/out.json" >/dev/null 2>&1 || true
  read -r -a f < <(sed 's/^.*) //' /proc/"$server"/task/"$writer"/stat)
  ticks=$((f[11] + f[12]))
  kill -INT "$profiler"; wait "$profiler" || true; profiler=""
  kill -TERM "$server"; wait "$server" || true; server=""
  perf report -i "$dir/perf.data" --children --stdio -g none 2>/dev/null >"$dir/report" || true
  python3 - "$dir/out.json" "$label" "$ticks" "$(getconf CLK_TCK)" "$dir/report" <<'PY'
import json, re, sys
r = json.load(open(sys.argv[1]))
label, ticks, hz, report = sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), open(sys.argv[5]).read()
lines = r['sent_total']
def share(fn):
    m = re.search(r'^\s*([\d.]+)%\s+[\d.]+%.*SqliteHistory::' + fn + r'\s*$', report, re.M)
    return float(m.group(1)) / 100 if m else 0.0
us = ticks / hz * 1e6 / lines
out = f"{label}\tlines={lines}\twriter={us:.2f} us/line"
for fn in ('commit', 'index_some'):
    out += f"\t{fn}={share(fn) * 100:.0f}% ({share(fn) * us:.2f} us/line)"
print(out + f"\tbusy={r['machine_cpu_busy']:.2f}")
PY
done
