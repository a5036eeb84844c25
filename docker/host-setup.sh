#!/usr/bin/env bash
# Prepares a Debian bookworm host (root) to build and run the C10k image with podman:
# installs podman + runc + debootstrap + podman-compose + HAProxy and writes the containers.conf
# settings this kind of host needs. Idempotent: a second run installs nothing and rewrites nothing.
#
# Why each setting (measured on the CI box, see issue 8):
#   runtime = "runc"           podman's default crun fails on this kernel's hybrid cgroup layout
#   cgroup_manager = "cgroupfs" no systemd running as PID 1 in the sandbox
#   events_logger = "file"     no journald
#   default_ulimits            podman asks for more files/processes than the host's hard limits
#                              (20,000 files, 32,768 processes here) and the container fails to start
set -euo pipefail

# iptables: netavark (the network backend) programs NAT and port publishing with it.
# curl, iproute2 (ss), python3: docker/smoke.sh's probes.
packages=(podman runc debootstrap podman-compose haproxy netavark aardvark-dns iptables curl iproute2)
command -v python3 >/dev/null || packages+=(python3)
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
    echo "host-setup: installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq -o DPkg::Lock::Timeout=300
    apt-get install -y -qq -o DPkg::Lock::Timeout=300 "${missing[@]}" >/dev/null
fi

# Ulimits no higher than this host's hard caps (a real host with higher caps keeps podman's own).
hard_nofile=$(ulimit -Hn)
hard_nproc=$(ulimit -Hu)
[ "$hard_nofile" = unlimited ] && hard_nofile=1048576
[ "$hard_nproc" = unlimited ] && hard_nproc=1048576
nofile=$(( hard_nofile < 1048576 ? hard_nofile : 1048576 ))
nproc=$(( hard_nproc < 32768 ? hard_nproc : 32768 ))

conf=/etc/containers/containers.conf
want=$(cat <<CONF
# Written by C10k docker/host-setup.sh
[containers]
default_ulimits = ["nofile=${nofile}:${nofile}", "nproc=${nproc}:${nproc}"]

[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
CONF
)
if [ ! -f "$conf" ] || [ "$(cat "$conf")" != "$want" ]; then
    mkdir -p /etc/containers
    [ -f "$conf" ] && ! grep -q 'C10k docker/host-setup.sh' "$conf" && cp "$conf" "$conf.orig"
    printf '%s\n' "$want" > "$conf"
    echo "host-setup: wrote $conf (nofile=$nofile nproc=$nproc)"
fi
