# Sourced by the script checks that run the server: a work dir, process-group cleanup on every exit path, CHECK lines, and
# start_server, which builds and starts the server on free ports and sets $server, $native, $resp and $admin.
set -m # every background job gets its own process group, so cleanup can kill a job together with its children

work=$(mktemp -d)
jobs_started=()
cleanup() {
    for pgid in "${jobs_started[@]}"; do
        kill -- "-$pgid" 2>/dev/null || true
    done
    for pgid in "${jobs_started[@]}"; do
        wait "$pgid" 2>/dev/null || true
    done
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

fail() { echo "CHECK FAIL $1"; exit 1; }
pass() { echo "CHECK PASS $1"; }

# start_server CHECK-PREFIX [extra server arguments…]: fails CHECK-PREFIX-server-build / -server-start on error.
start_server() {
    local prefix=$1
    shift
    dotnet build src/Server -c Release -v quiet -nologo >"$work/build.log" 2>&1 || { cat "$work/build.log"; fail "$prefix-server-build"; }
    dotnet src/Server/bin/Release/net10.0/c10k-server.dll --C10k:Native:Port=0 --C10k:Resp:Port=0 --C10k:Admin:Port=0 "$@" \
        >"$work/server.log" 2>&1 &
    server=$!
    jobs_started+=("$server")
    for _ in $(seq 1 300); do
        grep -q 'admin listening on' "$work/server.log" && break
        sleep 0.2
    done
    admin=$(grep -oP 'admin listening on [0-9.]+:\K[0-9]+' "$work/server.log" || true)
    native=$(grep -oP 'native listening on [0-9.]+:\K[0-9]+' "$work/server.log" || true)
    resp=$(grep -oP 'resp listening on [0-9.]+:\K[0-9]+' "$work/server.log" || true)
    [ -n "$admin" ] && [ -n "$native" ] && [ -n "$resp" ] || { cat "$work/server.log"; fail "$prefix-server-start"; }
}
