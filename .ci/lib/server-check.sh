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

# listening_port NAME LOG [TRIES]: waits up to TRIES × 0.2 s (default 300) for the start-up line "NAME listening on ADDRESS:PORT"
# in LOG and prints PORT; prints nothing if the line never came.
listening_port() {
    local tries=${3:-300}
    for _ in $(seq 1 "$tries"); do
        grep -q "$1 listening on" "$2" && break
        sleep 0.2
    done
    grep -oP "$1 listening on [0-9.]+:\\K[0-9]+" "$2" || true
}

# start_server CHECK-PREFIX [extra server arguments…]: fails CHECK-PREFIX-server-build / -server-start on error.
start_server() {
    local prefix=$1
    shift
    dotnet build src/Server -c Release -v quiet -nologo >"$work/build.log" 2>&1 || { cat "$work/build.log"; fail "$prefix-server-build"; }
    dotnet src/Server/bin/Release/net10.0/c10k-server.dll --C10k:Native:Port=0 --C10k:Resp:Port=0 --C10k:Admin:Port=0 "$@" \
        >"$work/server.log" 2>&1 &
    server=$!
    jobs_started+=("$server")
    # The admin port is announced last: once it is, the data ports' lines are there.
    admin=$(listening_port admin "$work/server.log")
    native=$(listening_port native "$work/server.log" 1)
    resp=$(listening_port resp "$work/server.log" 1)
    [ -n "$admin" ] && [ -n "$native" ] && [ -n "$resp" ] || { cat "$work/server.log"; fail "$prefix-server-start"; }
}
