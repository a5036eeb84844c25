#!/usr/bin/env bash
# Container smoke test: builds the image and proves it, alone and scaled out behind HAProxy, on this host, with
# authentication and TLS on (secrets made for the run by docker/dev-secrets.sh in a temporary directory, removed after).
#
#   bash docker/smoke.sh            (root; installs what it needs on a fresh Debian bookworm host)
#
# Prints "CHECK PASS <name>" / "CHECK FAIL <name>" per check (.ci/run counts them) and exits non-zero if any
# failed. Everything runs under one overall timeout (C10K_SMOKE_TIMEOUT, default 780 s: a
# cold run on a fresh host builds the bases first). Everything it starts
# carries the label c10k.smoke (containers) or the compose project c10k-smoke (network); leftovers of an
# earlier run are removed first, and again on every exit path, timeout included. Traffic goes only to
# 127.0.0.1 (published ports) and between the smoke's own containers.
#
# Env: C10K_SMOKE_TIMEOUT, C10K_SMOKE_CONNECTIONS (2000), C10K_SMOKE_BASES=local|official (local: build the
#      bases from Debian packages, for hosts without registry access), C10K_PUBLISH_MODE (Dockerfile default).
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

label=c10k.smoke
project=c10k-smoke
image=localhost/c10k:smoke

cleanup() {
    # Containers first (the compose stack's and the single one), then the compose network, then any
    # load client this script started.
    local ids
    ids=$(podman ps -aq --filter "label=$label" 2>/dev/null || true)
    [ -n "$ids" ] && podman rm -f -t 2 $ids >/dev/null 2>&1
    ids=$(podman ps -aq --filter "label=io.podman.compose.project=$project" 2>/dev/null || true)
    [ -n "$ids" ] && podman rm -f -t 2 $ids >/dev/null 2>&1
    podman network ls -q --filter "label=io.podman.compose.project=$project" 2>/dev/null | xargs -r podman network rm -f >/dev/null 2>&1
    if [ -n "${load_pid:-}" ]; then kill "$load_pid" 2>/dev/null; wait "$load_pid" 2>/dev/null; fi
    load_pid=
    if [ -n "${secrets:-}" ]; then rm -rf "$secrets"; fi
    true
}

# Outer layer: the overall timeout, and a last cleanup whatever happened inside.
if [ -z "${C10K_SMOKE_INNER:-}" ]; then
    # One smoke at a time per host: a second run's first cleanup would otherwise remove the first run's containers.
    exec 9>/var/lock/c10k-smoke.lock
    if ! flock -w 900 9; then echo "CHECK FAIL smoke-lock (another smoke held /var/lock/c10k-smoke.lock for 15 min)"; exit 1; fi
    command -v podman >/dev/null && cleanup
    started=$(date +%s)
    C10K_SMOKE_INNER=1 timeout --kill-after=15 "${C10K_SMOKE_TIMEOUT:-780}" bash "$0" "$@"
    rc=$?
    if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
        echo "CHECK FAIL smoke-within-timeout (${C10K_SMOKE_TIMEOUT:-780} s)"
    fi
    command -v podman >/dev/null && cleanup
    left=$(podman ps -aq --filter "label=$label" 2>/dev/null | wc -l)
    left=$((left + $(podman ps -aq --filter "label=io.podman.compose.project=$project" 2>/dev/null | wc -l)))
    if [ "$left" -eq 0 ] && ! pgrep -f 'docker/smoke_load.py' >/dev/null; then
        echo "CHECK PASS nothing-left-running"
    else
        echo "CHECK FAIL nothing-left-running ($left containers)"
        rc=1
    fi
    echo "smoke: finished in $(($(date +%s) - started)) s, exit $rc"
    exit "$rc"
fi

trap 'cleanup; exit 143' TERM INT
trap cleanup EXIT

failures=0
pass() { echo "CHECK PASS $1"; }
fail() { echo "CHECK FAIL $1${2:+ ($2)}"; failures=$((failures + 1)); }
check() { # check NAME COMMAND...: runs the command, PASS/FAIL by its exit code
    local name=$1; shift
    if "$@"; then pass "$name"; else fail "$name"; fi
}
step() { echo "--- smoke: $* ($(date +%T))"; }
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
load() { python3 "$root/docker/smoke_load.py" "$@"; }
setting() { # the server's default from appsettings.json, e.g. setting Shutdown DrainTimeoutMs
    python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["C10k"][sys.argv[2]][sys.argv[3]])' \
        "$root/src/C10k.Server/appsettings.json" "$1" "$2" 2>/dev/null
}

step "host setup"
check host-setup bash docker/host-setup.sh
command -v podman >/dev/null || exit 1
cleanup

if [ "${C10K_SMOKE_BASES:-local}" = local ]; then
    step "local base images"
    check local-bases bash docker/build-local-bases.sh
    build_args=(--build-arg SDK_IMAGE=localhost/dotnet/sdk:10.0 --build-arg RUNTIME_IMAGE=localhost/dotnet/aspnet:10.0)
    haproxy_image=localhost/haproxy:2.6
else
    build_args=()
    haproxy_image=docker.io/library/haproxy:2.6
fi
[ -n "${C10K_PUBLISH_MODE:-}" ] && build_args+=(--build-arg "PUBLISH_MODE=$C10K_PUBLISH_MODE")

step "secrets: a password for user default, an admin token, a CA and an ECDSA P-256 server certificate"
secrets=$(mktemp -d /tmp/c10k-smoke-secrets.XXXXXX)
check dev-secrets bash docker/dev-secrets.sh "$secrets"
C10K_PASSWORD=$(sed -n 's/^C10k__Auth__Users__default=//p' "$secrets/c10k.env")
C10K_ADMIN_TOKEN=$(sed -n 's/^C10k__Admin__Token=//p' "$secrets/c10k.env")
export C10K_PASSWORD C10K_ADMIN_TOKEN
tls_ca=$secrets/tls/ca.crt
tls_load() { C10K_TLS_CA=$tls_ca python3 "$root/docker/smoke_load.py" "$@"; }

step "image build"
if podman build -q --format docker "${build_args[@]}" --build-arg "REVISION=$(git rev-parse HEAD 2>/dev/null || echo unknown)" \
    -t "$image" . >/tmp/c10k-smoke-build.log 2>&1; then
    pass image-build
else
    tail -30 /tmp/c10k-smoke-build.log
    fail image-build
    exit 1
fi
meta=$(podman image inspect --format '{{.Config.User}}|{{json .Config.ExposedPorts}}|{{.Config.StopSignal}}|{{json .Config.Healthcheck}}|{{index .Config.Labels "org.opencontainers.image.title"}}' "$image")
echo "image: $(podman image inspect --format '{{.Size}}' "$image" | awk '{printf "%.1f MB", $1/1e6}'); $meta"
want_meta=1
[[ $meta == 1654:1654\|* ]] || want_meta=0
for p in 7000 6380 7001 6381 8081; do [[ $meta == *\"$p/tcp\"* ]] || want_meta=0; done
[[ $meta == *\|SIGTERM\|*--health-probe*\|c10k ]] || want_meta=0
if [ "$want_meta" = 1 ]; then pass image-metadata; else
    fail image-metadata "want non-root user, EXPOSE 7000 6380 7001 6381 8081, STOPSIGNAL SIGTERM, HEALTHCHECK, OCI labels"; fi

step "single container: --read-only --tmpfs /tmp, users and TLS from the secrets, ports published on 127.0.0.1"
drain_ms=$(setting Shutdown DrainTimeoutMs); drain_ms=${drain_ms:-10000}
cid=$(podman run -d --label "$label=single" --read-only --tmpfs /tmp --env-file "$secrets/c10k.env" \
    -v "$secrets/tls:/run/c10k-tls:ro" -e C10k__Native__TlsPort=7001 -e C10k__Resp__TlsPort=6381 \
    -e C10k__Tls__CertificatePath=/run/c10k-tls/server.crt -e C10k__Tls__KeyPath=/run/c10k-tls/server.key \
    -e C10k__Admin__BindAddress=0.0.0.0 \
    -p 127.0.0.1::7000 -p 127.0.0.1::6380 -p 127.0.0.1::7001 -p 127.0.0.1::6381 -p 127.0.0.1::8081 "$image" 2>/dev/null)
for _ in $(seq 100); do podman logs "$cid" 2>&1 | grep -q 'native listening' && break; sleep 0.2; done
logs=$(podman logs "$cid" 2>&1)
if grep -q 'native listening' <<<"$logs"; then pass container-listening; else echo "$logs" | tail -20; fail container-listening; fi
published() { podman port "$cid" "$1/tcp" 2>/dev/null | head -1 | sed 's/.*://'; }
native_port=$(published 7000)
check native-ping load ping 127.0.0.1 "$native_port"
check native-auth-required env -u C10K_PASSWORD python3 "$root/docker/smoke_load.py" noauth 127.0.0.1 "$native_port"
check native-tls-ping tls_load ping 127.0.0.1 "$(published 7001)"
check resp-tls-ping tls_load resp-ping 127.0.0.1 "$(published 6381)"
if grep -q 'resp listening' <<<"$logs"; then
    check resp-ping load resp-ping 127.0.0.1 "$(published 6380)"
else
    echo "skip resp-ping: the server has no RESP front yet (no 'resp listening' line)"
fi
admin=0
if grep -q 'admin listening' <<<"$logs"; then
    admin=1
    check readyz env -u C10K_ADMIN_TOKEN python3 "$root/docker/smoke_load.py" http 127.0.0.1 "$(published 8081)" /readyz
    check metrics-need-token env -u C10K_ADMIN_TOKEN python3 "$root/docker/smoke_load.py" http 127.0.0.1 "$(published 8081)" /metrics 401
    check metrics-with-token load http 127.0.0.1 "$(published 8081)" /metrics
else
    echo "skip readyz: the server has no admin port yet (no 'admin listening' line)"
fi
check healthcheck podman healthcheck run "$cid"

# SIGTERM with a client connected: during the image's readiness delay /readyz answers 503 while a new connection is still
# served; then the drain must close the client and the process exit 0 within the delay plus the drain timeout.
ready_ms=$(podman image inspect --format '{{range .Config.Env}}{{println .}}{{end}}' "$image" | sed -n 's/^C10k__Shutdown__ReadinessDelayMs=//p')
ready_ms=${ready_ms:-0}
exec 3<>"/dev/tcp/127.0.0.1/$native_port"
t0=$(date +%s%N)
podman kill --signal TERM "$cid" >/dev/null
if [ "$ready_ms" -ge 2000 ] && [ "$admin" = 1 ]; then
    check readyz-503-on-sigterm env -u C10K_ADMIN_TOKEN python3 "$root/docker/smoke_load.py" http 127.0.0.1 "$(published 8081)" /readyz 503
    check served-during-readiness-delay load ping 127.0.0.1 "$native_port"
fi
drain_ms=$((drain_ms + ready_ms))
exit_code=$(timeout $((drain_ms / 1000 + 5)) podman wait "$cid" 2>/dev/null)
elapsed=$((($(date +%s%N) - t0) / 1000000))
exec 3<&-
echo "SIGTERM: exit ${exit_code:-none} after ${elapsed} ms (drain timeout ${drain_ms} ms)"
if [ "${exit_code:-x}" = 0 ] && [ "$elapsed" -le "$drain_ms" ]; then pass sigterm-clean-exit; else
    podman logs "$cid" 2>&1 | tail -10; fail sigterm-clean-exit; fi
podman rm -f "$cid" >/dev/null 2>&1

step "compose: 3 replicas behind HAProxy"
connections=${C10K_SMOKE_CONNECTIONS:-2000}
lb_port=$(free_port)
export C10K_IMAGE=$image HAPROXY_IMAGE=$haproxy_image
export C10K_NOFILE=$(ulimit -Hn)
hard_nproc=$(ulimit -Hu); [ "$hard_nproc" = unlimited ] && hard_nproc=32768
export C10K_NPROC=$((hard_nproc < 32768 ? hard_nproc : 32768))
export HAPROXY_MAXCONN=$(((C10K_NOFILE - 100) / 2))
# The replicas' default limit for this nofile (RLIMIT_NOFILE - 512), also HAProxy's per-server maxconn.
export C10K_MAX_CONNECTIONS=$((C10K_NOFILE - 512))
export C10K_ENV_FILE=$secrets/c10k.env C10K_TLS_DIR=$secrets/tls
lb_tls_port=$(free_port)
export C10K_LB_NATIVE_PORT=$lb_port C10K_LB_RESP_PORT=$(free_port) C10K_LB_STATS_PORT=$(free_port)
export C10K_LB_NATIVE_TLS_PORT=$lb_tls_port C10K_LB_RESP_TLS_PORT=$(free_port)
export C10K_HEALTH_CHECK=$([ "$admin" = 1 ] && echo admin || echo tcp)
export C10K_PROXY_PROTOCOL=${C10K_PROXY_PROTOCOL:-true}
echo "compose: nofile=$C10K_NOFILE haproxy maxconn=$HAPROXY_MAXCONN replica MaxConnections=$C10K_MAX_CONNECTIONS health=$C10K_HEALTH_CHECK proxy-v2=$C10K_PROXY_PROTOCOL"
podman-compose -p "$project" -f docker/compose.yaml --podman-run-args="--label=$label=compose" \
    up -d c10k-1 c10k-2 c10k-3 haproxy >/tmp/c10k-smoke-compose.log 2>&1
replica_pid() { podman inspect --format '{{.State.Pid}}' "${project}_$1_1" 2>/dev/null; }
up=0
deadline=$(($(date +%s) + 60))
while [ "$(date +%s)" -lt "$deadline" ]; do
    up=0
    for s in c10k-1 c10k-2 c10k-3; do podman logs "${project}_${s}_1" 2>&1 | grep -q 'native listening' && up=$((up + 1)); done
    [ "$up" = 3 ] && break
    sleep 0.5
done
if [ "$up" = 3 ] && [ "$(podman inspect --format '{{.State.Running}}' "${project}_haproxy_1" 2>/dev/null)" = true ]; then
    pass compose-up
else
    tail -20 /tmp/c10k-smoke-compose.log; podman logs "${project}_haproxy_1" 2>&1 | tail -10; fail compose-up
fi
# HAProxy marks a server up after 'rise 2' checks 2 s apart: wait until all three are, so leastconn sees them all.
ups=0
deadline=$(($(date +%s) + 30))
while [ "$(date +%s)" -lt "$deadline" ]; do
    ups=$(curl -s -m 2 "http://127.0.0.1:$C10K_LB_STATS_PORT/;csv" | awk -F, '$1 == "native" && $2 ~ /^c10k-/ && $18 == "UP"' | wc -l)
    [ "$ups" = 3 ] && break
    sleep 0.5
done
echo "haproxy: $ups of 3 native servers UP"
check lb-native-ping load ping 127.0.0.1 "$lb_port"
check lb-native-tls-ping tls_load ping 127.0.0.1 "$lb_tls_port"
check lb-resp-tls-ping tls_load resp-ping 127.0.0.1 "$C10K_LB_RESP_TLS_PORT"

step "$connections TLS connections through HAProxy, each authenticated"
coproc LOAD { C10K_TLS_CA=$tls_ca python3 "$root/docker/smoke_load.py" hold 127.0.0.1 "$lb_tls_port" "$connections" 60 2>&1; }
load_pid=$LOAD_PID
read -r -t 120 ready <&"${LOAD[0]}" || ready="no READY line"
while [[ $ready != READY* ]] && read -r -t 60 line <&"${LOAD[0]}"; do echo "load: $ready"; ready=$line; done
echo "load: $ready"
if [[ $ready == "READY opened=$connections answered=$connections failed=0" ]]; then pass lb-connections-opened; else fail lb-connections-opened; fi

# Connections per replica, while all are held. The replica's own metric when it has an admin port;
# otherwise the kernel's count of ESTABLISHED sockets on the replica's port 7000, read inside the replica's
# network namespace (nsenter: no traffic leaves loopback).
counts=()
source_name=
for s in c10k-1 c10k-2 c10k-3; do
    pid=$(replica_pid "$s")
    n=
    if [ "$admin" = 1 ]; then
        n=$(nsenter -t "$pid" -n curl -s -H "Authorization: Bearer $C10K_ADMIN_TOKEN" http://127.0.0.1:8081/metrics |
            awk '/^c10k_connections_open[^ ]*front="native"/ {print int($NF)}' | head -1)
        source_name="admin /metrics c10k_connections_open{front=native}"
    fi
    if [ -z "$n" ]; then
        n=$(nsenter -t "$pid" -n ss -Htn state established '( sport = :7001 )' | wc -l)
        source_name="kernel ESTABLISHED sockets on :7001 in each replica's netns (ss via nsenter)"
    fi
    counts+=("$n")
done
lb_scur=$(curl -s -m 2 "http://127.0.0.1:$C10K_LB_STATS_PORT/;csv" | awk -F, '$1 == "native-tls" && $2 ~ /^c10k-/ {printf "%s=%s ", $2, $5}')
echo "per replica (${source_name}): c10k-1=${counts[0]} c10k-2=${counts[1]} c10k-3=${counts[2]}; HAProxy scur: ${lb_scur}"
min=$((connections * 20 / 100))
balanced=1
total=0
for n in "${counts[@]}"; do total=$((total + n)); [ "$n" -ge "$min" ] || balanced=0; done
if [ "$balanced" = 1 ] && [ "$total" -ge "$connections" ]; then pass lb-every-replica-20pct; else
    fail lb-every-replica-20pct "each needs >= $min of $connections; total $total"; fi

exec {LOAD[1]}>&-   # closing the tool's stdin: second PING on every held connection, then close
read -r -t 120 done_line <&"${LOAD[0]}" || done_line="no DONE line"
echo "load: $done_line"
wait "$load_pid" 2>/dev/null; load_rc=$?
load_pid=
if [ "$load_rc" = 0 ] && [[ $done_line == "DONE answered=$connections of $connections"* ]]; then pass lb-every-ping-answered; else
    fail lb-every-ping-answered; fi

step "teardown"
cleanup
echo "smoke: $failures check(s) failed"
[ "$failures" -eq 0 ]
