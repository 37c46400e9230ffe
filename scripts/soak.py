#!/usr/bin/env python3
"""Soak test for parleyd (not run in CI; see docs/reliability.md).

Starts a parleyd (by default the ASan build, so leaks are reported at exit),
drives mixed load at it for a while over loopback, samples its RSS, then
stops it with SIGTERM and reports:

  - messages sent and received, and every line a client did not expect;
  - the RSS curve (a sample every --sample seconds) and its slope over the
    second half, which should be flat;
  - the exit status and whether LeakSanitizer or another sanitizer spoke.

The load, per --clients (default 40) text clients, each a thread:
  chatters   say a numbered line every 50-500 ms, and check each line they
             read is well formed;
  roamers    join and part rooms, ask /rooms and /who;
  slow       read nothing for 5-20 s at a time (small receive buffer);
  churners   disconnect (FIN, reset, or half-close) and come back;
  vandals    send invalid UTF-8, over-long lines, telnet commands, NULs.
Plus a few IRC clients that register, join, talk and PING.

Usage: scripts/soak.py [--minutes 30] [--parleyd build-asan/apps/parleyd/parleyd]
"""
import argparse
import os
import random
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

GREETING = b"Welcome to Chat room."


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.sent = 0
        self.received = 0
        self.reconnects = 0
        self.errors = []

    def add(self, **kw):
        with self.lock:
            for k, v in kw.items():
                setattr(self, k, getattr(self, k) + v)

    def error(self, text):
        with self.lock:
            if len(self.errors) < 50:
                self.errors.append(text)


def connect(port, rcvbuf=None):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    if rcvbuf:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    s.connect(("127.0.0.1", port))
    s.settimeout(0.2)
    return s


def drain(sock, stats, check=True):
    """Reads what is there; returns False once the server closed."""
    try:
        while True:
            data = sock.recv(65536)
            if not data:
                return False
            stats.add(received=data.count(b"\n"))
            if check and b"\x00" in data:
                stats.error("a NUL byte reached a client")
    except socket.timeout:
        return True
    except OSError:
        return False


def text_client(port, index, kind, stop, stats):
    rng = random.Random(index)
    name = f"soak{index}"
    while not stop.is_set():
        try:
            sock = connect(port, rcvbuf=4096 if kind == "slow" else None)
            sock.sendall(name.encode() + b"\n")
            seq = 0
            until = time.time() + rng.uniform(20, 120)
            while not stop.is_set() and time.time() < until:
                if kind == "slow":
                    time.sleep(rng.uniform(5, 20))
                elif kind == "roamer":
                    room = f"room{rng.randrange(5)}"
                    sock.sendall(rng.choice([f"/join {room}\n", f"/part {room}\n", "/rooms\n", "/who\n"]).encode())
                    stats.add(sent=1)
                elif kind == "vandal":
                    sock.sendall(rng.choice([b"\xff\xfe bad utf8\n", b"x" * 9000 + b"\n", b"half\xff\xf4\xff\xfd\x06\n",
                                             b"nul\x00byte\n", b"\xff\xfd\x01\xff\xfb\x1f\r\n", b"/nosuch\n"]))
                    stats.add(sent=1)
                else:
                    seq += 1
                    sock.sendall(f"{name} line {seq} {'x' * rng.randrange(200)}\n".encode())
                    stats.add(sent=1)
                if not drain(sock, stats):
                    break
                if kind != "slow":
                    time.sleep(rng.uniform(0.05, 0.5))
            if kind == "churner" or rng.random() < 0.3:
                how = rng.choice(["fin", "reset", "half"])
                if how == "reset":
                    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
                elif how == "half":
                    sock.shutdown(socket.SHUT_WR)
                    drain(sock, stats)
            else:
                sock.sendall(b"LEAVE\n")
                drain(sock, stats)
            sock.close()
            stats.add(reconnects=1)
        except OSError as e:
            if not stop.is_set():
                stats.error(f"{kind} {name}: {e}")
            time.sleep(1)


def irc_client(port, index, stop, stats):
    rng = random.Random(1000 + index)
    while not stop.is_set():
        try:
            sock = connect(port)
            nick = f"irc{index}"
            sock.sendall(f"CAP LS 302\r\nNICK {nick}\r\nUSER u 0 * :Soak\r\nCAP REQ :message-tags\r\nCAP END\r\n"
                         f"JOIN #room{index % 5}\r\n".encode())
            until = time.time() + rng.uniform(30, 120)
            n = 0
            while not stop.is_set() and time.time() < until:
                n += 1
                sock.sendall(rng.choice([f"PRIVMSG #room{index % 5} :irc line {n}\r\n",
                                         f"@+soak=a\\sb TAGMSG #room{index % 5}\r\n",
                                         f"PING :{n}\r\n", "WHO #lobby\r\n"]).encode())
                stats.add(sent=1)
                if not drain(sock, stats):
                    break
                time.sleep(rng.uniform(0.1, 1.0))
            sock.sendall(b"QUIT :soak\r\n")
            drain(sock, stats)
            sock.close()
            stats.add(reconnects=1)
        except OSError as e:
            if not stop.is_set():
                stats.error(f"irc {index}: {e}")
            time.sleep(1)


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--minutes", type=float, default=30)
    ap.add_argument("--parleyd", default=os.path.join(root, "build-asan/apps/parleyd/parleyd"))
    ap.add_argument("--clients", type=int, default=40)
    ap.add_argument("--irc-clients", type=int, default=8)
    ap.add_argument("--sample", type=float, default=10)
    args = ap.parse_args()

    data = tempfile.mkdtemp(prefix="parley-soak-")
    config = os.path.join(data, "parleyd.toml")
    with open(config, "w") as f:
        f.write("[limits]\nmessages_per_second = 50\nmessage_burst = 100\nconnections_per_address = 0\n")
    env = dict(os.environ, ASAN_OPTIONS="detect_leaks=1", UBSAN_OPTIONS="print_stacktrace=1")
    log_path = os.path.join(data, "parleyd.log")
    log = open(log_path, "w")
    server = subprocess.Popen([args.parleyd, "--config", config, "--bind", "127.0.0.1", "--text-port", "0",
                               "--irc-port", "0", "--http-port", "0", "--data-dir", os.path.join(data, "data"), "--threads", "2"],
                              stdout=log, stderr=subprocess.STDOUT, env=env)
    ports = {}
    deadline = time.time() + 60
    while len(ports) < 2 and time.time() < deadline:
        time.sleep(0.2)
        for m in re.finditer(r"Listening for (text|IRC) clients on [\d.]+:(\d+)", open(log_path).read()):
            ports[m.group(1)] = int(m.group(2))
    if len(ports) < 2:
        print("parleyd did not start; log in", log_path)
        server.kill()
        return 1

    stats, stop = Stats(), threading.Event()
    kinds = ["chatter"] * 4 + ["roamer", "slow", "churner", "vandal"]
    threads = [threading.Thread(target=text_client, args=(ports["text"], i, kinds[i % len(kinds)], stop, stats))
               for i in range(args.clients)]
    threads += [threading.Thread(target=irc_client, args=(ports["IRC"], i, stop, stats))
                for i in range(args.irc_clients)]
    for t in threads:
        t.daemon = True
        t.start()

    samples = []
    end = time.time() + args.minutes * 60
    start = time.time()
    while time.time() < end and server.poll() is None:
        time.sleep(args.sample)
        samples.append((time.time() - start, rss_kib(server.pid)))
        print(f"{samples[-1][0]:7.0f} s  RSS {samples[-1][1] / 1024:7.1f} MiB  sent {stats.sent}  "
              f"received {stats.received}  reconnects {stats.reconnects}", flush=True)
    stop.set()
    for t in threads:
        t.join(timeout=5)
    server.send_signal(signal.SIGTERM)
    try:
        code = server.wait(timeout=60)
    except subprocess.TimeoutExpired:
        server.kill()
        code = "killed after 60 s"
    log.close()
    text = open(log_path, errors="replace").read()
    sanitizer = [l for l in text.splitlines() if "Sanitizer" in l or "runtime error" in l]

    half = [kib for t, kib in samples if t >= (samples[-1][0] / 2 if samples else 0)]
    print("\n== soak summary")
    print(f"duration        {args.minutes} min, {args.clients} text + {args.irc_clients} IRC clients")
    print(f"lines sent      {stats.sent}, lines received {stats.received}, sessions ended {stats.reconnects}")
    if samples:
        print(f"RSS             first {samples[0][1] / 1024:.1f} MiB, max {max(k for _, k in samples) / 1024:.1f} MiB, "
              f"last {samples[-1][1] / 1024:.1f} MiB; second half {min(half) / 1024:.1f}-{max(half) / 1024:.1f} MiB")
    print(f"exit            {code}")
    print(f"sanitizers      {'none' if not sanitizer else sanitizer[:5]}")
    print(f"client errors   {len(stats.errors)} {stats.errors[:5]}")
    print(f"log             {log_path}")
    return 0 if code == 0 and not sanitizer else 1


if __name__ == "__main__":
    sys.exit(main())
