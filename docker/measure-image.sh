#!/usr/bin/env bash
# Builds the image in each publish mode and measures what docs/deploy.md tabulates:
#   image size        podman image inspect .Size (whole image, base included) and the /app layer alone
#   start to listening  container State.StartedAt (runc started the process) -> timestamp of the server's
#                     "native listening" log line (UTC, ms); median of RUNS cold container starts
#   idle RSS          VmRSS of the server process (host /proc/PID/status) 3 s after listening, no connections;
#                     median of RUNS
# Usage: docker/measure-image.sh [modes...]     (default: fdd r2r sc sc-trim; runs on local bases)
# Env:   RUNS (default 5), SDK_IMAGE, ASPNET_IMAGE, DEPS_IMAGE
set -euo pipefail
cd "$(dirname "$0")/.."
modes=("$@")
[ "${#modes[@]}" -gt 0 ] || modes=(fdd r2r sc sc-trim)
runs=${RUNS:-5}
sdk=${SDK_IMAGE:-localhost/dotnet/sdk:10.0}
aspnet=${ASPNET_IMAGE:-localhost/dotnet/aspnet:10.0}
deps=${DEPS_IMAGE:-localhost/dotnet/runtime-deps:10.0}
label=c10k.measure=1
cleanup() { podman ps -aq --filter "label=$label" | xargs -r podman rm -f -t 0 >/dev/null 2>&1 || true; }
trap cleanup EXIT
cleanup

median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

printf '| mode | build | image size | /app layer | start to listening (ms, median of %s) | idle RSS (MiB, median) |\n|---|---|---|---|---|---|\n' "$runs"
for mode in "${modes[@]}"; do
    base=$aspnet
    case $mode in sc | sc-trim) base=$deps ;; esac
    log=/tmp/c10k-measure-$mode.log
    if ! podman build --format docker --build-arg SDK_IMAGE="$sdk" --build-arg RUNTIME_IMAGE="$base" \
        --build-arg PUBLISH_MODE="$mode" -t "localhost/c10k:$mode" . >"$log" 2>&1; then
        reason=$(grep -E -o '(error|warning) [A-Z]+[0-9]+[^[]*' "$log" | sort -u | head -3 | tr '\n' ';')
        printf '| %s | **failed**: %s | | | | |\n' "$mode" "${reason:-see $log}"
        continue
    fi
    size=$(podman image inspect --format '{{.Size}}' "localhost/c10k:$mode" | awk '{printf "%.1f MB", $1/1e6}')
    app=$(podman history --format '{{.Size}}|{{.CreatedBy}}' "localhost/c10k:$mode" | grep -m1 'COPY' | cut -d'|' -f1)
    starts=() rss=()
    for i in $(seq "$runs"); do
        id=$(podman run -d --no-healthcheck --label "$label" --read-only --tmpfs /tmp "localhost/c10k:$mode")
        for _ in $(seq 200); do
            podman logs "$id" 2>&1 | grep -q 'native listening' && break
            sleep 0.05
        done
        started=$(podman inspect --format '{{.State.StartedAt}}' "$id")
        # JSON logs (the image's default): "Timestamp" of the line; readable logs: the timestamp prefix of the line before.
        logs=$(podman logs "$id" 2>&1)
        listening=$(grep 'native listening' <<<"$logs" | head -1 | grep -o '"Timestamp":"[^"]*"' | cut -d'"' -f4 || true)
        [ -n "$listening" ] || listening=$(grep -B1 'native listening' <<<"$logs" | grep -o '^[0-9T:.-]*Z' | head -1 || true)
        starts+=("$(python3 -c 'import sys, datetime as d
s = d.datetime.fromisoformat(sys.argv[1][:26].rstrip()).replace(tzinfo=d.timezone.utc)
l = d.datetime.fromisoformat(sys.argv[2].rstrip("Z")).replace(tzinfo=d.timezone.utc)
print(round((l - s).total_seconds() * 1000))' "$started" "$listening")")
        sleep 3
        pid=$(podman inspect --format '{{.State.Pid}}' "$id")
        rss+=("$(awk '/VmRSS/ {printf "%.1f", $2/1024}' "/proc/$pid/status")")
        podman rm -f -t 10 "$id" >/dev/null
    done
    printf '| %s | ok, 0 warnings | %s | %s | %s | %s |\n' "$mode" "$size" "$app" \
        "$(printf '%s\n' "${starts[@]}" | median) (${starts[*]})" "$(printf '%s\n' "${rss[@]}" | median)"
done
