#!/usr/bin/env bash
# c10k-load's TLS and AUTH against redis-server itself: `redis-server --tls-port` with a throw-away ECDSA P-256 certificate (made by
# openssl, deleted afterwards) and `requirepass`. Checks that every request of a rediss:// run (--cacert, --sni, --password) was
# answered and that redis-server's INFO commandstats counted exactly that many, then that a run without the CA and one with a
# wrong password each exit 1 with the reason. Prints one line per check; exits non-zero on the first failure.
# Usage: loadtests/tls-check.sh   env: SKIP_BUILD=1
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/redis-lib.sh
source bench/redis-lib.sh
with_cleanup
[ "${SKIP_BUILD:-0}" = 1 ] || dotnet build loadtests/C10k.Load.Cli -c Release --nologo -v quiet >/dev/null
tool=loadtests/C10k.Load.Cli/bin/Release/net10.0/c10k-load
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 -subj /CN=localhost \
    -addext subjectAltName=DNS:localhost,IP:127.0.0.1 -keyout "$work/tls.key" -out "$work/tls.crt" 2>/dev/null
port=$(free_port)
tls_port=$(free_port)
setsid redis-server --bind 127.0.0.1 --port "$port" --tls-port "$tls_port" --tls-cert-file "$work/tls.crt" --tls-key-file "$work/tls.key" \
    --tls-auth-clients no --requirepass s3cret --save '' --appendonly no --protected-mode no --logfile "$work/redis.log" &
groups+=("$!")
wait_port "$tls_port" --tls --cacert "$work/tls.crt" -a s3cret --no-auth-warning
cli=(redis-cli -p "$port" -a s3cret --no-auth-warning)
"${cli[@]}" config resetstat >/dev/null

run() { "$tool" run --target "rediss://127.0.0.1:$tls_port" --command "SET k:{seq} v" --simulation "iterations-for-constant copies=4 iterations=400" --plain "$@"; }
run --cacert "$work/tls.crt" --sni localhost --password s3cret --threshold "ok == 400" --threshold "connection-errors == 0" >"$work/ok.log"
counted=$("${cli[@]}" info commandstats | sed -n 's/^cmdstat_set:calls=\([0-9]*\),.*/\1/p')
[ "$counted" = 400 ] || { echo "FAIL: redis-server counted $counted SET, c10k-load sent 400" >&2; exit 1; }
echo "ok: rediss:// with --cacert, --sni and --password: 400 SET answered, redis-server counted $counted"

for case in "untrusted:--password s3cret:tls handshake failed" "wrong-password:--cacert $work/tls.crt --password nope:auth refused (WRONGPASS)"; do
    IFS=: read -r name options reason <<<"$case"
    # shellcheck disable=SC2086 # the options are words
    if run $options >"$work/$name.log" 2>&1; then
        echo "FAIL: $name: the run exited 0" >&2; exit 1
    fi
    grep -q "$reason" "$work/$name.log" || { echo "FAIL: $name: no '$reason' in the output" >&2; cat "$work/$name.log" >&2; exit 1; }
    echo "ok: $name: exit 1, '$reason'"
done
