#!/usr/bin/env bash
# Memory per idle RESP connection (1k, 10k, 19k, each PINGed twice) and RSS growth under 200 non-reading PING flooders
# (with a fresh PING's latency from another process meanwhile), for C10k (defaults), a minimal Kestrel ConnectionHandler
# (bench/KestrelFloor: the floor of any Kestrel-hosted server), the same server on its own socket loop whose idle
# connections park (bench/ParkingFloor) and redis-server, in one run; then PING throughput and p99 (redis-benchmark,
# interleaved rounds, medians) for every server but redis-server. Writes bench/results/memory.md and memory.svg.
# Usage: bench/memory.sh   (env: SKIP_BUILD=1; PING_ROUNDS=5; OTHERS="name=[VAR=value …] path/c10k-server.dll [--C10k:…=…];name=…":
# other builds, settings or runtime variables, measured in the same run, for before/after figures; PHASES="flood" with MEMORY_WORK=dir reruns
# one phase and reports with the other phases' results kept in dir; the phases are idle, flood and ping)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
work=${MEMORY_WORK:-$(mktemp -d)}
pids=()

cleanup() {
    cleanup_servers
    [ -n "${MEMORY_WORK:-}" ] || rm -rf "$work"
}
trap cleanup EXIT

if ! command -v redis-server >/dev/null || ! command -v redis-cli >/dev/null || ! command -v redis-benchmark >/dev/null; then
    apt-get install -y redis-server redis-tools >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y redis-server redis-tools >/dev/null; }
fi

if [ "${SKIP_BUILD:-0}" != 1 ]; then
    dotnet build src/Server -c Release -v q -nologo >/dev/null
    dotnet build bench/KestrelFloor -c Release -v q -nologo >/dev/null
    dotnet build bench/ParkingFloor -c Release -v q -nologo >/dev/null
fi

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

wait_port() {
    for _ in $(seq 600); do
        redis-cli -p "$1" PING >/dev/null 2>&1 && return 0
        sleep 0.2
    done
    echo "nothing answers on port $1" >&2
    tail -n 20 "$work"/*.log >&2
    exit 1
}

# Starts the servers afresh and runs one phase of bench/memory.py against them, then stops them.
phase() {
    local c10k_port floor_port parking_port redis_port c10k_pid floor_pid parking_pid redis_pid other other_port servers=() others=()
    # Servers with fixed ports first: a C10k build binds its other ports to 0, and could take a port free_port just handed out.
    redis_port=$(free_port)
    setsid redis-server --bind 127.0.0.1 --port "$redis_port" --save '' --appendonly no --protected-mode no --maxclients 19500 \
        --logfile "$work/redis-$1.log" &
    redis_pid=$!
    floor_port=$(free_port)
    setsid dotnet bench/KestrelFloor/bin/Release/net10.0/C10k.Bench.KestrelFloor.dll "$floor_port" >"$work/floor-$1.log" 2>&1 &
    floor_pid=$!
    parking_port=$(free_port)
    setsid dotnet bench/ParkingFloor/bin/Release/net10.0/C10k.Bench.ParkingFloor.dll "$parking_port" >"$work/parking-$1.log" 2>&1 &
    parking_pid=$!
    IFS=';' read -r -a others <<<"${OTHERS:-}"
    for other in "${others[@]}"; do
        other_port=$(free_port)
        read -r -a other_args <<<"${other#*=}"
        other_env=()
        while [[ ${#other_args[@]} -gt 0 && ${other_args[0]} =~ ^[A-Za-z_][A-Za-z0-9_]*= ]]; do
            other_env+=("${other_args[0]}")
            other_args=("${other_args[@]:1}")
        done
        setsid env "${other_env[@]}" dotnet "${other_args[@]}" --C10k:Resp:Port="$other_port" --C10k:Native:Port=0 --C10k:Admin:Port=0 --C10k:ProtectedMode=false \
            --Logging:LogLevel:Default=Warning >"$work/other-${#servers[@]}-$1.log" 2>&1 &
        pids+=("$!")
        servers+=("${other%%=*}:$!:$other_port")
    done
    c10k_port=$(free_port)
    # Protected mode off: the clients come from 127.0.0.2-5 (for more ephemeral ports), which it counts as remote, as Redis 7 does.
    setsid dotnet src/Server/bin/Release/net10.0/c10k-server.dll --C10k:Resp:Port="$c10k_port" --C10k:Native:Port=0 \
        --C10k:Admin:Port=0 --C10k:ProtectedMode=false --Logging:LogLevel:Default=Warning >"$work/c10k-$1.log" 2>&1 &
    c10k_pid=$!
    pids+=("$c10k_pid" "$floor_pid" "$parking_pid" "$redis_pid")
    servers+=("C10k:$c10k_pid:$c10k_port" "Kestrel floor:$floor_pid:$floor_port" "Parking floor:$parking_pid:$parking_port"
        "redis-server:$redis_pid:$redis_port")
    for server in "${servers[@]}"; do
        wait_port "${server##*:}"
    done
    python3 bench/memory.py "$root/bench/results" "$work" "$1" "${servers[@]}"
    cleanup_servers
}

cleanup_servers() {
    for pid in "${pids[@]}"; do
        kill -- "-$pid" 2>/dev/null || kill "$pid" 2>/dev/null || true
    done
    for pid in "${pids[@]}"; do
        while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
    done
    pids=()
}

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
mkdir -p bench/results
for name in ${PHASES:-idle flood ping}; do
    phase "$name"
done
python3 bench/memory.py "$root/bench/results" "$work" report "$load_before"
