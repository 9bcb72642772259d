#!/usr/bin/env python3
"""A fault proxy for the sync tests (Python 3 stdlib only: asyncio + ssl).

It listens on 127.0.0.1 (port 0 unless --port), terminates TLS with a certificate of the test CA,
and forwards HTTP/1.1 requests to the hub over TLS (one upstream connection per request). On
command it produces faults, switched at run time through DIR/control, so a test changes faults
without restarting it:

    fault_proxy.py serve --dir DIR --upstream 127.0.0.1:PORT --certs CERTDIR [--mode MODE...]
    fault_proxy.py set DIR MODE [key=value...]   write DIR/control, wait until the proxy applied it
    fault_proxy.py stats DIR                     print DIR/stats.json

Modes (a line of DIR/control: MODE [key=value...]; `path=/prefix` limits any HTTP fault to
requests whose path starts with the prefix, others pass):
    pass                 forward
    refuse               stop listening (connection refused); any other mode listens again
    reset [bytes=N]      forward, send the answer's head and N bytes of its body (default half),
                         then RST (SO_LINGER 0)
    stall                read the request, never answer (until the client gives up)
    slow [bps=1]         forward, send the answer at 1 byte per second
    http500              answer 500 without forwarding
    http503 [retry_after=30]  answer 503 with Retry-After without forwarding
    truncate [bytes=N]   forward, send the head (true Content-Length) and N bytes of the body
                         (default half), then close: Content-Length larger than what was sent
    cut                  like truncate, at a random point of each body (seeded: seed=S)
    wrongca              TLS with a certificate from another CA
    expired              TLS with an expired certificate from the test CA
    wronghost            TLS with a certificate of the test CA for another host name

CERTDIR holds what tests/helpers/test_certs.sh makes (hub.crt/key is presented normally,
ca.crt verifies the hub). DIR gets: port (the listening port), control, stats.json (counters per
mode: connections, TLS failures, requests; written after every event), log (one line per
connection, plus one per request).
"""

import argparse
import asyncio
import json
import os
import random
import select
import socket
import ssl
import struct
import sys
import time

HTTP_FAULTS = {"reset", "stall", "slow", "http500", "http503", "truncate", "cut"}
CERT_FAULTS = {"wrongca": "wrongca", "expired": "expired", "wronghost": "wronghost"}
MODES = {"pass", "refuse"} | HTTP_FAULTS | set(CERT_FAULTS)
MAX_HEAD = 64 * 1024


def parse_mode(line):
    parts = line.split()
    if not parts or parts[0] not in MODES:
        raise ValueError(f"unknown mode line: {line!r}")
    params = {}
    for p in parts[1:]:
        k, sep, v = p.partition("=")
        if not sep:
            raise ValueError(f"expected key=value, got {p!r}")
        params[k] = v
    return parts[0], params


class Closed(Exception):
    pass


async def read_head(reader):
    """The bytes up to and including the blank line, or None at a clean EOF before any byte."""
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except asyncio.IncompleteReadError as e:
        if not e.partial:
            return None
        raise Closed("connection closed inside a head")
    except asyncio.LimitOverrunError:
        raise Closed("head too large")
    return head


def parse_head(head):
    lines = head.decode("latin-1").split("\r\n")
    start = lines[0]
    headers = []
    for line in lines[1:]:
        if not line:
            continue
        name, _, value = line.partition(":")
        headers.append((name.strip(), value.strip()))
    return start, headers


def header(headers, name):
    name = name.lower()
    for k, v in headers:
        if k.lower() == name:
            return v
    return None


def without(headers, *names):
    names = {n.lower() for n in names}
    return [(k, v) for k, v in headers if k.lower() not in names]


def build_head(start, headers):
    return (start + "\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers) + "\r\n").encode("latin-1")


async def read_chunked(reader):
    body = bytearray()
    while True:
        line = await reader.readuntil(b"\r\n")
        size = int(line.split(b";")[0].strip(), 16)
        if size == 0:
            while (await reader.readuntil(b"\r\n")) != b"\r\n":
                pass
            return bytes(body)
        body += await reader.readexactly(size)
        await reader.readexactly(2)


class Proxy:
    def __init__(self, args):
        self.dir = args.dir
        self.upstream_host, port = args.upstream.rsplit(":", 1)
        self.upstream_port = int(port)
        self.port = args.port
        self.mode, self.params = parse_mode(" ".join(args.mode))
        self.generation = 0
        self.control_text = None
        self.server = None
        self.clients = set()
        self.seq = 0
        self.rng = random.Random(int(self.params.get("seed", "1")))
        self.stats = {"connections": {}, "tls_failures": {}, "requests": {}, "answers": {},
                      "upstream_errors": 0, "total_connections": 0, "total_requests": 0}
        self.log = open(os.path.join(self.dir, "log"), "a", buffering=1)
        certs = args.certs
        self.contexts = {}
        for name, files in {"good": "hub", **CERT_FAULTS}.items():
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            ctx.load_cert_chain(os.path.join(certs, files + ".crt"), os.path.join(certs, files + ".key"))
            self.contexts[name] = ctx
        self.upstream_ctx = ssl.create_default_context(cafile=os.path.join(certs, "ca.crt"))
        self.t0 = time.monotonic()

    # ---- bookkeeping ----
    def count(self, table, mode, n=1):
        self.stats[table][mode] = self.stats[table].get(mode, 0) + n

    def write_stats(self):
        s = dict(self.stats, mode=self.mode, params=self.params, generation=self.generation,
                 control=self.control_text, port=self.port, listening=self.server is not None,
                 uptime_s=round(time.monotonic() - self.t0, 3))
        tmp = os.path.join(self.dir, "stats.json.tmp")
        with open(tmp, "w") as f:
            json.dump(s, f, indent=1, sort_keys=True)
        os.replace(tmp, os.path.join(self.dir, "stats.json"))

    def say(self, text):
        self.log.write(f"t={time.monotonic() - self.t0:.3f} {text}\n")

    # ---- listening and the control file ----
    async def listen(self):
        if self.server is not None:
            return
        lsock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        lsock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        lsock.bind(("127.0.0.1", self.port))
        lsock.listen(128)
        lsock.setblocking(False)
        self.port = lsock.getsockname()[1]
        self.server = (lsock, asyncio.create_task(self.accept_loop(lsock)))

    async def stop_listening(self):
        if self.server is None:
            return
        lsock, task = self.server
        task.cancel()
        try:
            await task
        except asyncio.CancelledError:
            pass
        lsock.close()
        self.server = None

    async def accept_loop(self, lsock):
        loop = asyncio.get_running_loop()
        while True:
            sock, _ = await loop.sock_accept(lsock)
            asyncio.create_task(self.on_client(sock))

    def drop_clients(self):
        for w in list(self.clients):
            w.transport.abort()
        self.clients.clear()

    async def apply(self, mode, params, text):
        self.mode, self.params = mode, params
        self.control_text = text
        if "seed" in params:
            self.rng = random.Random(int(params["seed"]))
        # Open connections would keep the old behaviour (and the old certificate): drop them.
        self.drop_clients()
        if mode == "refuse":
            await self.stop_listening()
        else:
            await self.listen()
        self.generation += 1
        self.say(f"mode {text}")
        self.write_stats()

    async def watch_control(self):
        path = os.path.join(self.dir, "control")
        while True:
            try:
                with open(path) as f:
                    text = f.read().strip()
            except FileNotFoundError:
                text = None
            if text and text != self.control_text:
                try:
                    mode, params = parse_mode(text)
                    await self.apply(mode, params, text)
                except ValueError as e:
                    self.say(f"control refused: {e}")
                    self.control_text = text
                    self.stats["control_error"] = str(e)
                    self.write_stats()
            await asyncio.sleep(0.05)

    # ---- one client connection ----
    async def on_client(self, sock):
        # TLS is set up per connection (not by a listening server with one context), so each
        # connection gets the certificate of the mode current when it was accepted.
        self.seq += 1
        conn = self.seq
        mode = self.mode
        peer = sock.getpeername()
        self.stats["total_connections"] += 1
        self.count("connections", mode)
        outcome = "closed"
        nreq = 0
        writer = None
        loop = asyncio.get_running_loop()
        try:
            ctx = self.contexts[CERT_FAULTS.get(mode, "good")]
            reader = asyncio.StreamReader(limit=MAX_HEAD)
            proto = asyncio.StreamReaderProtocol(reader)
            try:
                transport, _ = await loop.connect_accepted_socket(lambda: proto, sock, ssl=ctx,
                                                                   ssl_handshake_timeout=15)
            except (ssl.SSLError, ConnectionError, OSError, asyncio.TimeoutError) as e:
                self.count("tls_failures", mode)
                outcome = f"tls_failed({type(e).__name__}: {str(e)[:80]})"
                sock.close()
                return
            writer = asyncio.StreamWriter(transport, proto, reader, loop)
            self.clients.add(writer)
            while True:
                res = await self.one_request(conn, reader, writer)
                if res is None:
                    break
                nreq += 1
                outcome = res
                if res != "ok":
                    break
        except (Closed, ConnectionError, asyncio.IncompleteReadError, ssl.SSLError, OSError) as e:
            outcome = f"client_gone({type(e).__name__})"
        finally:
            if writer is not None:
                self.clients.discard(writer)
            if writer is not None and not writer.transport.is_closing():
                writer.transport.abort() if outcome == "reset" else writer.close()
            self.say(f"conn={conn} mode={mode} peer={peer[0]}:{peer[1]} requests={nreq} outcome={outcome}")
            self.write_stats()

    async def one_request(self, conn, reader, writer):
        head = await read_head(reader)
        if head is None:
            return None
        start, headers = parse_head(head)
        method, target = (start.split(" ") + ["", ""])[:2]
        mode, params = self.mode, self.params
        if "path" in params and not target.startswith(params["path"]):
            mode = "pass"
        if (header(headers, "expect") or "").lower() == "100-continue":
            writer.write(b"HTTP/1.1 100 Continue\r\n\r\n")
            await writer.drain()
        if header(headers, "transfer-encoding"):
            body = await read_chunked(reader)
        else:
            body = await reader.readexactly(int(header(headers, "content-length") or 0))
        self.stats["total_requests"] += 1
        self.count("requests", self.mode)
        rng = header(headers, "range")
        self.say(f"conn={conn} request {method} {target} ({len(body)} B) mode={mode}"
                 + (f" range={rng}" if rng else ""))
        self.write_stats()

        if mode == "refuse":
            return "dropped"
        if mode == "http500":
            return await self.answer(writer, 500, "proxy_fault", "injected 500", [])
        if mode == "http503":
            ra = params.get("retry_after", "30")
            return await self.answer(writer, 503, "unavailable", "injected 503", [("Retry-After", ra)])
        if mode == "stall":
            # Never answer; wait (bounded) for the client to give up.
            try:
                await asyncio.wait_for(reader.read(), 600)
            except asyncio.TimeoutError:
                pass
            return "stalled"

        # Forward to the hub.
        fwd = without(headers, "connection", "expect", "transfer-encoding", "content-length", "keep-alive")
        fwd += [("Content-Length", str(len(body))), ("Connection", "close")]
        try:
            ur, uw = await asyncio.wait_for(
                asyncio.open_connection(self.upstream_host, self.upstream_port, ssl=self.upstream_ctx,
                                        server_hostname=self.upstream_host, limit=MAX_HEAD), 15)
        except (OSError, ssl.SSLError, asyncio.TimeoutError) as e:
            self.stats["upstream_errors"] += 1
            self.say(f"conn={conn} upstream unreachable: {e}")
            return await self.answer(writer, 502, "bad_gateway", "the proxy cannot reach the hub", [])
        try:
            uw.write(build_head(start, fwd) + body)
            await uw.drain()
            rhead = await read_head(ur)
            if rhead is None:
                raise Closed("hub closed without answering")
            rstart, rheaders = parse_head(rhead)
            status = int(rstart.split(" ")[1])
            no_body = method == "HEAD" or status in (204, 304) or 100 <= status < 200
            cl = header(rheaders, "content-length")
            rheaders = without(rheaders, "connection", "keep-alive")
            self.count("answers", str(status))
            if no_body:
                length, stream = 0, None
            elif cl is not None and not header(rheaders, "transfer-encoding"):
                length, stream = int(cl), ur
            else:
                data = await read_chunked(ur) if header(rheaders, "transfer-encoding") else await ur.read()
                rheaders = without(rheaders, "transfer-encoding", "content-length")
                rheaders.append(("Content-Length", str(len(data))))
                length, stream = len(data), data
            return await self.deliver(conn, writer, mode, params, build_head(rstart, rheaders), length, stream)
        except (Closed, asyncio.IncompleteReadError, ConnectionError, ssl.SSLError) as e:
            self.stats["upstream_errors"] += 1
            self.say(f"conn={conn} upstream failed: {e!r}")
            return await self.answer(writer, 502, "bad_gateway", "the hub's answer broke off", [])
        finally:
            uw.transport.abort()

    async def answer(self, writer, status, error, message, extra):
        body = json.dumps({"error": error, "message": message}).encode()
        reason = {500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable"}[status]
        hdrs = [("Content-Type", "application/json"), ("Content-Length", str(len(body)))] + extra
        writer.write(build_head(f"HTTP/1.1 {status} {reason}", hdrs) + body)
        await writer.drain()
        return "ok"

    async def deliver(self, conn, writer, mode, params, head, length, stream):
        async def body_pieces(limit):
            """The body's first `limit` bytes in pieces (reading all of it from the hub)."""
            sent = 0
            if isinstance(stream, (bytes, bytearray)):
                yield bytes(stream[:limit])
                return
            left = length
            while left > 0:
                piece = await stream.read(min(left, 64 * 1024))
                if not piece:
                    raise Closed("hub body ended early")
                left -= len(piece)
                take = piece[: max(0, limit - sent)]
                sent += len(take)
                if take:
                    yield take
                if sent >= limit:
                    return

        if mode == "slow":
            bps = max(1, int(params.get("bps", "1")))
            data = head + b"".join([p async for p in body_pieces(length)])
            for i in range(0, len(data), bps):
                writer.write(data[i:i + bps])
                await writer.drain()
                await asyncio.sleep(1)
            return "ok"
        if mode in ("reset", "truncate", "cut"):
            if mode == "cut":
                limit = self.rng.randrange(0, length) if length > 0 else 0
            else:
                limit = int(params.get("bytes", str(length // 2)))
            limit = min(limit, max(0, length - 1))
            writer.write(head)
            async for p in body_pieces(limit):
                writer.write(p)
            await writer.drain()
            self.say(f"conn={conn} {mode}: sent {limit} of {length} body bytes")
            if mode == "reset":
                sock = writer.get_extra_info("socket")
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                writer.transport.abort()
                return "reset"
            return "truncated"
        writer.write(head)
        async for p in body_pieces(length):
            writer.write(p)
            await writer.drain()
        return "ok"

    async def run(self):
        await self.listen()
        if self.mode == "refuse":  # bound once to learn a port to refuse on
            await self.stop_listening()
        self.control_text = " ".join([self.mode] + [f"{k}={v}" for k, v in self.params.items()])
        with open(os.path.join(self.dir, "control"), "w") as f:
            f.write(self.control_text + "\n")
        with open(os.path.join(self.dir, "port.tmp"), "w") as f:
            f.write(f"{self.port}\n")
        os.replace(os.path.join(self.dir, "port.tmp"), os.path.join(self.dir, "port"))
        self.write_stats()
        print(f"listening on 127.0.0.1:{self.port}", flush=True)
        await self.watch_control()


def cmd_set(d, words):
    text = " ".join(words)
    parse_mode(text)
    path = os.path.join(d, "control")
    with open(path + ".tmp", "w") as f:
        f.write(text + "\n")
    os.replace(path + ".tmp", path)
    for _ in range(200):  # up to 10 s
        try:
            with open(os.path.join(d, "stats.json")) as f:
                if json.load(f).get("control") == text:
                    return 0
        except (FileNotFoundError, json.JSONDecodeError):
            pass
        # Not time.sleep: Python 3.11 sleeps with clock_nanosleep(TIMER_ABSTIME), which libfaketime
        # (CI's date runs) can refuse with EINVAL; select's timeout is relative.
        select.select([], [], [], 0.05)
    print(f"fault_proxy: the proxy in {d} did not apply {text!r}", file=sys.stderr)
    return 1


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("serve")
    s.add_argument("--dir", required=True)
    s.add_argument("--upstream", required=True, help="HOST:PORT of the hub (TLS)")
    s.add_argument("--certs", required=True)
    s.add_argument("--port", type=int, default=0)
    s.add_argument("--mode", nargs="+", default=["pass"])
    st = sub.add_parser("set")
    st.add_argument("dir")
    st.add_argument("words", nargs="+")
    sv = sub.add_parser("stats")
    sv.add_argument("dir")
    a = ap.parse_args()
    if a.cmd == "set":
        return cmd_set(a.dir, a.words)
    if a.cmd == "stats":
        with open(os.path.join(a.dir, "stats.json")) as f:
            sys.stdout.write(f.read() + "\n")
        return 0
    os.makedirs(a.dir, exist_ok=True)
    try:
        asyncio.run(Proxy(a).run())
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
