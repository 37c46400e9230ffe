#!/usr/bin/env python3
"""What chatting users feel while thousands of silent connections time out at once.

Starts parleyd (loopback, ephemeral ports, a fresh data directory), keeps two
text users chatting (one line every --interval seconds, each timed from send
to the sender's own echo), then opens --silent connections that never send a
name. They all reach name_timeout_seconds together, and parleyd closes them
(in batches of 64 per loop turn, net::LoopState::act_on_deadlines). Prints the
chat round trip before the timeouts and around them (p50, p99, max), how many
silent connections were closed, and how long closing them all took.

Not a test: a measurement for docs/reliability.md. Bounded: --silent
connections at most, the whole run at most name timeout + 30 s.

Usage: bench/mass-timeout.py [--parleyd build/apps/parleyd/parleyd] [--silent 5000]
                             [--threads 1] [--timeout 5]
"""
import argparse
import multiprocessing
import os
import re
import resource
import selectors
import socket
import subprocess
import sys
import tempfile
import time


def percentile(values, p):
    if not values:
        return float("nan")
    s = sorted(values)
    return s[min(len(s) - 1, int(p / 100 * len(s)))]


def start_parleyd(binary, threads, timeout, data):
    config = os.path.join(data, "parleyd.toml")
    with open(config, "w") as f:
        # No input pacing: the chatters speak far faster than the default 5 lines/s, and
        # pacing would be measured instead of the closes (it was, until 3 December 2026).
        f.write(f"[limits]\nname_timeout_seconds = {timeout}\nconnections_per_address = 0\n"
                "max_connections = 20000\nmessages_per_second = 0\n")
    log_path = os.path.join(data, "parleyd.log")
    log = open(log_path, "w")
    server = subprocess.Popen([binary, "--config", config, "--bind", "127.0.0.1", "--text-port", "0",
                               "--irc-port", "0", "--http-port", "0", "--data-dir", os.path.join(data, "data"),
                               "--threads", str(threads)], stdout=log, stderr=subprocess.STDOUT)
    deadline = time.time() + 30
    while time.time() < deadline and server.poll() is None:
        m = re.search(r"Listening for text clients on [\d.]+:(\d+)", open(log_path).read())
        if m:
            return server, int(m.group(1)), log_path
        time.sleep(0.1)
    server.kill()
    sys.exit(f"parleyd did not start; its log is {log_path}")


class Chatter:
    """A text user that times its own lines from send to echo."""

    def __init__(self, port, name):
        self.sock = socket.create_connection(("127.0.0.1", port))
        self.file = self.sock.makefile("rb")
        self.file.readline()  # greeting
        self.sock.sendall(name.encode() + b"\n")
        self.file.readline()  # welcome
        self.name = name

    def round_trip(self, n):
        line = f"ping {n}".encode()
        sent = time.perf_counter()
        self.sock.sendall(line + b"\n")
        while True:
            got = self.file.readline()
            if not got:
                raise RuntimeError("the server closed a chatter")
            if got.rstrip(b"\n").endswith(self.name.encode() + b": " + line):
                return (time.perf_counter() - sent) * 1000


def chat(port, interval, stop, samples_out):
    """Two users taking turns: (time, round trip ms) until `stop`, then sent back."""
    chatters = [Chatter(port, "Ada"), Chatter(port, "Bo")]
    samples, n = [], 0
    while not stop.is_set():
        for c in chatters:
            samples.append((time.perf_counter(), c.round_trip(n)))
            n += 1
        time.sleep(interval)
    samples_out.put(samples)


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--parleyd", default=os.path.join(root, "build/apps/parleyd/parleyd"))
    ap.add_argument("--silent", type=int, default=5000)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--timeout", type=int, default=5, help="name_timeout_seconds")
    ap.add_argument("--interval", type=float, default=0.005, help="seconds between a chatter's lines")
    args = ap.parse_args()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, args.silent + 200), hard))

    data = tempfile.mkdtemp(prefix="parley-mass-timeout-")
    server, port, log_path = start_parleyd(args.parleyd, args.threads, args.timeout, data)
    try:
        # The chatters run in a process of their own: this one is busy with
        # 5,000 sockets while they close, and would hold up their timing.
        samples_out = multiprocessing.Queue()
        stop = multiprocessing.Event()
        chatting = multiprocessing.Process(target=chat, args=(port, args.interval, stop, samples_out), daemon=True)
        chatting.start()
        time.sleep(1.0)  # a baseline of round trips with nothing else going on

        print(f"opening {args.silent} silent connections...", flush=True)
        sel = selectors.DefaultSelector()
        opened_at = time.perf_counter()
        for i in range(args.silent):
            s = socket.create_connection(("127.0.0.1", port))
            s.setblocking(False)
            sel.register(s, selectors.EVENT_READ)
            if (i + 1) % 1000 == 0:
                print(f"  {i + 1} open", flush=True)
        all_open = time.perf_counter()
        print(f"all open after {all_open - opened_at:.1f} s; waiting for the {args.timeout} s name timeout...",
              flush=True)

        closed, first_close, last_close = 0, None, None
        deadline = all_open + args.timeout + 30
        while closed < args.silent and time.perf_counter() < deadline:
            for key, _ in sel.select(timeout=0.5):
                try:
                    data_in = key.fileobj.recv(65536)  # the greeting, the farewell, then the end
                except BlockingIOError:
                    continue
                except ConnectionResetError:
                    data_in = b""
                if data_in == b"":
                    now = time.perf_counter()
                    first_close = first_close or now
                    last_close = now
                    closed += 1
                    sel.unregister(key.fileobj)
                    key.fileobj.close()
        time.sleep(1.0)  # round trips after the last close
        stop.set()
        samples = samples_out.get(timeout=30)
        chatting.join(timeout=5)

        before = [ms for t, ms in samples if t < opened_at]
        around = [ms for t, ms in samples if first_close and first_close - 0.5 <= t <= last_close + 0.5]
        print(f"\nparleyd --threads {args.threads}, {args.silent} silent connections, "
              f"name_timeout_seconds = {args.timeout}")
        print(f"closed by the server: {closed} of {args.silent}"
              + (f", over {1000 * (last_close - first_close):.0f} ms" if first_close else ""))
        print("| chat round trip (ms) | lines | p50 | p99 | max |")
        print("| --- | --- | --- | --- | --- |")
        for label, values in (("before the timeouts", before), ("while they close (±0.5 s)", around)):
            print(f"| {label} | {len(values)} | {percentile(values, 50):.2f} | {percentile(values, 99):.2f} | "
                  f"{max(values) if values else float('nan'):.2f} |")
        return 0 if closed == args.silent else 1
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()


if __name__ == "__main__":
    sys.exit(main())
