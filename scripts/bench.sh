#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make bench: measure lagx against bonding, team and the bare port.
#
#   install deps -> UML kernel without the debugging options (its own cache
#   key, tools/testing/lagx/uml-bench.config) -> lagx.ko built for it (in
#   the cache, the tree's lagx.ko stays the test kernel's) -> one boot,
#   pinned to one host CPU, running tools/testing/lagx/bench/bench.sh ->
#   bench/results.md, bench/*.png and bench/raw.jsonl from report.py.
#
# Environment:
#   LAGX_BENCH_REPS=N       repetitions of every figure (default 7)
#   LAGX_BENCH_ONLY=LIST    benchmarks: pps,tcp,failover,lacp,cost (default all)
#                           (lagx.args splits on ',': passed as a:b:c)
#   LAGX_BENCH_ARGS=a,b     more bench.sh arguments, e.g. --ports,1:8
#   LAGX_BENCH_OUT=DIR      where the report goes (default bench/ in the tree)
#   LAGX_BENCH_CPU=N        host CPU the guest is pinned to (default: the last)
#   LAGX_TIMEOUT=SECS       whole guest run (default 5400)
set -euo pipefail
. "$(dirname "$0")/lib.sh"

reps=${LAGX_BENCH_REPS:-7}
only=${LAGX_BENCH_ONLY:-pps,tcp,failover,lacp,cost}
out=${LAGX_BENCH_OUT:-$LAGX_TOP/bench}
cpu=${LAGX_BENCH_CPU:-$(( $(nproc) - 1 ))}

"$LAGX_TOP/scripts/install-deps.sh"
uml=$("$LAGX_TOP/scripts/uml-build.sh" --bench)

# lagx.ko for the benchmark kernel, built in a copy of the sources so the
# tree's objects (built for the test kernel) are left alone.
mod=$uml-lagx
rm -rf "$mod"
mkdir -p "$mod"
(cd "$LAGX_TOP" && tar -cf - Kbuild drivers include) | tar -C "$mod" -xf -
make -C "$uml" ARCH=um M="$mod" -j"$(nproc)" modules >"$mod/build.log" 2>&1 ||
	{ tail -n 20 "$mod/build.log" >&2; die "lagx.ko build for the bench kernel failed"; }
make -C "$LAGX_TOP" plugin lagxctl >/dev/null

results=$LAGX_CACHE/results/bench-$(date +%Y%m%d-%H%M%S)
mkdir -p "$results"
log "benchmarks: $reps repetitions of $only, guest pinned to CPU $cpu, results in $results"
rc=0
LAGX_UML=$uml taskset -c "$cpu" "$LAGX_TOP/scripts/uml-run.sh" \
	-t "${LAGX_TIMEOUT:-5400}" -r "$results" cmd \
	lagx.cmd="$LAGX_TOP/tools/testing/lagx/bench/bench.sh" \
	lagx.ko="$mod/drivers/net/lagx/lagx.ko" \
	lagx.args="--reps,$reps,--only,${only//,/:},${LAGX_BENCH_ARGS:+$LAGX_BENCH_ARGS,}$results" >"$results/uml.log" 2>&1 || rc=$?
[ -s "$results/raw.jsonl" ] || die "no results (guest exit $rc), see $results/console.log"
[ $rc -eq 0 ] || log "guest exit $rc: the report covers what was measured"

mkdir -p "$out"
rm -f "$out"/*.png
cp "$results/raw.jsonl" "$out/raw.jsonl"
# Debian's python3 (matplotlib comes from python3-matplotlib).
py=/usr/bin/python3
[ -x "$py" ] || py=python3
"$py" "$LAGX_TOP/tools/testing/lagx/bench/report.py" "$out/raw.jsonl" "$out"
log "report: $out/results.md"
