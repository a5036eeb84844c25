#!/usr/bin/env bash
# Makes the two things docker/compose.yaml's replicas read that must never be committed (both are in .gitignore and
# .dockerignore): c10k.env, a random password for user "default" and a random admin token, and tls/, a throw-away CA with
# an ECDSA P-256 server certificate for localhost, 127.0.0.1 and the replica names. Keeps whatever already exists, so
# running it again changes nothing. For production, put your own secrets in the same two places (docs/security.md).
#
#   bash docker/dev-secrets.sh [DIR]      DIR defaults to docker/ (where compose.yaml looks: C10K_ENV_FILE, C10K_TLS_DIR)
set -euo pipefail
dir=${1:-$(cd "$(dirname "$0")" && pwd)}
mkdir -p "$dir/tls"
umask 077

if [ ! -f "$dir/c10k.env" ]; then
    printf 'C10k__Auth__Users__default=%s\nC10k__Admin__Token=%s\n' "$(openssl rand -hex 24)" "$(openssl rand -hex 24)" >"$dir/c10k.env"
    echo "dev-secrets: wrote $dir/c10k.env (password of user default, admin token)"
fi

tls=$dir/tls
if [ ! -f "$tls/server.crt" ] || [ ! -f "$tls/server.key" ]; then
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 3650 -subj "/CN=C10k development CA" \
        -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign \
        -keyout "$tls/ca.key" -out "$tls/ca.crt" 2>/dev/null
    openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=localhost \
        -keyout "$tls/server.key" -out "$tls/server.csr" 2>/dev/null
    printf 'subjectAltName=DNS:localhost,DNS:c10k-1,DNS:c10k-2,DNS:c10k-3,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' >"$tls/ext.cnf"
    openssl x509 -req -in "$tls/server.csr" -CA "$tls/ca.crt" -CAkey "$tls/ca.key" -CAcreateserial -days 825 \
        -extfile "$tls/ext.cnf" -out "$tls/server.crt" 2>/dev/null
    rm -f "$tls/server.csr" "$tls/ext.cnf" "$tls/ca.srl"
    echo "dev-secrets: wrote $tls/{ca.crt,server.crt,server.key} (clients trust ca.crt)"
fi

# The server runs as uid 1654 in the container and reads the key through a bind mount: as root, give it to that uid
# (still 0600); otherwise (rootless podman maps the container's uid to one that is "other" on the host) it must be
# world-readable: keep such a development key on a single-user machine only.
if [ "$(id -u)" = 0 ]; then
    chown 1654:1654 "$tls" "$tls/server.key" "$tls/server.crt"
    chmod 0711 "$tls"
else
    chmod 0755 "$tls"
    chmod 0644 "$tls/server.key" "$tls/server.crt"
fi
chmod 0644 "$tls/ca.crt"
