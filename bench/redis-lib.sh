# Shared by the redis-benchmark scripts (sourced): installs redis-server/redis-benchmark when missing, free ports, waiting for a
# RESP port, the CPU time of a process group, and cleanup on exit.

if ! command -v redis-server >/dev/null || ! command -v redis-benchmark >/dev/null; then
    apt-get install -y redis-server redis-tools >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y redis-server redis-tools >/dev/null; }
fi

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# wait_port PORT [redis-cli options…] (e.g. --tls --cacert FILE for a TLS port).
wait_port() {
    for _ in $(seq 400); do
        redis-cli -p "$1" "${@:2}" PING >/dev/null 2>&1 && return 0
        sleep 0.05
    done
    echo "nothing answers on port $1" >&2
    exit 1
}

# CPU seconds used so far by every process in a process group (a peer's pool processes included).
cpu_seconds() {
    local total=0 pid ticks
    for pid in $(pgrep -g "$1" || true); do
        ticks=$(awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null || echo 0)
        total=$((total + ticks))
    done
    echo "$total $(getconf CLK_TCK)" | awk '{printf "%.3f", $1 / $2}'
}

# A scratch directory $work and a list $groups of process groups (servers started with setsid); both go on exit.
with_cleanup() {
    work=$(mktemp -d)
    groups=()
    trap 'for pgid in "${groups[@]}"; do kill -- "-$pgid" 2>/dev/null || true; done; sleep 0.2; rm -rf "$work" 2>/dev/null || true' EXIT
}
