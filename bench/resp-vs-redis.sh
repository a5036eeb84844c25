#!/usr/bin/env bash
# RESP front vs redis-server (and, for HASH, vs the Python asyncio + process-pool peer), same redis-benchmark lines,
# interleaved and repeated (docs/benchmarking.md): prints a markdown table of medians and C10k/peer ratios, and writes it
# to bench/results/resp.md. Usage: bench/resp-vs-redis.sh [rounds]   (env: N, SKIP_BUILD=1, PEERS=path to shared/peers)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
rounds=${1:-3}
n=${N:-100000}
peers=${PEERS:-$root/../shared/peers}
out=$root/bench/results/resp.md
work=$(mktemp -d)
pids=()
load_before=$(cut -d' ' -f1-3 /proc/loadavg)

cleanup() {
    for pid in "${pids[@]}"; do
        kill -- "-$pid" 2>/dev/null || kill "$pid" 2>/dev/null || true
    done
    rm -rf "$work"
}
trap cleanup EXIT

# shellcheck source=bench/redis-lib.sh
source bench/redis-lib.sh

if [ "${SKIP_BUILD:-0}" != 1 ]; then
    dotnet build src/Server -c Release -v q -nologo >/dev/null
fi

redis_port=$(free_port)
c10k_port=$(free_port)
python_port=$(free_port)

setsid redis-server --port "$redis_port" --save '' --appendonly no --protected-mode no --maxclients 19500 \
    --logfile "$work/redis.log" &
redis_pid=$!
pids+=("$redis_pid")

# Release build at its defaults (workstation GC, TieredPGO, inline socket completions: src/Server/C10k.Host.csproj and Program.cs).
setsid dotnet src/Server/bin/Release/net10.0/c10k-server.dll --C10k:Resp:Port="$c10k_port" --C10k:Native:Port=0 --C10k:Admin:Port=0 \
    --C10k:Limits:MaxConnections=19500 --Logging:LogLevel:Default=Warning >"$work/c10k.log" 2>&1 &
c10k_pid=$!
pids+=("$c10k_pid")

# The same server with workers at nice 10 (the default is 0): a lower worker priority favours the socket threads, but on a
# box shared with other jobs it also hands the workers' CPU to those jobs (bench/results/dispatch.md measures it).
nice10_port=$(free_port)
setsid dotnet src/Server/bin/Release/net10.0/c10k-server.dll --C10k:Resp:Port="$nice10_port" --C10k:Native:Port=0 --C10k:Admin:Port=0 \
    --C10k:Workers:Nice=10 --Logging:LogLevel:Default=Warning >"$work/c10k-nice10.log" 2>&1 &
nice10_pid=$!
pids+=("$nice10_pid")

python_pid=""
if [ -f "$peers/python-asyncio/server.py" ]; then
    setsid python3 "$peers/python-asyncio/server.py" --port "$python_port" >"$work/python.log" 2>&1 &
    python_pid=$!
    pids+=("$python_pid")
    wait_port "$python_port"
fi

wait_port "$redis_port"
wait_port "$c10k_port"
wait_port "$nice10_port"

echo1k=$(head -c 1024 /dev/zero | tr '\0' 'x')
names=("PING -c 50" "PING -c 50 -P 16" "PING -c 1000" "HASH 1000 -c 50" "ECHO 1 KB -c 50" "HASH 1000 -c 50, workers nice 10")
args=("-t ping_mbulk -c 50 -n $n" "-t ping_mbulk -c 50 -P 16 -n $((n * 10))" "-t ping_mbulk -c 1000 -n $n"
    "-c 50 -n $((n / 10)) HASH 1000 payload" "-c 50 -n $n ECHO $echo1k" "-c 50 -n $((n / 10)) HASH 1000 payload")

# One measured run: prints "rps p99 server_cpu% bench_cpu% server_cpu_us_per_request".
run() {
    local port=$1 pgid=$2 line=$3 before after start end csv times
    before=$(cpu_seconds "$pgid")
    start=$(date +%s.%N)
    # shellcheck disable=SC2086 # the line is a list of redis-benchmark arguments
    csv=$( { TIMEFORMAT='%U %S'; time redis-benchmark -p "$port" --csv -q ${args[$line]} 2>/dev/null | tail -1 >"$work/csv"; } 2>&1 )
    end=$(date +%s.%N)
    after=$(cpu_seconds "$pgid")
    times=$csv
    csv=$(cat "$work/csv")
    awk -v csv="$csv" -v b="$before" -v a="$after" -v s="$start" -v e="$end" -v t="$times" 'BEGIN {
        gsub(/"/, "", csv); split(csv, f, ","); split(t, u, " ");
        wall = e - s; printf "%s %s %.0f %.0f %.1f\n", f[2], f[7], 100 * (a - b) / wall, 100 * (u[1] + u[2]) / wall, 1e6 * (a - b) / (f[2] * wall) }'
}

# Warm-up: JIT, tiered compilation, pools, calibration of HASH placement.
for line in 0 3 4; do
    run "$c10k_port" "$c10k_pid" "$line" >/dev/null
done
run "$nice10_port" "$nice10_pid" 5 >/dev/null

declare -A results
for round in $(seq "$rounds"); do
    for line in "${!names[@]}"; do
        if [ "$line" = 5 ]; then
            results[$line,c10k,$round]=$(run "$nice10_port" "$nice10_pid" "$line")
        else
            results[$line,c10k,$round]=$(run "$c10k_port" "$c10k_pid" "$line")
        fi
        if [ "$line" = 3 ] || [ "$line" = 5 ]; then
            [ -n "$python_pid" ] && results[$line,peer,$round]=$(run "$python_port" "$python_pid" "$line")
        else
            results[$line,peer,$round]=$(run "$redis_port" "$redis_pid" "$line")
        fi
        echo "round $round ${names[$line]}: c10k ${results[$line,c10k,$round]} | peer ${results[$line,peer,$round]:-}" >&2
    done
done

# Median of field $2 over the rounds of one line and target.
median() {
    local line=$1 target=$2 field=$3 r
    for r in $(seq "$rounds"); do
        echo "${results[$line,$target,$r]:-}" | awk -v f="$field" 'NF { print $f }'
    done | sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "n/a"; else print v[int((NR + 1) / 2)] }'
}

all_rps() {
    local line=$1 target=$2 r
    for r in $(seq "$rounds"); do
        echo "${results[$line,$target,$r]:-}" | awk 'NF { printf "%.0f ", $1 }'
    done
}

{
    echo "# RESP front vs redis-server (HASH: vs the Python asyncio peer)"
    echo
    echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC'); machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GB", $2 / 1048576 }' /proc/meminfo) RAM, load average before the run $load_before, after $(cut -d' ' -f1-3 /proc/loadavg) (shared box: other jobs ran too)"
    echo "- peers: $(redis-server --version | cut -d' ' -f3) (\`--save '' --appendonly no\`); Python peer \`$peers/python-asyncio/server.py\` (asyncio + process pool) for HASH"
    echo "- C10k: Release (admin port and its OpenTelemetry metrics pipeline on, as deployed), workers at the default nice 0 except on the last line (nice 10), workstation GC, TieredPGO on, \`C10k:Transport:InlineScheduling=true\` (default), \`DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1\`; unpinned"
    echo "- generator: \`redis-benchmark -p PORT --csv -q <line>\`, closed loop (each client waits for its reply), $rounds interleaved rounds (C10k then peer, per line), medians shown"
    echo "- command: \`bench/resp-vs-redis.sh $rounds\` (N=$n)"
    echo
    echo "| line | C10k rps | peer rps | C10k/peer | C10k p99 ms | peer p99 ms | C10k CPU % | peer CPU % | C10k CPU µs/req | peer CPU µs/req | bench CPU % (C10k / peer run) | C10k rps per round | peer rps per round |"
    echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|"
    for line in "${!names[@]}"; do
        c=$(median "$line" c10k 1)
        p=$(median "$line" peer 1)
        ratio=$(awk -v c="$c" -v p="$p" 'BEGIN { if (p + 0 > 0) printf "%.2f", c / p; else print "n/a" }')
        peer=redis
        { [ "$line" = 3 ] || [ "$line" = 5 ]; } && peer=python
        printf '| %s (vs %s) | %.0f | %s | **%s** | %s | %s | %s | %s | %s | %s | %s / %s | %s| %s|\n' "${names[$line]}" "$peer" "$c" \
            "$(awk -v p="$p" 'BEGIN { if (p == "n/a") print p; else printf "%.0f", p }')" "$ratio" \
            "$(median "$line" c10k 2)" "$(median "$line" peer 2)" "$(median "$line" c10k 3)" "$(median "$line" peer 3)" \
            "$(median "$line" c10k 5)" "$(median "$line" peer 5)" \
            "$(median "$line" c10k 4)" "$(median "$line" peer 4)" "$(all_rps "$line" c10k)" "$(all_rps "$line" peer)"
    done
    echo
    echo "CPU % is process CPU time over the run's wall time (100 % = one core; the Python peer includes its pool processes);"
    echo "CPU µs/req is that CPU time divided by the requests served, which stays comparable when other jobs load the box."
    echo "With 2 cores, redis-benchmark competes with the server: a bench CPU near 100 % means the generator saturated a core."
} | tee "$work/resp.md"
cp "$work/resp.md" "$out"
