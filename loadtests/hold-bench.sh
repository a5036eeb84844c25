#!/usr/bin/env bash
# The generator's own latency floor at 10,000 connections × 1 PING/s against redis-server: this checkout's c10k-load against a
# baseline revision's, interleaved B A B A… against one redis-server on loopback, each in its own process. Prints per run p50,
# p99, p99.9 (from the intended send times), the send lag p99 (how late requests left; baseline builds that lack it show "-"),
# the generator's CPU, the machine load, then the medians.
# Usage: [NICE=-15] loadtests/hold-bench.sh BASELINE-REV [rounds] [seconds]   (needs redis-server; port 6392; ulimit -n ≥ 10,100)
# NICE runs redis-server and both generators at that nice value (negative needs root): on a machine shared with other work
# it shows what each generator does when the scheduler lets it run, rather than how busy the machine was.
set -euo pipefail
cd "$(dirname "$0")/.."
baseline_rev=${1:?baseline revision, e.g. 4fb69af}
rounds=${2:-3}
seconds=${3:-20}
nice=${NICE:-0}
port=6392
work=$(mktemp -d /tmp/c10k-hold-bench.XXXXXX)
git archive "$baseline_rev" | tar -x -C "$work"
dotnet build "$work/loadtests/C10k.Load.Cli" -c Release --nologo -v quiet >/dev/null
dotnet build loadtests/C10k.Load.Cli -c Release --nologo -v quiet >/dev/null
declare -A tool=([baseline]="$work/loadtests/C10k.Load.Cli/bin/Release/net10.0/c10k-load" [current]=loadtests/C10k.Load.Cli/bin/Release/net10.0/c10k-load)
nice -n "$nice" redis-server --port $port --save '' --appendonly no --protected-mode no --maxclients 19500 --daemonize yes \
    --pidfile "$work/redis.pid" --logfile "$work/redis.log"
trap 'kill "$(cat "$work/redis.pid")"; rm -rf "$work"' EXIT
sleep 0.5
field() { jq -r ".scenarios[0].$1 // \"-\"" "$2"; }
declare -A p99 p999 lag
for r in $(seq "$rounds"); do
    for variant in baseline current; do
        load=$(uptime | sed 's/.*load average: //')
        nice -n "$nice" "${tool[$variant]}" run --target "resp://127.0.0.1:$port" --scenario ping --connections 10000 --connect-rate 2000 \
            --simulation "inject rate=10000 during=${seconds}s" --plain --report "$work/$variant-$r" >"$work/$variant-$r.log" 2>&1 || true
        json="$work/$variant-$r/report.json"
        p99[$variant]+="$(field p99_ms "$json") "
        p999[$variant]+="$(field p999_ms "$json") "
        lag[$variant]+="$(field send_lag_p99_ms "$json") "
        echo "round $r $variant: ok $(field ok "$json") fail $(field fail "$json") p50 $(field p50_ms "$json") ms, p99 $(field p99_ms "$json") ms," \
            "p99.9 $(field p999_ms "$json") ms, send lag p99 $(field send_lag_p99_ms "$json") ms (max $(field max_send_lag_ms "$json")), generator CPU" \
            "$(jq -r .generator.average_cpu_percent "$json")% of a core, GC pauses $(jq -r '.generator.gc_pause_ms // "-"' "$json") ms; load before: $load"
    done
done
median() { printf '%s\n' "$@" | grep -v '^-$' | sort -g | awk '{v[NR]=$1} END {print (NR == 0 ? "-" : NR%2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2)}'; }
for variant in baseline current; do
    # shellcheck disable=SC2086
    echo "median $variant: p99 $(median ${p99[$variant]}) ms, p99.9 $(median ${p999[$variant]}) ms, send lag p99 $(median ${lag[$variant]}) ms"
done
