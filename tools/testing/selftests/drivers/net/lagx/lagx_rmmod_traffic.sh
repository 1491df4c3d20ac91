#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Unload lagx while traffic flows through a lagx device in both directions
# (ping floods from each side plus broadcasts that hit the backup port):
# rmmod must succeed, leave no lagx device behind and give the ports back
# with their own MAC, MTU and admin state.  Then reload and do it again.
#
#   netns H                                netns P
#   +----------------------------+         +----------------------------+
#   |  lagx0  192.0.2.1/24       |         |  br0  192.0.2.2/24         |
#   |   |               |        |         |   |               |        |
#   |  a0 (active)     a1        |         |  b0              b1        |
#   +---|---------------|--------+         +---|---------------|--------+
#       |               +------- veth ---------|---------------+
#       +----------------------- veth ---------+
#
#   ping -f 192.0.2.2 (H)  ---->          <----  ping -f 192.0.2.1 (P)
#                                         <----  ping -b 192.0.2.255 (P)
#
# Environment: RMMOD_CYCLES (3) extra unload/reload cycles under traffic.

# Test cases are called through run_tests.
# shellcheck disable=SC2317
lib_dir=$(dirname "$(readlink -f "$0")")
# shellcheck source=lib.sh
. "$lib_dir/lib.sh"

: "${RMMOD_CYCLES:=3}"

H=
P=
SETUP_OK=0
MAC_A0=02:00:00:0b:00:01
declare -A BEFORE

need_setup()
{
	[ "$SETUP_OK" = 1 ] && return 0
	skip_test "topology setup failed"
	return 1
}

# Create lagx0 over a0, a1 and address it; wait until it pings.
lagx_up()
{
	ip -n "$H" link add lagx0 type lagx || return
	ip -n "$H" link set a0 master lagx0 || return
	ip -n "$H" link set a1 master lagx0 || return
	ip -n "$H" link set lagx0 up
	ip -n "$H" addr add "$LAGX_IP_A"/"$LAGX_PREFIX" dev lagx0
	slowwait 10 ping_reach -n "$H" "$LAGX_IP_B"
}

test_setup()
{
	local p

	setup_ns H P
	keep_ns
	ip -n "$P" link add br0 type bridge
	veth_pair "$H" a0 "$P" b0
	veth_pair "$H" a1 "$P" b1
	for p in b0 b1; do
		ip -n "$P" link set "$p" master br0
		ip -n "$P" link set "$p" up
	done
	ip -n "$P" link set br0 up
	ip -n "$P" addr add "$LAGX_IP_B"/"$LAGX_PREFIX" dev br0
	# Something to restore: a0 up with its own MAC, a1 down with MTU 1400.
	ip -n "$H" link set a0 address "$MAC_A0" up
	ip -n "$H" link set a1 mtu 1400
	BEFORE[a0]=$(link_snapshot -n "$H" a0)
	BEFORE[a1]=$(link_snapshot -n "$H" a1)

	check "lagx0 up, ping $LAGX_IP_B" lagx_up || return
	check_eq "a1 MTU while enslaved" "$(link_attr -n "$H" a1 mtu)" 1500
	[ "$RET" = 0 ] && SETUP_OK=1
}

# Floods in both directions; returns once traffic is seen on a0.
start_traffic()
{
	local rx

	rx=$(port_col -n "$H" lagx0 a0 RX)
	in_ns "$H" ping -f -q -w 60 "$LAGX_IP_B" >/dev/null 2>&1 &
	bg_track $!
	in_ns "$P" ping -f -q -w 60 "$LAGX_IP_A" >/dev/null 2>&1 &
	bg_track $!
	in_ns "$P" ping -b -q -i 0.01 -w 60 "$LAGX_IP_BCAST" >/dev/null 2>&1 &
	bg_track $!
	slowwait 20 port_col_ge -n "$H" lagx0 a0 RX $((${rx:-0} + 500)) &&
		slowwait 10 port_col_ge -n "$H" lagx0 a1 RX-DROPPED 10
}

# rmmod_check: unload now, then check that everything is back.
rmmod_check()
{
	local rc start=$SECONDS

	rmmod_lagx 60
	rc=$?
	info "rmmod took $((SECONDS - start)) s"
	check "rmmod lagx succeeds under traffic${RMMOD_OUT:+ ($RMMOD_OUT)}" [ "$rc" -eq 0 ] ||
		return
	check_fail "module unloaded" lagx_loaded
	check_eq "no lagx device left in H" "$(lagx_devices -n "$H")" ""
	check_eq "no lagx device left anywhere" "$(lagx_devices)" ""
	check_fail "/proc/net/lagx gone" proc_dir_exists -n "$H"
	check_eq "a0 released and restored (MAC, up)" \
		"$(link_snapshot -n "$H" a0)" "${BEFORE[a0]}"
	check_eq "a1 released and restored (MTU 1400, down)" \
		"$(link_snapshot -n "$H" a1)" "${BEFORE[a1]}"
}

test_rmmod_under_traffic()
{
	need_setup || return
	check "traffic flows through lagx0 (a0 RX, a1 RX-DROPPED)" start_traffic
	info "a0 RX $(port_col -n "$H" lagx0 a0 RX), a1 RX-DROPPED $(port_col -n "$H" lagx0 a1 RX-DROPPED)"
	rmmod_check
}

test_reload()
{
	need_setup || return
	check "insmod lagx" ensure_module || { reload_diag; return; }
	check "/proc/net/lagx back" proc_dir_exists -n "$H"
	check "lagx0 over a0, a1 again, ping works" lagx_up || return
	check_eq "a0 active" "$(proc_field -n "$H" lagx0 "Active port")" a0
	check_eq "a1 MTU while enslaved" "$(link_attr -n "$H" a1 mtu)" 1500
}

test_rmmod_cycles()
{
	local i

	need_setup || return
	for ((i = 1; i <= RMMOD_CYCLES; i++)); do
		lagx_loaded || check "insmod lagx (cycle $i)" ensure_module ||
			{ reload_diag; return; }
		if ! lagx_devices -n "$H" | grep -qx lagx0; then
			check "lagx0 up (cycle $i)" lagx_up || return
		fi
		check "traffic flows (cycle $i)" start_traffic || return
		rmmod_check || return
		stop_bg
	done
	check "insmod lagx at the end" ensure_module || reload_diag
}

require_root
require_cmd ip awk dmesg ping rmmod
[ -n "${LAGX_KO:-}" ] || modinfo lagx >/dev/null 2>&1 ||
	ktap_skip_all "cannot reload lagx after rmmod: LAGX_KO not set"
ensure_module || ktap_skip_all "cannot load lagx (LAGX_KO=${LAGX_KO:-unset})"
kernel_log_start

run_tests \
	test_setup		"setup: lagx0 (a0, a1) pings br0 in the peer netns" \
	test_rmmod_under_traffic "rmmod under ping floods: succeeds, no lagx left, ports restored" \
	test_reload		"insmod again: lagx0 over the same ports works" \
	test_rmmod_cycles	"rmmod/insmod cycles under traffic" \
	test_kernel_log_clean	"kernel log has no splat"
