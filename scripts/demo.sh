#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make demo: build what is needed and run tools/testing/lagx/demo.sh inside
# the UML guest (job=cmd, lagx.ko loaded, LAGX_KO/LAGX_TOP exported).
# Only the story reaches the terminal: the narrated commands, their output
# and lagx's own kernel messages (as "kernel: ..." lines, where they
# happen).  The whole guest console is kept in the results directory,
# named at the end.  Exits with the demo's status.
#
# Usage: scripts/demo.sh [DEMO-ARG...]   (arguments must not contain ',' or blanks)
# Environment: LAGX_RESULTS (default: a new $LAGX_CACHE/results/demo-<time>)
set -euo pipefail
. "$(dirname "$0")/lib.sh"

demo=$LAGX_TOP/tools/testing/lagx/demo.sh
[ -f "$demo" ] || die "$demo does not exist (the demo script has not been written yet)"

results=${LAGX_RESULTS:-$LAGX_CACHE/results/demo-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$results"
results=$(cd "$results" && pwd)

# The first run on a machine installs packages and builds a kernel: say so
# (uml-build.sh does); the module build's own lines are not the story.
"$LAGX_TOP/scripts/install-deps.sh"
LAGX_UML=$("$LAGX_TOP/scripts/uml-build.sh")
export LAGX_UML
if ! { make -s -C "$LAGX_TOP" plugin lagxctl &&
       LAGX_ALLOW_WARNINGS=1 "$LAGX_TOP/scripts/build-modules.sh"; } \
	>"$results/build.log" 2>&1; then
	cat "$results/build.log" >&2
	die "build failed (log: $results/build.log)"
fi

args=(lagx.cmd="$demo" lagx.story=1)
if [ $# -gt 0 ]; then
	a=$(IFS=,; echo "$*")
	[[ "$a" != *[[:space:]]* ]] || die "demo arguments cannot contain blanks"
	args+=(lagx.args="$a")
fi

# The guest writes the story into the results directory (hostfs): follow it.
: >"$results/story.log"
tail -n +1 -F "$results/story.log" 2>/dev/null &
follow=$!
rc=0
"$LAGX_TOP/scripts/uml-run.sh" -q -t "${LAGX_TIMEOUT:-1800}" -r "$results" \
	cmd "${args[@]}" 2>"$results/uml-run.log" || rc=$?
sleep 0.5
kill "$follow" 2>/dev/null || true
wait "$follow" 2>/dev/null || true
if [ ! -s "$results/story.log" ] || [ ! -f "$results/cmd.rc" ]; then
	cat "$results/uml-run.log" >&2
fi
echo
echo "The whole guest console: $results/console.log"
exit "$rc"
