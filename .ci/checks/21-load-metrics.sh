#!/usr/bin/env bash
# c10k-load --metrics-port (issue 17): while a run loads the server's RESP front, one scrape of the live Prometheus endpoint must
# carry the run's series and pass `promtool check metrics` (Debian's prometheus package, installed here when missing); the run
# must then end with exit code 0. Kills everything it started on every exit path.
set -euo pipefail
cd "$(dirname "$0")/../.."
source .ci/lib/server-check.sh

if ! command -v promtool >/dev/null; then
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus; } >"$work/apt.log" 2>&1 \
        || { tail -20 "$work/apt.log"; fail load-metrics-promtool-install; }
fi

start_server load-metrics
dotnet build loadtests/C10k.Load.Cli -c Release -v quiet -nologo >"$work/load-build.log" 2>&1 || { cat "$work/load-build.log"; fail load-metrics-build; }
metrics_port=$(shuf -i 20000-29999 -n 1)
loadtests/C10k.Load.Cli/bin/Release/net10.0/c10k-load run --target "resp://127.0.0.1:$resp" --command "ECHO v{seq}" --expect "v{seq}" \
    --simulation "inject rate=200 during=6s" --connections 4 --metrics-port "$metrics_port" --plain >"$work/load.log" 2>&1 &
load=$!
jobs_started+=("$load")

# Poll only once the endpoint is up: a connection already waiting while .NET's managed HttpListener starts makes its
# Start throw (ArgumentNullException from HttpEndPointListener's constructor accepting before it is initialised).
for _ in $(seq 1 300); do
    grep -q '^Live metrics on ' "$work/load.log" && break
    sleep 0.1
done
scraped=no
for _ in $(seq 1 100); do
    if curl -sf --max-time 2 "http://localhost:$metrics_port/metrics" >"$work/scrape.txt" \
        && grep -Eq '^c10k_load_requests_total\{.*outcome="ok".*\} [1-9]' "$work/scrape.txt"; then
        scraped=yes
        break
    fi
    sleep 0.2
done
[ "$scraped" = yes ] || { cat "$work/load.log"; cat "$work/scrape.txt" 2>/dev/null || true; fail load-metrics-scrape; }
pass load-metrics-scrape

promtool check metrics <"$work/scrape.txt" || { cat "$work/scrape.txt"; fail load-metrics-promtool; }
pass load-metrics-promtool

rc=0
wait "$load" || rc=$?
[ "$rc" = 0 ] || { cat "$work/load.log"; fail load-metrics-run-exit; }
pass load-metrics-run-exit
