#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# What ethtool and the tracepoints show of a lagx device, checked against
# /proc/net/lagx.
#
#   netns H                                netns H
#   +----------------------------+         +-------------+
#   |  lagx0 (active-backup)     |         |             |
#   |   |               |        |         |             |
#   |  a0 (active)     a1        |         |  b0   b1    |
#   +---|---------------|--------+         +--|-----|----+
#       +------------------ veth -------------+     |
#                       +-- veth -------------------+

# Test cases are called through run_tests.
# shellcheck disable=SC2317
lib_dir=$(dirname "$(readlink -f "$0")")
# shellcheck source=lib.sh
. "$lib_dir/lib.sh"

H=
TRACEFS=

setup_lagx()
{
	setup_ns H
	veth_pair "$H" a0 "$H" b0
	veth_pair "$H" a1 "$H" b1
	ip -n "$H" link set b0 up
	ip -n "$H" link set b1 up
	ip -n "$H" link add lagx0 type lagx
	ip -n "$H" link set a0 master lagx0
	ip -n "$H" link set a1 master lagx0
	ip -n "$H" link set lagx0 up
	slowwait 10 proc_field_is -n "$H" lagx0 "Active port" a0
}

# ethtool -S NAME: the value of one counter.
stat_of()
{
	ip netns exec "$H" ethtool -S lagx0 |
		awk -v k="$1:" '$1 == k { print $2; found = 1 } END { exit !found }'
}

test_ethtool_info()
{
	local drv speed

	setup_lagx || { fail "setup"; return; }
	drv=$(ip netns exec "$H" ethtool -i lagx0 | awk '$1 == "driver:" { print $2 }')
	check_eq "ethtool -i driver" "$drv" lagx
	check_match "ethtool -i version" \
		"$(ip netns exec "$H" ethtool -i lagx0 | awk '$1 == "version:" { print $2 }')" \
		'^[0-9]+\.[0-9]+'
	# active-backup: only the active port transmits, so its speed.
	speed=$(ip netns exec "$H" ethtool lagx0 | awk '$1 == "Speed:" { print $2 }')
	check_eq "ethtool speed: the active port's" "$speed" "$(port_col -n "$H" lagx0 a0 SPEED)"
	check_eq "ethtool link detected" \
		"$(ip netns exec "$H" ethtool lagx0 | awk '/Link detected:/ { print $3 }')" yes
}

test_ethtool_stats()
{
	setup_lagx || { fail "setup"; return; }
	# ARP requests for an absent neighbour go out of the active port.
	ip -n "$H" addr add 192.0.2.1/24 dev lagx0
	ip netns exec "$H" ping -c 3 -i 0.2 -W 1 192.0.2.99 >/dev/null 2>&1
	ip -n "$H" link set b0 down
	slowwait 10 proc_field_is -n "$H" lagx0 "Active port" a1 ||
		{ fail "no failover"; return; }

	check_eq "failovers" "$(stat_of failovers)" "$(proc_field -n "$H" lagx0 Failovers)"
	check_eq "failovers is 1" "$(stat_of failovers)" 1
	for p in a0 a1; do
		check_eq "$p tx_packets" "$(stat_of "${p}_tx_packets")" "$(port_col -n "$H" lagx0 "$p" TX)"
		check_eq "$p rx_packets" "$(stat_of "${p}_rx_packets")" "$(port_col -n "$H" lagx0 "$p" RX)"
		check_eq "$p rx_inactive" "$(stat_of "${p}_rx_inactive")" \
			"$(port_col -n "$H" lagx0 "$p" RX-DROPPED)"
		check_eq "$p link_failures" "$(stat_of "${p}_link_failures")" \
			"$(port_col -n "$H" lagx0 "$p" FAILS)"
	done
	check "a0 sent the ARP requests" test "$(stat_of a0_tx_packets)" -ge 1
	check_eq "a0 link_failures" "$(stat_of a0_link_failures)" 1
	check_eq "counters: 4 + 7 per port" \
		"$(ip netns exec "$H" ethtool -S lagx0 | grep -c ': ')" 18
}

mount_tracefs()
{
	TRACEFS=/sys/kernel/tracing
	[ -e "$TRACEFS/events" ] || mount -t tracefs nodev "$TRACEFS" 2>/dev/null
	[ -e "$TRACEFS/events/lagx" ]
}

test_tracepoints()
{
	local trace

	mount_tracefs || { skip_test "no tracefs or no lagx events"; return; }
	setup_lagx || { fail "setup"; return; }
	echo > "$TRACEFS/trace"
	echo 1 > "$TRACEFS/events/lagx/enable"
	defer "echo 0 > $TRACEFS/events/lagx/enable"
	ip -n "$H" link set b0 down
	slowwait 10 proc_field_is -n "$H" lagx0 "Active port" a1 ||
		{ fail "no failover"; return; }
	echo 0 > "$TRACEFS/events/lagx/enable"
	trace=$(cat "$TRACEFS/trace")
	check_match "lagx_active_port a0 -> a1" "$trace" \
		'lagx_active_port: lagx0: active port a0 -> a1 \(carrier lost\)'
	check_match "lagx_port_state a0 down" "$trace" \
		'lagx_port_state: lagx0: port a0 state down link down'
	check_match "lagx_port_state a1 active" "$trace" \
		'lagx_port_state: lagx0: port a1 state active link up'
	check_match "lagx_dev_state" "$trace" 'lagx_dev_state: lagx0: carrier up, 2 ports'
}

# Every name an event records is a __string (a "__data_loc char[]" field):
# a fixed-size char array carries whatever the ring buffer held past the
# name's NUL to every reader of trace_pipe_raw.
test_trace_format()
{
	local f fixed=() n=0

	mount_tracefs || { skip_test "no tracefs or no lagx events"; return; }
	for f in "$TRACEFS"/events/lagx/*/format; do
		n=$((n + 1))
		grep -q '__data_loc char\[\] dev;' "$f" ||
			fixed+=("$(basename "$(dirname "$f")"): no __data_loc dev")
		while read -r field; do
			fixed+=("$(basename "$(dirname "$f")"): $field")
		done < <(grep -oE 'field:char [a-z_]+\[[0-9]+\]' "$f")
	done
	check "6 lagx events" [ "$n" -eq 6 ]
	if [ ${#fixed[@]} -gt 0 ]; then
		fail "fixed-size name fields: ${fixed[*]}"
	fi
}

require_root
require_cmd ip ethtool awk
ensure_module || ktap_skip_all "cannot load lagx (LAGX_KO=${LAGX_KO:-unset})"
kernel_log_start

run_tests \
	test_ethtool_info	"ethtool -i and link settings of lagx0" \
	test_ethtool_stats	"ethtool -S: device and per-port counters match /proc" \
	test_tracepoints	"tracepoints fire on a failover" \
	test_trace_format	"trace events record names as __string" \
	test_kernel_log_clean	"kernel log has no splat"
