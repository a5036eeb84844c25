#!/usr/bin/env python3
"""Small protocol client for docker/smoke.sh (standard library only, so it runs on a fresh host).

  smoke_load.py ping HOST PORT              one native PING, wants PONG              (exit 0/1)
  smoke_load.py noauth HOST PORT            one native PING without AUTH, wants UNAUTHENTICATED (exit 0/1)
  smoke_load.py resp-ping HOST PORT         one RESP PING, wants +PONG               (exit 0/1)
  smoke_load.py http HOST PORT PATH [CODE]  GET PATH, prints the status code         (exit 0 on CODE, default 200)
  smoke_load.py hold HOST PORT N SECONDS    opens N native connections (bounded concurrency), sends one
                                            PING on each, prints "READY opened=.. answered=.. failed=..",
                                            keeps them all open for SECONDS or until stdin closes, then
                                            sends a second PING on each and prints "DONE answered=.. of .."

Environment: C10K_PASSWORD  authenticate every data connection first (native AUTH, RESP AUTH) as user default
             C10K_TLS_CA    connect with TLS, trusting this CA file, server name localhost
             C10K_ADMIN_TOKEN  sent as "Authorization: Bearer" by http

Only ever pointed at 127.0.0.1 by smoke.sh. Native frame layout: docs/protocol.md (16-byte header:
magic 0xC1, flags, opcode u16, request id u32, payload length u32, deadline/status u32; big-endian).
"""
import asyncio
import os
import resource
import ssl
import struct
import sys

MAGIC = 0xC1
PING = 0x0002
AUTH = 0x0004
UNAUTHENTICATED = 10
PASSWORD = os.environ.get("C10K_PASSWORD")
TLS_CA = os.environ.get("C10K_TLS_CA")


def frame(opcode: int, request_id: int, *args: bytes) -> bytes:
    payload = b"".join(struct.pack(">I", len(a)) + a for a in args)
    return struct.pack(">BBHIII", MAGIC, 0, opcode, request_id, len(payload), 0) + payload


async def open_connection(host, port, timeout: float = 5.0):
    if TLS_CA:
        context = ssl.create_default_context(cafile=TLS_CA)
        return await asyncio.wait_for(asyncio.open_connection(host, port, ssl=context, server_hostname="localhost"), timeout)
    return await asyncio.wait_for(asyncio.open_connection(host, port), timeout)


async def native_call(reader, writer, opcode: int, request_id: int, *args: bytes, timeout: float = 10.0):
    writer.write(frame(opcode, request_id, *args))
    await writer.drain()
    header = await asyncio.wait_for(reader.readexactly(16), timeout)
    magic, flags, op, rid, length, status = struct.unpack(">BBHIIB3x", header)
    payload = await asyncio.wait_for(reader.readexactly(length), timeout) if length else b""
    ok = magic == MAGIC and flags & 1 and op == opcode and rid == request_id
    return status if ok else -1, payload


async def native_ping(reader, writer, request_id: int, timeout: float = 10.0) -> bool:
    status, payload = await native_call(reader, writer, PING, request_id, timeout=timeout)
    return status == 0 and payload == b"PONG"


async def native_open(host, port, timeout: float = 5.0):
    """A native connection, authenticated when C10K_PASSWORD is set (request id 0x7FFFFFFF is the AUTH's)."""
    reader, writer = await open_connection(host, port, timeout)
    if PASSWORD is not None:
        status, payload = await native_call(reader, writer, AUTH, 0x7FFF_FFFF, PASSWORD.encode())
        if status != 0:
            writer.close()
            raise OSError(f"AUTH refused: status {status} {payload!r}")
    return reader, writer


async def cmd_ping(host, port):
    reader, writer = await native_open(host, port)
    ok = await native_ping(reader, writer, 1)
    writer.close()
    return ok


async def cmd_noauth(host, port):
    reader, writer = await open_connection(host, port)
    status, payload = await native_call(reader, writer, PING, 1)
    writer.close()
    print(f"status {status} {payload.decode(errors='replace')}")
    return status == UNAUTHENTICATED


async def cmd_resp_ping(host, port):
    reader, writer = await open_connection(host, port)
    if PASSWORD is not None:
        writer.write(b"AUTH " + PASSWORD.encode() + b"\r\n")
    writer.write(b"*1\r\n$4\r\nPING\r\n")
    await writer.drain()
    auth = await asyncio.wait_for(reader.readline(), 5) if PASSWORD is not None else b"+OK\r\n"
    line = await asyncio.wait_for(reader.readline(), 5)
    writer.close()
    return auth == b"+OK\r\n" and line == b"+PONG\r\n"


async def cmd_http(host, port, path, want):
    reader, writer = await asyncio.wait_for(asyncio.open_connection(host, port), 5)
    token = os.environ.get("C10K_ADMIN_TOKEN")
    authorization = f"Authorization: Bearer {token}\r\n" if token else ""
    writer.write(f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\n{authorization}Connection: close\r\n\r\n".encode())
    await writer.drain()
    status = (await asyncio.wait_for(reader.readline(), 5)).decode(errors="replace").split()
    writer.close()
    code = status[1] if len(status) > 1 else "none"
    print(code)
    return code == want


async def cmd_hold(host, port, count, seconds):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < count + 100:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, count + 1000), hard))
    gate = asyncio.Semaphore(200)  # bounded connect concurrency: no SYN storm on a 2-core box
    conns = []
    failed = 0

    async def open_one(i):
        nonlocal failed
        async with gate:
            try:
                reader, writer = await native_open(host, port, 15)
                if await native_ping(reader, writer, i + 1):
                    conns.append((i, reader, writer))
                else:
                    failed += 1
                    writer.close()
            except (OSError, asyncio.TimeoutError, asyncio.IncompleteReadError) as ex:
                failed += 1
                if failed <= 3:
                    print(f"connection {i}: {type(ex).__name__}: {ex}", file=sys.stderr)

    await asyncio.gather(*(open_one(i) for i in range(count)))
    print(f"READY opened={len(conns)} answered={len(conns)} failed={failed}", flush=True)

    loop = asyncio.get_running_loop()
    stdin_closed = loop.run_in_executor(None, sys.stdin.read)
    await asyncio.wait([stdin_closed], timeout=seconds)

    answered = 0

    async def ping_again(i, reader, writer):
        nonlocal answered
        async with gate:
            try:
                if await native_ping(reader, writer, 0x8000_0000 + i):
                    answered += 1
            except (OSError, asyncio.TimeoutError, asyncio.IncompleteReadError):
                pass
            finally:
                writer.close()

    await asyncio.gather(*(ping_again(*c) for c in conns))
    print(f"DONE answered={answered} of {len(conns)} held (requested {count})", flush=True)
    return failed == 0 and answered == count


def main(argv):
    verb = argv[1] if len(argv) > 1 else ""
    try:
        if verb == "ping":
            ok = asyncio.run(cmd_ping(argv[2], int(argv[3])))
        elif verb == "noauth":
            ok = asyncio.run(cmd_noauth(argv[2], int(argv[3])))
        elif verb == "resp-ping":
            ok = asyncio.run(cmd_resp_ping(argv[2], int(argv[3])))
        elif verb == "http":
            ok = asyncio.run(cmd_http(argv[2], int(argv[3]), argv[4], argv[5] if len(argv) > 5 else "200"))
        elif verb == "hold":
            ok = asyncio.run(cmd_hold(argv[2], int(argv[3]), int(argv[4]), float(argv[5])))
        else:
            print(__doc__, file=sys.stderr)
            return 2
    except (OSError, asyncio.TimeoutError, asyncio.IncompleteReadError) as ex:
        print(f"{verb}: {type(ex).__name__}: {ex}", file=sys.stderr)
        ok = False
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
