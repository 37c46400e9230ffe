#!/usr/bin/env python3
"""Medians and the Markdown table for bench/compare.

Reads the manifest bench/compare writes (one line per bench run: scenario,
column, server kind, repetition, exit status, JSON file) and prints, per
scenario, every figure's median over the repetitions for each server, then
Parley ÷ best peer and Parley ÷ each peer.
"""
import argparse
import json
import math
import statistics
from collections import OrderedDict

UP, DOWN, INFO, TOTAL = "↑", "↓", "·", "Σ"   # better when higher / lower; shown only; summed
FLOOR = "floor"   # bench/compare's column for parley-floor


def pct(key, name):
    return lambda j: (j.get(key) or {}).get(name)


def field(key):
    return lambda j: j.get(key)


def mib(key):
    return lambda j: None if j.get(key) is None else j[key] / 1048576


FANOUT = [
    ("deliveries per server CPU-second", field("deliveries_per_server_cpu_second"), UP, "int"),
    ("deliveries/s", field("deliveries_per_sec"), UP, "int"),
    ("sent/s", field("sent_per_sec"), UP, "int"),
    ("server CPU over the window (s)", field("server_cpu_seconds"), DOWN, "f2"),
    ("latency p50 (ms)", pct("latency_ms", "p50"), DOWN, "ms"),
    ("latency p90 (ms)", pct("latency_ms", "p90"), DOWN, "ms"),
    ("latency p99 (ms)", pct("latency_ms", "p99"), DOWN, "ms"),
    ("latency p99.9 (ms)", pct("latency_ms", "p99_9"), DOWN, "ms"),
    ("latency max (ms)", pct("latency_ms", "max"), DOWN, "ms"),
    ("registration p99 (ms)", field("registration_p99_ms"), DOWN, "ms"),
    ("bench CPU over the window (s)", field("bench_cpu_seconds"), INFO, "f2"),
    ("machine CPU busy", field("machine_cpu_busy"), INFO, "pct"),
    ("lost (all runs)", field("lost"), TOTAL, "int"),
    ("out of order (all runs)", field("out_of_order"), TOTAL, "int"),
]
IDLE = [
    ("server RSS per connection (B)", field("rss_bytes_per_connection"), DOWN, "int"),
    ("  of it anonymous: heap, stacks (B)", field("anon_rss_bytes_per_connection"), DOWN, "int"),
    ("server RSS at the end (MiB)", mib("rss_after_bytes"), DOWN, "f1"),
    ("connections registered (fewest)", field("registered"), "min", "int"),
    ("registrations/s", field("registrations_per_sec"), UP, "int"),
    ("registration p50 (ms)", pct("registration_ms", "p50"), DOWN, "ms"),
    ("registration p99 (ms)", field("registration_p99_ms"), DOWN, "ms"),
    ("registration max (ms)", pct("registration_ms", "max"), DOWN, "ms"),
    ("machine CPU busy", field("machine_cpu_busy"), INFO, "pct"),
    ("failed registrations (all runs)", field("registration_failures"), TOTAL, "int"),
    ("disconnected (all runs)", field("disconnected"), TOTAL, "int"),
]

TITLES = {
    "small": "small: 50 clients in one room, 5 senders, as fast as a 32-message window allows, 64 B",
    "large": "large: 1,000 clients in one room, 2 senders × 100 msg/s, 100 B",
    "latency": "latency: 200 clients in one room, 4 senders × 25 msg/s, 100 B",
    "idle": "idle: 10,000 connections over 100 rooms (and Parley alone at 19,000)",
    "threads": "threads: Parley small with --threads 1 and --threads 2, both pinned to one CPU",
    "text": "text: Parley's text protocol against the seed's Python server, one message in flight per sender",
    "history": "history: Parley small with history kept (SQLite, the default) and with [history] enabled = false",
}
QUICK_TITLES = {
    "small": "small (quick: 20 clients, 2 senders, window 8, 64 B)",
    "large": "large (quick: 100 clients, 2 senders × 100 msg/s, 100 B)",
    "latency": "latency (quick: 50 clients, 2 senders × 25 msg/s, 100 B)",
    "idle": "idle (quick: 500 connections over 10 rooms, Parley alone at 1,000)",
    "threads": "threads (quick: small with --threads 1 and --threads 2, one CPU)",
    "text": "text (quick: 10 clients, 2 senders, one message in flight per sender)",
    "history": "history (quick: small with history on and off)",
}


def fmt(v, kind):
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "–"
    if kind == "int":
        return f"{v:,.0f}"
    if kind == "f1":
        return f"{v:,.1f}"
    if kind == "f2":
        return f"{v:.2f}"
    if kind == "pct":
        return f"{v * 100:.0f}%"
    if kind == "ms":
        return f"{v:.3g}" if v < 100 else f"{v:,.0f}"
    return str(v)


def ratio(a, b):
    if a is None or b is None or b == 0:
        return "–"
    return f"{a / b:.2f}×"


def load(manifest):
    """scenario -> column -> {kind, reps: [(status, json or None)]}"""
    table = OrderedDict()
    with open(manifest) as f:
        for line in f:
            scenario, column, kind, rep, status, path = line.rstrip("\n").split("\t")
            data = None
            try:
                with open(path) as j:
                    data = json.load(j)
            except (OSError, ValueError):
                pass
            col = table.setdefault(scenario, OrderedDict()).setdefault(column, {"kind": kind, "reps": []})
            col["reps"].append((int(status), data))
    return table


def summarise(col, figures):
    """Median (or total / minimum) of each figure over the good repetitions."""
    good = [d for s, d in col["reps"] if s == 0 and d and d.get("ok")]
    used = good or [d for _, d in col["reps"] if d]
    values = {}
    for name, get, how, _ in figures:
        vals = [get(d) for d in used]
        vals = [v for v in vals if v is not None]
        if how == TOTAL:
            vals = [get(d) for _, d in col["reps"] if d and get(d) is not None]
            values[name] = sum(vals) if vals else None
        elif how == "min":
            values[name] = min(vals) if vals else None
        else:
            values[name] = statistics.median(vals) if vals else None
    return values, len(good), len(col["reps"])


def problems_of(column, col):
    out = []
    for i, (status, data) in enumerate(col["reps"], 1):
        if status == 0 and data and data.get("ok"):
            continue
        why = []
        if status == 97:
            why.append("the server did not start")
        elif status == 124:
            why.append("killed by the script's timeout")
        elif status:
            why.append(f"exit status {status}")
        if data:
            why += [str(p) for p in data.get("problems") or []]
        elif status != 97:
            why.append("no JSON")
        out.append(f"{column}, run {i}: {'; '.join(why) or 'not ok'}")
    return out


def scenario_table(scenario, columns, quick):
    figures = IDLE if scenario == "idle" else FANOUT
    names = list(columns)
    # The column every ratio divides, and the columns it is divided by.
    if scenario == "threads":
        base = "--threads 2" if "--threads 2" in names else names[0]
    else:
        base = names[0]
    peers = [n for n in names if n != base and not n.startswith("Parley alone")]
    # The floor (bench/floor) is a yardstick, not a peer: it has its own
    # column of ratios but is never the "best peer".
    rivals = [n for n in peers if n != FLOOR]
    stats = {n: summarise(columns[n], figures) for n in names}
    base_label = base if scenario in ("threads", "history") else "Parley"
    lines = [f"### {(QUICK_TITLES if quick else TITLES).get(scenario, scenario)}", ""]
    head = ["figure", "better"] + names
    if peers:
        if len(rivals) > 1:
            head.append(f"{base_label} ÷ best peer")
        head += [f"{base_label} ÷ {p}" for p in peers]
    lines.append("| " + " | ".join(head) + " |")
    lines.append("|" + " --- |" * len(head))
    row = ["good runs", ""] + [f"{stats[n][1]}/{stats[n][2]}" for n in names]
    row += [""] * (len(head) - len(row))
    lines.append("| " + " | ".join(row) + " |")
    for name, _, how, kind in figures:
        vals = {n: stats[n][0][name] for n in names}
        row = [name, how if how in (UP, DOWN) else ("·" if how != TOTAL else "0")]
        row += [fmt(vals[n], kind) + (" †" if stats[n][1] == 0 and vals[n] is not None else "")
                for n in names]
        if peers:
            b = vals[base]
            if len(rivals) > 1:
                # A peer without a clean run cannot be the best one.
                known = [vals[p] for p in rivals if vals[p] is not None and stats[p][1] > 0]
                if how == UP and known:
                    row.append(ratio(b, max(known)))
                elif how == DOWN and known:
                    row.append(ratio(b, min(known)))
                else:
                    row.append("–")
            for p in peers:
                row.append(ratio(b, vals[p]) if how in (UP, DOWN, INFO) else "–")
        lines.append("| " + " | ".join(row) + " |")
    notes = []
    for n in names:
        notes += problems_of(n, columns[n])
    if notes:
        lines += ["", "Runs that were not clean (left out of the medians while a clean run exists; "
                  "† marks a figure from runs that all failed, left out of \"best peer\"):", ""]
        lines += [f"- {n}" for n in notes]
    quickack = {d.get("quickack") for c in columns.values() for _, d in c["reps"] if d}
    return lines, quickack


def main():
    ap = argparse.ArgumentParser()
    for a in ("manifest", "date", "commit", "machine", "versions", "command", "pinning", "phases"):
        ap.add_argument("--" + a, required=True)
    ap.add_argument("--reps", type=int, required=True)
    ap.add_argument("--quick", type=int, default=0)
    o = ap.parse_args()
    table = load(o.manifest)
    out = [
        f"## bench/compare, {o.date}" + (" (quick smoke run)" if o.quick else ""),
        "",
        f"- Command: `{o.command}`",
        f"- Commit: {o.commit}",
        f"- Machine: {o.machine}",
        f"- Software: {o.versions}",
        f"- Pinning: {o.pinning}; a fresh server process for every run, one server at a time",
        f"- Each figure: the median of {o.reps} run{'s' if o.reps != 1 else ''} "
        f"({o.phases}); lost and out of order are totals over all runs",
        "- Ratios: Parley ÷ peer. In rows marked ↑ above 1× is better for Parley, "
        "in rows marked ↓ below 1× is; \"best peer\" is the best value among the peers in that row",
        "- floor: parley-floor (bench/floor), a bare broadcaster that parses only the PRIVMSG target and "
        "writes each connection once per epoll pass; Parley ÷ floor is how close Parley is to it. "
        "It is never the \"best peer\"",
        "- \"machine CPU busy\" near 100% means the run also waited for a CPU (anything else running, "
        "a compiler included): such figures are low estimates, comparable only within this table",
        "",
    ]
    quickacks = set()
    for scenario, columns in table.items():
        lines, q = scenario_table(scenario, columns, o.quick)
        quickacks |= q
        out += lines + [""]
    if True in quickacks:
        out.append("parley-bench re-arms TCP_QUICKACK after every read (InspIRCd and ngIRCd do not set "
                   "TCP_NODELAY, so delayed ACKs would otherwise show up as 40 ms Nagle stalls).")
    elif quickacks:
        out.append("parley-bench reported quickack = false: latency against servers without "
                   "TCP_NODELAY may include 40 ms Nagle stalls.")
    print("\n".join(out).rstrip() + "\n")


if __name__ == "__main__":
    main()
