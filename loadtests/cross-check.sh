#!/usr/bin/env bash
# Cross-check: c10k-load's closed model (50 connections, PING) against `redis-benchmark -c 50 -t ping_mbulk`, interleaved
# A B A B A B against one redis-server on loopback, as docs/benchmarking.md asks. Prints each round and the medians.
# Usage: loadtests/cross-check.sh [rounds] [seconds]   (needs redis-server and redis-benchmark; port 6391)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
seconds=${2:-10}
port=6391
dotnet build loadtests/C10k.Load.Cli -c Release --nologo -v quiet >/dev/null
tool=loadtests/C10k.Load.Cli/bin/Release/net10.0/c10k-load
redis-server --port $port --save '' --appendonly no --protected-mode no --maxclients 19500 --daemonize yes \
    --pidfile /tmp/c10k-cross-check.pid --logfile /tmp/c10k-cross-check.log
trap 'kill "$(cat /tmp/c10k-cross-check.pid)"' EXIT
sleep 0.5
ours=(); theirs=()
for r in $(seq "$rounds"); do
    out=$($tool run --target resp://127.0.0.1:$port --scenario ping --connections 50 --warm-up 2s \
        --simulation "keep-constant copies=50 during=${seconds}s" --plain | grep '^| ping | closed')
    a=$(awk -F'|' '{gsub(/ /,"",$5); print $5}' <<<"$out")
    b=$(redis-benchmark -p $port -c 50 -n $((seconds * 25000)) -t ping_mbulk --csv | awk -F'","' '/PING_MBULK/{print $2}')
    echo "round $r: c10k-load $a rps ($out)"
    echo "round $r: redis-benchmark $b rps"
    ours+=("$a"); theirs+=("$b")
done
median() { printf '%s\n' "$@" | sort -g | awk '{v[NR]=$1} END {print (NR%2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2)}'; }
m1=$(median "${ours[@]}"); m2=$(median "${theirs[@]}")
echo "median c10k-load $m1 rps, redis-benchmark $m2 rps, ratio $(awk -v a="$m1" -v b="$m2" 'BEGIN{printf "%.3f", a/b}')"
