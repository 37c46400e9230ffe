#!/usr/bin/env bash
# Same-run A/B of the `small` scenario (IRC, 50 clients, 5 senders, window 32,
# 64 B) with history on and off, alternated, for one or more parleyd binaries:
#
#   bench/history/ab-history.sh ROUNDS BENCH LABEL=PARLEYD [LABEL=PARLEYD...]
#
# Each round runs, for each binary in turn, history on then off, each on a
# fresh parleyd with a fresh data directory (server on CPU 1, bench on CPU 0).
# Prints one line per run (deliveries per server CPU-second, the server's and
# its history-write thread's CPU ticks over the whole run) and, per round,
# on ÷ off for each binary, and at the end each binary's mean and median
# over the rounds (and, with AB_SAME_OFF=1, each binary's on against the off
# runs of all of them). Loopback only; every process it starts is stopped
# on exit.
set -euo pipefail
rounds=$1 bench=$2
shift 2
duration=${AB_DURATION:-8} warmup=${AB_WARMUP:-2}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ab-history.XXXXXX")
server=""
cleanup() {
  if [[ -n "$server" ]] && kill -0 "$server" 2>/dev/null; then kill -TERM "$server"; wait "$server" || true; fi
  rm -rf -- "$tmp"
}
trap cleanup EXIT
source "$(dirname "${BASH_SOURCE[0]}")/pinned-parleyd.sh"

# ticks NAME_REGEX: CPU ticks (utime + stime) of the server's threads whose name matches.
ticks() {
  local sum=0 t name
  for t in /proc/"$server"/task/*; do
    name=$(cat "$t/comm" 2>/dev/null || true)
    [[ "$name" =~ $1 ]] || continue
    read -r -a f < <(sed 's/^.*) //' "$t/stat")
    sum=$((sum + f[11] + f[12]))
  done
  echo "$sum"
}

run_one() {  # LABEL PARLEYD on|off
  local label=$1 parleyd=$2 history=$3 dir="$tmp/run" port=""
  rm -rf -- "$dir" && mkdir -p "$dir"
  start_pinned_parleyd "$dir" "$parleyd" "$([[ $history == on ]] && echo true || echo false)"
  taskset -c 0 "$bench" --scenario fanout --proto irc --port "$port" --clients 50 --senders 5 --window 32 \
    --size 64 --duration "$duration" --warmup "$warmup" --server-pid "$server" --json "$dir/out.json" >/dev/null 2>&1 || true
  local writer all
  writer=$(ticks '^history-write$')
  all=$(ticks '.')
  kill -TERM "$server"
  wait "$server" || true
  server=""
  python3 - "$dir/out.json" "$label" "$history" "$writer" "$all" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
print(f"{sys.argv[2]}\t{sys.argv[3]}\t{r['deliveries_per_server_cpu_second']:.0f}\t"
      f"cpu={r['server_cpu_seconds']:.2f}\tsent_total={r['sent_total']}\twriter_ticks={sys.argv[4]}\t"
      f"all_ticks={sys.argv[5]}\tlost={r['lost']}\tooo={r['out_of_order']}\tbusy={r['machine_cpu_busy']:.2f}")
PY
}

for ((round = 1; round <= rounds; round++)); do
  declare -A on=()
  for spec in "$@"; do
    label=${spec%%=*} parleyd=${spec#*=}
    for history in on off; do
      line=$(run_one "$label" "$parleyd" "$history")
      echo "round $round	$line" | tee -a "$tmp/runs"
      [[ $history == on ]] && on[$label]=$(cut -f3 <<<"$line") || off=$(cut -f3 <<<"$line")
    done
    python3 -c "import sys; print(f'round {sys.argv[1]}\t{sys.argv[2]}\ton/off = {float(sys.argv[3]) / float(sys.argv[4]):.3f}')" \
      "$round" "$label" "${on[$label]}" "$off"
  done
done

# Identical off runs differ by up to about 12% on a shared machine, so one
# round's ratio says little: per binary, the mean and median of the rounds'
# ratios, and the ratio of the mean on to the mean off. When the binaries
# differ only where history is on (AB_SAME_OFF=1), their off runs run the
# same code: then each binary's mean on is also given against every off run
# (less noisy), with the writer's CPU per line.
python3 - "$tmp/runs" "${AB_SAME_OFF:-0}" <<'PY'
import statistics, sys
runs = {}
for line in open(sys.argv[1]):
    f = line.rstrip("\n").split("\t")
    r = runs.setdefault(f[1], {"on": [], "off": [], "writer_us": []})
    r[f[2]].append(float(f[3]))
    if f[2] == "on":  # writer ticks (10 ms) per line sent, in us
        r["writer_us"].append(int(f[6].split("=")[1]) * 1e4 / int(f[5].split("=")[1]))
for label, r in runs.items():
    ratios = [a / b for a, b in zip(r["on"], r["off"])]
    print(f"{label}\t{len(ratios)} rounds\ton/off mean {statistics.mean(ratios):.3f}\t"
          f"median {statistics.median(ratios):.3f}\tmean on / mean off "
          f"{statistics.mean(r['on']) / statistics.mean(r['off']):.3f}")
if sys.argv[2] == "1":
    off = [x for r in runs.values() for x in r["off"]]
    spread = statistics.stdev(off) / statistics.mean(off) * 100 if len(off) > 1 else 0.0
    print(f"off, every binary's runs\t{len(off)} runs\tmean {statistics.mean(off):.0f}\t±{spread:.1f}%")
    for label, r in runs.items():
        print(f"{label}\tmean on / mean of every off {statistics.mean(r['on']) / statistics.mean(off):.3f}\t"
              f"writer {statistics.mean(r['writer_us']):.2f} us per line")
PY
