#!/usr/bin/env python3
"""What spreading one room over several nodes costs (issue 16).

Runs the same parley-bench load twice per repetition, alternating:
  single   one parleyd, no [cluster], every client on it;
  cluster  --nodes parleyd nodes joined through one redis-server, clients
           spread over the nodes in turn (parley-bench --port P1,P2,...), so
           most deliveries cross Redis.
History is off on every server unless --history (then each keeps its own
SQLite file, and a writer that falls behind refuses messages, which the
bench counts as lost). The cluster's server CPU is every node's plus Redis's. Prints a table of
deliveries/s, deliveries per server CPU-second, latency p50/p99 and losses
for each, and cluster ÷ single; for the cluster also the room messages per
second that went through Redis and Redis's own CPU (% of one core, over the
whole bench run, warm-up and registration included).

--memory instead measures Redis's memory per session and per room: one node
on Redis, then parley-bench's idle scenario holding --sessions IRC clients in
one room, then in --memory-rooms rooms; Redis's used_memory (INFO) is read
before and, at its highest, while each is held.

Everything on loopback, on ephemeral ports, in a temporary directory; every
process started is stopped at the end. Not a test: a measurement for
BENCHMARKS.md (see docs/cluster.md).

Usage: bench/cluster-cost.py [--build build] [--nodes 3] [--reps 3] [-- parley-bench options]
       bench/cluster-cost.py --memory [--sessions 2000] [--memory-rooms 200]
Default load: --proto irc --clients 60 --senders 6 --window 16 --size 64 --warmup 2 --duration 5
"""
import argparse
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time

DEFAULT_LOAD = ["--proto", "irc", "--clients", "60", "--senders", "6", "--window", "16", "--size", "64",
                "--warmup", "2", "--duration", "5"]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Processes:
    """Every process started, stopped (SIGTERM, then SIGKILL) on close."""

    def __init__(self):
        self.procs = []

    def start(self, args, log_path):
        log = open(log_path, "w")
        p = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT)
        self.procs.append(p)
        return p

    def close(self):
        for p in self.procs:
            if p.poll() is None:
                p.terminate()
        for p in self.procs:
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
        self.procs = []


def wait_for_ports(log_path, proc, proto):
    """The text or IRC port parleyd logs once it listens."""
    what = "IRC" if proto == "irc" else "text"
    deadline = time.time() + 30
    while time.time() < deadline:
        if proc.poll() is not None:
            sys.exit(f"parleyd exited at start; its log: {log_path}")
        with open(log_path) as f:
            text = f.read()
        m = re.search(rf"Listening for {what} clients on [\d.]+:(\d+)", text)
        if m and "Waiting for new users" in text:
            return int(m.group(1))
        time.sleep(0.1)
    sys.exit(f"parleyd did not start in 30 s; its log: {log_path}")


def start_parleyd(procs, binary, work, name, proto, cluster_redis=None, history=False):
    os.makedirs(os.path.join(work, name), exist_ok=True)
    config = os.path.join(work, name + ".toml")
    with open(config, "w") as f:
        f.write("[limits]\nconnections_per_address = 0\nmessages_per_second = 0\nmax_connections = 100000\n")
        f.write(f"[history]\nenabled = {'true' if history else 'false'}\n")
        if cluster_redis:
            f.write(f'[cluster]\nredis = "redis://127.0.0.1:{cluster_redis}"\nnode = "{name}"\n')
    log = os.path.join(work, name + ".log")
    p = procs.start([binary, "--config", config, "--data-dir", os.path.join(work, name), "--bind", "127.0.0.1",
                     "--text-port", "0", "--irc-port", "0", "--http-port", "0", "--threads", "1"], log)
    return p, wait_for_ports(log, p, proto)


def start_redis(procs, work):
    port = free_port()
    p = procs.start(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                     "--dir", work], os.path.join(work, "redis.log"))
    deadline = time.time() + 20
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
                s.sendall(b"PING\r\n")
                if s.recv(16).startswith(b"+PONG"):
                    return p, port
        except OSError:
            time.sleep(0.05)
    sys.exit("redis-server did not answer PING in 20 s")


def cpu_seconds(pid):
    """User + system CPU of a process so far, from /proc."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def redis_used_memory(port):
    """INFO memory's used_memory, in bytes."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        s.sendall(b"INFO memory\r\n")
        data = b""
        while b"used_memory:" not in data or not data.endswith(b"\r\n"):
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
    return int(re.search(rb"used_memory:(\d+)", data).group(1))


def run_bench(bench, ports, pids, load, work, label, scenario="fanout", watch=None):
    """Runs parley-bench; `watch`, if given, is called every 0.2 s while it runs."""
    out = os.path.join(work, f"{label}.json")
    args = [bench, "--scenario", scenario, "--port", ",".join(map(str, ports)),
            "--server-pid", ",".join(map(str, pids)), "--json", out, "--time-limit", "120"] + load
    with subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as p:
        if watch:
            while p.poll() is None:
                watch()
                time.sleep(0.2)  # a sampling period, not a synchronisation
        stdout, stderr = p.communicate(timeout=180)
    done = subprocess.CompletedProcess(args, p.returncode, stdout, stderr)
    summary = [line for line in done.stdout.splitlines() if " fanout: " in line]
    print(f"  {label}: {summary[0] if summary else done.stderr.strip()[-300:]}", flush=True)
    with open(out) as f:
        return json.load(f)


def one_round(args, load, work, rep):
    procs = Processes()
    try:
        single, port = start_parleyd(procs, args.parleyd, work, f"single{rep}", args.proto, history=args.history)
        result_single = run_bench(args.bench, [port], [single.pid], load, work, f"single-{rep}")
    finally:
        procs.close()
    procs = Processes()
    try:
        redis, redis_port = start_redis(procs, work)
        nodes, ports = [], []
        for n in range(args.nodes):
            p, port = start_parleyd(procs, args.parleyd, work, f"node{n + 1}r{rep}", args.proto, redis_port,
                                    history=args.history)
            nodes.append(p)
            ports.append(port)
        redis_cpu, started = cpu_seconds(redis.pid), time.time()
        samples = []  # (time, Redis's CPU seconds so far), every 0.2 s while the bench runs

        def watch():
            samples.append((time.time(), cpu_seconds(redis.pid)))

        result_cluster = run_bench(args.bench, ports, [p.pid for p in nodes] + [redis.pid], load, work,
                                   f"cluster-{rep}", watch=watch)
        result_cluster["redis_cpu_share"] = (cpu_seconds(redis.pid) - redis_cpu) / (time.time() - started)
        result_cluster["redis_cpu_share_busiest"] = busiest_second(samples)
    finally:
        procs.close()
    return result_single, result_cluster


def busiest_second(samples):
    """The highest CPU share over any span of at least a second between samples:
    Redis's load while the messages flow, where the whole run's average also
    counts registration, warm-up and drain."""
    best = 0.0
    for i, (t0, c0) in enumerate(samples):
        for t1, c1 in samples[i + 1:]:
            if t1 - t0 >= 1.0:
                best = max(best, (c1 - c0) / (t1 - t0))
                break
    return best


def figures(r):
    lat = r.get("latency_ms") or {}
    return {
        "deliveries/s": r.get("deliveries_per_sec"),
        "deliveries per server CPU-s": r.get("deliveries_per_server_cpu_second"),
        "latency p50 (ms)": lat.get("p50"),
        "latency p99 (ms)": lat.get("p99"),
        "room messages/s (through Redis, for the cluster)": r.get("sent_per_sec"),
        "Redis CPU, % of one core (whole run)": 100 * r["redis_cpu_share"] if "redis_cpu_share" in r else None,
        "Redis CPU, % of one core (busiest second)":
            100 * r["redis_cpu_share_busiest"] if "redis_cpu_share_busiest" in r else None,
        "lost": r.get("lost"),
        "out of order": r.get("out_of_order"),
    }


def memory(args):
    """Redis's bytes per session and per room, from used_memory with one node."""
    load = ["--proto", "irc", "--clients", str(args.sessions), "--connect-rate", "1000", "--duration", "4"]
    with tempfile.TemporaryDirectory(prefix="parley-cluster-memory-") as work:
        procs = Processes()
        try:
            redis, redis_port = start_redis(procs, work)
            node, port = start_parleyd(procs, args.parleyd, work, "node1", "irc", redis_port)
            base = redis_used_memory(redis_port)
            peaks = {}
            for rooms in (1, args.memory_rooms):
                peak = [0]

                def watch():
                    peak[0] = max(peak[0], redis_used_memory(redis_port))

                run_bench(args.bench, [port], [node.pid], load + ["--rooms", str(rooms)], work, f"idle-{rooms}",
                          scenario="idle", watch=watch)
                peaks[rooms] = peak[0]
        finally:
            procs.close()
    per_session = (peaks[1] - base) / args.sessions
    per_room = (peaks[args.memory_rooms] - peaks[1]) / (args.memory_rooms - 1)
    print(f"\n| Redis used_memory | bytes |\n| --- | ---: |")
    print(f"| one node connected, no session | {base:,} |")
    print(f"| {args.sessions:,} IRC sessions in 1 room | {peaks[1]:,} |")
    print(f"| {args.sessions:,} IRC sessions in {args.memory_rooms} rooms | {peaks[args.memory_rooms]:,} |")
    print(f"| per session (a name lease, its membership) | {per_session:,.0f} |")
    print(f"| per room (its members' set, settings, sequence, stream) | {per_room:,.0f} |")
    return 0


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    argv = sys.argv[1:]
    load = DEFAULT_LOAD
    if "--" in argv:
        load = argv[argv.index("--") + 1:]
        argv = argv[:argv.index("--")]
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build", default=os.path.join(root, "build"))
    ap.add_argument("--nodes", type=int, default=3)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--history", action="store_true",
                    help="keep history (each node in its own SQLite file); off by default, to measure the backplane")
    ap.add_argument("--memory", action="store_true", help="measure Redis memory per session and per room instead")
    ap.add_argument("--sessions", type=int, default=2000)
    ap.add_argument("--memory-rooms", type=int, default=200)
    args = ap.parse_args(argv)
    if not 100 <= args.sessions <= 10000 or not 2 <= args.memory_rooms <= args.sessions:
        sys.exit("--sessions must be 100 to 10,000 and --memory-rooms 2 to --sessions")
    if not 2 <= args.nodes <= 8 or not 1 <= args.reps <= 10:
        sys.exit("--nodes must be 2 to 8 and --reps 1 to 10")
    args.parleyd = os.path.join(args.build, "apps/parleyd/parleyd")
    args.bench = os.path.join(args.build, "apps/parley-bench/parley-bench")
    args.proto = load[load.index("--proto") + 1] if "--proto" in load else "text"
    for path in (args.parleyd, args.bench):
        if not os.access(path, os.X_OK):
            sys.exit(f"{path} is missing: build it first (scripts/build.sh {args.build})")
    if args.memory:
        return memory(args)

    print(f"parley-bench {' '.join(load)}; {args.nodes} nodes + Redis against one parleyd, {args.reps} rounds",
          flush=True)
    singles, clusters = [], []
    with tempfile.TemporaryDirectory(prefix="parley-cluster-cost-") as work:
        for rep in range(args.reps):
            print(f"round {rep + 1} of {args.reps}", flush=True)
            s, c = one_round(args, load, work, rep)
            singles.append(figures(s))
            clusters.append(figures(c))

    print(f"\n| figure (median of {args.reps}) | one parleyd | {args.nodes} nodes + Redis | cluster ÷ single |")
    print("| --- | ---: | ---: | ---: |")
    for key in singles[0]:
        values_s = [f[key] for f in singles if f[key] is not None]
        values_c = [f[key] for f in clusters if f[key] is not None]
        if key in ("lost", "out of order"):
            print(f"| {key} (all rounds) | {sum(values_s)} | {sum(values_c)} | |")
            continue
        ms = statistics.median(values_s) if values_s else None
        mc = statistics.median(values_c) if values_c else None
        ratio = f"{mc / ms:.2f}×" if ms and mc else ""
        fmt = (lambda v: f"{v:,.0f}") if "deliveries" in key or "messages" in key else (lambda v: f"{v:.2f}")
        print(f"| {key} | {fmt(ms) if ms is not None else '–'} | {fmt(mc) if mc is not None else '–'} | {ratio} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
