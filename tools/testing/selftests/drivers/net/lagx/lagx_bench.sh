#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Smoke test of the benchmark harness (tools/testing/lagx/bench/): one tiny
# run of every benchmark for every system, then checks that each figure the
# report needs was produced and is sane, and that the report and its plots
# are written.  Timing goals are the benchmarks' business (make bench),
# never asserted here.
#
# lagx-timeout: 900

. "$(dirname "$(readlink -f "$0")")/lib.sh"

BENCH_DIR=$(cd "$(dirname "$(readlink -f "$0")")/../../../../lagx/bench" && pwd)
OUT=
RAW=

require_cmd python3

# Counts the records of raw.jsonl (argv[1]) that match argv[2] and those
# of them that fail argv[3] (python expressions of the record r).
ROWS_PY='
import json, sys
n = bad = 0
for line in open(sys.argv[1]):
    r = json.loads(line)
    if not eval(sys.argv[2]):
        continue
    n += 1
    if not eval(sys.argv[3]):
        bad += 1
        print("# bad record: %s" % line.strip(), file=sys.stderr)
print(n, bad)
'

# rows FILTER [CHECK]: how many raw.jsonl records match the python
# expression FILTER (r is the record), in REPLY; those that do not satisfy
# CHECK are printed as diagnostics and counted in BAD.
rows()
{
	local out

	out=$(python3 -c "$ROWS_PY" "$RAW" "$1" "${2:-True}") || return 1
	REPLY=${out% *}
	BAD=${out#* }
}

# expect DESC FILTER CHECK: at least one record matches FILTER, all of
# them satisfy CHECK.
expect()
{
	rows "$2" "$3" || { fail "$1: cannot read $RAW"; return; }
	[ "$REPLY" -gt 0 ] || { fail "$1: no record"; return; }
	[ "$BAD" -eq 0 ] || fail "$1: $BAD of $REPLY records not sane"
}

SYSTEMS_AB="lagx:active-backup bond:active-backup team:activebackup"
SYSTEMS_BAL="lagx:balance-slb bond:balance-xor team:loadbalance team:roundrobin"
SYSTEMS_LACP="lagx:lacp bond:802.3ad team:lacp"

# run_bench: the smoke run, or with LAGX_BENCH_RAW=FILE only the checks
# of an earlier run's raw.jsonl.
run_bench()
{
	make_tmpdir OUT || ktap_skip_all "no temporary directory"
	if [ -n "${LAGX_BENCH_RAW:-}" ]; then
		cp "$LAGX_BENCH_RAW" "$OUT/raw.jsonl"
		RAW=$OUT/raw.jsonl
		return
	fi
	require_root
	require_cmd ip iperf3 teamd teamdctl
	[ -d /proc/net/pktgen ] || modprobe pktgen 2>/dev/null ||
		ktap_skip_all "no pktgen (CONFIG_NET_PKTGEN)"
	RAW=$OUT/raw.jsonl
	info "bench.sh --smoke into $OUT"
	"$BENCH_DIR/bench.sh" --smoke "$OUT" 2>"$OUT/bench.log" ||
		{ tail -n 20 "$OUT/bench.log" | sed 's/^/# /'; }
	[ -s "$RAW" ] || ktap_skip_all "the harness produced nothing (see above)"
	grep -c . "$RAW" | sed 's/^/# records: /'
}

group_of()
{
	case " $SYSTEMS_AB " in *" $1 "*) echo ab; return ;; esac
	case " $SYSTEMS_BAL " in *" $1 "*) echo balance; return ;; esac
	echo lacp
}

# Every system: TX and RX rates, every frame pktgen sent delivered.
test_pps()
{
	local s g b

	for s in $SYSTEMS_AB $SYSTEMS_BAL $SYSTEMS_LACP bare; do
		for b in tx rx; do
			g=
			[ "$s" = bare ] || g=" and r['group'] == '$(group_of "$s")'"
			expect "$b $s" "r['bench'] == '$b' and r['system'] == '$s'$g" \
				"r['pps'] > 0 and r['sent'] > 0 and r['usec'] > 0 and \
				 r['sent'] * 0.95 <= r['delivered'] <= r['sent'] * 1.05 + 10"
		done
	done
	# Rates are what was delivered per second of sending: consistent.
	expect "rx pps = delivered / time" "r['bench'] == 'rx'" \
		"abs(r['pps'] - r['delivered'] * 1e6 / r['usec']) <= 1 + r['pps'] / 100"
}

test_tcp()
{
	local s

	for s in $SYSTEMS_AB $SYSTEMS_BAL $SYSTEMS_LACP bare; do
		expect "tcp $s" "r['bench'] == 'tcp' and r['system'] == '$s'" \
			"r['gbps'] > 0 and r['streams'] in (1, 8)"
	done
	expect "offload features of lagx" \
		"r['bench'] == 'features' and r['system'].startswith('lagx')" \
		"r['tso'] == 'on' and r['gso'] == 'on'"
}

# The smoke run cuts a port of lagx and of bonding in every group.
test_failover()
{
	local s

	for s in lagx:active-backup bond:active-backup lagx:balance-slb \
		 bond:balance-xor lagx:lacp bond:802.3ad; do
		expect "failover $s" "r['bench'] == 'failover' and r['system'] == '$s'" \
			"0 <= r['lost'] <= r['sent'] and r['received'] > 0 and \
			 r['gap_ms'] >= 0 and r['lost'] + r['received'] >= r['sent'] - 2"
	done
}

test_lacp()
{
	local p

	# The smoke run: lagx facing bonding at both rates, teamd pairs.
	for p in fast slow; do
		expect "convergence lagx-bond $p" \
			"r['bench'] == 'lacp_converge' and r['pair'] == 'lagx-bond' and \
			 r['rate'] == '$p'" "0 < r['ms'] < 120000"
	done
	expect "convergence team-team" \
		"r['bench'] == 'lacp_converge' and r['pair'] == 'team-team'" \
		"0 < r['ms'] < 120000"
	for p in fallback return; do
		expect "lagx $p" \
			"r['bench'] == 'lacp_fallback' and r['system'] == 'lagx:lacp' and \
			 r['phase'] == '$p'" "0 < r['ms'] < 120000"
	done
}

test_cost()
{
	local s

	# A device (tens of KB) stands out of the noise of /proc/meminfo; a
	# port (~1 KB) does not on SMP, where per-CPU slabs, per-CPU page lists
	# and RCU batches of other CPUs move SUnreclaim by more (below zero
	# for bonding too): its figure is reported, not judged (make bench
	# takes the median of repetitions).
	for s in lagx:active-backup lagx:balance-slb lagx:lacp bond:802.3ad; do
		expect "memory $s device" "r['bench'] == 'memory' and r['system'] == '$s' and \
			r['what'] == 'device'" "r['bytes'] > 0"
		expect "memory $s port" "r['bench'] == 'memory' and r['system'] == '$s' and \
			r['what'] == 'port'" "isinstance(r['bytes'], int)"
	done
	python3 -c '
import json, sys
for line in open(sys.argv[1]):
    r = json.loads(line)
    if r.get("bench") == "memory":
        print("# memory %s per %s: %d bytes (slab+percpu %d)" % (r["system"],
              r["what"], r["bytes"], r["slab_percpu"]))' "$RAW"
	# The timer runs every 100 ms; its CPU time is measured, not zero.
	expect "LACP timer cost" "r['bench'] == 'timer_cpu'" \
		"2 <= r['runs_per_s'] <= 20 and r['us_per_s'] > 0"
}

# The report: tables for every benchmark, the plots, its own sanity checks.
test_report()
{
	local rep md h

	rep=$OUT/report
	check "report.py --check" python3 "$BENCH_DIR/report.py" "$RAW" "$rep" --check ||
		return
	md=$rep/results.md
	for h in "## Goals" "## TX:" "## RX:" "## TCP" "## Failover" \
		 "## LACP: link-up" "## LACP fallback" "## Memory" "## Control plane"; do
		check "results.md has $h" grep -q "^$h" "$md"
	done
	for h in tx_pps rx_pps tcp failover lacp_converge; do
		check "plot $h.png" test -s "$rep/$h.png"
	done
}

run_bench
run_tests \
	test_pps "pps: TX and RX rates of every system, all delivered" \
	test_tcp "tcp: iperf3 through every system, lagx offloads on" \
	test_failover "failover: loss counted for every system" \
	test_lacp "lacp: convergence and fallback times" \
	test_cost "cost: memory and LACP timer time" \
	test_report "report: tables, goals and plots"
