#!/usr/bin/env python3
"""TLS listeners with real handshakes (issue 12): a real parleyd on loopback
ephemeral ports, driven by Python's ssl module.

Usage: tls_test.py PATH_TO_PARLEYD [unittest arguments]
"""
import hashlib
import os
import re
import shutil
import signal
import socket
import ssl
import stat
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import warnings

PARLEYD = None
# Deadlines are generous: the machine is small and shared, and ASan builds are slow.
TIMEOUT = 15.0


class Server:
    """parleyd with its own data directory; ports read from its log."""

    def __init__(self, data_dir, config=None, extra_args=()):
        self.data_dir = data_dir
        self.log_path = os.path.join(data_dir, "parleyd.log")
        args = [PARLEYD, "--data-dir", data_dir, "--threads", "2", "--text-port", "0", "--irc-port", "0",
                "--irc-tls-port", "0", "--text-tls-port", "0", "--http-port", "0", "--https-port", "0"]
        if config is not None:
            path = os.path.join(data_dir, "parleyd.toml")
            with open(path, "w") as f:
                f.write(config)
            args += ["--config", path]
        args += list(extra_args)
        self.log = open(self.log_path, "a")
        self.start_offset = self.log.tell()
        self.process = subprocess.Popen(args, stdout=self.log, stderr=subprocess.STDOUT)
        text = self.wait_log(r"Waiting for new users")
        self.ports = {}
        for kind, tls, port in re.findall(r"Listening for (text|IRC) clients( over TLS)? on [\d.]+:(\d+)", text):
            self.ports[kind.lower() + ("_tls" if tls else "")] = int(port)
        for tls, port in re.findall(r"Listening for web clients( over TLS)? on (?:https://)?[\d.]+:(\d+)", text):
            self.ports["https" if tls else "http"] = int(port)

    def log_text(self):
        with open(self.log_path) as f:
            f.seek(self.start_offset)
            return f.read()

    def wait_log(self, pattern, count=1):
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            text = self.log_text()
            if len(re.findall(pattern, text)) >= count:
                return text
            if self.process.poll() is not None:
                raise AssertionError("parleyd exited ({}):\n{}".format(self.process.returncode, text))
            time.sleep(0.02)
        raise AssertionError("no '{}' in the log in time:\n{}".format(pattern, self.log_text()))

    def fingerprint_logged(self):
        found = re.findall(r"SHA-256 fingerprint ([0-9A-F:]+)", self.log_text())
        return found[-1] if found else None

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=TIMEOUT)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()
        return self.process.returncode


def client_context(maximum=None):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE  # self-signed; the tests compare fingerprints instead
    if maximum is not None:
        ctx.maximum_version = maximum
    return ctx


def fingerprint(sock):
    digest = hashlib.sha256(sock.getpeercert(binary_form=True)).hexdigest().upper()
    return ":".join(digest[i:i + 2] for i in range(0, len(digest), 2))


class Client:
    """A line client over plain TCP or TLS, reading with deadlines."""

    def __init__(self, port, tls=False, maximum=None):
        raw = socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT)
        self.sock = client_context(maximum).wrap_socket(raw) if tls else raw
        self.buffer = b""
        self.seen = []

    def send(self, line):
        self.sock.sendall(line.encode() + b"\r\n")

    def read_line(self, timeout=TIMEOUT):
        deadline = time.monotonic() + timeout
        while b"\n" not in self.buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            self.sock.settimeout(left)
            try:
                data = self.sock.recv(65536)
            except (socket.timeout, TimeoutError):
                return None
            if not data:
                return None
            self.buffer += data
        line, self.buffer = self.buffer.split(b"\n", 1)
        line = line.rstrip(b"\r").decode(errors="replace")
        self.seen.append(line)
        return line

    def expect(self, substring, timeout=TIMEOUT):
        deadline = time.monotonic() + timeout
        while True:
            line = self.read_line(max(0.0, deadline - time.monotonic()))
            if line is None:
                raise AssertionError("never saw '{}'; last lines: {}".format(substring, self.seen[-8:]))
            if substring in line:
                return line

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass


class WsClient:
    """IRC over WebSocket (text.ircv3.net), over TLS for the HTTPS port: one
    masked text frame per line out, one frame per line in."""

    def __init__(self, port, tls=True, origin=None):
        raw = socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT)
        self.sock = client_context().wrap_socket(raw) if tls else raw
        host = "127.0.0.1:{}".format(port)
        request = ("GET / HTTP/1.1\r\nHost: {}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                   "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                   "Sec-WebSocket-Protocol: text.ircv3.net\r\n").format(host)
        if origin:
            request += "Origin: {}\r\n".format(origin)
        self.sock.sendall((request + "\r\n").encode())
        self.buffer = b""
        while b"\r\n\r\n" not in self.buffer:
            self.fill(time.monotonic() + TIMEOUT)
        head, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
        self.status = int(head.split(b" ")[1])
        self.seen = []

    def fill(self, deadline):
        left = deadline - time.monotonic()
        if left <= 0:
            raise AssertionError("timed out")
        self.sock.settimeout(left)
        data = self.sock.recv(65536)
        if not data:
            raise AssertionError("the connection ended")
        self.buffer += data

    def send(self, line):
        payload = line.encode()
        mask = os.urandom(4)
        header = bytes([0x81])
        if len(payload) < 126:
            header += bytes([0x80 | len(payload)])
        else:
            header += bytes([0x80 | 126]) + len(payload).to_bytes(2, "big")
        self.sock.sendall(header + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))

    def read_frame(self, deadline):
        """(opcode, payload) of the next frame."""
        while len(self.buffer) < 2:
            self.fill(deadline)
        length, at = self.buffer[1] & 0x7F, 2
        if length == 126:
            while len(self.buffer) < 4:
                self.fill(deadline)
            length, at = int.from_bytes(self.buffer[2:4], "big"), 4
        elif length == 127:
            while len(self.buffer) < 10:
                self.fill(deadline)
            length, at = int.from_bytes(self.buffer[2:10], "big"), 10
        while len(self.buffer) < at + length:
            self.fill(deadline)
        opcode, payload = self.buffer[0] & 0x0F, self.buffer[at:at + length]
        self.buffer = self.buffer[at + length:]
        return opcode, payload

    def expect(self, substring, timeout=TIMEOUT):
        deadline = time.monotonic() + timeout
        while True:
            opcode, payload = self.read_frame(deadline)
            if opcode != 1:
                raise AssertionError("frame {} while waiting for '{}'".format(opcode, substring))
            line = payload.decode()
            self.seen.append(line)
            if substring in line:
                return line

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass


def https_get(port, path="/"):
    """(status, headers text, body) of one HTTPS request."""
    raw = socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT)
    sock = client_context().wrap_socket(raw)
    try:
        sock.sendall("GET {} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".format(path).encode())
        data = b""
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
        head, body = data.split(b"\r\n\r\n", 1)
        return int(head.split(b" ")[1]), head.decode(), body, fingerprint(sock)
    finally:
        sock.close()


def irc_register(client, nick, cap_ls=False):
    if cap_ls:
        client.send("CAP LS 302")
    client.send("NICK " + nick)
    client.send("USER {} 0 * :{}".format(nick, nick))
    if cap_ls:
        ls = client.expect(" CAP ")
        client.send("CAP END")
    client.expect(" 001 ")
    return ls if cap_ls else None


def text_register(client, name):
    client.expect("enter your Name")
    client.send(name)
    client.expect("Welcome " + name)


def make_certificate(directory, name):
    cert = os.path.join(directory, name + ".crt")
    key = os.path.join(directory, name + ".key")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                    "-subj", "/CN=" + name, "-days", "2", "-keyout", key, "-out", cert],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return cert, key


class TlsTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="parley-tls-")
        self.servers = []
        self.clients = []

    def tearDown(self):
        for c in self.clients:
            c.close()
        codes = [s.stop() for s in self.servers]
        shutil.rmtree(self.dir, ignore_errors=True)
        self.assertEqual([0] * len(codes), codes, "parleyd exit codes")

    def start(self, **kwargs):
        server = Server(self.dir, **kwargs)
        self.servers.append(server)
        return server

    def connect(self, port, tls=False, **kwargs):
        c = Client(port, tls, **kwargs)
        self.clients.append(c)
        return c

    def test_irc_over_tls_chats_with_plain_irc_and_text_over_tls(self):
        server = self.start()
        secure_irc = self.connect(server.ports["irc_tls"], tls=True)
        self.assertEqual(server.fingerprint_logged(), fingerprint(secure_irc.sock))
        self.assertEqual("TLSv1.3", secure_irc.sock.version())
        irc_register(secure_irc, "sam")
        plain_irc = self.connect(server.ports["irc"])
        irc_register(plain_irc, "pat")
        secure_text = self.connect(server.ports["text_tls"], tls=True)
        text_register(secure_text, "tess")
        secure_irc.send("JOIN #lobby")
        secure_irc.expect(" 366 ")
        plain_irc.send("JOIN #lobby")
        plain_irc.expect(" 366 ")
        secure_irc.send("PRIVMSG #lobby :hello from TLS")
        plain_irc.expect(":sam!")
        self.assertIn("hello from TLS", plain_irc.seen[-1])
        secure_text.expect("hello from TLS")
        plain_irc.send("PRIVMSG #lobby :hello from plain")
        secure_irc.expect("hello from plain")
        secure_text.expect("hello from plain")
        secure_text.send("hello from text over TLS")
        secure_irc.expect("hello from text over TLS")
        plain_irc.expect("hello from text over TLS")

    def test_tls_12_is_accepted_with_a_strong_cipher(self):
        server = self.start()
        client = self.connect(server.ports["text_tls"], tls=True, maximum=ssl.TLSVersion.TLSv1_2)
        self.assertEqual("TLSv1.2", client.sock.version())
        cipher = client.sock.cipher()[0]
        self.assertTrue(cipher.startswith("ECDHE-") and ("GCM" in cipher or "CHACHA20" in cipher), cipher)
        text_register(client, "old")

    def test_tls_11_is_refused(self):
        server = self.start()
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DeprecationWarning)
                ctx.minimum_version = ssl.TLSVersion.TLSv1
                ctx.maximum_version = ssl.TLSVersion.TLSv1_1
            ctx.set_ciphers("ALL:@SECLEVEL=0")
        except (ValueError, ssl.SSLError):
            self.skipTest("this Python's OpenSSL cannot offer TLS 1.1")
        raw = socket.create_connection(("127.0.0.1", server.ports["text_tls"]), timeout=TIMEOUT)
        with self.assertRaises((ssl.SSLError, ConnectionError)):
            ctx.wrap_socket(raw)
        raw.close()
        server.wait_log(r"TLS handshake failed: .*(unsupported protocol|no protocols available)")
        # The server is fine for the next one.
        text_register(self.connect(server.ports["text_tls"], tls=True), "next")

    def test_large_bursts_cross_tls_in_order_both_ways(self):
        server = self.start(config="[limits]\nmessages_per_second = 0\n")
        sender = self.connect(server.ports["text_tls"], tls=True)
        text_register(sender, "sender")
        reader = self.connect(server.ports["irc_tls"], tls=True)
        irc_register(reader, "reader")
        reader.send("JOIN #lobby")
        reader.expect(" 366 ")
        count = 3000  # ~300 KB: many TLS records each way, and several scratch-buffer reads
        sender.sock.sendall(b"".join(b"line %05d %s\r\n" % (i, b"x" * 80) for i in range(count)))
        for i in range(count):
            line = reader.expect("PRIVMSG #lobby")
            self.assertIn("line %05d" % i, line)

    def test_bad_handshakes_do_not_disturb_other_clients(self):
        server = self.start(config="[tls]\nhandshake_timeout_seconds = 1\n")
        alice = self.connect(server.ports["text_tls"], tls=True)
        text_register(alice, "alice")
        bob = self.connect(server.ports["irc_tls"], tls=True)
        irc_register(bob, "bob")
        bob.send("JOIN #lobby")
        bob.expect(" 366 ")

        stalled = socket.create_connection(("127.0.0.1", server.ports["irc_tls"]), timeout=TIMEOUT)
        half = socket.create_connection(("127.0.0.1", server.ports["text_tls"]), timeout=TIMEOUT)
        half.sendall(b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03")  # a ClientHello's start, then nothing
        garbage = socket.create_connection(("127.0.0.1", server.ports["text_tls"]), timeout=TIMEOUT)
        garbage.sendall(os.urandom(4096))
        plain_irc = socket.create_connection(("127.0.0.1", server.ports["irc_tls"]), timeout=TIMEOUT)
        plain_irc.sendall(b"NICK mallory\r\nUSER m 0 * :M\r\n")
        try:
            # Garbage and plain IRC are refused at once; the stalled ones at the timeout.
            received = {}
            for name, sock in (("garbage", garbage), ("plain IRC", plain_irc), ("stalled", stalled), ("half", half)):
                sock.settimeout(TIMEOUT)
                received[name] = b""
                while True:
                    try:
                        data = sock.recv(4096)
                    except ConnectionResetError:
                        data = b""
                    except (socket.timeout, TimeoutError):
                        self.fail("the {} connection was not closed in time".format(name))
                    if not data:
                        break
                    received[name] += data
            # Nothing in clear went back to plain IRC (at most a TLS alert).
            self.assertNotIn(b"parley.local", received["plain IRC"])
            server.wait_log(r"TLS handshake did not finish in time", count=2)
            # The established clients never noticed.
            alice.send("still here")
            bob.expect("still here")
            bob.send("PRIVMSG #lobby :me too")
            alice.expect("me too")
            # And the TLS ports still take new clients.
            carol = self.connect(server.ports["irc_tls"], tls=True)
            irc_register(carol, "carol")
        finally:
            for sock in (stalled, half, garbage, plain_irc):
                sock.close()

    def test_self_signed_certificate_is_made_once_and_reused(self):
        server = self.start()
        key = os.path.join(self.dir, "tls-key.pem")
        self.assertEqual(0o600, stat.S_IMODE(os.stat(key).st_mode))
        self.assertIn("Made a self-signed TLS certificate", server.log_text())
        first = fingerprint(self.connect(server.ports["irc_tls"], tls=True).sock)
        self.assertEqual(server.fingerprint_logged(), first)
        self.assertEqual(0, server.stop())
        self.servers.remove(server)

        again = self.start()
        self.assertNotIn("Made a self-signed TLS certificate", again.log_text())
        self.assertEqual(first, fingerprint(self.connect(again.ports["irc_tls"], tls=True).sock))
        self.assertEqual(first, again.fingerprint_logged())

    def test_sighup_reloads_the_certificate_and_keeps_connections(self):
        cert1, key1 = make_certificate(self.dir, "one")
        cert2, key2 = make_certificate(self.dir, "two")
        cert, key = os.path.join(self.dir, "server.crt"), os.path.join(self.dir, "server.key")
        shutil.copy(cert1, cert)
        shutil.copy(key1, key)
        server = self.start(config='[tls]\ncertificate = "{}"\nkey = "{}"\n'.format(cert, key))
        self.assertFalse(os.path.exists(os.path.join(self.dir, "tls-key.pem")), "no self-signed pair when configured")
        old = self.connect(server.ports["text_tls"], tls=True)
        old_fingerprint = fingerprint(old.sock)
        text_register(old, "old")

        shutil.copy(cert2, cert)
        shutil.copy(key2, key)
        server.process.send_signal(signal.SIGHUP)
        server.wait_log(r"reloaded the TLS certificate")
        new = self.connect(server.ports["irc_tls"], tls=True)
        self.assertNotEqual(old_fingerprint, fingerprint(new.sock))
        self.assertEqual(server.fingerprint_logged(), fingerprint(new.sock))
        self.assertEqual(fingerprint(new.sock), https_get(server.ports["https"], "/healthz")[3])  # HTTPS too
        irc_register(new, "new")
        new.send("JOIN #lobby")
        new.expect(" 366 ")
        old.send("from the old certificate")
        new.expect("from the old certificate")
        new.send("PRIVMSG #lobby :from the new one")
        old.expect("from the new one")

        # A broken file is reported and the certificate in use stays.
        with open(key, "w") as f:
            f.write("not a key\n")
        server.process.send_signal(signal.SIGHUP)
        server.wait_log(r"the TLS certificate in use stays")
        self.assertEqual(fingerprint(new.sock), fingerprint(self.connect(server.ports["irc_tls"], tls=True).sock))

    def test_https_serves_the_web_client_and_irc_over_wss(self):
        server = self.start()
        status, head, body, served_by = https_get(server.ports["https"], "/")
        self.assertEqual(200, status)
        self.assertIn(b"<html", body.lower())
        self.assertEqual(server.fingerprint_logged(), served_by)
        self.assertEqual(200, https_get(server.ports["https"], "/healthz")[0])
        origin = "https://127.0.0.1:{}".format(server.ports["https"])
        browser = WsClient(server.ports["https"], origin=origin)
        self.clients.append(browser)
        self.assertEqual(101, browser.status)
        browser.send("NICK webby")
        browser.send("USER w 0 * :w")
        browser.expect(" 001 ")
        browser.send("JOIN #lobby")
        browser.expect(" 366 ")
        plain = self.connect(server.ports["irc"])
        irc_register(plain, "pat")
        plain.send("JOIN #lobby")
        plain.expect(" 366 ")
        browser.send("PRIVMSG #lobby :hello over wss")
        plain.expect(":webby!")
        self.assertIn("hello over wss", plain.seen[-1])
        plain.send("PRIVMSG #lobby :hello back")
        browser.expect("hello back")
        # A page of another origin is refused over TLS too.
        other = WsClient(server.ports["https"], origin="https://evil.example")
        self.clients.append(other)
        self.assertEqual(403, other.status)

    def test_large_bursts_reach_a_wss_client_in_order(self):
        server = self.start(config="[limits]\nmessages_per_second = 0\n")
        reader = WsClient(server.ports["https"])
        self.clients.append(reader)
        reader.send("NICK reader")
        reader.send("USER r 0 * :r")
        reader.expect(" 001 ")
        reader.send("JOIN #lobby")
        reader.expect(" 366 ")
        sender = self.connect(server.ports["text_tls"], tls=True)
        text_register(sender, "sender")
        count = 3000  # ~300 KB: many loop passes' batches, TLS records and partial writes
        sender.sock.sendall(b"".join(b"line %05d %s\r\n" % (i, b"x" * 80) for i in range(count)))
        for i in range(count):
            line = reader.expect("PRIVMSG #lobby")
            self.assertIn("line %05d" % i, line)

    def test_bad_https_handshakes_do_not_disturb_other_clients(self):
        server = self.start(config="[http]\nhandshake_timeout_seconds = 1\n")
        browser = WsClient(server.ports["https"])
        self.clients.append(browser)
        browser.send("NICK webby")
        browser.send("USER w 0 * :w")
        browser.expect(" 001 ")
        browser.send("JOIN #lobby")
        browser.expect(" 366 ")
        stalled = socket.create_connection(("127.0.0.1", server.ports["https"]), timeout=TIMEOUT)
        garbage = socket.create_connection(("127.0.0.1", server.ports["https"]), timeout=TIMEOUT)
        garbage.sendall(os.urandom(4096))
        plain_http = socket.create_connection(("127.0.0.1", server.ports["https"]), timeout=TIMEOUT)
        plain_http.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        try:
            for name, sock in (("garbage", garbage), ("plain HTTP", plain_http), ("stalled", stalled)):
                received = b""
                while True:
                    try:
                        data = sock.recv(4096)
                    except ConnectionResetError:
                        data = b""
                    except (socket.timeout, TimeoutError):
                        self.fail("the {} connection was not closed in time".format(name))
                    if not data:
                        break
                    received += data
                self.assertNotIn(b"HTTP/1.1 ", received, name)  # nothing in clear
            plain = self.connect(server.ports["irc"])
            irc_register(plain, "pat")
            plain.send("JOIN #lobby")
            plain.expect(" 366 ")
            plain.send("PRIVMSG #lobby :still here?")
            browser.expect("still here?")
            self.assertEqual(200, https_get(server.ports["https"], "/healthz")[0])
        finally:
            for sock in (stalled, garbage, plain_http):
                sock.close()

    def check_config(self, config):
        path = os.path.join(self.dir, "check.toml")
        with open(path, "w") as f:
            f.write(config)
        run = subprocess.run([PARLEYD, "--check-config", "--config", path, "--data-dir", os.path.join(self.dir, "d")],
                             stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=TIMEOUT)
        return run.returncode, run.stdout, run.stderr

    def test_check_config_checks_the_tls_files(self):
        cert, key = make_certificate(self.dir, "one")
        other_cert, other_key = make_certificate(self.dir, "two")
        encrypted = os.path.join(self.dir, "encrypted.key")
        subprocess.run(["openssl", "pkey", "-in", key, "-aes256", "-passout", "pass:secret", "-out", encrypted],
                       check=True)
        files = '[tls]\ncertificate = "{}"\nkey = "{}"\n'
        code, out, err = self.check_config(files.format(cert, key))
        self.assertEqual(0, code, err)
        with open(cert, "rb") as f:
            pem = f.read().decode()
        der = ssl.PEM_cert_to_DER_cert(pem)
        digest = hashlib.sha256(der).hexdigest().upper()
        self.assertIn(":".join(digest[i:i + 2] for i in range(0, len(digest), 2)), out)
        self.assertIn("Configuration OK.", out)
        cases = [
            ((cert, other_key), "is not the key of the certificate"),
            ((os.path.join(self.dir, "missing.crt"), key), "missing.crt does not exist"),
            ((cert, os.path.join(self.dir, "missing.key")), "missing.key does not exist"),
            ((key, key), "holds no PEM certificate"),
            ((cert, other_cert), "holds no PEM private key"),
            ((cert, encrypted), "is encrypted"),  # and never waits for a passphrase
        ]
        for (c, k), expected in cases:
            code, out, err = self.check_config(files.format(c, k))
            self.assertEqual(2, code, (c, k, out, err))
            self.assertIn(expected, err)
            self.assertNotIn("Configuration OK.", out)

    def test_sts_is_advertised_when_configured(self):
        server = self.start(config="[tls]\nsts_port = 6697\nsts_duration_seconds = 600\n")
        plain = self.connect(server.ports["irc"])
        self.assertIn(" sts=port=6697,duration=600", irc_register(plain, "plain", cap_ls=True))
        secure = self.connect(server.ports["irc_tls"], tls=True)
        ls = irc_register(secure, "secure", cap_ls=True)
        self.assertIn(" sts=duration=600", ls)
        self.assertNotIn("port=", ls)

    def test_sts_is_not_advertised_by_default(self):
        server = self.start()
        plain = self.connect(server.ports["irc"])
        self.assertNotIn("sts", irc_register(plain, "plain", cap_ls=True))


if __name__ == "__main__":
    PARLEYD = os.path.abspath(sys.argv.pop(1))
    unittest.main(verbosity=2)
