#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check's test of "make demo", the README's first command: it exits 0
# and a newcomer sees the story only.  Runs scripts/demo.sh into RESULTS
# and prints one "PASS|FAIL demo: ... DETAIL" line per assertion.
#
# Usage: scripts/check-demo.sh RESULTS-DIR
set -uo pipefail
. "$(dirname "$0")/lib.sh"

results=${1:?usage: $0 RESULTS-DIR}
mkdir -p "$results"
out=$results/demo.out

rc=0
LAGX_RESULTS=$results "$LAGX_TOP/scripts/demo.sh" </dev/null >"$out" 2>&1 || rc=$?

result() { printf '%s demo: %s\t%s\n' "$1" "$2" "${3:-}"; }
if [ "$rc" = 0 ]; then
	result PASS "exits 0"
else
	result FAIL "exits 0" "exit $rc, see $out"
fi

# Boot log, init and bridge chatter: none of it is the story.
noise='Linux version|Kernel command line|lagx-init:|hostfs|Calibrating|entered (forwarding|blocking|disabled|learning) state|NET: Registered|clocksource'
n=$(grep -cE "$noise" "$out")
if [ "$n" = 0 ]; then
	result PASS "no boot log or bridge chatter"
else
	result FAIL "no boot log or bridge chatter" "$n lines, e.g. $(grep -m1 -E "$noise" "$out")"
fi

# Chapters: "== title", bold on a terminal or not.
n=$(grep -cE $'^(\e\\[1m)?== ' "$out" | tr -d '[:space:]')
if [ "${n:-0}" -ge 5 ]; then
	result PASS "narrated" "$n chapters"
else
	result FAIL "narrated" "${n:-0} '== ' lines, see $out"
fi

first=$(grep -m1 -v '^$' "$out")
if [[ "$first" =~ ^($'\e'\[1m)?==\  ]]; then
	result PASS "starts with the story"
else
	result FAIL "starts with the story" "first line: $first"
fi

if grep -qE '^kernel: lagx' "$out"; then
	result PASS "lagx's kernel messages interleaved"
else
	result FAIL "lagx's kernel messages interleaved" "no 'kernel: lagx' line"
fi

last=$(tail -n 1 "$out")
if [[ "$last" == "The whole guest console: $results/console.log" ]] &&
   grep -q 'Linux version' "$results/console.log"; then
	result PASS "ends with the path of the full console"
else
	result FAIL "ends with the path of the full console" "last line: $last"
fi
