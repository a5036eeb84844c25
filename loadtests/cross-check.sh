#!/usr/bin/env bash
# Cross-check: c10k-load's closed model (50 virtual users, each on its own connection by default) against
# `redis-benchmark -c 50`, on PING and on SET, interleaved A B A B against one redis-server on loopback. Each c10k-load run's
# request count (ok + fail) is compared with redis-server's own INFO commandstats for that run: they must be equal.
# Prints each round, the machine load, and the medians. Usage: loadtests/cross-check.sh [rounds] [seconds]
# (needs redis-server and redis-benchmark; port 6391)
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
calls() { redis-cli -p $port info commandstats | sed -n "s/^cmdstat_$1:calls=\([0-9]*\),.*/\1/p"; }
median() { printf '%s\n' "$@" | sort -g | awk '{v[NR]=$1} END {print (NR%2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2)}'; }
# test name, redis-benchmark -t test, c10k-load command (the same bytes redis-benchmark sends: SET's default key and 3-byte value)
for test in "ping ping_mbulk PING" "set set SET key:__rand_int__ xxx"; do
    read -r name bench command <<<"$test"
    ours=(); theirs=(); counts=ok
    for r in $(seq "$rounds"); do
        redis-cli -p $port config resetstat >/dev/null
        out=$($tool run --target resp://127.0.0.1:$port --command "$command" --simulation "keep-constant copies=50 during=${seconds}s" --plain | grep "^| $name | closed")
        a=$(awk -F'|' '{gsub(/ /,"",$5); print $5}' <<<"$out")
        sent=$(awk -F'|' '{gsub(/ /,"",$6); gsub(/ /,"",$7); print $6 + $7}' <<<"$out")
        seen=$(calls "$name")
        [ "$sent" = "$seen" ] || counts="MISMATCH"
        b=$(redis-benchmark -p $port -c 50 -n $((seconds * 25000)) -t "$bench" --csv | awk -F'","' 'NR==2{print $2}')
        echo "$name round $r: c10k-load $a rps, $sent requests, redis-server counted $seen; redis-benchmark $b rps; load: $(uptime | sed 's/.*load average: //')"
        ours+=("$a"); theirs+=("$b")
    done
    m1=$(median "${ours[@]}"); m2=$(median "${theirs[@]}")
    echo "$name: median c10k-load $m1 rps, redis-benchmark $m2 rps, ratio $(awk -v a="$m1" -v b="$m2" 'BEGIN{printf "%.3f", a/b}'); request counts vs INFO commandstats: $counts"
done
