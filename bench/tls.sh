#!/usr/bin/env bash
# What TLS costs on the RESP front: the same redis-benchmark lines against C10k's plain port and its TLS port (one server,
# both ports), interleaved and repeated, with redis-server plain and TLS run the same way as a reference. Prints a markdown
# table of medians and TLS/plain ratios and writes it to bench/results/tls.md. The certificate is ECDSA P-256, made on the
# spot with openssl and deleted afterwards.
# Usage: bench/tls.sh [rounds]   (env: N, SKIP_BUILD=1)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
rounds=${1:-3}
n=${N:-100000}
out=$root/bench/results/tls.md
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
. "$root/bench/redis-lib.sh"

if [ "${SKIP_BUILD:-0}" != 1 ]; then
    dotnet build src/Server -c Release -v q -nologo >/dev/null
fi

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 -subj /CN=localhost \
    -addext subjectAltName=DNS:localhost,IP:127.0.0.1 -keyout "$work/tls.key" -out "$work/tls.crt" 2>/dev/null

tls_args=(--tls --cacert "$work/tls.crt")
c10k_port=$(free_port)
c10k_tls_port=$(free_port)
redis_port=$(free_port)
redis_tls_port=$(free_port)

export DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1
setsid dotnet src/Server/bin/Release/net10.0/c10k-server.dll --C10k:Resp:Port="$c10k_port" --C10k:Resp:TlsPort="$c10k_tls_port" \
    --C10k:Native:Port=0 --C10k:Admin:Port=0 --C10k:Tls:CertificatePath="$work/tls.crt" --C10k:Tls:KeyPath="$work/tls.key" \
    --Logging:LogLevel:Default=Warning >"$work/c10k.log" 2>&1 &
c10k_pid=$!
pids+=("$c10k_pid")
setsid redis-server --port "$redis_port" --tls-port "$redis_tls_port" --tls-cert-file "$work/tls.crt" --tls-key-file "$work/tls.key" \
    --tls-auth-clients no --save '' --appendonly no --protected-mode no --logfile "$work/redis.log" &
redis_pid=$!
pids+=("$redis_pid")
wait_port "$c10k_port"
wait_port "$c10k_tls_port" "${tls_args[@]}"
wait_port "$redis_port"
wait_port "$redis_tls_port" "${tls_args[@]}"

names=("PING -c 50" "PING -c 50 -P 16")
args=("-t ping_mbulk -c 50 -n $n" "-t ping_mbulk -c 50 -P 16 -n $((n * 10))")
targets=(c10k c10k-tls redis redis-tls)
declare -A port=([c10k]=$c10k_port [c10k-tls]=$c10k_tls_port [redis]=$redis_port [redis-tls]=$redis_tls_port)
declare -A group=([c10k]=$c10k_pid [c10k-tls]=$c10k_pid [redis]=$redis_pid [redis-tls]=$redis_pid)

# One measured run: prints "rps p99 server_cpu% bench_cpu%".
run() {
    local target=$1 line=$2 before after start end times csv extra=()
    [[ $target == *-tls ]] && extra=("${tls_args[@]}")
    before=$(cpu_seconds "${group[$target]}")
    start=$(date +%s.%N)
    # shellcheck disable=SC2086 # the line is a list of redis-benchmark arguments
    times=$( { TIMEFORMAT='%U %S'; time redis-benchmark -p "${port[$target]}" "${extra[@]}" --csv -q ${args[$line]} 2>/dev/null | tail -1 >"$work/csv"; } 2>&1 )
    end=$(date +%s.%N)
    after=$(cpu_seconds "${group[$target]}")
    csv=$(cat "$work/csv")
    awk -v csv="$csv" -v b="$before" -v a="$after" -v s="$start" -v e="$end" -v t="$times" 'BEGIN {
        gsub(/"/, "", csv); split(csv, f, ","); split(t, u, " "); wall = e - s;
        printf "%s %s %.0f %.0f\n", f[2], f[7], 100 * (a - b) / wall, 100 * (u[1] + u[2]) / wall }'
}

for target in "${targets[@]}"; do
    run "$target" 0 >/dev/null
done

declare -A results
for round in $(seq "$rounds"); do
    for line in "${!names[@]}"; do
        for target in "${targets[@]}"; do
            results[$line,$target,$round]=$(run "$target" "$line")
            echo "round $round ${names[$line]} $target: ${results[$line,$target,$round]}" >&2
        done
    done
done

median() {
    local line=$1 target=$2 field=$3 r
    for r in $(seq "$rounds"); do
        echo "${results[$line,$target,$r]}" | awk -v f="$field" '{ print $f }'
    done | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

{
    echo "# TLS on the RESP front: cost against plain, same run"
    echo
    echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC'); machine: $(nproc) cores, load average before the run $load_before, after $(cut -d' ' -f1-3 /proc/loadavg) (shared box: other jobs ran too)"
    echo "- one C10k server (Release, defaults) with \`C10k:Resp:Port\` and \`C10k:Resp:TlsPort\`; $(redis-server --version | cut -d' ' -f3) with \`--port\` and \`--tls-port\`; ECDSA P-256 certificate made by openssl; TLS 1.3 (both sides' default)"
    echo "- generator: \`redis-benchmark -p PORT [--tls --cacert tls.crt] --csv -q <line>\` on the same 2 cores, closed loop; $rounds interleaved rounds (c10k, c10k-tls, redis, redis-tls per line), medians"
    echo "- command: \`bench/tls.sh $rounds\` (N=$n)"
    echo
    echo "| line | C10k plain rps | C10k TLS rps | **C10k TLS/plain** | redis plain rps | redis TLS rps | redis TLS/plain | C10k p99 ms plain / TLS | C10k CPU % plain / TLS | bench CPU % (C10k plain / TLS) |"
    echo "|---|---|---|---|---|---|---|---|---|---|"
    for line in "${!names[@]}"; do
        cp_=$(median "$line" c10k 1); ct=$(median "$line" c10k-tls 1); rp=$(median "$line" redis 1); rt=$(median "$line" redis-tls 1)
        printf '| %s | %.0f | %.0f | **%s** | %.0f | %.0f | %s | %s / %s | %s / %s | %s / %s |\n' "${names[$line]}" "$cp_" "$ct" "$(ratio "$ct" "$cp_")" \
            "$rp" "$rt" "$(ratio "$rt" "$rp")" "$(median "$line" c10k 2)" "$(median "$line" c10k-tls 2)" \
            "$(median "$line" c10k 3)" "$(median "$line" c10k-tls 3)" "$(median "$line" c10k 4)" "$(median "$line" c10k-tls 4)"
    done
    echo
    echo "CPU % is process CPU time over the run's wall time (100 % = one core). The generator shares the 2 cores (its TLS costs it CPU"
    echo "too), so the ratios, not the absolute rates, are the result."
} | tee "$work/tls.md"
cp "$work/tls.md" "$out"
