#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build the x86-64 debug kernel of the QEMU rig from the same unpacked
# linux-source-6.12 as the UML kernel (scripts/uml-build.sh --source-only):
# x86_64 defconfig with tools/testing/lagx/vm-debug.config merged on top
# (KCSAN, lockdep, kmemleak, the networking of the selftests built in).
# Cached in $LAGX_CACHE/vmdebug-<version>-<fragment hash>/, which is also
# the kernel directory of scripts/vm-kernel.sh (release, vmlinuz, modroot/,
# kdir).  Prints that directory on stdout.
#
# Usage: scripts/vm-debug-build.sh [--config-only]
set -euo pipefail
. "$(dirname "$0")/lib.sh"

ver=$(ksrc_version)
src=$("$LAGX_TOP/scripts/uml-build.sh" --source-only)
fragment=$LAGX_TOP/tools/testing/lagx/vm-debug.config
out=$LAGX_CACHE/vmdebug-$ver-$(sha256sum "$fragment" | cut -c1-12)

ready() { [ -f "$out/.lagx-ready" ] && [ -f "$out/vmlinuz" ]; }
if ready; then
	echo "$out"
	exit 0
fi
mkdir -p "$out"
exec 9>"$out.lock"
if ! flock -n 9; then
	log "another debug kernel build is running in $out, waiting for it"
	flock 9
fi
if ready; then
	echo "$out"
	exit 0
fi

kmake() { nice make -C "$src" O="$out" ARCH=x86_64 "$@"; }

{
	kmake x86_64_defconfig
	"$src"/scripts/kconfig/merge_config.sh -m -O "$out" "$out/.config" "$fragment"
	kmake olddefconfig
} >"$out/config.log" 2>&1 || die "configuring failed, see $out/config.log"

# Every option the fragment sets must have survived olddefconfig, and every
# option it turns off must be off.
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
done <"$fragment"
[ $bad -eq 0 ] || die "vm-debug.config does not apply cleanly to $ver"
[ "${1:-}" = --config-only ] && { echo "$out"; exit 0; }

log "building the x86-64 debug kernel $ver in $out (first run on this machine)"
start=$(date +%s)
kmake -j"$(nproc)" bzImage modules >"$out/build.log" 2>&1 ||
	{ tail -n 30 "$out/build.log" >&2; die "kernel build failed, see $out/build.log"; }
rm -rf "$out/modroot"
kmake INSTALL_MOD_PATH="$out/modroot" modules_install >>"$out/build.log" 2>&1 ||
	die "modules_install failed, see $out/build.log"
kmake -s kernelrelease >"$out/release"
cp "$out/arch/x86/boot/bzImage" "$out/vmlinuz"
echo "$out" >"$out/kdir"
echo "$(( $(date +%s) - start ))" >"$out/build-seconds"
touch "$out/.lagx-ready"
log "debug kernel built in $(cat "$out/build-seconds") s"
echo "$out"
