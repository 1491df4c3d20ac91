#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The lagx benchmarks, run inside the UML guest (scripts/bench.sh boots it;
# the smoke selftest runs it with --smoke).  Writes JSON lines to
# OUT/raw.jsonl; tools/testing/lagx/bench/report.py turns them into tables
# and plots.
#
# Usage: bench.sh [--smoke] [--reps N] [--only a,b] OUT
#   --smoke   one tiny run of everything (seconds, not minutes)
#   --reps N  repetitions of every measurement (default 7)
#   --only    benchmarks to run, ',' or ':' separated: pps, tcp, failover,
#             lacp, cost (default all)
#   --ports 1:2, --sizes 64, --flows 1:1024   pps: what to vary
#
# Every figure is measured for all the systems it compares in the same
# boot, alternating the systems from one repetition to the next.
set -uo pipefail

here=$(dirname "$(readlink -f "$0")")
top=$(cd "$here/../../../.." && pwd)
# The ip plugin for "type lagx" options, unless the caller has one.
export IP_LIB_DIR=${IP_LIB_DIR:-$top/tools/iproute2}
. "$here/lib.sh"
. "$here/pps.sh"

smoke=0
reps=7
only=pps,tcp,failover,lacp,cost
while [ $# -gt 1 ]; do
	case $1 in
	--smoke) smoke=1; reps=1 ;;
	--reps) reps=$2; shift ;;
	--only) only=${2//:/,}; shift ;;
	--ports) BENCH_PORTS=${2//:/ }; shift ;;
	--sizes) BENCH_SIZES=${2//:/ }; shift ;;
	--flows) BENCH_FLOWS=${2//:/ }; shift ;;
	*) break ;;
	esac
	shift
done
BENCH_OUT=${1:?usage: bench.sh [--smoke] [--reps N] [--only LIST] OUT}
mkdir -p "$BENCH_OUT"
: >"$BENCH_OUT/raw.jsonl"

if [ $smoke = 1 ]; then
	BENCH_PORTS=${BENCH_PORTS:-2}
	BENCH_SIZES=${BENCH_SIZES:-64}
	BENCH_FLOWS=${BENCH_FLOWS:-1024}
	BENCH_TX_COUNT=${BENCH_TX_COUNT:-2000}
else
	BENCH_PORTS=${BENCH_PORTS:-1 2 4 8}
	BENCH_SIZES=${BENCH_SIZES:-64 1500}
	BENCH_FLOWS=${BENCH_FLOWS:-1 1024}
	BENCH_TX_COUNT=${BENCH_TX_COUNT:-150000}
fi
BENCH_SMOKE=$smoke
BENCH_REPS=$reps
export BENCH_OUT BENCH_SMOKE BENCH_REPS

# The systems compared, per group; the first is lagx, the second the
# reference the ratios are taken against.
declare -A GROUP_SYSTEMS=(
	[ab]="lagx:active-backup bond:active-backup team:activebackup bare"
	[balance]="lagx:balance-slb bond:balance-xor team:loadbalance team:roundrobin bare"
	[lacp]="lagx:lacp bond:802.3ad team:lacp bare"
)
GROUPS_ORDER="ab balance lacp"
export GROUPS_ORDER

have() { [[ ",$only," == *",$1,"* ]]; }

# meta: what was measured on, for the report's header.
record bench=meta kernel="$(uname -r)" smoke=$smoke reps="$reps" \
	hz="$(getconf CLK_TCK)" cpus="$(nproc)" \
	debug="$([ -e /proc/lockdep ] && echo 1 || echo 0)" \
	date="$(date -u +%Y-%m-%dT%H:%M:%SZ)"

# pps_cell PORTS SIZE FLOWS: measured?  The sweep over the port counts
# is for the first size with the most flows; the other sizes and flow
# counts are measured with 2 ports (or the only port count asked for).
pps_cell() {
	local first_size=${BENCH_SIZES%% *} most_flows=${BENCH_FLOWS##* }
	[ "$2" = "$first_size" ] && [ "$3" = "$most_flows" ] && return 0
	[ "$1" = 2 ] || [ "$BENCH_PORTS" = "$1" ]
}

run_pps() {
	local group n sys systems size flows rep
	for group in $GROUPS_ORDER; do
		for n in $BENCH_PORTS; do
			systems=()
			for sys in ${GROUP_SYSTEMS[$group]}; do
				if sys_create "$sys" "$n" && sys_sink "$sys"; then
					systems+=("$sys")
				else
					bench_log "pps: $sys with $n ports not measured"
					record bench=error what=pps group="$group" system="$sys" ports="$n"
					sys_destroy "$sys"
				fi
			done
			SYS_ACTIVE=()
			for size in $BENCH_SIZES; do
				for flows in $BENCH_FLOWS; do
					pps_cell "$n" "$size" "$flows" || continue
					for ((rep = 0; rep < reps; rep++)); do
						for sys in $(rotate "$rep" "${systems[@]}"); do
							bench_tx "$sys" "$n" "$size" "$flows" "$rep" "$group"
							# RX does not hash: the most flows only.
							[ "$flows" = "${BENCH_FLOWS##* }" ] &&
								bench_rx "$sys" "$n" "$size" "$flows" "$rep" "$group"
						done
					done
				done
			done
			for sys in "${systems[@]}"; do sys_destroy "$sys"; done
			bench_log "pps: $group, $n ports done"
		done
	done
}

start=$(now_us)
have pps && run_pps
for b in tcp failover lacp cost; do
	if have "$b" && [ -f "$here/$b.sh" ]; then
		# shellcheck source=/dev/null
		. "$here/$b.sh"
		"run_$b"
	fi
done
record bench=meta_end seconds=$(( ($(now_us) - start) / 1000000 ))
bench_log "done in $(( ($(now_us) - start) / 1000000 )) s: $BENCH_OUT/raw.jsonl"
