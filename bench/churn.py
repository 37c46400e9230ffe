#!/usr/bin/env python3
"""Whether parleyd's memory stays flat while people come and go for good.

Starts parleyd (loopback, ephemeral ports, a fresh data directory, history on
as by default), then runs --rounds rounds of --users IRC users never seen
before. Each user registers, joins one of --rooms rooms, says something there,
sends a private message to another user of its round, sets a topic and an away
message, and waits for its PONG (everything before it is done); then all of
the round quit together. After each round, with nobody connected, prints the
server's RSS. A server that keeps something per user ever met (a cache
without a bound, a map never pruned) grows by the same amount every round; a
bounded one levels off after its caches fill.

With --cluster, two nodes share the rooms through a redis-server of this
script's own (loopback): the users come and go on node A, one watcher on node
B sits in every room, and the RSS shown is node B's, which hears of every
user only through Redis. A node forgets a remote user a minute after its quit
(backplane/remote_owners.h), so B levels off after about a minute of rounds.

Not a test: a measurement for docs/performance.md. Bounded: --users
connections at most at once, each round at most 120 s.

Usage: bench/churn.py [--parleyd build/apps/parleyd/parleyd] [--rounds 12]
                      [--users 1000] [--rooms 50] [--no-history] [--cluster]
"""
import argparse
import asyncio
import os
import re
import resource
import socket
import subprocess
import sys
import tempfile
import time


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_redis(data):
    port = free_port()
    redis = subprocess.Popen(["redis-server", "--bind", "127.0.0.1", "--port", str(port), "--save", "",
                              "--appendonly", "no", "--dir", data],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 10
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return redis, port
        except OSError:
            time.sleep(0.1)
    redis.kill()
    sys.exit("redis-server did not start")


def start_parleyd(binary, data, history, cluster=None):
    """cluster: (redis port, node name) or None."""
    os.makedirs(data, exist_ok=True)
    config = os.path.join(data, "parleyd.toml")
    with open(config, "w") as f:
        # No pacing and no per-address cap: every user comes from 127.0.0.1, fast.
        f.write("[limits]\nconnections_per_address = 0\nmessages_per_second = 0\nmax_connections = 20000\n")
        if not history:
            f.write("[history]\nenabled = false\n")
        if cluster:
            f.write(f'[cluster]\nredis = "redis://127.0.0.1:{cluster[0]}"\nnode = "{cluster[1]}"\n')
    log_path = os.path.join(data, "parleyd.log")
    log = open(log_path, "w")
    server = subprocess.Popen([binary, "--config", config, "--bind", "127.0.0.1", "--text-port", "0",
                               "--irc-port", "0", "--http-port", "0", "--data-dir", os.path.join(data, "data")],
                              stdout=log, stderr=subprocess.STDOUT)
    deadline = time.time() + 30
    while time.time() < deadline and server.poll() is None:
        m = re.search(r"Listening for IRC clients on [\d.]+:(\d+)", open(log_path).read())
        if m:
            return server, int(m.group(1)), log_path
        time.sleep(0.1)
    server.kill()
    sys.exit(f"parleyd did not start; its log is {log_path}")


def rss_kib(pid):
    """(VmRSS, RssAnon) in KiB."""
    fields = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            key, _, value = line.partition(":")
            if key in ("VmRSS", "RssAnon"):
                fields[key] = int(value.split()[0])
    return fields["VmRSS"], fields["RssAnon"]


async def read_until(reader, marker):
    while True:
        line = await reader.readline()
        if not line:
            raise RuntimeError("the server closed a user's connection early")
        if marker in line:
            return


async def user(port, rnd, i, users, rooms, ready, go):
    nick = f"r{rnd}u{i}"
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(f"NICK {nick}\r\nUSER u 0 * :Churn user {i}\r\n".encode())
    await read_until(reader, b" 001 ")
    room = f"#churn{i % rooms}"
    writer.write(f"JOIN {room}\r\nPRIVMSG {room} :hello from {nick}\r\n"
                 f"PRIVMSG r{rnd}u{(i + 1) % users} :a word in private\r\n"
                 f"TOPIC {room} :round {rnd}, set by {nick}\r\nAWAY :back soon\r\nPING :settled\r\n".encode())
    await read_until(reader, b"PONG")
    ready.append(nick)
    await go.wait()
    writer.write(b"QUIT :done\r\n")
    await writer.drain()
    while await reader.read(65536):  # the server closes after its farewell
        pass
    writer.close()


async def one_round(port, rnd, users, rooms):
    ready, go = [], asyncio.Event()
    tasks = []
    for i in range(users):
        tasks.append(asyncio.create_task(user(port, rnd, i, users, rooms, ready, go)))
        if i % 100 == 99:
            await asyncio.sleep(0.05)  # about 2,000 registrations a second
    while len(ready) < users:
        if any(t.done() for t in tasks):  # one failed: say why
            for t in tasks:
                if t.done() and t.exception():
                    raise t.exception()
        await asyncio.sleep(0.05)
    go.set()
    await asyncio.gather(*tasks)


async def watch_every_room(port, rooms):
    """One user in every room, reading all it hears (a reader that stops would be a slow client)."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(b"NICK watcher\r\nUSER w 0 * :Watcher\r\n")
    await read_until(reader, b" 001 ")
    writer.write(("JOIN " + ",".join(f"#churn{i}" for i in range(rooms)) + "\r\nPING :joined\r\n").encode())
    await read_until(reader, b"PONG")
    async def drain():
        while await reader.read(65536):
            pass
    return asyncio.create_task(drain()), writer


async def run_rounds(args, port, watched_pid, watcher_port):
    watcher = await watch_every_room(watcher_port, args.rooms) if watcher_port else None
    after = []
    for rnd in range(args.rounds):
        began = time.perf_counter()
        await asyncio.wait_for(one_round(port, rnd, args.users, args.rooms), timeout=120)
        await asyncio.sleep(0.5)  # the server's own closing of the last connections
        after.append(rss_kib(watched_pid))
        print(f"round {rnd + 1}/{args.rounds}: {args.users} new users came and went in "
              f"{time.perf_counter() - began:.1f} s; RSS {after[-1][0]} KiB (anonymous {after[-1][1]} KiB)",
              flush=True)
    if watcher:
        watcher[1].close()
        watcher[0].cancel()
    return after


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--parleyd", default=os.path.join(root, "build/apps/parleyd/parleyd"))
    ap.add_argument("--rounds", type=int, default=12)
    ap.add_argument("--users", type=int, default=1000)
    ap.add_argument("--rooms", type=int, default=50)
    ap.add_argument("--no-history", action="store_true", help="[history] enabled = false: the rest of the server alone")
    ap.add_argument("--cluster", action="store_true", help="two nodes and Redis; node B's RSS")
    args = ap.parse_args()
    if args.rounds < 4:
        sys.exit("--rounds must be at least 4: the growth is read from the second half")
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, args.users + 200), hard))

    data = tempfile.mkdtemp(prefix="parley-churn-")
    processes = []
    try:
        cluster_a = cluster_b = None
        if args.cluster:
            redis, redis_port = start_redis(data)
            processes.append(redis)
            cluster_a, cluster_b = (redis_port, "churn-a"), (redis_port, "churn-b")
        server, port, _ = start_parleyd(args.parleyd, os.path.join(data, "a"), not args.no_history, cluster_a)
        processes.append(server)
        watched, watcher_port = server, None
        if args.cluster:
            watched, watcher_port, _ = start_parleyd(args.parleyd, os.path.join(data, "b"), not args.no_history,
                                                     cluster_b)
            processes.append(watched)
        start = rss_kib(watched.pid)
        print(f"parleyd{' (node B)' if args.cluster else ''} started: RSS {start[0]} KiB "
              f"(anonymous {start[1]} KiB)", flush=True)
        after = asyncio.run(run_rounds(args, port, watched.pid, watcher_port))
        half = args.rounds // 2
        per_round = (after[-1][1] - after[half - 1][1]) / (args.rounds - half)
        print(f"\nanonymous RSS over the last {args.rounds - half} rounds: {per_round:+.0f} KiB a round "
              f"({per_round * 1024 / args.users:+.0f} B per user who came and went)")
        return 0
    finally:
        for process in reversed(processes):
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


if __name__ == "__main__":
    sys.exit(main())
