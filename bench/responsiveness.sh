#!/usr/bin/env bash
# Responsiveness: is C10k fast by default on both axes at once? One invocation, interleaved rounds (A B C … A B C …):
#   - PING vs redis-server: redis-benchmark -c 50, -c 50 -P 16, -c 1000 (rps)
#   - HASH 1000 at -c 50 vs the Python asyncio + process-pool peer (rps), and × the in-process ceiling (cores × one thread)
#   - PING p50/p99 (redis-benchmark -c 10 PING) while HASH 20000 at -c 64 saturates the server, C10k and the peer
#   - the same HASH and saturation lines for each worker scheduling variant (the defaults are chosen from these)
# Prints medians and ratios, writes bench/results/responsiveness.md. Servers run at their defaults (only ports set).
# Usage: bash bench/responsiveness.sh [--rounds N (5)]   env: PEERS=path to shared/peers, SKIP_BUILD=1
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
rounds=5
while [ $# -gt 0 ]; do
    case $1 in
        --rounds) rounds=$2; shift 2 ;;
        *) echo "usage: bash bench/responsiveness.sh [--rounds N]" >&2; exit 2 ;;
    esac
done
peers=${PEERS:-$root/../shared/peers}
out=$root/bench/results/responsiveness.md
# shellcheck source=bench/redis-lib.sh
source bench/redis-lib.sh
with_cleanup
raw=$work/raw.tsv
if [ ! -f "$peers/python-asyncio/server.py" ]; then
    echo "the Python peer is not at $peers/python-asyncio/server.py (set PEERS)" >&2
    exit 1
fi
if [ "${SKIP_BUILD:-0}" != 1 ]; then
    dotnet build src/Server -c Release -v q -nologo >/dev/null
    dotnet build bench/Dispatch -c Release -v q -nologo >/dev/null
fi

# name → "port pgid"; every server in its own process group, started once and kept for all rounds.
declare -A server
start_c10k() {
    local name=$1 port
    shift
    port=$(free_port)
    setsid env "$@" dotnet src/Server/bin/Release/net10.0/c10k-server.dll --C10k:Resp:Port="$port" --C10k:Native:Port=0 \
        --C10k:Admin:Port=0 >"$work/$name.log" 2>&1 &
    server[$name]="$port $!"
    groups+=("$!")
}

# The scheduling variants: the defaults are measured as whichever of them appsettings.json names, never twice.
read -r default_scheduling default_nice < <(python3 -c '
import json, sys
w = json.load(open("src/C10k.Server/appsettings.json"))["C10k"]["Workers"]
print(w["Scheduling"], w["Nice"])')
variants=("Normal 0" "Normal 10" "Normal 19" "Batch 0" "Idle 0" "LongSlice 0" "LongSlice 10")
variant_names=()
for v in "${variants[@]}"; do
    read -r scheduling nice <<<"$v"
    name="${scheduling}-nice${nice}"
    [ "$scheduling" = Idle ] && name=Idle
    variant_names+=("$name")
    if [ "$scheduling $nice" = "$default_scheduling $default_nice" ]; then
        default_name=$name
        start_c10k "$name"
    else
        start_c10k "$name" C10k__Workers__Scheduling="$scheduling" C10k__Workers__Nice="$nice"
    fi
done
start_c10k no-inline DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=0

redis_port=$(free_port)
setsid redis-server --port "$redis_port" --save '' --appendonly no --protected-mode no --maxclients 19500 --logfile "$work/redis.log" &
server[redis]="$redis_port $!"
groups+=("$!")
python_port=$(free_port)
setsid python3 "$peers/python-asyncio/server.py" --port "$python_port" >"$work/python.log" 2>&1 &
server[python]="$python_port $!"
groups+=("$!")
for name in "${!server[@]}"; do
    wait_port "${server[$name]%% *}"
done

# One redis-benchmark run against a server; appends "round target line rps p50 p99 generator_cpu% server_cpu%" to the raw file.
# A background saturating generator (pid $bg, if set) counts in the generator's CPU.
measure() {
    local round=$1 target=$2 line=$3 port pgid before after start end times csv bg_before bg_after
    shift 3
    read -r port pgid <<<"${server[$target]}"
    before=$(cpu_seconds "$pgid")
    bg_before=$( [ -n "${bg:-}" ] && cpu_seconds "$bg" || echo 0)
    start=$(date +%s.%N)
    times=$( { TIMEFORMAT='%U %S'; time redis-benchmark -p "$port" --csv -q "$@" 2>/dev/null | tail -1 >"$work/csv"; } 2>&1 )
    end=$(date +%s.%N)
    after=$(cpu_seconds "$pgid")
    bg_after=$( [ -n "${bg:-}" ] && cpu_seconds "$bg" || echo 0)
    csv=$(tr -d '"' <"$work/csv")
    awk -v r="$round" -v t="$target" -v l="$line" -v csv="$csv" -v b="$before" -v a="$after" -v s="$start" -v e="$end" \
        -v u="$times" -v bb="$bg_before" -v ba="$bg_after" 'BEGIN {
        split(csv, f, ","); split(u, g, " "); wall = e - s
        printf "%s\t%s\t%s\t%s\t%s\t%s\t%.0f\t%.0f\n", r, t, l, f[2], f[5], f[7], 100 * (g[1] + g[2] + ba - bb) / wall, 100 * (a - b) / wall
    }' >>"$raw"
    tail -1 "$raw" | awk -F'\t' '{ printf "  %-14s %-22s %10s rps  p50 %s  p99 %s ms  generator %s%%  server %s%%\n", $2, $3, $4, $5, $6, $7, $8 }'
}

# PING -c 10 while HASH 20000 -c 64 keeps every worker busy (started 2 s before, stopped after). With a third argument the
# PING goes to that server instead, beside the saturated one: redis-server there is the box's floor for the same contention.
saturated() {
    local round=$1 target=$2 pinged=${3:-$2} port
    port=${server[$target]%% *}
    setsid redis-benchmark -p "$port" -c 64 -n 100000000 HASH 20000 payload >/dev/null 2>&1 &
    bg=$!
    sleep 2
    if [ "$pinged" = "$target" ]; then
        measure "$round" "$target" "PING -c 10 under HASH" -c 10 -n 30000 PING
    else
        measure "$round" "$pinged" "PING -c 10 beside saturated C10k" -c 10 -n 30000 PING
    fi
    kill -- "-$bg" 2>/dev/null || true
    wait "$bg" 2>/dev/null || true
    bg=""
    sleep 0.5
}

ceiling() {
    local round=$1
    dotnet bench/Dispatch/bin/Release/net10.0/C10k.Bench.Dispatch.dll --ceiling-only --seconds 3 --hash-iterations 1000 |
        awk -v r="$round" '{ printf "%s\tceiling\tHASH 1000 in-process\t%s\t0\t0\t0\t%s\n", r, $1 * $2, $2 }' >>"$raw"
    tail -1 "$raw" | awk -F'\t' '{ printf "  ceiling: cores x single-thread HASH 1000 = %s/s\n", $4 }'
}

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
echo "load average before: $load_before; $(nproc) cores; defaults: Scheduling=$default_scheduling Nice=$default_nice ($default_name)"
echo "warm-up (JIT, pools, HASH placement calibration)..."
for target in "${variant_names[@]}" no-inline python; do
    port=${server[$target]%% *}
    redis-benchmark -p "$port" -c 50 -n 3000 HASH 1000 payload >/dev/null 2>&1
    redis-benchmark -p "$port" -c 50 -n 50000 PING >/dev/null 2>&1
done
: >"$raw"

for round in $(seq "$rounds"); do
    echo "round $round/$rounds (load $(cut -d' ' -f1 /proc/loadavg))"
    ceiling "$round"
    for target in "$default_name" no-inline redis; do
        measure "$round" "$target" "PING -c 50" -c 50 -n 100000 PING
        measure "$round" "$target" "PING -c 50 -P 16" -c 50 -P 16 -n 1000000 PING
        measure "$round" "$target" "PING -c 1000" -c 1000 -n 100000 PING
    done
    for target in "${variant_names[@]}" no-inline python; do
        measure "$round" "$target" "HASH 1000 -c 50" -c 50 -n 15000 HASH 1000 payload
        saturated "$round" "$target"
    done
    saturated "$round" "$default_name" redis
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

python3 - "$raw" "$out" "$rounds" "$default_name" "$load_before" "$load_after" "${variant_names[@]}" no-inline <<'EOF'
import statistics, sys, datetime, os
raw, out, rounds, default, load_before, load_after, *variants = sys.argv[1:]
rows = [line.rstrip("\n").split("\t") for line in open(raw) if line.strip()]
def values(target, line, field):
    col = {"rps": 3, "p50": 4, "p99": 5, "gen": 6, "srv": 7}[field]
    return [float(r[col]) for r in rows if r[1] == target and r[2] == line]
def med(target, line, field):
    v = values(target, line, field)
    return statistics.median(v) if v else float("nan")
ceiling = med("ceiling", "HASH 1000 in-process", "rps")
hash_line, sat_line = "HASH 1000 -c 50", "PING -c 10 under HASH"
peer_hash, peer_p99 = med("python", hash_line, "rps"), med("python", sat_line, "p99")
lines = []
def p(s=""):
    lines.append(s)
    print(s)

p("## Defaults against the peers (medians)")
p()
p("| line | C10k defaults | peer | C10k / peer | target | met | C10k, inline completions off | generator CPU (C10k run) |")
p("|---|---|---|---|---|---|---|---|")
for line, target in (("PING -c 50", 1.0), ("PING -c 50 -P 16", 0.95), ("PING -c 1000", 1.0)):
    c, r = med(default, line, "rps"), med("redis", line, "rps")
    p(f"| {line} (rps) vs redis-server | {c:,.0f} | {r:,.0f} | {c / r:.2f}× | ≥ {target}× | {'yes' if c / r >= target else 'no'} | {med('no-inline', line, 'rps'):,.0f} ({med('no-inline', line, 'rps') / r:.2f}×) | {med(default, line, 'gen'):.0f}% |")
c = med(default, hash_line, "rps")
p(f"| HASH 1000 -c 50 (rps) vs Python peer | {c:,.0f} | {peer_hash:,.0f} | {c / peer_hash:.2f}× | ≥ 1.4× (stretch 1.5×) | {'yes' if c / peer_hash >= 1.4 else 'no'} | {med('no-inline', hash_line, 'rps'):,.0f} | {med(default, hash_line, 'gen'):.0f}% |")
c99 = med(default, sat_line, "p99")
p(f"| PING p99 under HASH 20000 saturation (ms) | {c99:.3f} | {peer_p99:.3f} | {c99 / peer_p99:.2f}× | ≤ 1.0 ms and < peer (stretch ≤ 0.3) | {'yes' if c99 <= 1.0 and c99 < peer_p99 else 'no'} | {med('no-inline', sat_line, 'p99'):.3f} | {med(default, sat_line, 'gen'):.0f}% |")
p(f"| PING p50 under HASH 20000 saturation (ms) | {med(default, sat_line, 'p50'):.3f} | {med('python', sat_line, 'p50'):.3f} | | | | {med('no-inline', sat_line, 'p50'):.3f} | |")
p()
floor_line = "PING -c 10 beside saturated C10k"
p(f"Box floor for that line: redis-server answering the same PING load while C10k (defaults) is saturated by the same HASH generator "
  f"(so the HASH generator, the PING generator and C10k's workers contend as in the line above): p50 / p99 "
  f"{med('redis', floor_line, 'p50'):.3f} / {med('redis', floor_line, 'p99'):.3f} ms (per round: "
  + ", ".join(f"{x:g}" for x in values('redis', floor_line, 'p99')) + ").")
p()
p(f"HASH ceiling (in-process, cores × single thread, median): {ceiling:,.0f}/s; C10k defaults reach {c / ceiling:.2f}× of it, the peer {peer_hash / ceiling:.2f}×.")
p()
p("## Worker scheduling variants (medians; the defaults are chosen from this table)")
p()
p("| variant | HASH 1000 rps | × peer | × ceiling | PING p50 / p99 under saturation (ms) | server CPU (HASH) | generator CPU (HASH / saturation) | meets both targets |")
p("|---|---|---|---|---|---|---|---|")
table = []
for v in variants + ["python"]:
    h, p50, p99 = med(v, hash_line, "rps"), med(v, sat_line, "p50"), med(v, sat_line, "p99")
    both = v != "python" and h / peer_hash >= 1.4 and p99 <= 1.0 and p99 < peer_p99
    table.append((v, h, p99, both))
    name = v + (" (defaults)" if v == default else "") + (" (peer)" if v == "python" else "")
    p(f"| {name} | {h:,.0f} | {h / peer_hash:.2f}× | {h / ceiling:.2f}× | {p50:.3f} / {p99:.3f} | {med(v, hash_line, 'srv'):.0f}% | {med(v, hash_line, 'gen'):.0f}% / {med(v, sat_line, 'gen'):.0f}% | {'yes' if both else 'no'} |")
candidates = [t for t in table if t[3] and t[0] != "no-inline"]
rule = "meets both targets (HASH ≥ 1.4× peer, p99 ≤ 1.0 ms and below the peer's)"
if not candidates:
    candidates = [t for t in table if t[0] not in ("python", "no-inline") and t[1] >= 1.3 * peer_hash]
    rule = "no variant meets both targets: lowest median p99 among those with HASH ≥ 1.3× the peer"
chosen = min(candidates, key=lambda t: t[2])[0] if candidates else "none"
p()
p(f"Rule: {rule} → **{chosen}**; the configured defaults are **{default}**{' (agree)' if chosen == default else ' (DISAGREE: change appsettings.json)'}.")
p()
p("Per-round values (rps / p99 ms), to judge the spread:")
p()
for v in ["redis"] + variants + ["python"]:
    for line in ("PING -c 50", "PING -c 50 -P 16", "PING -c 1000", hash_line, sat_line):
        vals = values(v, line, "p99" if line == sat_line else "rps")
        if vals:
            p(f"- {v}, {line}: " + ", ".join(f"{x:g}" for x in vals))
header = f"""# Responsiveness: PING at redis speed, and PING under a millisecond while every core hashes

Command: `bash bench/responsiveness.sh --rounds {rounds}` · {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC · {os.cpu_count()} cores · load average before {load_before}, after {load_after}

- Every server started once and kept for all rounds, at its defaults (ports only): C10k (Release build; each scheduling variant is
  the defaults plus `C10k__Workers__Scheduling`/`__Nice`; "no-inline" sets `DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=0`),
  redis-server (`--save '' --appendonly no`), the Python asyncio + process-pool peer.
- {rounds} interleaved rounds; medians shown. Load generator: redis-benchmark on the same cores as the servers (its CPU is shown,
  100% = one core; in the saturation line it is the HASH generator plus the PING generator).
- Saturation: `redis-benchmark -c 64 HASH 20000 payload` runs for 2 s before and during `redis-benchmark -c 10 -n 30000 PING`.
- Ceiling: the server's own HASH 1000 routine on one thread in-process (bench/Dispatch `--ceiling-only`), × cores, each round.

"""
with open(out, "w") as f:
    f.write(header + "\n".join(lines) + "\n")
print(f"\nwrote {out}")
EOF
