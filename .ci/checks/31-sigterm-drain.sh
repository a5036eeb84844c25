#!/usr/bin/env bash
# Drain on SIGTERM (issue 7): with HASH work in flight, SIGTERM must turn /readyz to 503 at once while /healthz and /metrics
# still answer and the native port still answers new connections (with SHUTTING_DOWN); the in-flight requests must then all
# get their OK replies before the process exits. Kills everything it started on every exit path.
set -euo pipefail
cd "$(dirname "$0")/../.."
source .ci/lib/server-check.sh
status_byte() { od -An -tu1 -j "$2" -N1 "$1" | tr -d ' '; }

# The deadline is raised with the drain timeout: on a loaded CI box six HASH 1000000 may take longer than the 10 s default,
# and a request past its deadline is cancelled (CANCELLED), which is not what this check is about.
start_server drain --C10k:Workers:Count=2 --C10k:Shutdown:DrainTimeoutMs=60000 --C10k:Workers:DefaultDeadlineMs=60000

# Six HASH 1000000 abc requests (ids 1..6): about two seconds of work for two workers, so the drain has something to wait for.
requests=6
for id in $(seq 1 $requests); do
    printf "\xC1\x00\x00\x10\x00\x00\x00\x$(printf %02x "$id")\x00\x00\x00\x12\x00\x00\x00\x00\x00\x00\x00\x071000000\x00\x00\x00\x03abc"
done >"$work/hash.bin"
exec 3<>"/dev/tcp/127.0.0.1/$native"
(timeout 120 head -c $((requests * 80)) <&3 >"$work/replies.bin") &
reader=$!
jobs_started+=("$reader")
cat "$work/hash.bin" >&3
sleep 0.3

kill -TERM "$server"
ready_code=""
for _ in $(seq 1 100); do
    ready_code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$admin/readyz" || true)
    [ "$ready_code" = 503 ] && break
    sleep 0.05
done
health_code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$admin/healthz" || true)
draining=$(curl -s --max-time 5 "http://127.0.0.1:$admin/metrics" | grep -oP '^c10k_server_draining\{[^}]*\} \K[0-9]+' || true)
exec 4<>"/dev/tcp/127.0.0.1/$native"
timeout 10 head -c 16 <&4 >"$work/refusal.bin" || true
exec 4>&-
echo "during drain: /readyz $ready_code, /healthz $health_code, c10k_server_draining $draining, new native connection status $(status_byte "$work/refusal.bin" 12)"
[ "$ready_code" = 503 ] && [ "$health_code" = 200 ] && [ "$draining" = 1 ] && pass drain-readyz-503-admin-still-answers || fail drain-readyz-503-admin-still-answers
[ "$(status_byte "$work/refusal.bin" 12)" = 8 ] && pass drain-data-port-refuses-new-connections || fail drain-data-port-refuses-new-connections

wait "$reader" || true
exec 3>&-
ok=0
for i in $(seq 0 $((requests - 1))); do
    [ "$(status_byte "$work/replies.bin" $((i * 80 + 12)))" = 0 ] && ok=$((ok + 1))
done
echo "in-flight HASH replies after SIGTERM: $ok of $requests OK"
[ "$ok" = "$requests" ] && pass drain-in-flight-work-finishes || fail drain-in-flight-work-finishes

exit_code=0
for _ in $(seq 1 300); do
    kill -0 "$server" 2>/dev/null || break
    sleep 0.2
done
wait "$server" || exit_code=$?
grep -q 'Drain finished' "$work/server.log" && [ "$exit_code" = 0 ] && pass drain-process-exits-cleanly || { tail -20 "$work/server.log"; fail drain-process-exits-cleanly; }
