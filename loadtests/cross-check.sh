#!/usr/bin/env bash
# Cross-check: c10k-load's closed model (50 virtual users, each on its own connection by default) against
# `redis-benchmark -c 50`, on PING and on SET, interleaved A B A B against one redis-server on loopback (free port). Each c10k-load
# run's request count (ok + fail) is compared with redis-server's own INFO commandstats for that run: they must be equal.
# Prints each round with the machine load, then a median table (also written to bench/results/load-cross-check.md).
# Usage: loadtests/cross-check.sh [rounds (3)] [seconds (10)]   env: SKIP_BUILD=1; ALT_TOOL=another build's c10k-load (e.g. main's,
#   for a before/after): run too in every round, right after this checkout's, and given its own median and ratio
#   (installs redis-server/redis-benchmark if missing)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
seconds=${2:-10}
# shellcheck source=bench/redis-lib.sh
source bench/redis-lib.sh
with_cleanup
[ "${SKIP_BUILD:-0}" = 1 ] || dotnet build loadtests/C10k.Load.Cli -c Release --nologo -v quiet >/dev/null
tool=loadtests/C10k.Load.Cli/bin/Release/net10.0/c10k-load
port=$(free_port)
setsid redis-server --bind 127.0.0.1 --port "$port" --save '' --appendonly no --protected-mode no --maxclients 19500 --logfile "$work/redis.log" &
groups+=("$!")
wait_port "$port"
calls() { redis-cli -p "$port" info commandstats | sed -n "s/^cmdstat_$1:calls=\([0-9]*\),.*/\1/p"; }
median() { printf '%s\n' "$@" | sort -g | awk '{v[NR]=$1} END {print (NR%2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2)}'; }
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
rows=()
# test name, redis-benchmark -t test, c10k-load command (the same bytes redis-benchmark sends: SET's default key and 3-byte value)
for test in "ping ping_mbulk PING" "set set SET key:__rand_int__ xxx"; do
    read -r name bench command <<<"$test"
    ours=(); theirs=(); alts=(); counts=(); loads=(); equal=yes
    for r in $(seq "$rounds"); do
        redis-cli -p "$port" config resetstat >/dev/null
        load=$(cut -d' ' -f1 /proc/loadavg)
        out=$($tool run --target "resp://127.0.0.1:$port" --command "$command" --simulation "keep-constant copies=50 during=${seconds}s" --plain | grep "^| $name | closed")
        a=$(awk -F'|' '{gsub(/ /,"",$5); print $5}' <<<"$out")
        sent=$(awk -F'|' '{gsub(/ /,"",$6); gsub(/ /,"",$7); print $6 + $7}' <<<"$out")
        seen=$(calls "$name")
        [ "$sent" = "$seen" ] || equal=NO
        if [ -n "${ALT_TOOL:-}" ]; then
            alt=$($ALT_TOOL run --target "resp://127.0.0.1:$port" --command "$command" --simulation "keep-constant copies=50 during=${seconds}s" --plain | grep "^| $name | closed" | awk -F'|' '{gsub(/ /,"",$5); print $5}')
            alts+=("$alt")
            echo "$name round $r: ALT_TOOL $alt rps"
        fi
        b=$(redis-benchmark -p "$port" -c 50 -n $((seconds * 25000)) -t "$bench" --csv | awk -F'","' 'NR==2{print $2}')
        echo "$name round $r: c10k-load $a rps, $sent requests, redis-server counted $seen; redis-benchmark $b rps; load average $load"
        ours+=("$a"); theirs+=("$b"); counts+=("$sent=$seen"); loads+=("$load")
    done
    m1=$(median "${ours[@]}"); m2=$(median "${theirs[@]}")
    ratio=$(awk -v a="$m1" -v b="$m2" 'BEGIN{printf "%.2f", a/b}')
    within=$(awk -v r="$ratio" 'BEGIN{print (r >= 0.8 && r <= 1.2) ? "yes" : "**no**"}')
    rows+=("| ${name^^} | $(IFS=/; echo "${ours[*]}") | $(IFS=/; echo "${theirs[*]}") | $m1 | $m2 | **$ratio** | $within | $equal ($(IFS=' '; echo "${counts[*]}")) | $(IFS=' '; echo "${loads[*]}") |")
    if [ -n "${ALT_TOOL:-}" ]; then
        m3=$(median "${alts[@]}")
        rows+=("| ${name^^}, ALT_TOOL | $(IFS=/; echo "${alts[*]}") | (same) | $m3 | $m2 | **$(awk -v a="$m3" -v b="$m2" 'BEGIN{printf "%.2f", a/b}')** | | | |")
    fi
done
{
    echo "# c10k-load closed model vs redis-benchmark -c 50 (redis-server $(redis-server --version | sed -n 's/.*v=\([^ ]*\).*/\1/p'), loopback)"
    echo
    echo "\`${ALT_TOOL:+ALT_TOOL=$ALT_TOOL }loadtests/cross-check.sh $rounds $seconds\` · $(date -u '+%Y-%m-%d %H:%M') UTC · $(nproc) cores · load average before $load_before, after $(cut -d' ' -f1-3 /proc/loadavg) · medians of $rounds interleaved rounds"
    echo
    echo "| command | c10k-load rps per round | redis-benchmark rps per round | c10k-load median | redis-benchmark median | ratio | within 20 % | requests = INFO commandstats | load average per round |"
    echo "|---|---|---|---:|---:|---:|---|---|---|"
    printf '%s\n' "${rows[@]}"
} | tee bench/results/load-cross-check.md
