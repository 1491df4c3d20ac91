#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Fetch Debian's linux-source-6.12, unpack it and build a User-Mode Linux
# kernel with tools/testing/lagx/uml.config merged on top of defconfig.
#
# Everything is cached under $LAGX_CACHE (default ~/.cache/lagx), keyed by
# kernel version and the hash of the fragment, so the expensive build runs
# once per machine.  Prints the build directory on stdout.
#
# Usage: scripts/uml-build.sh [--source-only | --bench]
#   --bench   the benchmark kernel: uml.config with the debugging options
#             turned off by tools/testing/lagx/uml-bench.config (own cache key)
set -euo pipefail
. "$(dirname "$0")/lib.sh"

if [ "${1:-}" = "--bench" ]; then
	LAGX_FRAGMENT_OVERRIDE=$LAGX_TOP/tools/testing/lagx/uml-bench.config
	shift
fi

ver=$(ksrc_version)
src=$(ksrc_dir "$ver")
mkdir -p "$LAGX_CACHE"

# One fetch per version: the UML build, the debug kernel build
# (vm-debug-build.sh) and the guests' tools all ask for it, maybe at once.
if [ ! -f "$src/.lagx-unpacked" ]; then
	mkdir -p "$(dirname "$(dirname "$src")")"
	exec 8>"$(dirname "$src").lock"
	flock 8
fi
if [ ! -f "$src/.lagx-unpacked" ]; then
	log "fetching $LAGX_KSRC_PKG $ver"
	tmp=$(mktemp -d "$LAGX_CACHE/fetch.XXXXXX")
	chmod 0755 "$tmp"
	(cd "$tmp" && apt-get download "$LAGX_KSRC_PKG=$ver" >/dev/null 2>&1) ||
		die "apt-get download $LAGX_KSRC_PKG=$ver failed"
	dpkg -x "$tmp"/*.deb "$tmp/pkg"
	rm -rf "$(dirname "$src")"
	mkdir -p "$(dirname "$src")"
	tar -C "$(dirname "$src")" -xf "$tmp"/pkg/usr/src/"$LAGX_KSRC_PKG".tar.xz
	mv "$(dirname "$src")/$LAGX_KSRC_PKG" "$src"
	rm -rf "$tmp"
	touch "$src/.lagx-unpacked"
	echo "$ver" > "$LAGX_CACHE/ksrc-version"
fi
exec 8>&-

if [ "${1:-}" = "--source-only" ]; then
	echo "$src"
	exit 0
fi

out=$(uml_dir "$ver")
if [ -f "$out/.lagx-built" ] && [ -x "$out/linux" ]; then
	echo "$out"
	exit 0
fi

# One build per directory: a concurrent caller waits for it, then reuses it.
mkdir -p "$out"
exec 9>"$out.lock"
if ! flock -n 9; then
	log "another UML build is running in $out, waiting for it"
	flock 9
fi
if [ -f "$out/.lagx-built" ] && [ -x "$out/linux" ]; then
	echo "$out"
	exit 0
fi

# The fragment that is merged: LAGX_FRAGMENT, with the options the override
# fragment names replaced by the override's lines.
frag=$out/lagx-fragment.config
if [ -n "$LAGX_FRAGMENT_OVERRIDE" ]; then
	opts=$(sed -nE 's/^(# )?(CONFIG_[A-Za-z0-9_]+)[= ].*/\2/p' "$LAGX_FRAGMENT_OVERRIDE")
	grep -vwF -e "${opts:-CONFIG_NONE_}" "$LAGX_FRAGMENT" >"$frag" || true
	cat "$LAGX_FRAGMENT_OVERRIDE" >>"$frag"
else
	cp "$LAGX_FRAGMENT" "$frag"
fi

log "building UML $ver in $out (first run on this machine: 15-20 min)"
start=$(date +%s)
{
	make -C "$src" ARCH=um O="$out" defconfig
	"$src"/scripts/kconfig/merge_config.sh -m -O "$out" "$out/.config" "$frag"
	make -C "$src" ARCH=um O="$out" olddefconfig
} >"$out/config.log" 2>&1 || die "configuring failed, see $out/config.log"

# Every option the fragment asks for must have survived olddefconfig, and
# every option it turns off must be off.
bad=0
while read -r line; do
	case "$line" in
	CONFIG_*=*)
		grep -qx "$line" "$out/.config" ||
			{ log "option not applied: $line"; bad=1; } ;;
	"# CONFIG_"*" is not set")
		opt=${line#\# }
		opt=${opt%% *}
		! grep -q "^$opt=" "$out/.config" ||
			{ log "option not turned off: $opt"; bad=1; } ;;
	esac
done <"$frag"
[ $bad -eq 0 ] || die "the fragment does not apply cleanly to $ver"

make -C "$src" ARCH=um O="$out" -j"$(nproc)" >"$out/build.log" 2>&1 ||
	{ tail -n 30 "$out/build.log" >&2; die "kernel build failed, see $out/build.log"; }
echo "$(( $(date +%s) - start ))" >"$out/build-seconds"
touch "$out/.lagx-built"
log "UML kernel built in $(cat "$out/build-seconds") s"
echo "$out"
