#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# An x86-64 kernel for the QEMU guests (scripts/vm-run.sh), cached under
# $LAGX_CACHE, and lagx.ko built against it.  Prints the kernel's cache
# directory on stdout; it holds:
#
#   release      the kernel release (uname -r in the guest)
#   vmlinuz      the kernel image
#   modroot/     lib/modules/<release>/ of that kernel (depmod'ed)
#   kdir         the path of the kernel build tree lagx is built against
#   lagx/        a private copy of the lagx sources, with
#                lagx/drivers/net/lagx/lagx.ko built for that kernel (the
#                tree's own lagx.ko stays the UML one)
#
# Usage: scripts/vm-kernel.sh [--no-module] 6.12|6.1|debug
#   6.12, 6.1   Debian's stock image (linux-image-<ver>-amd64-unsigned,
#               apt-get download + dpkg -x: nothing is installed), the
#               version of the newest linux-headers-<series> installed
#               (scripts/install-deps.sh), so that lagx.ko matches it
#   debug       the debug kernel of scripts/vm-debug-build.sh
#   --no-module do not (re)build lagx.ko
#
# The kernel is cached in $LAGX_CACHE/vm-<release>/ (debug: the build's
# own directory); lagx.ko is rebuilt on every call (a few seconds), from
# clean, with W=1 like the UML build.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

build_module=1
if [ "${1:-}" = --no-module ]; then
	build_module=0
	shift
fi
[ $# = 1 ] || die "usage: $0 [--no-module] 6.12|6.1|debug"
which=$1

newest() { ls -d $1 2>/dev/null | sort -V | tail -n1; }

case $which in
6.12 | 6.1)
	pat='/usr/src/linux-headers-6.12.*+deb12-amd64'
	[ "$which" = 6.1 ] && pat='/usr/src/linux-headers-6.1.0-*-amd64'
	hdr=$(newest "$pat")
	[ -n "$hdr" ] || die "no linux-headers for $which installed (scripts/install-deps.sh)"
	rel=${hdr#/usr/src/linux-headers-}
	dir=$LAGX_CACHE/vm-$rel
	if [ ! -f "$dir/.lagx-ready" ]; then
		mkdir -p "$dir"
		exec 9>"$dir.lock"
		flock 9
	fi
	if [ ! -f "$dir/.lagx-ready" ]; then
		pkg=linux-image-$rel-unsigned
		log "fetching $pkg"
		tmp=$(mktemp -d "$LAGX_CACHE/fetch.XXXXXX")
		chmod 0755 "$tmp"
		(cd "$tmp" && apt-get download "$pkg" >/dev/null 2>&1) ||
			die "apt-get download $pkg failed"
		rm -rf "$dir/modroot"
		dpkg -x "$tmp"/*.deb "$dir/pkg"
		rm -rf "$tmp"
		cp "$dir/pkg/boot/vmlinuz-$rel" "$dir/vmlinuz"
		mkdir -p "$dir/modroot/lib"
		mv "$dir/pkg/lib/modules" "$dir/modroot/lib/modules"
		rm -rf "$dir/pkg"
		depmod -b "$dir/modroot" "$rel"
		echo "$rel" >"$dir/release"
		echo "$hdr" >"$dir/kdir"
		touch "$dir/.lagx-ready"
	fi
	;;
debug)
	dir=$("$LAGX_TOP/scripts/vm-debug-build.sh")
	;;
*)
	die "unknown kernel '$which' (6.12, 6.1 or debug)"
	;;
esac

if [ $build_module = 1 ]; then
	kdir=$(cat "$dir/kdir")
	src=$dir/lagx
	# A private copy of the sources: objects of different kernels never
	# mix, in the repository or here.
	rm -rf "$src"
	mkdir -p "$src"
	tar -C "$LAGX_TOP" -cf - --exclude=.git --exclude='*.o' --exclude='*.ko' \
		--exclude='*.mod' --exclude='*.mod.c' --exclude='.*.cmd' \
		--exclude='*.a' --exclude=Module.symvers --exclude=modules.order \
		--exclude='.*.d' --exclude='*.dwo' --exclude=bench \
		Kbuild Makefile drivers include | tar -C "$src" -xf -
	rc=0
	make -C "$kdir" M="$src" W=1 -j"$(nproc)" modules >"$dir/lagx-build.log" 2>&1 || rc=$?
	[ $rc = 0 ] || { tail -n 20 "$dir/lagx-build.log" >&2; die "lagx.ko build for $which failed"; }
	if grep -qi 'warning:' "$dir/lagx-build.log"; then
		grep -i 'warning:' "$dir/lagx-build.log" >&2
		die "lagx.ko build for $which has warnings"
	fi
	[ -f "$src/drivers/net/lagx/lagx.ko" ] || die "lagx.ko was not built for $which"
fi
echo "$dir"
