#!/usr/bin/env bash
# Browser check of the admin status page (issue 7): installs Debian's chromium if missing, builds and starts the server on free
# ports, sends native and RESP traffic, loads / in headless Chromium, checks that the rendered DOM shows live counts and that the page
# refreshed itself, and saves a screenshot to bench/results/status-page.png. Kills everything it started on every exit path.
set -euo pipefail
cd "$(dirname "$0")/../.."
source .ci/lib/server-check.sh

if ! command -v chromium >/dev/null; then
    echo "installing chromium (Debian package)"
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi

start_server status-page
echo "server up: native port $native, RESP port $resp, admin port $admin"

# Native frames (docs/protocol.md): 16-byte header C1 flags opcode(2) id(4) length(4) deadline(4), then length-prefixed args.
{
    for _ in $(seq 1 50); do printf '\xC1\x00\x00\x02\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00\x00'; done               # PING
    printf '\xC1\x00\x00\x10\x00\x00\x00\x02\x00\x00\x00\x0F\x00\x00\x00\x00\x00\x00\x00\x042000\x00\x00\x00\x03abc'             # HASH 2000 abc
    printf '\xC1\x00\x00\x03\x00\x00\x00\x03\x00\x00\x00\x06\x00\x00\x00\x00\x00\x00\x00\x02hi'                             # ECHO hi
} >"$work/batch.bin"
for _ in $(seq 1 20); do printf '*1\r\n$4\r\nPING\r\n*2\r\n$4\r\nECHO\r\n$2\r\nhi\r\n'; done >"$work/resp.bin"

# Bounded traffic: 4 native connections and 1 RESP connection, a batch every 100 ms each, for at most 90 s; replies are read and dropped.
for target in "$native:batch" "$native:batch" "$native:batch" "$native:batch" "$resp:resp"; do
    (
        exec 3<>"/dev/tcp/127.0.0.1/${target%%:*}"
        cat <&3 >/dev/null &
        for _ in $(seq 1 900); do
            cat "$work/${target##*:}.bin" >&3 || exit 0
            sleep 0.1
        done
    ) &
    jobs_started+=($!)
done
sleep 3

chrome() {
    timeout 90 chromium --headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update \
        --disable-sync --no-first-run --user-data-dir="$work/profile-$1" --window-size=1280,1000 --virtual-time-budget=4000 "${@:2}" \
        "http://127.0.0.1:$admin/"
}

chrome dom --dump-dom >"$work/dom.html" 2>"$work/chrome-dom.log" || { tail -20 "$work/chrome-dom.log"; fail status-page-loads; }
grep -q '<title>C10k status</title>' "$work/dom.html" || { head -c 2000 "$work/dom.html"; fail status-page-loads; }
pass status-page-loads

total=$(grep -oP 'id="requests-total">\K[0-9,]+' "$work/dom.html" | tr -d , || true)
open=$(grep -oP 'id="open-connections">\K[0-9,]+' "$work/dom.html" | tr -d , || true)
resp_open=$(grep -oP 'data-front="resp"><td>resp</td><td>[0-9]+</td><td class="open">\K[0-9,]+' "$work/dom.html" | tr -d , || true)
ping_rate=$(grep -oP 'data-op="ping"><td>ping</td><td class="rate">\K[0-9.,]+' "$work/dom.html" | tr -d , || true)
hash_total=$(grep -oP 'data-op="hash"><td>hash</td><td class="rate">[0-9.,]+</td><td class="total">\K[0-9,]+' "$work/dom.html" | tr -d , || true)
echo "rendered: requests answered=$total, open connections=$open (RESP $resp_open), ping req/s=$ping_rate, hash total=$hash_total"
if [ "${total:-0}" -gt 0 ] && [ "${open:-0}" -ge 5 ] && [ "${resp_open:-0}" -ge 1 ] && [ -n "$ping_rate" ] && awk "BEGIN{exit !($ping_rate > 0)}" && [ "${hash_total:-0}" -gt 0 ]; then
    pass status-page-live-counts
else
    fail status-page-live-counts
fi

refreshes=$(grep -oP 'id="panel" data-refreshes="\K[0-9]+' "$work/dom.html" || true)
echo "panel refreshed itself $refreshes times in the browser"
[ "${refreshes:-0}" -ge 1 ] && pass status-page-self-refresh || fail status-page-self-refresh

mkdir -p bench/results
rm -f bench/results/status-page.png
chrome shot --screenshot="$PWD/bench/results/status-page.png" >"$work/chrome-shot.log" 2>&1 || true
[ -s bench/results/status-page.png ] || { tail -20 "$work/chrome-shot.log"; fail status-page-screenshot; }
pass status-page-screenshot
echo "screenshot: bench/results/status-page.png"
