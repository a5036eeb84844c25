#!/usr/bin/env python3
"""Soak driver for bench/soak.sh (standard library only).

Mixed PING/ECHO/HASH load on both fronts with random disconnects, half-closes and server restarts (SIGTERM, drain,
restart on the same ports), reconciled at the end:
- every request sent ends exactly once: a reply, a connection error the client saw, or abandoned (the client itself
  reset the connection right after sending it);
- every ECHO and HASH reply is checked against its expected value;
- per server run, the replies the client counted reconcile with the server's c10k_requests_total, scraped from /metrics
  before each SIGTERM (the clients pause first, so nothing is in flight at the scrape; requests the client abandoned
  may or may not have been answered, so they are the only slack);
- requests sent more than a grace period before a SIGTERM get replies, not connection errors (drop_at_drain=0), and a
  server that was not sent SIGTERM closes no connection with requests pending (drop_live=0). A connection counts for the
  server run that was current both before and after it connected, so one made during a restart is not mislabelled.
"""
import argparse
import asyncio
import hashlib
import os
import random
import signal
import socket
import struct
import subprocess
import sys
import time
import urllib.request

PING, ECHO, HASH = 0x0002, 0x0003, 0x0010
OK, BUSY, TIMEOUT, CONNECTION_LIMIT, SHUTTING_DOWN, CANCELLED = 0, 2, 3, 7, 8, 9
REFUSED = -2  # RESP: the connection was refused (draining or at the limit) before any reply
OPS = {PING: "PING", ECHO: "ECHO", HASH: "HASH"}


class Totals:
    def __init__(self):
        self.sent = self.ok = self.busy = self.timeout = self.shutting_down = 0
        self.conn_errors = self.abandoned = self.wrong = self.lost = self.drop_at_drain = self.drop_live = 0
        self.half_closes = self.disconnects = self.restarts = 0
        self.outstanding = 0
        self.answered = {}        # server run -> replies the client read while that run was reconciled
        self.abandoned_in = {}    # server run -> requests abandoned during it
        self.wrong_examples = []
        self.drop_examples = []

    def line(self):
        return (f"sent={self.sent} ok={self.ok} busy={self.busy} timeout={self.timeout} conn_errors={self.conn_errors} "
                f"wrong={self.wrong} lost={self.lost} shutting_down={self.shutting_down} abandoned={self.abandoned} "
                f"drop_at_drain={self.drop_at_drain} drop_live={self.drop_live} restarts={self.restarts} "
                f"half_closes={self.half_closes} disconnects={self.disconnects}")


class State:
    def __init__(self, args):
        self.args = args
        self.totals = Totals()
        self.run = 0                 # which server process is up
        self.counting = True         # replies count toward the run's reconciliation (false from the scrape to the restart)
        self.running = asyncio.Event()
        self.running.set()
        self.stop = False
        self.sigterm_at = []         # monotonic times of every SIGTERM
        self.reconciled = []         # (run, client replies, abandoned, server total)


def expected_hash(iterations, data):
    digest = hashlib.sha256(data).digest()
    for _ in range(iterations - 1):
        digest = hashlib.sha256(digest).digest()
    return digest.hex().encode()


def make_request(rng):
    kind = rng.choices([PING, ECHO, HASH], weights=[3, 4, 3])[0]
    if kind == PING:
        return kind, [], b"PONG"
    data = rng.randbytes(rng.randint(0, 2048)) if kind == ECHO else rng.randbytes(rng.randint(1, 64))
    if kind == ECHO:
        return kind, [data], data
    iterations = rng.choice([1, 10, 100, 1000, 5000, 20000])
    return kind, [str(iterations).encode(), data], expected_hash(iterations, data)


def native_frame(opcode, request_id, args, deadline_ms=0):
    payload = b"".join(struct.pack(">I", len(a)) + a for a in args)
    return struct.pack(">BBHIII", 0xC1, 0, opcode, request_id, len(payload), deadline_ms) + payload


def resp_command(opcode, args):
    parts = [OPS[opcode].encode()] + args
    return b"*%d\r\n" % len(parts) + b"".join(b"$%d\r\n%s\r\n" % (len(p), p) for p in parts)


async def read_native(reader):
    header = await reader.readexactly(16)
    _, _, _, request_id, length, status = struct.unpack(">BBHIIB3x", header)
    return request_id, status, await reader.readexactly(length)


async def read_resp(reader):
    line = (await reader.readuntil(b"\r\n"))[:-2]
    kind, rest = line[:1], line[1:]
    if kind == b"+":
        return OK, rest
    if kind == b"$":
        length = int(rest)
        body = await reader.readexactly(length + 2)
        return OK, body[:-2]
    if kind == b"-":
        if rest in (b"ERR server is shutting down", b"ERR max number of clients reached"):
            return REFUSED, rest
        word = rest.split(b" ", 1)[0]
        return {b"BUSY": BUSY, b"TIMEOUT": TIMEOUT, b"CANCELLED": CANCELLED, b"SHUTDOWN": SHUTTING_DOWN}.get(word, -1), rest
    return -1, line


def settle(state, request, status, payload):
    t = state.totals
    t.outstanding -= 1
    if state.counting and request["run"] == state.run:
        t.answered[state.run] = t.answered.get(state.run, 0) + 1
    if status == OK and payload == request["expected"]:
        t.ok += 1
    elif status == BUSY:
        t.busy += 1
    elif status in (TIMEOUT, CANCELLED):
        t.timeout += 1
    elif status == SHUTTING_DOWN:
        t.shutting_down += 1
    else:
        t.wrong += 1
        if len(t.wrong_examples) < 5:
            t.wrong_examples.append((OPS[request["op"]], status, payload[:80], request["expected"][:80]))


def connection_error(state, pending, error):
    t = state.totals
    for request in pending:
        t.outstanding -= 1
        t.conn_errors += 1
        # Legitimate only for a request sent at most a grace period before its server's SIGTERM (or after it): one sent
        # earlier was accepted and is owed a reply (drop_at_drain), and a server that was not sent SIGTERM owes every
        # reply (drop_live).
        run = request["run"]
        live = run >= len(state.sigterm_at)
        if live or request["at"] + state.args.drain_grace < state.sigterm_at[run]:
            if live:
                t.drop_live += 1
            else:
                t.drop_at_drain += 1
            if len(t.drop_examples) < 5:
                sigterm = None if live else f"{state.sigterm_at[run] - request['at']:.2f}s"
                since = None if live else f"{time.monotonic() - state.sigterm_at[run]:.2f}s"
                t.drop_examples.append((OPS[request["op"]], f"run={run}", f"sigterm_after_send={sigterm}",
                                        f"error_after_sigterm={since}", error))


async def client(state, index):
    rng = random.Random(state.args.seed * 1000 + index)
    native = index % 2 == 0
    port = state.args.native_port if native else state.args.resp_port
    next_id = 1
    while not state.stop:
        await state.running.wait()
        # The run is read before connecting: a connection that completes while a restart goes on (the old server draining,
        # refusing, exiting) would otherwise carry the next run's label, and its refusal or close would count as a request lost
        # by a server that was never stopped. Only a connection made within one run is used.
        run = state.run
        try:
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
        except OSError:
            await asyncio.sleep(0.05)
            continue
        if run != state.run:
            writer.transport.abort()
            continue
        pending = {}
        try:
            while not state.stop and run == state.run:
                await state.running.wait()
                batch = [make_request(rng) for _ in range(rng.randint(1, 8))]
                now = time.monotonic()
                out = bytearray()
                order = []
                for op, args, expected in batch:
                    request = {"op": op, "expected": expected, "at": now, "run": run}
                    pending[next_id] = request
                    order.append(next_id)
                    # A few HASHes with a deadline of a few ms: answered, or TIMEOUT (not run) or CANCELLED (stopped), never lost.
                    deadline = rng.randint(1, 5) if op == HASH and rng.random() < 0.05 else 0
                    out += native_frame(op, next_id, args, deadline) if native else resp_command(op, args)
                    next_id = next_id % 0xFFFFFFFF + 1
                state.totals.sent += len(batch)
                state.totals.outstanding += len(batch)
                writer.write(bytes(out))
                action = rng.random()
                if action < state.args.disconnect_rate:
                    # Vanish: reset right after sending, never read.
                    state.totals.disconnects += 1
                    state.totals.abandoned += len(pending)
                    state.totals.abandoned_in[run] = state.totals.abandoned_in.get(run, 0) + len(pending)
                    state.totals.outstanding -= len(pending)
                    pending.clear()
                    sock = writer.get_extra_info("socket")
                    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                    writer.transport.abort()
                    break
                await writer.drain()
                half_close = action < state.args.disconnect_rate + state.args.half_close_rate
                if half_close:
                    state.totals.half_closes += 1
                    writer.write_eof()
                for request_id in order:
                    if native:
                        got_id, status, payload = await asyncio.wait_for(read_native(reader), state.args.reply_timeout)
                    else:
                        got_id = request_id
                        status, payload = await asyncio.wait_for(read_resp(reader), state.args.reply_timeout)
                    if got_id == 0 and status in (SHUTTING_DOWN, CONNECTION_LIMIT) or status == REFUSED:
                        raise ConnectionError("connection refused by the server")
                    request = pending.pop(got_id, None)
                    if request is None:
                        state.totals.wrong += 1
                        continue
                    settle(state, request, status, payload)
                if half_close:
                    if await asyncio.wait_for(reader.read(1), state.args.reply_timeout) != b"":
                        state.totals.wrong += 1
                    break
        except asyncio.TimeoutError:
            state.totals.lost += len(pending)
            state.totals.outstanding -= len(pending)
            pending.clear()
        except (OSError, asyncio.IncompleteReadError, ConnectionError) as error:
            connection_error(state, pending.values(), f"{'native' if native else 'resp'} {type(error).__name__}: {error}")
            pending.clear()
        finally:
            writer.transport.abort()


def scrape(admin_port):
    """The run's c10k_requests_total for PING, ECHO and HASH, and its connection closes by reason."""
    text = urllib.request.urlopen(f"http://127.0.0.1:{admin_port}/metrics", timeout=10).read().decode()
    total = 0
    closes = {}
    for line in text.splitlines():
        value = line.rsplit(" ", 1)[-1]
        if line.startswith("c10k_requests_total{") and any(f'op="{op}"' in line for op in ("ping", "echo", "hash")):
            total += int(float(value))
        elif line.startswith("c10k_connections_closed_total{"):
            reason = line.split('reason="', 1)[1].split('"', 1)[0]
            closes[reason] = closes.get(reason, 0) + int(float(value))
    return total, closes


def fail(args, message):
    with open(args.log, "rb") as log:
        tail = log.read()[-4000:].decode(errors="replace")
    sys.exit(f"{message}\n--- server log tail ---\n{tail}")


def start_server(args):
    command = ["dotnet", args.server_dll, f"--C10k:Native:Port={args.native_port}", f"--C10k:Resp:Port={args.resp_port}",
               f"--C10k:Admin:Port={args.admin_port}", f"--C10k:Shutdown:DrainTimeoutMs={args.drain_ms}",
               "--Logging:LogLevel:Default=Warning"]
    log = open(args.log, "ab")
    process = subprocess.Popen(command, stdout=log, stderr=log, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{args.admin_port}/readyz", timeout=2).read()
            for port in (args.native_port, args.resp_port):
                socket.create_connection(("127.0.0.1", port), timeout=2).close()
            return process
        except OSError:
            if process.poll() is not None:
                fail(args, f"server exited with {process.returncode} at start")
            time.sleep(0.1)
    sys.exit("server did not start within 60 s")


async def reconcile(state):
    """Pauses the clients, waits until nothing is outstanding, compares the run's totals with the server's."""
    state.running.clear()
    deadline = time.monotonic() + 30
    while state.totals.outstanding > 0 and time.monotonic() < deadline:
        await asyncio.sleep(0.02)
    server_total, closes = await asyncio.get_running_loop().run_in_executor(None, scrape, state.args.admin_port)
    state.counting = False
    t = state.totals
    state.reconciled.append((state.run, t.answered.get(state.run, 0), t.abandoned_in.get(state.run, 0), server_total, closes))


async def restart(state, process):
    await reconcile(state)
    state.running.set()
    await asyncio.sleep(0.3)  # under load again: the SIGTERM lands with requests in flight
    state.sigterm_at.append(time.monotonic())
    process.send_signal(signal.SIGTERM)
    code = await asyncio.get_running_loop().run_in_executor(None, process.wait, 60)
    if code != 0:
        fail(state.args, f"server exited with {code} after SIGTERM")
    state.totals.restarts += 1
    # The next run's number before it starts: a client that reconnects at once labels its requests with it.
    state.run += 1
    state.counting = True
    return await asyncio.get_running_loop().run_in_executor(None, start_server, state.args)


async def main_async(args):
    state = State(args)
    process = start_server(args)
    clients = [asyncio.create_task(client(state, i)) for i in range(args.connections)]
    rng = random.Random(args.seed)
    end = time.monotonic() + args.duration
    try:
        while time.monotonic() < end:
            wait = min(rng.uniform(args.restart_min, args.restart_max), max(0.0, end - time.monotonic()))
            await asyncio.sleep(wait)
            if time.monotonic() < end:
                process = await restart(state, process)
        await reconcile(state)
        state.stop = True
        state.running.set()
        await asyncio.wait(clients, timeout=args.reply_timeout + 5)
        process.send_signal(signal.SIGTERM)
        process.wait(60)
    finally:
        if process.poll() is None:
            process.kill()
    return state


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--duration", type=float, default=600)
    parser.add_argument("--server-dll", required=True)
    parser.add_argument("--native-port", type=int, required=True)
    parser.add_argument("--resp-port", type=int, required=True)
    parser.add_argument("--admin-port", type=int, required=True)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--disconnect-rate", type=float, default=0.02)
    parser.add_argument("--half-close-rate", type=float, default=0.02)
    parser.add_argument("--restart-min", type=float, default=20)
    parser.add_argument("--restart-max", type=float, default=50)
    parser.add_argument("--drain-ms", type=int, default=5000)
    parser.add_argument("--drain-grace", type=float, default=1.0)
    parser.add_argument("--reply-timeout", type=float, default=60)
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--log", required=True)
    args = parser.parse_args()
    started = time.monotonic()
    state = asyncio.run(main_async(args))
    t = state.totals
    mismatched = [r for r in state.reconciled if not (r[1] <= r[3] <= r[1] + r[2])]
    settled = t.ok + t.busy + t.timeout + t.shutting_down + t.conn_errors + t.abandoned + t.wrong + t.lost
    t.lost += t.sent - settled
    print(t.line())
    for run, answered, abandoned, server, closes in state.reconciled:
        print(f"run={run} client_replies={answered} abandoned={abandoned} server_requests_total={server} "
              f"{'ok' if answered <= server <= answered + abandoned else 'MISMATCH'} closes={closes}")
    for example in t.drop_examples:
        print("drop:", example)
    for example in t.wrong_examples:
        print("wrong:", example)
    print(f"elapsed={time.monotonic() - started:.0f}s")
    failed = t.wrong or t.lost or t.drop_at_drain or t.drop_live or mismatched
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
