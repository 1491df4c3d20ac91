#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build lagx.ko and lagx_kunit.ko against the cached UML kernel with W=1,
# from clean, so that every warning shows up; any warning fails the build.
#
# Usage: scripts/build-modules.sh [LOGFILE]
# Environment: LAGX_UML (UML build dir, default: scripts/uml-build.sh),
# LAGX_ALLOW_WARNINGS=1 reports warnings without failing.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

uml=${LAGX_UML:-$("$LAGX_TOP/scripts/uml-build.sh")}
out=${1:-}
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT

kmake() { make -C "$uml" ARCH=um M="$LAGX_TOP" "$@"; }

# Clean first: an up-to-date object would hide its warnings.
kmake clean >/dev/null 2>&1 || true
rc=0
kmake W=1 -j"$(nproc)" modules 2>&1 | tee "$tmp" || rc=$?
[ -z "$out" ] || cp "$tmp" "$out"

[ $rc -eq 0 ] || die "module build failed (make exit $rc)"
for ko in lagx lagx_kunit; do
	[ -f "$LAGX_TOP/drivers/net/lagx/$ko.ko" ] || die "$ko.ko was not built"
done
# Compiler warnings and modpost's "WARNING: modpost: ...".
if grep -qi 'warning:' "$tmp"; then
	log "warnings in the W=1 module build:"
	grep -i 'warning:' "$tmp" >&2
	[ "${LAGX_ALLOW_WARNINGS:-0}" = 1 ] || die "module build has warnings"
fi
log "modules built for UML: drivers/net/lagx/lagx.ko lagx_kunit.ko"
