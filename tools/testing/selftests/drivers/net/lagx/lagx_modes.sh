#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A mode behaves the same whether it is chosen when lagx0 is created or
# later, on a running device; rebalancing follows rebalance_interval in
# every mode that has buckets; lacp mode stops carrying traffic at once
# when lagx0 goes down, and starts again from scratch when it comes up.
#
#   netns H                                netns P
#   +----------------------------+         +----------------------------+
#   |  lagx0  192.0.2.1/24       |         |  br0 or bond0 192.0.2.2/24 |
#   |   |               |        |         |   |               |        |
#   |  a0              a1        |         |  b0              b1        |
#   +---|---------------|--------+         +---|---------------|--------+
#       |               +------- veth ---------|---------------+
#       +----------------------- veth ---------+
#
# The partner is a Linux bridge (a switch without LACP: lacp mode falls
# back to balance-slb) or a bonding 802.3ad device.

# Test cases are called through run_tests.
# shellcheck disable=SC2317
lib_dir=$(dirname "$(readlink -f "$0")")
# shellcheck source=lib.sh
. "$lib_dir/lib.sh"

# ip loads $IP_LIB_DIR/link_<kind>.so.
IP_LIB_DIR=${LAGX_IP_LIB_DIR:-$(readlink -f "$lib_dir/../../../../../..")/tools/iproute2}
export IP_LIB_DIR

H=
P=
A0_MAC=

# topo PARTNER: namespaces, veths, the partner (bridge or bond) in P.
topo()
{
	setup_ns H P || return 1
	veth_pair "$H" a0 "$P" b0 && veth_pair "$H" a1 "$P" b1 || return 1
	# lagx sends LACPDUs from a port's own address.
	A0_MAC=$(link_attr -n "$H" a0 mac)
	case $1 in
	bridge)
		ip -n "$P" -batch - <<-EOB
			link add br0 type bridge
			link set b0 master br0
			link set b1 master br0
			link set b0 up
			link set b1 up
			link set br0 up
			addr add $LAGX_IP_B/$LAGX_PREFIX dev br0
		EOB
		;;
	bond)
		ip -n "$P" -batch - <<-EOB
			link add bond0 type bond mode 802.3ad miimon 100 lacp_rate fast
			link set b0 master bond0
			link set b1 master bond0
			addr add $LAGX_IP_B/$LAGX_PREFIX dev bond0
			link set bond0 up
		EOB
		;;
	esac
}

# lagx_setup MODE ORDER [OPTION...]: lagx0 in MODE with ports a0 a1.
# ORDER "created": mode given to "ip link add", then up, then the ports;
# "running": created in the default mode, up, then "ip link set type lagx
# mode MODE", then the ports (the order of issue 11, item 1).
lagx_setup()
{
	local mode=$1 order=$2; shift 2

	if [ "$order" = created ]; then
		check "create lagx0 mode $mode $*" \
			ip -n "$H" link add lagx0 type lagx mode "$mode" "$@" || return 1
		ip -n "$H" link set lagx0 up
	else
		check "create lagx0" ip -n "$H" link add lagx0 type lagx || return 1
		ip -n "$H" link set lagx0 up
		check "lagx0 up: mode $mode $*" \
			ip -n "$H" link set lagx0 type lagx mode "$mode" "$@" || return 1
	fi
	check "enslave a0 a1" ip -n "$H" -batch - <<-EOB || return 1
		link set a0 master lagx0
		link set a1 master lagx0
		addr add $LAGX_IP_A/$LAGX_PREFIX dev lagx0
	EOB
	check_proc -n "$H" lagx0 Mode "$mode"
}

ping_ok()
{
	check_wait "ping $LAGX_IP_B" 10 \
		in_ns "$H" ping -c 1 -W 1 -q "$LAGX_IP_B" >/dev/null
}

# ethtool -S lagx0: one counter.
stat_of()
{
	ip netns exec "$H" ethtool -S lagx0 |
		awk -v k="$1:" '$1 == k { print $2; found = 1 } END { exit !found }'
}

stat_ge()
{
	[ "$(stat_of "$1")" -ge "$2" ]
}

# _lacp_counter PORT NAME: an 802.1AX counter of PORT's block in PROC.
lacp_counter()
{
	local block re=" $2 ([0-9]+)"

	proc_read -n "$H" lagx0 || return 1
	block=${PROC#*"LACP port $1: "}
	block=${block%%$'\n\n'*}
	[[ "$block" =~ $re ]] || return 1
	echo "${BASH_REMATCH[1]}"
}

lacp_counter_ge()
{
	[ "$(lacp_counter "$1" "$2")" -ge "$3" ] 2>/dev/null
}

# ------------------------------------------------------------ the modes --

ab_case()
{
	topo bridge && lagx_setup active-backup "$1" || { fail "setup"; return; }
	check_wait "a0 active" 5 proc_field_is -n "$H" lagx0 "Active port" a0
	check_wait "carrier up" 5 proc_field_is -n "$H" lagx0 Carrier up
	check_port -n "$H" lagx0 a1 STATE backup
	ping_ok
}

slb_case()
{
	topo bridge && lagx_setup balance-slb "$1" rebalance_interval 500 ||
		{ fail "setup"; return; }
	check_wait "carrier up" 5 proc_field_is -n "$H" lagx0 Carrier up
	check_port -n "$H" lagx0 a0 STATE active
	check_port -n "$H" lagx0 a1 STATE active
	check_wait "rebalancing runs" 10 stat_ge rebalance_runs 2
	ping_ok
}

# Against a switch without LACP: LACPDUs go out, lagx falls back.
lacp_case()
{
	local p

	topo bridge && lagx_setup lacp "$1" lacp_rate fast ||
		{ fail "setup"; return; }
	for p in a0 a1; do
		check_wait "$p sends LACPDUs" 5 lacp_counter_ge "$p" LACPDUsTx 1
		check_wait "$p link up" 5 port_col_is -n "$H" lagx0 "$p" LINK up
	done
	check_wait "fallback balance-slb" 10 \
		proc_field_is -n "$H" lagx0 "Operating mode" "fallback balance-slb"
	check_wait "carrier up" 5 proc_field_is -n "$H" lagx0 Carrier up
	check_match "LACP timer runs" "$(proc_field -n "$H" lagx0 "LACP timer")" \
		'^[1-9][0-9]* runs'
	ping_ok
}

test_ab_created() { ab_case created; }
test_ab_running() { ab_case running; }
test_slb_created() { slb_case created; }
test_slb_running() { slb_case running; }
test_lacp_created() { lacp_case created; }
test_lacp_running() { lacp_case running; }

# The issue's own sequence, against a real LACP partner.
test_lacp_running_bond()
{
	topo bond && lagx_setup lacp running lacp_rate fast ||
		{ fail "setup"; return; }
	check_wait "distributing" 15 \
		proc_field_is -n "$H" lagx0 "Operating mode" lacp
	check_wait "a0 a1 active" 15 eval \
		'port_col_is -n "$H" lagx0 a0 STATE active && port_col_is -n "$H" lagx0 a1 STATE active'
	ping_ok
}

# The first slow-protocols frame a0 sends within 3 s, as tcpdump prints it.
a0_lacpdu()
{
	timeout 3 ip netns exec "$P" tcpdump -enli b0 -Q in -c 1 \
		"ether proto 0x8809 and ether src $A0_MAC" 2>/dev/null
}

# lacp, then active-backup on the running device: LACP stops for good.
test_lacp_then_ab_running()
{
	local seen

	topo bridge && lagx_setup lacp running lacp_rate fast ||
		{ fail "setup"; return; }
	check_wait "a0 sends LACPDUs" 5 lacp_counter_ge a0 LACPDUsTx 1
	# The capture below sees them (lacp_rate fast: one a second).
	seen=$(a0_lacpdu)
	check_ne "LACPDUs from a0 before the mode change" "$seen" ""
	check "release the ports" ip -n "$H" -batch - <<-EOB || return
		link set a0 nomaster
		link set a1 nomaster
		link set lagx0 type lagx mode active-backup
		link set a0 master lagx0
		link set a1 master lagx0
	EOB
	check_wait "a0 active" 5 proc_field_is -n "$H" lagx0 "Active port" a0
	seen=$(a0_lacpdu)
	check_eq "LACPDUs from a0 after the mode change" "$seen" ""
	ping_ok
}

# ------------------------------------------------------------ rebalancing --

# An unrelated option change must not push the next run a whole interval
# out: with changes every 300 ms and an interval of 1 s, runs go on.
test_rebalance_unrelated_change()
{
	local i r0

	topo bridge && lagx_setup balance-slb created rebalance_interval 1000 ||
		{ fail "setup"; return; }
	r0=$(stat_of rebalance_runs)
	for ((i = 0; i < 15; i++)); do
		ip -n "$H" link set lagx0 type lagx updelay $((i % 2 * 100))
		sleep 0.3
	done
	check "runs during the changes: $(stat_of rebalance_runs) - $r0 >= 2" \
		stat_ge rebalance_runs $((r0 + 2))
}

# lacp mode: rebalance_interval 0, then N, starts it.
test_rebalance_lacp_rearm()
{
	local r0

	topo bridge && lagx_setup lacp created rebalance_interval 0 ||
		{ fail "setup"; return; }
	sleep 1
	r0=$(stat_of rebalance_runs)
	check_eq "no run with interval 0" "$r0" 0
	check "rebalance_interval 500" \
		ip -n "$H" link set lagx0 type lagx rebalance_interval 500
	check_wait "runs start" 10 stat_ge rebalance_runs 2
}

# ------------------------------------------------------- lacp down / up --

# Down: no port carries traffic any more, at once (the partner was told,
# with a last LACPDU, that they left).  Up: LACP starts from scratch, the
# old TX set is not used until the partner agrees again.
test_lacp_down_up()
{
	topo bond && lagx_setup lacp created lacp_rate fast ||
		{ fail "setup"; return; }
	check_wait "a0 a1 active" 15 eval \
		'port_col_is -n "$H" lagx0 a0 STATE active && port_col_is -n "$H" lagx0 a1 STATE active'
	ip -n "$H" link set lagx0 down
	check_port -n "$H" lagx0 a0 STATE backup
	check_port -n "$H" lagx0 a1 STATE backup
	check_proc -n "$H" lagx0 Carrier down
	ip -n "$H" link set lagx0 up
	check_port -n "$H" lagx0 a0 STATE backup
	check_proc -n "$H" lagx0 Carrier down
	check_wait "a0 a1 active again" 15 eval \
		'port_col_is -n "$H" lagx0 a0 STATE active && port_col_is -n "$H" lagx0 a1 STATE active'
	ping_ok
}

test_log()
{
	test_kernel_log_clean
}

require_root
require_cmd ip ethtool ping tcpdump timeout
ensure_module || ktap_skip_all "cannot load lagx (LAGX_KO=${LAGX_KO:-unset})"
[ -e "$IP_LIB_DIR/link_lagx.so" ] || ktap_skip_all "no iproute2 plugin in $IP_LIB_DIR (make plugin)"
kernel_log_start

run_tests \
	test_ab_created			"active-backup chosen at creation: active port, carrier, ping" \
	test_ab_running			"active-backup chosen on a running device: the same" \
	test_slb_created		"balance-slb chosen at creation: both ports, rebalancing runs, ping" \
	test_slb_running		"balance-slb chosen on a running device: the same" \
	test_lacp_created		"lacp chosen at creation: LACPDUs sent, fallback, carrier, ping" \
	test_lacp_running		"lacp chosen on a running device: the same" \
	test_lacp_running_bond		"lacp chosen on a running device, bonding partner: distributing, ping" \
	test_lacp_then_ab_running	"lacp then active-backup on a running device: LACP stops" \
	test_rebalance_unrelated_change	"balance-slb: option changes do not postpone rebalancing" \
	test_rebalance_lacp_rearm	"lacp: rebalance_interval 0 -> 500 starts rebalancing" \
	test_lacp_down_up		"lacp: down stops traffic at once, up starts from scratch" \
	test_log			"kernel log has no splat"
