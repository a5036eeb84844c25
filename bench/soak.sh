#!/usr/bin/env bash
# Soak: mixed PING/ECHO/HASH load on both fronts with random disconnects, half-closes and server restarts (SIGTERM,
# drain, restart on the same ports), reconciled at the end by bench/soak.py (see its docstring). Prints
# `sent=… ok=… busy=… timeout=… conn_errors=… wrong=0 lost=0 …` and writes bench/results/soak.md.
# Usage: bench/soak.sh [duration, default 10m]   (e.g. 60s, 10m; env: SKIP_BUILD=1, CONNECTIONS=32, RESTART_MIN/MAX in s)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
duration=${1:-10m}
case "$duration" in
    *m) seconds=$((${duration%m} * 60)) ;;
    *s) seconds=${duration%s} ;;
    *) seconds=$duration ;;
esac
out=$root/bench/results/soak.md
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if [ "${SKIP_BUILD:-0}" != 1 ]; then
    dotnet build src/Server -c Release -v q -nologo >/dev/null
fi

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
started=$(date -u +%FT%TZ)
status=0
python3 bench/soak.py --duration "$seconds" --server-dll "$root/src/Server/bin/Release/net10.0/c10k-server.dll" \
    --native-port "$(free_port)" --resp-port "$(free_port)" --admin-port "$(free_port)" \
    --connections "${CONNECTIONS:-32}" --restart-min "${RESTART_MIN:-20}" --restart-max "${RESTART_MAX:-50}" \
    --log "$work/server.log" | tee "$work/soak.txt" || status=$?
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

{
    echo "# Soak"
    echo
    echo "\`bash bench/soak.sh $duration\`, started $started on $(nproc) cores; load average before: $load_before, after: $load_after."
    echo "The driver (bench/soak.py, one Python process, ${CONNECTIONS:-32} connections, half native and half RESP) shares the cores with the server."
    echo
    echo '```'
    cat "$work/soak.txt"
    echo '```'
    echo
    echo "Each \`run=\` line is one server process: the replies the client read from it against its \`c10k_requests_total\`"
    echo "(PING, ECHO and HASH) scraped before its SIGTERM with the clients paused; requests the client abandoned (reset right"
    echo "after sending) may or may not have been answered, so they are the only slack. \`drop_at_drain\` counts requests sent"
    echo "more than a second before their server's SIGTERM that got a connection error instead of a reply (the second stands for"
    echo "the time the server takes to read a request: one it has not read when the drain closes the connection meets a reset);"
    echo "\`drop_live\` counts requests that got a connection error from a server that was not stopping. Both must be 0."
    if [ -s "$work/server.log" ]; then
        echo
        echo "Server log lines at warning or above, by message (first 60 characters):"
        echo
        echo '```'
        grep -A1 -E '^(warn|fail|crit)' "$work/server.log" | grep -v -E '^(warn|fail|crit|--)' | cut -c1-60 | sed -E 's/[0-9A-Z]{13}|[0-9.]+:[0-9]+/…/g' | sort | uniq -c | sort -rn | head -15 || true
        echo '```'
    fi
} >"$out"
exit "$status"
