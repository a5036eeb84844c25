#!/usr/bin/env bash
# 10,000 held connections, 1 PING/s each (c10k-load's c10k-hold scenario, 20 s of 10,000 req/s), against the native front, the
# RESP front and redis-server, each in its own process; interleaved rounds, medians of p50/p99 and the generator's CPU.
# Usage: bash bench/hold-parity.sh [--rounds N (3)] [--during S (20)]
#   env: SKIP_BUILD=1, ALT_CLI=path to another build's c10k-load.dll: adds target native-alt, run with it (to compare clients)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=3
during=20
while [ $# -gt 0 ]; do
    case $1 in
        --rounds) rounds=$2; shift 2 ;;
        --during) during=$2; shift 2 ;;
        *) echo "usage: bash bench/hold-parity.sh [--rounds N] [--during S]" >&2; exit 2 ;;
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
    --C10k:Admin:Port=0 --Logging:LogLevel:Default=Warning >"$work/c10k.log" 2>&1 &
groups+=("$!")
setsid redis-server --port "$redis_port" --save '' --appendonly no --protected-mode no --maxclients 19500 --logfile "$work/redis.log" &
groups+=("$!")
wait_port "$resp_port"
wait_port "$redis_port"

declare -A targets=([native]="native://127.0.0.1:$native_port" [resp]="resp://127.0.0.1:$resp_port" [redis]="resp://127.0.0.1:$redis_port")
names=(native resp redis)
if [ -n "${ALT_CLI:-}" ]; then
    targets[native-alt]=${targets[native]}
    names=(native native-alt resp redis)
fi
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
echo "load average before: $load_before"
: >"$work/results.tsv"
for round in $(seq "$rounds"); do
    for name in "${names[@]}"; do
        cli=loadtests/C10k.Load.Cli/bin/Release/net10.0/c10k-load.dll
        [ "$name" = native-alt ] && cli=$ALT_CLI
        dotnet "$cli" run --target "${targets[$name]}" --scenario c10k-hold \
            --simulation "inject rate=10000 during=${during}s" --plain --report "$work/$name-$round" >"$work/$name-$round.log" 2>&1 || true
        python3 - "$work/$name-$round/report.json" "$round" "$name" >>"$work/results.tsv" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))
s = r["scenarios"][0]
print(f"{sys.argv[2]}\t{sys.argv[3]}\t{s['p50_ms']}\t{s['p99_ms']}\t{s['p999_ms']}\t{s['ok']}\t{s['fail']}\t{s['connections']['max_open']}\t{r['generator']['average_cpu_percent']}\t{s['max_send_lag_ms']}")
EOF
        tail -1 "$work/results.tsv" | awk -F'\t' '{ printf "round %s %-6s p50 %s  p99 %s  p99.9 %s ms  ok %s fail %s  held %s  generator CPU %s%%  send lag %s ms\n", $1, $2, $3, $4, $5, $6, $7, $8, $9, $10 }'
    done
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
python3 - "$work/results.tsv" "$rounds" "$during" "$load_before" "$load_after" "${names[@]}" <<'EOF' | tee bench/results/hold-parity.md
import datetime, statistics, sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
rounds, during, before, after, names = sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5], sys.argv[6:]
med = lambda name, col: statistics.median(float(r[col]) for r in rows if r[1] == name)
redis = med("redis", 3)
print(f"# 10,000 held connections, 1 PING/s each: native front, RESP front, redis-server\n")
print(f"`bash bench/hold-parity.sh --rounds {rounds} --during {during}` · {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC · "
      f"load average before {before}, after {after} · c10k-load in its own process, servers in theirs · medians of {rounds} interleaved rounds\n")
print("| target | p50 ms | p99 ms | p99.9 ms | p99 − redis | generator CPU (100% = one core) |\n|---|---|---|---|---|---|")
for name in names:
    print(f"| {name} | {med(name, 2):.2f} | {med(name, 3):.2f} | {med(name, 4):.2f} | {med(name, 3) - redis:+.2f} | {med(name, 8):.0f}% |")
print("\nPer round (p99 ms): " + "; ".join(f"{n}: " + ", ".join(r[3] for r in rows if r[1] == n) for n in names))
EOF
