#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Install the Debian packages the lagx build, test rig and peers need.
# The UML guest runs the host's binaries, so the peers (Open vSwitch,
# teamd, scapy) are installed on the host; the QEMU guests (scripts/vm-run.sh)
# need qemu-system-x86 and busybox-static for their initramfs.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

pkgs=(build-essential flex bison bc libelf-dev libssl-dev kmod xz-utils
      iproute2 iputils-ping ethtool tcpdump procps psmisc
      python3 python3-yaml python3-jsonschema python3-scapy
      openvswitch-switch libteam-utils sparse libmnl-dev pkg-config
      iperf3 python3-matplotlib
      qemu-system-x86 busybox-static cpio)

missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing+=("$p")
done

# Kernel headers for the compile tests against Debian's 6.1 and 6.12 kernels.
for series in 6.1.0 6.12; do
	if ! ls -d /usr/src/linux-headers-"$series"*-amd64 >/dev/null 2>&1; then
		missing+=("@$series")
	fi
done

[ ${#missing[@]} -eq 0 ] && exit 0

log "installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
as_root apt-get update -qq
real=()
for p in "${missing[@]}"; do
	case "$p" in
	@6.1.0)
		real+=("$(apt-cache search --names-only '^linux-headers-6\.1\.0-[0-9]+-amd64$' |
			awk '{print $1}' | sort -V | tail -n1)") ;;
	@6.12)
		real+=("$(apt-cache search --names-only '^linux-headers-6\.12\.[0-9.]+\+deb12-amd64$' |
			awk '{print $1}' | sort -V | tail -n1)") ;;
	*) real+=("$p") ;;
	esac
done
as_root apt-get install -y -qq --no-install-recommends "${real[@]}" >/dev/null
