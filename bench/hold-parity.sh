#!/usr/bin/env bash
# 10,000 held connections, 1 PING/s each (c10k-load's c10k-hold scenario, 20 s of 10,000 req/s), against the native front, the
# RESP front and redis-server, each in its own process; interleaved rounds, medians of p50/p99/p99.9, the generator's send lag
# (how late requests left its schedule), its CPU and GC pauses, checked against the targets of issues 12 and 17.
# Writes bench/results/hold-parity.md.
# Usage: bash bench/hold-parity.sh [--rounds N (3)] [--during S (20)] [--warm-up S (5): unmeasured seconds at the same rate after the
#   connect phase, so the percentiles are the steady state's, not the JIT's first seconds] [--targets native,resp,redis (all three)]
#   env: SKIP_BUILD=1; ALT_CLI=path to another build's c10k-load.dll (e.g. main's, for a before/after): adds a twin NAME-alt of each
#        target, run right after NAME in odd rounds and right before it in even ones;
#        LOAD_ENV="NAME=value …": environment of the generator runs (e.g. DOTNET_gcServer=1, DOTNET_GCgen0size=0x10000000)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=3
during=20
warm_up=5
selected=native,resp,redis
while [ $# -gt 0 ]; do
    case $1 in
        --rounds) rounds=$2; shift 2 ;;
        --during) during=$2; shift 2 ;;
        --warm-up) warm_up=$2; shift 2 ;;
        --targets) selected=$2; shift 2 ;;
        *) echo "usage: bash bench/hold-parity.sh [--rounds N] [--during S] [--warm-up S] [--targets native,resp,redis]" >&2; exit 2 ;;
    esac
done
# shellcheck source=bench/redis-lib.sh
source bench/redis-lib.sh
with_cleanup
ulimit -n 20000 2>/dev/null || true
if [ "${SKIP_BUILD:-0}" != 1 ]; then
    dotnet build src/Server -c Release -v q -nologo >/dev/null
    dotnet build loadtests/C10k.Load.Cli -c Release -v q -nologo >/dev/null
fi

native_port=$(free_port)
resp_port=$(free_port)
redis_port=$(free_port)
setsid dotnet src/Server/bin/Release/net10.0/c10k-server.dll --C10k:Native:Port="$native_port" --C10k:Resp:Port="$resp_port" \
    --C10k:Admin:Port=0 --C10k:ProtectedMode=false --Logging:LogLevel:Default=Warning >"$work/c10k.log" 2>&1 &
groups+=("$!")
c10k_group=$!
setsid redis-server --bind 127.0.0.1 --port "$redis_port" --save '' --appendonly no --protected-mode no --maxclients 19500 --logfile "$work/redis.log" &
groups+=("$!")
redis_group=$!
wait_port "$resp_port"
wait_port "$redis_port"

declare -A targets=([native]="native://127.0.0.1:$native_port" [resp]="resp://127.0.0.1:$resp_port" [redis]="resp://127.0.0.1:$redis_port")
names=()
IFS=, read -r -a chosen <<<"$selected"
for name in "${chosen[@]}"; do
    [ -n "${targets[$name]:-}" ] || { echo "unknown target $name (native, resp, redis)" >&2; exit 2; }
    names+=("$name")
    if [ -n "${ALT_CLI:-}" ]; then
        targets[$name-alt]=${targets[$name]}
        names+=("$name-alt")
    fi
done
read -r -a load_env <<<"${LOAD_ENV:-}"
# Each source address has its own ephemeral ports: the TIME_WAIT the previous run left (10,000 sockets for a minute) and other
# processes' connections then never run a run out of ports ("address not available", fewer connections held).
sources=127.0.0.2-127.0.0.5
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
echo "load average before: $load_before"
: >"$work/results.tsv"
for round in $(seq "$rounds"); do
    order=("${names[@]}")
    if [ -n "${ALT_CLI:-}" ] && [ $((round % 2)) = 0 ]; then
        # ABBA: the twin goes first in even rounds, so neither build always meets a server just left by the other's 10,000 connections
        order=()
        for ((i = 0; i < ${#names[@]}; i += 2)); do order+=("${names[i + 1]}" "${names[i]}"); done
    fi
    for name in "${order[@]}"; do
        cli=loadtests/C10k.Load.Cli/bin/Release/net10.0/c10k-load.dll
        [[ $name == *-alt ]] && cli=$ALT_CLI
        load=$(cut -d' ' -f1 /proc/loadavg)
        server=$c10k_group
        [[ $name == redis* ]] && server=$redis_group
        cpu_before=$(cpu_seconds "$server")
        env "${load_env[@]}" dotnet "$cli" run --target "${targets[$name]}" --scenario c10k-hold \
            --simulation "inject rate=10000 during=${during}s" --warm-up "${warm_up}s" --source-addresses "$sources" --plain --report "$work/$name-$round" >"$work/$name-$round.log" 2>&1 || true
        cpu=$(awk -v a="$cpu_before" -v b="$(cpu_seconds "$server")" 'BEGIN{printf "%.2f", b - a}')
        python3 - "$work/$name-$round/report.json" "$round" "$name" "$load" "$cpu" >>"$work/results.tsv" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
s, g = r["scenarios"][0], r["generator"]
print("\t".join(str(v) for v in (sys.argv[2], sys.argv[3], s["p50_ms"], s["p99_ms"], s["p999_ms"], s["ok"], s["fail"],
      s["connections"]["max_open"], g["average_cpu_percent"], s["max_send_lag_ms"], s["send_lag_p99_ms"], s["send_lag_p999_ms"],
      g["gc_collections"], g["gc_pause_ms"], sys.argv[4], sys.argv[5], s["send_lag_p50_ms"])))
PY
        tail -1 "$work/results.tsv" | awk -F'\t' '{ printf "round %s %-10s p50 %s  p99 %s  p99.9 %s ms  ok %s fail %s  held %s  generator CPU %s%%  send lag p50 %s p99 %s p99.9 %s max %s ms  GC %s (%s ms)  server CPU %s s  load %s\n", $1, $2, $3, $4, $5, $6, $7, $8, $9, $17, $11, $12, $10, $13, $14, $16, $15 }'
    done
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
python3 - "$work/results.tsv" "$rounds" "$during $warm_up" "$load_before" "$load_after" "${LOAD_ENV:-}" "${names[@]}" <<'PY' | tee bench/results/hold-parity.md
import datetime, statistics, sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
rounds, (during, warm_up), before, after, load_env, names = sys.argv[2], sys.argv[3].split(), sys.argv[4], sys.argv[5], sys.argv[6], sys.argv[7:]
med = lambda name, col: statistics.median(float(r[col]) for r in rows if r[1] == name)
redis = med("redis", 3) if "redis" in names else None
env = f"LOAD_ENV='{load_env}' " if load_env else ""
alt = " (NAME-alt: ALT_CLI's build, interleaved ABBA)" if any(n.endswith("-alt") for n in names) else ""
print("# 10,000 held connections, 1 PING/s each: native front, RESP front, redis-server\n")
print(f"`{env}bash bench/hold-parity.sh --rounds {rounds} --during {during} --warm-up {warm_up} --targets {','.join(n for n in names if not n.endswith('-alt'))}`{alt} · "
      f"{datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC · load average before {before}, after {after} · c10k-load in its own process (sources 127.0.0.2-5), "
      f"servers in theirs · medians of {rounds} interleaved rounds\n")
print("| target | p50 ms | p99 ms | p99.9 ms | send lag p50 ms | send lag p99 ms | send lag p99.9 ms | p99 − redis ms | generator CPU (100% = one core) | GCs in the load | GC pauses ms | server CPU µs/request | failures |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
for n in names:
    versus = f"{med(n, 3) - redis:+.3f}" if redis is not None else "–"
    print(f"| {n} | {med(n, 2):.3f} | {med(n, 3):.3f} | {med(n, 4):.3f} | {med(n, 16):.3f} | {med(n, 10):.3f} | {med(n, 11):.3f} | {versus} | "
          f"{med(n, 8):.0f}% | {med(n, 12):.0f} | {med(n, 13):.0f} | {statistics.median(float(r[15]) * 1e6 / int(r[5]) for r in rows if r[1] == n):.1f} | "
          f"{sum(int(r[6]) for r in rows if r[1] == n)} |")
ok = lambda cond: "met" if cond else "**missed**"
targets = []
if redis is not None:
    targets.append(f"redis-server p99 ≤ 2 ms {ok(redis <= 2)}, p99.9 ≤ 5 ms {ok(med('redis', 4) <= 5)}")
targets.append("send lag p99 ≤ 0.5 ms: " + ", ".join(f"{n} {ok(med(n, 10) <= 0.5)}" for n in names))
if redis is not None and any(n not in ("redis", "redis-alt") for n in names):
    targets.append("p99 within 1 ms of redis-server's: " + ", ".join(f"{n} {ok(med(n, 3) - redis <= 1)}" for n in names if not n.startswith("redis")))
print("\nTargets: " + "; ".join(targets) + ".")
print("\nPer round (p99 ms): " + "; ".join(f"{n}: " + ", ".join(r[3] for r in rows if r[1] == n) for n in names))
print("\nPer round (send lag p99 ms): " + "; ".join(f"{n}: " + ", ".join(r[10] for r in rows if r[1] == n) for n in names))
print("\nLoad average (1 min) before each run, in run order: " + ", ".join(r[14] for r in rows))
print("\nServer CPU per request: the server process's CPU time over the run (connect phase and warm-up included) divided by "
      "the requests answered; native and RESP are the same C10k process.")
PY
