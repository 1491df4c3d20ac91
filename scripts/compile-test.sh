#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Compile-test lagx with W=1 against Debian's x86_64 kernel headers for 6.1
# and 6.12 (the newest installed of each, the last one also with sparse),
# each in a private copy of the source so that build products of different
# kernels never mix in the repo.  Any warning fails.  Prints one
# "compile-test <version>: ok|FAILED" line per kernel.
#
# Usage: scripts/compile-test.sh [HEADERS-DIR...]
# Environment: LAGX_CT_LOGDIR keeps each build log as compile-test-<ver>.log.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

newest() { ls -d $1 2>/dev/null | sort -V | tail -n1; }

if [ $# -gt 0 ]; then
	kdirs=("$@")
else
	kdirs=("$(newest '/usr/src/linux-headers-6.1.0-*-amd64')"
	       "$(newest '/usr/src/linux-headers-6.12.*+deb12-amd64')")
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/lagx-compile-test.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

failed=0
series=(6.1 6.12)
for i in "${!kdirs[@]}"; do
	kdir=${kdirs[$i]}
	if [ -z "$kdir" ] || [ ! -f "$kdir/Makefile" ]; then
		echo "compile-test ${series[$i]:-$kdir}: FAILED (no headers installed)"
		failed=1
		continue
	fi
	ver=$(basename "$kdir")
	ver=${ver#linux-headers-}
	ver=${ver%-amd64}
	src=$tmp/$ver
	mkdir -p "$src"
	tar -C "$LAGX_TOP" -cf - --exclude=.git --exclude='*.o' --exclude='*.ko' \
		--exclude='*.mod' --exclude='*.mod.c' --exclude='.*.cmd' \
		--exclude='*.a' --exclude=Module.symvers --exclude=modules.order \
		--exclude='.*.d' --exclude='*.dwo' . | tar -C "$src" -xf -
	log="$tmp/$ver.log"
	rc=0
	# sparse on the newest kernel too: its warnings fail like the
	# compiler's.
	check=()
	[ "$i" = $((${#kdirs[@]} - 1)) ] &&
		check=(C=1 CHECK="sparse -Wno-unknown-attribute")
	make -C "$kdir" M="$src" W=1 "${check[@]}" -j"$(nproc)" modules >"$log" 2>&1 || rc=$?
	[ -z "${LAGX_CT_LOGDIR:-}" ] || cp "$log" "$LAGX_CT_LOGDIR/compile-test-$ver.log"
	if [ $rc -ne 0 ]; then
		grep -E 'error|warning' "$log" | head -n 40 >&2 || tail -n 20 "$log" >&2
		echo "compile-test $ver: FAILED (make exit $rc)"
		failed=1
	elif grep -qi 'warning:' "$log"; then
		grep -i 'warning:' "$log" >&2
		echo "compile-test $ver: FAILED (warnings)"
		failed=1
	elif [ ! -f "$src/drivers/net/lagx/lagx.ko" ]; then
		echo "compile-test $ver: FAILED (no lagx.ko)"
		failed=1
	else
		echo "compile-test $ver: ok"
	fi
done
exit $failed
