"""Memory benchmark driven by bench/memory.sh: RSS per idle RESP connection and RSS growth under non-reading flooders,
for C10k, a minimal Kestrel ConnectionHandler (the floor), the parking floor and redis-server, in one run, then PING
throughput and p99 (redis-benchmark) for all but redis-server. Client roles run as child processes of this file
(ulimit -n is per process), spread over source addresses 127.0.0.2-127.0.0.5."""
import json
import os
import selectors
import signal
import socket
import statistics
import subprocess
import sys
import time

LEVELS = [1000, 10000, 19000]
SOURCES = ["127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.5"]
FLOODERS = 200
FLOOD_SECONDS = 8
PING_ROUNDS = int(os.environ.get("PING_ROUNDS", "5"))
# Inline PING: the floors answer +PONG per line, so a multibulk PING (three lines) would get three replies.
PING_LINES = [("PING -c 50", ["-t", "ping_inline", "-c", "50", "-n", "100000"]),
              ("PING -c 50 -P 16", ["-t", "ping_inline", "-c", "50", "-P", "16", "-n", "1000000"])]
PING = b"PING\r\n"
PONG = b"+PONG\r\n"


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def load():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


# ---- client roles (child processes) ----

def ping_all(socks, rounds=2):
    """PINGs every socket `rounds` times (all in flight together); returns the sockets that got every +PONG."""
    alive = list(socks)
    for _ in range(rounds):
        for s in alive:
            s.setblocking(True)
            s.sendall(PING)
        answered = []
        for s in alive:
            s.settimeout(30)
            got = b""
            try:
                while len(got) < len(PONG):
                    chunk = s.recv(len(PONG) - len(got))
                    if not chunk:
                        break
                    got += chunk
            except OSError:
                pass
            if got == PONG:
                answered.append(s)
        alive = answered
    return alive


def role_hold(port, source, count):
    socks = []
    errors = 0
    for _ in range(count):
        s = socket.socket()
        try:
            s.bind((source, 0))
            s.connect(("127.0.0.1", port))
            socks.append(s)
        except OSError:
            errors += 1
            s.close()
    held = ping_all(socks)
    print(f"{len(held)} {errors + len(socks) - len(held)}", flush=True)
    sys.stdin.read()  # hold until the driver closes our stdin


def role_flood(port, count, seconds):
    sel = selectors.DefaultSelector()
    chunk = PING * 10000
    for i in range(count):
        s = socket.socket()
        s.bind((SOURCES[i % len(SOURCES)], 0))
        s.connect(("127.0.0.1", port))
        s.setblocking(False)
        sel.register(s, selectors.EVENT_WRITE)
    print("connected", flush=True)
    sent = 0
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        for key, _ in sel.select(timeout=0.1):
            try:
                sent += key.fileobj.send(chunk)
            except (BlockingIOError, InterruptedError):
                pass
            except OSError:
                sel.unregister(key.fileobj)
    print(sent, flush=True)
    sys.stdin.read()


def role_probe(port, seconds):
    """A fresh connection every 100 ms, one PING each: prints the PINGs' round trips in ms (a PING unanswered after 30 s,
    or a connection refused, counts as 30,000 ms)."""
    times = []
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        start = time.perf_counter()
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=30) as s:
                start = time.perf_counter()
                s.sendall(PING)
                got = b""
                while len(got) < len(PONG):
                    chunk = s.recv(64)
                    if not chunk:
                        break
                    got += chunk
            times.append((time.perf_counter() - start) * 1000)
        except OSError:
            times.append(30000.0)
        time.sleep(0.1)
    print(" ".join(f"{t:.3f}" for t in times), flush=True)


# ---- driver ----

def child(*args):
    return subprocess.Popen([sys.executable, __file__, *map(str, args)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)


def settle(pid):
    time.sleep(5)
    return rss_kib(pid)


def idle_run(name, pid, port):
    base = settle(pid)
    rows = []
    clients = []
    opened = 0
    for level in LEVELS:
        per = [(level - opened) // len(SOURCES)] * len(SOURCES)
        per[0] += level - opened - sum(per)
        batch = [child("hold", port, src, n) for src, n in zip(SOURCES, per)]
        held = errors = 0
        for c in batch:
            h, e = map(int, c.stdout.readline().split())
            held += h
            errors += e
        clients += batch
        opened = level
        rss = settle(pid)
        total_held = held + sum(r["new_held"] for r in rows)
        total_errors = errors + sum(r["new_errors"] for r in rows)
        rows.append({"level": level, "new_held": held, "new_errors": errors, "held": total_held, "errors": total_errors,
                     "rss": rss, "per_conn": (rss - base) * 1024 / max(total_held, 1), "load": load()})
        print(f"{name} {level}: held {total_held} errors {total_errors} rss {rss / 1024:.1f} MiB "
              f"({rows[-1]['per_conn']:.0f} B/conn) load {rows[-1]['load']}", file=sys.stderr, flush=True)
    for c in clients:
        c.stdin.close()
        c.wait()
    return base, rows


def flood_run(name, pid, port):
    flood = child("flood", port, FLOODERS, FLOOD_SECONDS)
    flood.stdout.readline()
    before = rss_kib(pid)
    peak = before
    probe = child("probe", port, FLOOD_SECONDS - 1)
    end = time.monotonic() + FLOOD_SECONDS
    while time.monotonic() < end:
        peak = max(peak, rss_kib(pid))
        time.sleep(0.2)
    sent = int(flood.stdout.readline())
    peak = max(peak, rss_kib(pid))
    times = [float(t) for t in probe.stdout.readline().split()]
    probe.wait()
    flood.stdin.close()
    flood.wait()
    result = {"growth": (peak - before) / 1024, "sent": sent, "ping_median": statistics.median(times) if times else float("nan"),
              "ping_max": max(times) if times else float("nan"), "pings": len(times), "load": load()}
    print(f"{name} flood: +{result['growth']:.1f} MiB, {sent / 1e6:.0f} MB sent, fresh PING median {result['ping_median']:.2f} ms "
          f"(max {result['ping_max']:.1f}, n={len(times)}) load {result['load']}", file=sys.stderr, flush=True)
    return result


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def benchmark(pid, port, args):
    """One redis-benchmark run: rps, p99 ms, server CPU % and generator CPU % (of one core, over the run's wall time)."""
    server_before = cpu_seconds(pid)
    start = time.monotonic()
    bench = subprocess.Popen(["redis-benchmark", "-p", str(port), "--csv", "-q", *args], stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL, text=True)
    out = bench.stdout.read()
    _, _, usage = os.wait4(bench.pid, 0)
    wall = time.monotonic() - start
    row = out.strip().splitlines()[-1].replace('"', "").split(",")
    return {"rps": float(row[1]), "p99": float(row[6]), "server_cpu": 100 * (cpu_seconds(pid) - server_before) / wall,
            "bench_cpu": 100 * (usage.ru_utime + usage.ru_stime) / wall, "load": load()}


def ping_run(servers):
    """Every line on every server once to warm up, then PING_ROUNDS interleaved rounds; returns the runs per line and server."""
    runs = {line: {name: [] for name, _, _ in servers} for line, _ in PING_LINES}
    for _, args in PING_LINES:
        for _, pid, port in servers:
            benchmark(pid, port, args)
    for round_ in range(PING_ROUNDS):
        for line, args in PING_LINES:
            for name, pid, port in servers:
                run = benchmark(pid, port, args)
                runs[line][name].append(run)
                print(f"round {round_ + 1} {line} {name}: {run['rps']:.0f} rps p99 {run['p99']:.3f} ms server CPU "
                      f"{run['server_cpu']:.0f} % generator CPU {run['bench_cpu']:.0f} % load {run['load']}", file=sys.stderr, flush=True)
    return runs


def ping_report(runs):
    rounds_run = len(next(iter(next(iter(runs.values())).values())))
    lines = ["", f"## PING throughput and p99 (redis-benchmark, {rounds_run} interleaved rounds, medians)", "",
             "| line | server | rps | p99 ms | rps vs C10k | p99 vs C10k | server CPU % | generator CPU % | rps per round |",
             "|---|---|---|---|---|---|---|---|---|"]
    for line, by_server in runs.items():
        base = by_server.get("C10k")
        for name, rounds in by_server.items():
            rps, p99 = (statistics.median(r[k] for r in rounds) for k in ("rps", "p99"))
            per_round = " ".join(f"{r['rps']:.0f}" for r in rounds)
            if base:
                ratios = f"{rps / statistics.median(r['rps'] for r in base):.3f} | {p99 / statistics.median(r['p99'] for r in base):.3f}"
            else:
                ratios = "n/a | n/a"
            lines.append(f"| {line} | {name} | {rps:.0f} | {p99:.3f} | {ratios} | {statistics.median(r['server_cpu'] for r in rounds):.0f} | "
                         f"{statistics.median(r['bench_cpu'] for r in rounds):.0f} | {per_round} |")
    return lines + ["", "`redis-benchmark -p PORT --csv -q -t ping_inline -c 50 [-P 16]` (inline PING: the floors answer per line), "
                    "closed loop; CPU % is CPU time over the run's wall time (100 % = one core); the generator shares the 2 cores "
                    "with the server. Load average during the rounds in the run's log."]


def svg_chart(series, path):
    width, height, left, bottom, top, right = 640, 360, 60, 40, 20, 150
    xmax = 20000
    ymax = max(r["rss"] for _, _, rows in series for r in rows) / 1024 * 1.1
    colors = ["#8c564b", "#e377c2", "#9467bd", "#ff7f0e", "#d62728", "#1f77b4", "#17becf", "#2ca02c"][-len(series):]

    def x(v):
        return left + v / xmax * (width - left - right)

    def y(v):
        return height - bottom - v / ymax * (height - top - bottom)

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" font-size="11">',
           f'<rect width="{width}" height="{height}" fill="white"/>',
           f'<line x1="{left}" y1="{y(0)}" x2="{x(xmax)}" y2="{y(0)}" stroke="black"/>',
           f'<line x1="{left}" y1="{y(0)}" x2="{left}" y2="{y(ymax)}" stroke="black"/>',
           f'<text x="{(left + x(xmax)) / 2}" y="{height - 8}" text-anchor="middle">idle RESP connections</text>',
           f'<text x="14" y="{(top + y(0)) / 2}" transform="rotate(-90 14 {(top + y(0)) / 2})" text-anchor="middle">RSS (MiB)</text>']
    for tick in range(0, xmax + 1, 5000):
        out.append(f'<text x="{x(tick)}" y="{y(0) + 14}" text-anchor="middle">{tick}</text>')
    step = max(25, int(ymax / 5 / 25) * 25)
    for tick in range(0, int(ymax) + 1, step):
        out.append(f'<text x="{left - 4}" y="{y(tick) + 4}" text-anchor="end">{tick}</text>')
        out.append(f'<line x1="{left}" y1="{y(tick)}" x2="{x(xmax)}" y2="{y(tick)}" stroke="#ddd"/>')
    for i, (name, base, rows) in enumerate(series):
        points = [(0, base / 1024)] + [(r["held"], r["rss"] / 1024) for r in rows]
        path_points = " ".join(f"{x(a):.1f},{y(b):.1f}" for a, b in points)
        out.append(f'<polyline points="{path_points}" fill="none" stroke="{colors[i]}" stroke-width="2"/>')
        for a, b in points:
            out.append(f'<circle cx="{x(a):.1f}" cy="{y(b):.1f}" r="3" fill="{colors[i]}"/>')
        out.append(f'<rect x="{width - right + 10}" y="{top + 18 * i}" width="12" height="12" fill="{colors[i]}"/>')
        out.append(f'<text x="{width - right + 28}" y="{top + 18 * i + 10}">{name}</text>')
    out.append("</svg>")
    with open(path, "w") as f:
        f.write("\n".join(out) + "\n")


def main(out_dir, work, phase, servers):
    """Runs one phase (idle or flood) against freshly started servers, saving its results in `work`; `report` writes the report."""
    if phase != "report":
        if phase == "ping":
            specs = [(name, int(pid), int(port)) for name, pid, port in (spec.split(":") for spec in servers) if name != "redis-server"]
            with open(os.path.join(work, "ping.json"), "w") as f:
                json.dump(ping_run(specs), f)
            return
        results = []
        for spec in servers:
            name, pid, port = spec.split(":")
            results.append((name, *idle_run(name, int(pid), int(port))) if phase == "idle" else (name, flood_run(name, int(pid), int(port))))
        with open(os.path.join(work, phase + ".json"), "w") as f:
            json.dump(results, f)
        return
    with open(os.path.join(work, "idle.json")) as f:
        idle = json.load(f)
    with open(os.path.join(work, "flood.json")) as f:
        floods = json.load(f)
    load_before = servers[0]
    svg_chart(idle, os.path.join(out_dir, "memory.svg"))
    lines = ["# Memory: idle connections and non-reading flooders", "",
             "Written by `bash bench/memory.sh`: one round; each phase (idle, flood, then ping) starts every server afresh and measures "
             "them one after the other. `nan` latency: no fresh PING was answered within the flood's window (each waits up to 30 s).", "",
             f"- date: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; {os.cpu_count()} cores; load average before "
             f"{load_before}, after {load()} (shared box: other jobs ran too; the Python clients ran on the same cores)", "",
             "## RSS per idle RESP connection (each PINGed twice)", "",
             "| server | base RSS | " + " | ".join(f"{lv:,} conns" for lv in LEVELS) + " |",
             "|---|---|" + "---|" * len(LEVELS)]
    for name, base, rows in idle:
        cells = []
        for r in rows:
            refused = f", {r['errors']:,} refused" if r["errors"] else ""
            cells.append(f"{r['per_conn'] / 1024:.2f} KiB/conn ({r['rss'] / 1024:.0f} MiB{refused})")
        lines.append(f"| {name} | {base / 1024:.0f} MiB | " + " | ".join(cells) + " |")
    lines += ["", "Per connection = (RSS − base RSS) / connections held; load average at each level in the run's log.", "",
              "![RSS vs idle connections](memory.svg)", "",
              f"## {FLOODERS} clients pipelining PINGs for {FLOOD_SECONDS} s, never reading", "",
              "| server | RSS growth (peak − start) | bytes sent by flooders | fresh PING from another process: median / max |",
              "|---|---|---|---|"]
    for name, f in floods:
        lines.append(f"| {name} | {f['growth']:.1f} MiB | {f['sent'] / 1e6:.0f} MB | {f['ping_median']:.2f} / {f['ping_max']:.1f} ms (n={f['pings']}) |")
    ping_path = os.path.join(work, "ping.json")
    if os.path.exists(ping_path):
        with open(ping_path) as f:
            lines += ping_report(json.load(f))
    with open(os.path.join(out_dir, "memory.md"), "w") as f:
        f.write("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    role = sys.argv[1]
    if role == "hold":
        role_hold(int(sys.argv[2]), sys.argv[3], int(sys.argv[4]))
    elif role == "flood":
        role_flood(int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]))
    elif role == "probe":
        role_probe(int(sys.argv[2]), float(sys.argv[3]))
    else:
        main(sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:])
