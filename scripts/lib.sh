#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Shared settings for the lagx build and test scripts.

LAGX_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
LAGX_CACHE=${LAGX_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/lagx}
LAGX_KSRC_PKG=${LAGX_KSRC_PKG:-linux-source-6.12}
LAGX_FRAGMENT=${LAGX_FRAGMENT:-$LAGX_TOP/tools/testing/lagx/uml.config}
# Optional second fragment whose options replace the first's (the benchmark
# kernel: tools/testing/lagx/uml-bench.config, see uml-build.sh --bench).
LAGX_FRAGMENT_OVERRIDE=${LAGX_FRAGMENT_OVERRIDE:-}

die() { echo "lagx: $*" >&2; exit 1; }
log() { echo "lagx: $*" >&2; }

# Run a command as root (directly, or through sudo when we are not root).
as_root() {
	if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# Version of the Debian kernel source package, from the cache or apt.
ksrc_version() {
	local v
	v=$(apt-cache policy "$LAGX_KSRC_PKG" 2>/dev/null |
		awk '/Candidate:/ { print $2 }')
	if [ -z "$v" ] || [ "$v" = "(none)" ]; then
		# Offline: use what the cache already holds.
		v=$(cat "$LAGX_CACHE/ksrc-version" 2>/dev/null)
	fi
	[ -n "$v" ] || die "cannot determine the $LAGX_KSRC_PKG version (run apt-get update)"
	echo "$v"
}

# Directory of the unpacked kernel source tree for version $1.
ksrc_dir() { echo "$LAGX_CACHE/src-$1/linux"; }

# Directory of the UML build for kernel version $1 and the current fragment
# (and override fragment, if any).
uml_dir() {
	local frag suffix=${LAGX_BUILD_SUFFIX:-}
	if [ -n "$LAGX_FRAGMENT_OVERRIDE" ]; then
		frag=$(cat "$LAGX_FRAGMENT" "$LAGX_FRAGMENT_OVERRIDE" | sha256sum | cut -c1-12)
		suffix=${suffix:-$(basename "$LAGX_FRAGMENT_OVERRIDE" .config)}
		suffix=${suffix#uml-}
	else
		frag=$(sha256sum "$LAGX_FRAGMENT" | cut -c1-12)
	fi
	echo "$LAGX_CACHE/uml-$1-$frag${suffix:+-$suffix}"
}
