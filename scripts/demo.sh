#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make demo: build what is needed and run tools/testing/lagx/demo.sh inside
# the UML guest (job=cmd, lagx.ko loaded, LAGX_KO/LAGX_TOP exported).
# Interactive when stdin is a terminal; exits with the demo's status.
#
# Usage: scripts/demo.sh [DEMO-ARG...]   (arguments must not contain ',' or blanks)
set -euo pipefail
. "$(dirname "$0")/lib.sh"

demo=$LAGX_TOP/tools/testing/lagx/demo.sh
[ -f "$demo" ] || die "$demo does not exist (the demo script has not been written yet)"

"$LAGX_TOP/scripts/install-deps.sh"
LAGX_UML=$("$LAGX_TOP/scripts/uml-build.sh")
export LAGX_UML
make -s -C "$LAGX_TOP" plugin lagxctl >/dev/null
LAGX_ALLOW_WARNINGS=1 "$LAGX_TOP/scripts/build-modules.sh" >/dev/null

args=(lagx.cmd="$demo")
if [ $# -gt 0 ]; then
	a=$(IFS=,; echo "$*")
	[[ "$a" != *[[:space:]]* ]] || die "demo arguments cannot contain blanks"
	args+=(lagx.args="$a")
fi
iflag=()
[ -t 0 ] && iflag=(-i)
exec "$LAGX_TOP/scripts/uml-run.sh" "${iflag[@]}" -t "${LAGX_TIMEOUT:-1800}" cmd "${args[@]}"
