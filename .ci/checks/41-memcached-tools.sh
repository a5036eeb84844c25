#!/usr/bin/env bash
# examples/MemcachedFront against clients and a server nobody here wrote (Debian's libmemcached-tools and memcached, installed
# here if missing), each as a CHECK line:
#   memcached-front-vs-memcached: a transcript of pipelined commands gets the same bytes from the front as from a fresh
#                                 memcached (cas uniques included); only the VERSION line, which ends it, differs;
#   memcached-front-memccp:       memccp copies a text file and a 300 KB binary file in, memccat reads them back byte for byte;
#   memcached-front-memcstat:     memcstat reads the front's stats.
# The example is the one 40-packages.sh built from the local feed; built the same way here if it is missing.
set -euo pipefail
cd "$(dirname "$0")/../.."
source .ci/lib/server-check.sh

install() {
    apt-get install -y -q "$@" >"$work/apt.log" 2>&1 || { apt-get update -q >>"$work/apt.log" 2>&1 && apt-get install -y -q "$@" >>"$work/apt.log" 2>&1; }
}
command -v memccp >/dev/null && command -v memcached >/dev/null || install libmemcached-tools memcached || { cat "$work/apt.log"; fail memcached-front-tools-install; }

dll=examples/MemcachedFront/bin/Release/net10.0/MemcachedFront.dll
if [ ! -f "$dll" ]; then
    ls artifacts/packages/C10k.Server.*.nupkg >/dev/null 2>&1 || dotnet pack packages.slnf -c Release -v quiet -nologo >"$work/pack.log" 2>&1 \
        || { cat "$work/pack.log"; fail memcached-front-build; }
    dotnet build examples/MemcachedFront -c Release -v quiet -nologo >"$work/build.log" 2>&1 || { cat "$work/build.log"; fail memcached-front-build; }
fi

# A fresh front and a fresh memcached (a free port picked by the kernel), so that both count cas uniques from 1.
dotnet "$dll" --C10k:Native:Port=0 --C10k:Resp:Port=0 --C10k:Admin:Port=0 --Memcached:Port=0 >"$work/front.log" 2>&1 &
jobs_started+=("$!")
memcached_port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
memcached -u "$(id -un)" -l 127.0.0.1 -p "$memcached_port" -U 0 >"$work/memcached.log" 2>&1 &
jobs_started+=("$!")
port=$(listening_port memcached "$work/front.log" 150)
[ -n "$port" ] || { cat "$work/front.log"; fail memcached-front-start; }

python3 - "$memcached_port" "$port" <<'PY' || fail memcached-front-vs-memcached
import socket, sys, time
transcript = (
    "set a 5 0 3\r\nabc\r\nget a\r\ngets a\r\nadd a 0 0 1\r\nq\r\nreplace b 0 0 1\r\nq\r\nappend a 0 0 2\r\nde\r\ngets a b\r\n"
    "cas a 1 0 1 9\r\nz\r\ncas a 1 0 1 2\r\nz\r\nset n 0 0 2\r\n10\r\nincr n 5\r\ndecr n 100\r\nget n\r\nincr a 1\r\nincr n x\r\n"
    "touch n 10\r\ntouch zz 1\r\ndelete a\r\ndelete a\r\ndelete n 5\r\nset q 0 0 1 noreply\r\nq\r\nincr q 1 noreply\r\nget q\r\n"
    "bogus\r\nset a x 0 1\r\nz\r\nset a 0 0 3\r\nabcd\r\nset a 0 0 2000000\r\n" + "x" * 2000000 + "\r\nget a\r\n"
    "verbosity 1\r\nflush_all\r\nget n q\r\nversion\r\n").encode("latin-1")

def replies(port):
    for _ in range(50):
        try:
            sock = socket.create_connection(("127.0.0.1", port), timeout=10)
            break
        except ConnectionRefusedError:
            time.sleep(0.1)
    sock.sendall(transcript)
    received = b""
    while not (received.endswith(b"\r\n") and b"VERSION " in received):
        chunk = sock.recv(65536)
        if not chunk:
            break
        received += chunk
    sock.close()
    return received[:received.rindex(b"VERSION ")]

expected, actual = replies(int(sys.argv[1])), replies(int(sys.argv[2]))
lines = transcript.count(b"\n")
print(f"memcached and the front answered the same {len(expected)} bytes to {lines} lines" if expected == actual
      else f"memcached: {expected!r}\nfront:     {actual!r}")
sys.exit(0 if expected == actual else 1)
PY
pass memcached-front-vs-memcached

mkdir "$work/files" "$work/back"
printf 'hello\r\nmemcached\n' >"$work/files/hello.txt"
head -c 300000 /dev/urandom >"$work/files/blob.bin"
(cd "$work/files" && timeout 20 memccp --servers="127.0.0.1:$port" hello.txt blob.bin) || fail memcached-front-memccp
for file in hello.txt blob.bin; do
    (cd "$work/back" && timeout 20 memccat --servers="127.0.0.1:$port" --file="$file" "$file") || fail memcached-front-memccp
    cmp "$work/files/$file" "$work/back/$file" || fail memcached-front-memccp
done
echo "memccp then memccat: hello.txt ($(stat -c %s "$work/back/hello.txt") bytes) and blob.bin ($(stat -c %s "$work/back/blob.bin") bytes) came back identical"
pass memcached-front-memccp

timeout 20 memcstat --servers="127.0.0.1:$port" >"$work/stat.txt" || { cat "$work/stat.txt"; fail memcached-front-memcstat; }
grep -E '^\s+(curr_items|version):' "$work/stat.txt"
grep -qE '^\s+curr_items: 2$' "$work/stat.txt" || fail memcached-front-memcstat
pass memcached-front-memcstat
