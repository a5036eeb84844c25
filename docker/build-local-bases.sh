#!/usr/bin/env bash
# Builds stand-ins for the official .NET base images from Debian packages, for a build host that
# cannot reach a container registry (like CI here). The Dockerfile takes its bases as build ARGs, so
#
#   podman build --format docker \
#     --build-arg SDK_IMAGE=localhost/dotnet/sdk:10.0 \
#     --build-arg RUNTIME_IMAGE=localhost/dotnet/aspnet:10.0 -t c10k .
#
# builds the same image a connected site builds from mcr.microsoft.com/dotnet/{sdk,aspnet}:10.0.
#
# Images made (each a single layer from `podman import`):
#   localhost/dotnet/runtime-deps:10.0  bookworm minbase + ca-certificates + libssl3, docs/locales removed
#   localhost/dotnet/aspnet:10.0        runtime-deps + the host's dotnet host and the NETCore + AspNetCore
#                                       shared frameworks (no SDK)
#   localhost/dotnet/sdk:10.0           bookworm minbase + ca-certificates libicu72 libssl3 + the host's
#                                       whole /usr/share/dotnet + the host's CA bundle (a build host behind
#                                       a TLS-inspecting proxy needs its trust store inside the build, or
#                                       NuGet restore fails with UntrustedRoot)
#
# Idempotent and keyed by content: every image carries a label org.c10k.base.key, a hash of what
# went into it (this script, the Debian mirror and suite, the host's dotnet versions, the CA bundle).
# An image whose key matches is left alone; debootstrap runs only when an image is missing or stale.
#
# Usage: docker/build-local-bases.sh [--force]      (root; run docker/host-setup.sh first)
# Env:   C10K_DEBIAN_MIRROR  (default: the bookworm mirror this host's apt already uses)
#        C10K_DOTNET_ROOT    (default: the directory of the dotnet on PATH, else /usr/share/dotnet)
set -euo pipefail

force=0
[ "${1:-}" = --force ] && force=1

suite=bookworm

# The mirror this host's apt already uses for the main suite (deb822 or one-line sources).
detect_mirror() {
    local f
    for f in /etc/apt/sources.list.d/*.sources; do
        [ -e "$f" ] || continue
        awk -v suite="$suite" '
            /^[[:space:]]*$/ { if (uri != "" && suites ~ "(^| )" suite "( |$)") { print uri; exit } uri = ""; suites = ""; next }
            /^URIs:/   { uri = $2 }
            /^Suites:/ { $1 = ""; suites = substr($0, 2) }
            END { if (uri != "" && suites ~ "(^| )" suite "( |$)") print uri }' "$f"
    done | head -1
    cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
        awk -v suite="$suite" '$1 == "deb" && $0 ~ " " suite " " { for (i = 2; i <= NF; i++) if ($i ~ /^https?:/) { print $i; exit } }' | head -1
    true
}
mirror=${C10K_DEBIAN_MIRROR:-$(detect_mirror 2>/dev/null | head -1 || true)}
mirror=${mirror:-http://deb.debian.org/debian}

dotnet_root=${C10K_DOTNET_ROOT:-}
if [ -z "$dotnet_root" ]; then
    if command -v dotnet >/dev/null; then dotnet_root=$(dirname "$(readlink -f "$(command -v dotnet)")"); fi
    dotnet_root=${dotnet_root:-/usr/share/dotnet}
fi
[ -x "$dotnet_root/dotnet" ] || { echo "build-local-bases: no dotnet in $dotnet_root" >&2; exit 1; }
# What the host's dotnet consists of, by version (a new SDK or runtime patch changes the key).
dotnet_manifest=$(cd "$dotnet_root" && ls -d sdk/* shared/*/* host/fxr/* packs/*/* 2>/dev/null | sort | tr '\n' ' ')
ca_bundle=/etc/ssl/certs/ca-certificates.crt
ca_hash=$(sha256sum "$ca_bundle" 2>/dev/null | cut -c1-64 || echo none)

image_key() { podman image inspect --format '{{index .Labels "org.c10k.base.key"}}' "$1" 2>/dev/null || true; }
fresh() { [ "$force" = 0 ] && [ "$(image_key "$1")" = "$2" ]; }

work=$(mktemp -d /var/tmp/c10k-bases.XXXXXX)
trap 'rm -rf "$work"' EXIT

# debootstrap a minbase rootfs with extra packages, then strip what a container never reads
# (the same paths Debian's -slim images drop).
make_rootfs() {
    local dir=$1 include=$2
    echo "build-local-bases: debootstrap $suite ($include) from $mirror"
    debootstrap --variant=minbase --include="$include" "$suite" "$dir" "$mirror" >"$work/debootstrap.log" 2>&1 ||
        { tail -20 "$work/debootstrap.log" >&2; return 1; }
    cat >"$dir/etc/dpkg/dpkg.cfg.d/c10k-slim" <<'CFG'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
path-exclude /usr/share/lintian/*
CFG
    find "$dir/usr/share/doc" -mindepth 2 ! -name copyright ! -type d -delete 2>/dev/null || true
    find "$dir/usr/share/doc" -mindepth 1 -type d -empty -delete 2>/dev/null || true
    rm -rf "$dir"/usr/share/{man,info,locale,lintian}/* "$dir"/var/cache/apt/*.bin \
        "$dir"/var/cache/apt/archives/*.deb "$dir"/var/lib/apt/lists/* "$dir"/var/log/* "$dir"/tmp/*
    # The container engine provides these at run time.
    : >"$dir/etc/resolv.conf"
    : >"$dir/etc/hostname"
}

import() {
    local dir=$1 name=$2 key=$3; shift 3
    local changes=(--change "LABEL org.c10k.base.key=$key"
        --change "LABEL org.opencontainers.image.description=C10k local base image built by docker/build-local-bases.sh"
        --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin')
    local c
    for c in "$@"; do changes+=(--change "$c"); done
    tar --numeric-owner -C "$dir" -c . | podman import -q "${changes[@]}" - "$name" >/dev/null
    # The image this one replaces is now untagged: drop it (only our own bases carry the label).
    podman image prune -f --filter label=org.c10k.base.key >/dev/null 2>&1 || true
    echo "build-local-bases: $name ready (key $key, $(podman image inspect --format '{{.Size}}' "$name" | awk '{printf "%.0f MB", $1/1e6}'))"
}

copy_dotnet_runtime() {
    local dest=$1/usr/share/dotnet
    mkdir -p "$dest/shared" "$dest/host"
    cp -a "$dotnet_root/dotnet" "$dotnet_root/LICENSE.txt" "$dotnet_root/ThirdPartyNotices.txt" "$dest/" 2>/dev/null || cp -a "$dotnet_root/dotnet" "$dest/"
    cp -a "$dotnet_root/host/fxr" "$dest/host/"
    cp -a "$dotnet_root/shared/Microsoft.NETCore.App" "$dotnet_root/shared/Microsoft.AspNetCore.App" "$dest/shared/"
    ln -sf /usr/share/dotnet/dotnet "$1/usr/bin/dotnet"
}

# Same environment as the official images set.
dotnet_env=('ENV DOTNET_RUNNING_IN_CONTAINER=true' 'ENV DOTNET_ROOT=/usr/share/dotnet')

# Keys: the recipe (the code of the functions above, as bash prints it) and every input of that image.
rootfs_packages=ca-certificates,libicu72,libssl3
recipe=$( (declare -f make_rootfs import copy_dotnet_runtime; echo "${dotnet_env[*]}") | sha256sum | cut -c1-64)
key_of() { printf '%s\n' "$recipe" "$mirror" "$suite" "$rootfs_packages" "$@" | sha256sum | cut -c1-16; }
key_rd=$(key_of runtime-deps)
key_aspnet=$(key_of aspnet "$dotnet_manifest")
key_sdk=$(key_of sdk "$dotnet_manifest" "$ca_hash" "${NUGET_CERT_REVOCATION_MODE:-}")


need_runtime=1
fresh localhost/dotnet/runtime-deps:10.0 "$key_rd" && fresh localhost/dotnet/aspnet:10.0 "$key_aspnet" && need_runtime=0
need_sdk=1
fresh localhost/dotnet/sdk:10.0 "$key_sdk" && need_sdk=0
if [ "$need_runtime$need_sdk" != 00 ]; then
    # One debootstrap serves both: the runtime rootfs is a copy without ICU (the app runs with
    # invariant globalization, as the chiseled official images do).
    make_rootfs "$work/sdk" "$rootfs_packages"
fi

if [ "$need_runtime" = 0 ]; then
    echo "build-local-bases: runtime-deps and aspnet up to date"
else
    cp -a "$work/sdk" "$work/rd"
    chroot "$work/rd" dpkg --purge libicu72 >/dev/null
    import "$work/rd" localhost/dotnet/runtime-deps:10.0 "$key_rd" 'ENV DOTNET_RUNNING_IN_CONTAINER=true' \
        'ENV DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=true'
    copy_dotnet_runtime "$work/rd"
    import "$work/rd" localhost/dotnet/aspnet:10.0 "$key_aspnet" "${dotnet_env[@]}" \
        'ENV DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=true'
    rm -rf "$work/rd"
fi

if [ "$need_sdk" = 0 ]; then
    echo "build-local-bases: sdk up to date"
else
    mkdir -p "$work/sdk/usr/share/dotnet"
    cp -a "$dotnet_root/." "$work/sdk/usr/share/dotnet/"
    ln -sf /usr/share/dotnet/dotnet "$work/sdk/usr/bin/dotnet"
    [ -f "$ca_bundle" ] && cp "$ca_bundle" "$work/sdk/etc/ssl/certs/ca-certificates.crt"
    sdk_env=("${dotnet_env[@]}" 'ENV DOTNET_CLI_TELEMETRY_OPTOUT=1' 'ENV DOTNET_NOLOGO=1'
        'ENV DOTNET_GENERATE_ASPNET_CERTIFICATE=false' 'ENV DOTNET_USE_POLLING_FILE_WATCHER=true')
    # A site whose network blocks certificate-revocation servers sets this for NuGet on the host.
    [ -n "${NUGET_CERT_REVOCATION_MODE:-}" ] && sdk_env+=("ENV NUGET_CERT_REVOCATION_MODE=$NUGET_CERT_REVOCATION_MODE")
    import "$work/sdk" localhost/dotnet/sdk:10.0 "$key_sdk" "${sdk_env[@]}"
fi

# HAProxy for docker/compose.yaml: Debian's HAProxy 2.6 on the runtime-deps base (a bookworm-slim), laid out
# like the official haproxy:2.6 image.
haproxy_dir=$(cd "$(dirname "$0")" && pwd)/haproxy
key_haproxy=$(key_of haproxy "$key_rd" "$(sha256sum "$haproxy_dir/Containerfile" | cut -c1-64)")
if fresh localhost/haproxy:2.6 "$key_haproxy"; then
    echo "build-local-bases: haproxy up to date"
else
    podman build -q --format docker --build-arg BASE_IMAGE=localhost/dotnet/runtime-deps:10.0 \
        --label "org.c10k.base.key=$key_haproxy" -t localhost/haproxy:2.6 -f "$haproxy_dir/Containerfile" "$haproxy_dir" >/dev/null
    podman image prune -f --filter label=org.c10k.base.key >/dev/null 2>&1 || true
    echo "build-local-bases: localhost/haproxy:2.6 ready (key $key_haproxy)"
fi
