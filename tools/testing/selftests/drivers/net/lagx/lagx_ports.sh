#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# lagx ports: enslave and release (MAC, MTU and admin state restored), MTU
# and MAC propagation, carrier, every refused enslave (with its extack
# message, and nothing changed), and a port device deleted while enslaved.
#
#   netns H (one per test case; the refusal cases share one)
#   +------------------------------------------------------------------+
#   |                          lagx0                                   |
#   |            +---------+---------+---------+                       |
#   |            |         |         |         |                       |
#   |           a0        a1        a2        a3      (ports, veth)    |
#   |            |         |         |         |                       |
#   |           b0        b1        b2        b3      (peers: their    |
#   |                                                  up/down is the  |
#   |                                                  ports' carrier) |
#   |                                                                  |
#   |   refused: lo, t0 (tun), lagx0 itself, lagx1, bond0,             |
#   |            x0 (lower of macvlan m0), lagx0.10 (vlan on lagx0),   |
#   |            d32 (the 33rd port after d0..d31, dummies)            |
#   |   unwind:  v0 (vlan on x0: cannot open / cannot take MTU 9000)   |
#   +------------------------------------------------------------------+

# Test cases are called through run_tests.
# shellcheck disable=SC2317
lib_dir=$(dirname "$(readlink -f "$0")")
# shellcheck source=lib.sh
. "$lib_dir/lib.sh"

H=

# setup_host N: namespace H with lagx0 and N veth pairs aI - bI, the peers
# bI up (their up/down is the carrier of aI).  The aI stay down and are not
# enslaved.
setup_host()
{
	local i

	setup_ns H
	ip -n "$H" link add lagx0 type lagx
	for ((i = 0; i < $1; i++)); do
		veth_pair "$H" "a$i" "$H" "b$i"
		ip -n "$H" link set "b$i" up
	done
}

# setup_shared: H and P of the refusal cases, built by the first one and
# kept (each case removes what it adds): lagx0 with port a0.
SHARED_H=
setup_shared()
{
	if [ -z "$SHARED_H" ]; then
		setup_host 1
		enslave a0 || return
		keep_ns
		SHARED_H=$H
	fi
	H=$SHARED_H
}

# candidate DEV: remove DEV from H at the end of the case.
candidate()
{
	defer ip -n "$H" link del "$1"
}

enslave()	# port...
{
	local p

	for p in "$@"; do
		ip -n "$H" link set "$p" master lagx0 || return
	done
}

test_enslave_release()
{
	local lmac

	setup_host 1
	lmac=$(link_attr -n "$H" lagx0 mac)
	ip -n "$H" link set lagx0 up
	check "enslave a0" ip -n "$H" link set a0 master lagx0 || return
	check_eq "a0 master" "$(link_attr -n "$H" a0 master)" lagx0
	check "a0 has the SLAVE flag" link_has_flag -n "$H" a0 SLAVE
	check "a0 opened" link_has_flag -n "$H" a0 UP
	check_eq "a0 takes lagx0's MAC" "$(link_attr -n "$H" a0 mac)" "$lmac"
	check_eq "lagx0 MAC unchanged" "$(link_attr -n "$H" lagx0 mac)" "$lmac"
	check_eq "/proc Ports" "$(proc_field -n "$H" lagx0 Ports)" 1
	check_eq "/proc port rows" "$(proc_ports -n "$H" lagx0)" a0
	check_wait "a0 LINK up" 5 port_col_is -n "$H" lagx0 a0 LINK up
	check_eq "a0 STATE" "$(port_col -n "$H" lagx0 a0 STATE)" active
	check_eq "Active port" "$(proc_field -n "$H" lagx0 "Active port")" a0
	check_eq "a0 SPEED (veth)" "$(port_col -n "$H" lagx0 a0 SPEED)" 10000Mb/s
	check_eq "a0 DUPLEX (veth)" "$(port_col -n "$H" lagx0 a0 DUPLEX)" full
	check_eq "a0 FAILS" "$(port_col -n "$H" lagx0 a0 FAILS)" 0
	check_wait "lagx0 carrier up" 5 proc_field_is -n "$H" lagx0 Carrier up
	check_eq "Failovers (first active port is not a failover)" \
		"$(proc_field -n "$H" lagx0 Failovers)" 0

	check "release a0 (nomaster)" ip -n "$H" link set a0 nomaster || return
	check_eq "a0 has no master" "$(link_attr -n "$H" a0 master)" ""
	check_fail "a0 lost the SLAVE flag" link_has_flag -n "$H" a0 SLAVE
	check_eq "/proc Ports after release" "$(proc_field -n "$H" lagx0 Ports)" 0
	check_eq "/proc port rows after release" "$(proc_ports -n "$H" lagx0)" ""
	check_eq "Active port after release" "$(proc_field -n "$H" lagx0 "Active port")" none
	check_eq "lagx0 carrier down without ports" "$(proc_field -n "$H" lagx0 Carrier)" down
	check "enslave a0 again" ip -n "$H" link set a0 master lagx0
}

test_restore_mac_mtu()
{
	local lmac own=02:00:00:00:01:01

	setup_host 1
	ip -n "$H" link set a0 mtu 1400 address "$own" up
	ip -n "$H" link set lagx0 mtu 9000
	lmac=$(link_attr -n "$H" lagx0 mac)
	check "enslave a0" enslave a0 || return
	check_eq "a0 MTU while enslaved" "$(link_attr -n "$H" a0 mtu)" 9000
	check_eq "a0 MAC while enslaved" "$(link_attr -n "$H" a0 mac)" "$lmac"
	check_eq "/proc MTU" "$(proc_field -n "$H" lagx0 MTU)" 9000
	check "release a0" ip -n "$H" link set a0 nomaster
	check_eq "a0 MTU restored" "$(link_attr -n "$H" a0 mtu)" 1400
	check_eq "a0 MAC restored" "$(link_attr -n "$H" a0 mac)" "$own"
	check "a0 still up (it was up)" link_has_flag -n "$H" a0 UP
	check_eq "lagx0 MTU unchanged by the release" "$(link_attr -n "$H" lagx0 mtu)" 9000
}

test_restore_admin_down()
{
	setup_host 2
	ip -n "$H" link set a1 up
	check_fail "a0 down before" link_has_flag -n "$H" a0 UP
	check "enslave a0 (down) and a1 (up)" enslave a0 a1 || return
	check "a0 up while enslaved" link_has_flag -n "$H" a0 UP
	check "release a0" ip -n "$H" link set a0 nomaster
	check "release a1" ip -n "$H" link set a1 nomaster
	check_fail "a0 down again after release" link_has_flag -n "$H" a0 UP
	check "a1 still up after release" link_has_flag -n "$H" a1 UP
}

test_mtu_propagate()
{
	setup_host 2
	ip -n "$H" link add d0 type dummy
	check "enslave a0 a1 d0" enslave a0 a1 d0 || return
	check "lagx0 MTU 4000" ip -n "$H" link set lagx0 mtu 4000
	check_eq "a0 MTU" "$(link_attr -n "$H" a0 mtu)" 4000
	check_eq "a1 MTU" "$(link_attr -n "$H" a1 mtu)" 4000
	check_eq "d0 MTU" "$(link_attr -n "$H" d0 mtu)" 4000
	check_eq "/proc MTU" "$(proc_field -n "$H" lagx0 MTU)" 4000
	check "lagx0 MTU 1280" ip -n "$H" link set lagx0 mtu 1280
	check_eq "a0 MTU" "$(link_attr -n "$H" a0 mtu)" 1280
	check_eq "d0 MTU" "$(link_attr -n "$H" d0 mtu)" 1280
	check "release a1" ip -n "$H" link set a1 nomaster
	check_eq "a1 back to its MTU" "$(link_attr -n "$H" a1 mtu)" 1500
}

# A port refuses the new MTU half-way: every port goes back.
test_mtu_rollback()
{
	local err

	setup_host 1
	# v0: a VLAN on x0, cannot exceed x0's MTU (1500).
	ip -n "$H" link add x0 type veth peer name y0
	ip -n "$H" link set x0 up
	ip -n "$H" link add link x0 name v0 type vlan id 10
	check "enslave a0 then v0" enslave a0 v0 || return
	err=$(ip -n "$H" link set lagx0 mtu 2000 2>&1)
	check "MTU 2000 refused (v0 cannot take it)" [ $? -ne 0 ]
	info "ip: $err"
	check_eq "lagx0 MTU unchanged" "$(link_attr -n "$H" lagx0 mtu)" 1500
	check_eq "a0 MTU rolled back" "$(link_attr -n "$H" a0 mtu)" 1500
	check_eq "v0 MTU unchanged" "$(link_attr -n "$H" v0 mtu)" 1500
	check_eq "/proc MTU" "$(proc_field -n "$H" lagx0 MTU)" 1500
	check "MTU 1400 accepted by both" ip -n "$H" link set lagx0 mtu 1400
	check_eq "v0 MTU" "$(link_attr -n "$H" v0 mtu)" 1400
}

# Enslaving fails after lagx changed the device (MTU, MAC): all undone.
test_enslave_unwind()
{
	local err v0 l0

	setup_host 1
	enslave a0
	# v0: a VLAN on x0 (down): it takes a new MAC but cannot be opened.
	ip -n "$H" link add x0 type veth peer name y0
	ip -n "$H" link add link x0 name v0 type vlan id 10
	v0=$(link_snapshot -n "$H" v0)
	l0=$(link_snapshot -n "$H" lagx0)
	err=$(ip -n "$H" link set v0 master lagx0 2>&1)
	check "enslaving v0 fails (its lower device is down)" [ $? -ne 0 ]
	info "ip: $err"
	check_eq "v0 unchanged (MAC restored)" "$(link_snapshot -n "$H" v0)" "$v0"
	check_eq "lagx0 unchanged" "$(link_snapshot -n "$H" lagx0)" "$l0"
	check_proc -n "$H" lagx0 Ports 1
	check_eq "port rows" "$(proc_ports -n "$H" lagx0)" a0

	# Now the MTU step fails: v0 cannot exceed x0's 1500.
	ip -n "$H" link set x0 up
	ip -n "$H" link set lagx0 mtu 9000
	v0=$(link_snapshot -n "$H" v0)
	l0=$(link_snapshot -n "$H" lagx0)
	err=$(ip -n "$H" link set v0 master lagx0 2>&1)
	check "enslaving v0 fails (MTU 9000)" [ $? -ne 0 ]
	info "ip: $err"
	check_match "extack message" "$err" "^Error: lagx: .*MTU"
	check_eq "v0 unchanged" "$(link_snapshot -n "$H" v0)" "$v0"
	check_eq "lagx0 unchanged" "$(link_snapshot -n "$H" lagx0)" "$l0"
	check_proc -n "$H" lagx0 Ports 1

	ip -n "$H" link set lagx0 mtu 1500
	check "v0 can be enslaved once it can open" \
		ip -n "$H" link set v0 master lagx0
	check "and released" ip -n "$H" link set v0 nomaster
	check_eq "v0 as before" "$(link_snapshot -n "$H" v0)" "$v0"
}

test_mtu_range()
{
	local err l0 a0

	setup_host 1
	ip -n "$H" link add d0 type dummy
	check "enslave a0 d0" enslave a0 d0 || return
	l0=$(link_snapshot -n "$H" lagx0)
	a0=$(link_snapshot -n "$H" a0)
	# veth's maximum is 65535.
	err=$(ip -n "$H" link set lagx0 mtu 65536 2>&1)
	check "MTU above a port's maximum refused" [ $? -ne 0 ]
	info "ip: $err"
	check_eq "lagx0 unchanged" "$(link_snapshot -n "$H" lagx0)" "$l0"
	check_eq "a0 unchanged" "$(link_snapshot -n "$H" a0)" "$a0"
	check_eq "d0 MTU unchanged" "$(link_attr -n "$H" d0 mtu)" 1500
	err=$(ip -n "$H" link set lagx0 mtu 67 2>&1)
	check "MTU below the minimum refused" [ $? -ne 0 ]
	info "ip: $err"
	check_eq "lagx0 unchanged" "$(link_snapshot -n "$H" lagx0)" "$l0"
}

test_port_mtu_refused()
{
	local err l0 a0

	setup_host 1
	check "enslave a0" enslave a0 || return
	l0=$(link_snapshot -n "$H" lagx0)
	a0=$(link_snapshot -n "$H" a0)
	err=$(ip -n "$H" link set a0 mtu 1400 2>&1)
	check "MTU change on the port refused" [ $? -ne 0 ]
	info "ip: $err"
	# NETDEV_PRECHANGEMTU carries no extack: only the errno reaches ip.
	check_match "error says busy" "$err" "[Bb]usy"
	check_eq "a0 unchanged" "$(link_snapshot -n "$H" a0)" "$a0"
	check_eq "lagx0 unchanged" "$(link_snapshot -n "$H" lagx0)" "$l0"
	check "port MTU equal to lagx0's is a no-op" ip -n "$H" link set a0 mtu 1500
}

test_mac_propagate()
{
	local mac=02:00:00:00:02:02 own

	setup_host 2
	own=$(link_attr -n "$H" a1 mac)
	check "enslave a0 a1" enslave a0 a1 || return
	check "set lagx0 MAC" ip -n "$H" link set lagx0 address "$mac"
	check_eq "a0 MAC" "$(link_attr -n "$H" a0 mac)" "$mac"
	check_eq "a1 MAC" "$(link_attr -n "$H" a1 mac)" "$mac"
	check_eq "/proc MAC" "$(proc_field -n "$H" lagx0 MAC)" "$mac"
	check "release a1" ip -n "$H" link set a1 nomaster
	check_eq "a1 gets its own MAC back" "$(link_attr -n "$H" a1 mac)" "$own"
}

# A lagx MAC change must not look like a link failure, also on ports that
# cannot change their MAC while up (no IFF_LIVE_ADDR_CHANGE: a VLAN here,
# like many NICs).
test_mac_change_no_failover()
{
	local mac=02:00:00:00:02:03

	setup_host 1
	ip -n "$H" link add x0 type veth peer name y0
	ip -n "$H" link set x0 up
	ip -n "$H" link set y0 up
	ip -n "$H" link add link x0 name v0 type vlan id 10
	check "enslave v0 then a0" enslave v0 a0 || return
	ip -n "$H" link set lagx0 up
	check_wait "v0 active" 5 proc_field_is -n "$H" lagx0 "Active port" v0
	kmsg_mark
	check "set lagx0 MAC" ip -n "$H" link set lagx0 address "$mac"
	check_eq "v0 MAC" "$(link_attr -n "$H" v0 mac)" "$mac"
	check_eq "a0 MAC" "$(link_attr -n "$H" a0 mac)" "$mac"
	check_proc -n "$H" lagx0 "Active port" v0
	check_proc -n "$H" lagx0 Failovers 0
	check_port -n "$H" lagx0 v0 FAILS 0
	check_eq "no failover logged" "$(dmesg_since_mark | grep 'active port')" ""
}

# Promiscuity, allmulti and the address lists of lagx0 reach every port,
# and are taken back on release.
test_rx_flags_sync()
{
	local maddr=33:33:00:00:00:42

	setup_host 2
	# Address lists are synced by ndo_set_rx_mode: only while lagx0 is up.
	ip -n "$H" link set lagx0 up
	check "enslave a0" enslave a0 || return
	check "lagx0 promisc on" ip -n "$H" link set lagx0 promisc on
	check "lagx0 allmulticast on" ip -n "$H" link set lagx0 allmulticast on
	check "multicast address on lagx0" ip -n "$H" maddr add "$maddr" dev lagx0
	check "enslave a1 (after the flags)" enslave a1
	for p in a0 a1; do
		check_eq "$p promiscuity" "$(promiscuity "$p")" 1
		check "$p has the multicast address" has_maddr "$p" "$maddr"
	done
	check "release a0" ip -n "$H" link set a0 nomaster
	check_eq "a0 promiscuity after release" "$(promiscuity a0)" 0
	check_fail "a0 lost the multicast address" has_maddr a0 "$maddr"
	check_fail "a0 not ALLMULTI" link_has_flag -n "$H" a0 ALLMULTI
	check "lagx0 promisc off" ip -n "$H" link set lagx0 promisc off
	check "lagx0 allmulticast off" ip -n "$H" link set lagx0 allmulticast off
	check_eq "a1 promiscuity" "$(promiscuity a1)" 0
	check_fail "a1 not ALLMULTI" link_has_flag -n "$H" a1 ALLMULTI
	check "multicast address off lagx0" ip -n "$H" maddr del "$maddr" dev lagx0
	check_fail "a1 lost the multicast address" has_maddr a1 "$maddr"
}

promiscuity()	# dev
{
	ip -n "$H" -d -j link show "$1" | sed -n 's/.*"promiscuity":\([0-9]*\).*/\1/p'
}

has_maddr()	# dev addr
{
	ip -n "$H" maddr show dev "$1" | grep -q "link  *$2"
}

# An enslaved port moved to another netns is released first (NETDEV_UNREGISTER
# with the device still registered), gets its own MAC and MTU back, works
# in its new netns and can be destroyed there.
#
# Restoring the MTU from that notifier with dev_set_mtu() re-creates the
# IPv4/IPv6 per-device state that was just torn down, in the old netns: it
# leaks device references (unregister_netdevice waits forever, and with it
# netns cleanup and every later rmmod).  So the port is a dummy (no peer
# that would drag it along), the symptoms are checked first, and when they
# show, the device is parked in the initial netns instead of destroyed.
test_port_netns_move()
{
	local Q own pid leaked=0

	setup_host 1
	setup_ns Q
	ip -n "$H" link add d0 type dummy
	own=$(link_attr -n "$H" d0 mac)
	ip -n "$H" link set lagx0 mtu 2000
	check "enslave d0 a0" enslave d0 a0 || return
	check_eq "d0 MTU while enslaved" "$(link_attr -n "$H" d0 mtu)" 2000
	check "move enslaved d0 to another netns" ip -n "$H" link set d0 netns "$Q" || return
	check_eq "port rows" "$(proc_ports -n "$H" lagx0)" a0
	check_proc -n "$H" lagx0 Ports 1
	check_eq "d0 has no master" "$(link_attr -n "$Q" d0 master)" ""
	check_eq "d0 own MAC" "$(link_attr -n "$Q" d0 mac)" "$own"
	check_eq "d0 own MTU" "$(link_attr -n "$Q" d0 mtu)" 1500
	check "d0 up in its new netns" ip -n "$Q" link set d0 up
	if in_ns "$H" test -e /proc/sys/net/ipv4/conf/d0; then
		fail "d0's IPv4 state was re-created in its old netns (sysctl net.ipv4.conf.d0 left in H)"
		leaked=1
	fi
	if ! ip -n "$Q" addr add 192.0.2.9/24 dev d0; then
		fail "d0 cannot get an IPv4 address in its new netns"
		leaked=1
	fi
	if [ "$leaked" = 1 ]; then
		info "leaked device references: parking d0 in the initial netns"
		ip -n "$Q" link set d0 netns 1 && ip link set d0 name "lagx-leak$RANDOM"
		return
	fi
	# "ip link del" returns once the device is freed.
	ip -n "$Q" link del d0 &
	pid=$!
	check_wait "d0 destroyed in its new netns (no leaked reference)" 5 \
		eval "! kill -0 $pid 2>/dev/null"
}

# Carrier: on while at least one port is usable (link up).
test_carrier()
{
	setup_host 2
	ip -n "$H" link set b0 down
	ip -n "$H" link set b1 down
	ip -n "$H" link set lagx0 up
	check_eq "no port: carrier down" "$(proc_field -n "$H" lagx0 Carrier)" down
	check "no port: lagx0 has no LOWER_UP" eval "! link_has_flag -n $H lagx0 LOWER_UP"
	enslave a0 a1
	check_eq "ports without link: carrier down" "$(proc_field -n "$H" lagx0 Carrier)" down
	check_eq "a0 LINK down" "$(port_col -n "$H" lagx0 a0 LINK)" down
	check_eq "a0 STATE down" "$(port_col -n "$H" lagx0 a0 STATE)" down
	check_eq "Active port none" "$(proc_field -n "$H" lagx0 "Active port")" none

	ip -n "$H" link set b1 up
	check_wait "a1 link up: carrier up" 5 proc_field_is -n "$H" lagx0 Carrier up
	check_wait "lagx0 LOWER_UP" 5 link_has_flag -n "$H" lagx0 LOWER_UP
	check_eq "a1 active" "$(proc_field -n "$H" lagx0 "Active port")" a1
	ip -n "$H" link set b0 up
	check_wait "a0 LINK up" 5 port_col_is -n "$H" lagx0 a0 LINK up
	check_eq "a0 backup (a1 stays active)" "$(port_col -n "$H" lagx0 a0 STATE)" backup
	ip -n "$H" link set b1 down
	check_wait "a0 takes over" 5 proc_field_is -n "$H" lagx0 "Active port" a0
	check_eq "one port left: carrier up" "$(proc_field -n "$H" lagx0 Carrier)" up
	ip -n "$H" link set b0 down
	check_wait "no usable port: carrier down" 5 proc_field_is -n "$H" lagx0 Carrier down
	check_wait "lagx0 lost LOWER_UP" 5 eval "! link_has_flag -n $H lagx0 LOWER_UP"
	check_eq "Active port none" "$(proc_field -n "$H" lagx0 "Active port")" none
	# Admin down of a port counts like carrier loss.
	ip -n "$H" link set b0 up
	check_wait "carrier back" 5 proc_field_is -n "$H" lagx0 Carrier up
	ip -n "$H" link set a0 down
	check_wait "port admin down: carrier down" 5 proc_field_is -n "$H" lagx0 Carrier down
	check_eq "a0 STATE" "$(port_col -n "$H" lagx0 a0 STATE)" down
	ip -n "$H" link set a0 up
	check_wait "port admin up: carrier up" 5 proc_field_is -n "$H" lagx0 Carrier up
}

# refused_enslave NS LAGX DEV REGEX: "ip link set DEV master LAGX" must fail
# with an extack message matching REGEX and change neither device.
refused_enslave()
{
	local ns=$1 lagx=$2 dev=$3 re=$4
	local lsnap dsnap ports rows err rc

	lsnap=$(link_snapshot -n "$ns" "$lagx")
	dsnap=$(link_snapshot -n "$ns" "$dev")
	ports=$(proc_field -n "$ns" "$lagx" Ports)
	rows=$(proc_ports -n "$ns" "$lagx")
	err=$(ip -n "$ns" link set "$dev" master "$lagx" 2>&1)
	rc=$?
	info "ip: $err"
	check "enslaving $dev is refused" [ "$rc" -ne 0 ]
	check_match "extack message from lagx" "$err" "^Error: lagx: .*$re"
	check_eq "$lagx unchanged" "$(link_snapshot -n "$ns" "$lagx")" "$lsnap"
	check_eq "$dev unchanged" "$(link_snapshot -n "$ns" "$dev")" "$dsnap"
	check_eq "$lagx port count unchanged" "$(proc_field -n "$ns" "$lagx" Ports)" "$ports"
	check_eq "$lagx port rows unchanged" "$(proc_ports -n "$ns" "$lagx")" "$rows"
}

test_refuse_loopback()
{
	setup_shared || return
	refused_enslave "$H" lagx0 lo "[Ll]oopback"
}

test_refuse_non_ether()
{
	setup_shared || return
	if ! ip -n "$H" tuntap add t0 mode tun 2>/dev/null; then
		skip_test "cannot create a tun device"
		return
	fi
	candidate t0
	refused_enslave "$H" lagx0 t0 "Ethernet"
}

test_refuse_self()
{
	setup_shared || return
	refused_enslave "$H" lagx0 lagx0 "itself"
}

test_refuse_lagx()
{
	setup_shared || return
	ip -n "$H" link add lagx1 type lagx
	candidate lagx1
	refused_enslave "$H" lagx0 lagx1 "stack"
	# lagx1 with a port of its own: still refused.
	ip -n "$H" link add x0 type veth peer name y0
	candidate x0
	ip -n "$H" link set x0 master lagx1
	refused_enslave "$H" lagx0 lagx1 "stack"
}

test_refuse_bond()
{
	setup_shared || return
	if ! ip -n "$H" link add bond0 type bond 2>/dev/null; then
		skip_test "no bonding driver"
		return
	fi
	candidate bond0
	refused_enslave "$H" lagx0 bond0 "bonding"
}

test_refuse_rx_handler()
{
	setup_shared || return
	ip -n "$H" link add x0 type veth peer name y0
	candidate x0
	if ! ip -n "$H" link add link x0 name m0 type macvlan 2>/dev/null; then
		skip_test "no macvlan driver"
		return
	fi
	refused_enslave "$H" lagx0 x0 "in use"
}

test_refuse_upper()
{
	setup_shared || return
	ip -n "$H" link add link lagx0 name lagx0.10 type vlan id 10
	candidate lagx0.10
	refused_enslave "$H" lagx0 lagx0.10 "stacked"
}

test_refuse_33rd()
{
	local i

	setup_host 0
	for ((i = 0; i <= 32; i++)); do
		echo "link add d$i type dummy"
	done | ip -n "$H" -b - || { fail "cannot create 33 dummy devices"; return; }
	for ((i = 0; i < 32; i++)); do
		ip -n "$H" link set "d$i" master lagx0 ||
			{ fail "enslaving port $((i + 1)) (d$i) failed"; return; }
	done
	check_eq "32 ports" "$(proc_field -n "$H" lagx0 Ports)" 32
	check_eq "32 port rows" "$(proc_ports -n "$H" lagx0 | wc -l)" 32
	refused_enslave "$H" lagx0 d32 "[Tt]oo many ports"
	check "after a release the 32nd slot is free" \
		eval "ip -n $H link set d0 nomaster && ip -n $H link set d32 master lagx0"
	check_eq "still 32 ports" "$(proc_field -n "$H" lagx0 Ports)" 32
}

# "ip link set DEV master lagx0" with DEV already under a master: rtnetlink
# releases it from the old master first (do_set_master()), so lagx never
# sees a device with a master there; it must end up a clean lagx port.
test_move_from_bridge()
{
	local own

	setup_host 1
	own=$(link_attr -n "$H" a0 mac)
	ip -n "$H" link add br0 type bridge
	ip -n "$H" link set a0 master br0
	check "bridge port a0 moved to lagx0" ip -n "$H" link set a0 master lagx0 || return
	check_eq "a0 master" "$(link_attr -n "$H" a0 master)" lagx0
	check_eq "br0 has no port left" "$(ip -n "$H" -o link show master br0)" ""
	check_eq "/proc Ports" "$(proc_field -n "$H" lagx0 Ports)" 1
	check "release a0" ip -n "$H" link set a0 nomaster
	check_eq "a0 has no master" "$(link_attr -n "$H" a0 master)" ""
	check_eq "a0 own MAC" "$(link_attr -n "$H" a0 mac)" "$own"
}

test_move_between_lagx()
{
	local own

	setup_host 1
	own=$(link_attr -n "$H" a0 mac)
	ip -n "$H" link add lagx1 type lagx
	ip -n "$H" link set lagx1 mtu 2000
	ip -n "$H" link set a0 master lagx1
	check_eq "a0 MTU under lagx1" "$(link_attr -n "$H" a0 mtu)" 2000
	check "port of lagx1 moved to lagx0" ip -n "$H" link set a0 master lagx0 || return
	check_eq "a0 master" "$(link_attr -n "$H" a0 master)" lagx0
	check_eq "lagx1 Ports" "$(proc_field -n "$H" lagx1 Ports)" 0
	check_eq "lagx0 Ports" "$(proc_field -n "$H" lagx0 Ports)" 1
	check_eq "a0 MAC is lagx0's" "$(link_attr -n "$H" a0 mac)" "$(link_attr -n "$H" lagx0 mac)"
	check_eq "a0 MTU is lagx0's" "$(link_attr -n "$H" a0 mtu)" 1500
	check "release a0" ip -n "$H" link set a0 nomaster
	check_eq "a0 own MAC (not lagx1's)" "$(link_attr -n "$H" a0 mac)" "$own"
	check_eq "a0 own MTU" "$(link_attr -n "$H" a0 mtu)" 1500
}

test_del_port_device()
{
	setup_host 3
	ip -n "$H" link set lagx0 up
	check "enslave a0 a1 a2" enslave a0 a1 a2 || return
	check_wait "a0 active" 5 proc_field_is -n "$H" lagx0 "Active port" a0
	check "delete a1 (backup) while enslaved" ip -n "$H" link del a1
	check_eq "port rows" "$(proc_ports -n "$H" lagx0 | xargs)" "a0 a2"
	check_eq "Ports" "$(proc_field -n "$H" lagx0 Ports)" 2
	check_eq "a0 still active" "$(proc_field -n "$H" lagx0 "Active port")" a0
	check "delete a0 (active) while enslaved" ip -n "$H" link del a0
	check_eq "port rows" "$(proc_ports -n "$H" lagx0 | xargs)" a2
	check_wait "a2 takes over" 5 proc_field_is -n "$H" lagx0 "Active port" a2
	check_eq "carrier up" "$(proc_field -n "$H" lagx0 Carrier)" up
	check "delete the peer of a2 (destroys a2)" ip -n "$H" link del b2
	check_wait "no port left" 5 proc_field_is -n "$H" lagx0 Ports 0
	check_eq "Active port none" "$(proc_field -n "$H" lagx0 "Active port")" none
	check_eq "carrier down" "$(proc_field -n "$H" lagx0 Carrier)" down
	veth_pair "$H" a3 "$H" b3
	check "lagx0 still takes ports" enslave a3
	check "lagx0 can be deleted" ip -n "$H" link del lagx0
	check_eq "a3 released" "$(link_attr -n "$H" a3 master)" ""
}

require_root
require_cmd ip awk dmesg
ensure_module || ktap_skip_all "cannot load lagx (LAGX_KO=${LAGX_KO:-unset})"
kernel_log_start

run_tests \
	test_enslave_release	"enslave/release: master, SLAVE flag, MAC, /proc row, active port" \
	test_restore_mac_mtu	"release restores the port's MTU (1400) and MAC (lagx MTU 9000)" \
	test_restore_admin_down	"release puts a port that was down back down" \
	test_mtu_propagate	"lagx MTU change applies to every port (veth, dummy)" \
	test_mtu_rollback	"lagx MTU refused by one port: all ports rolled back" \
	test_enslave_unwind	"enslave failing half-way (open, MTU) changes nothing" \
	test_mtu_range		"lagx MTU out of a port's range refused, nothing changed" \
	test_port_mtu_refused	"MTU change on a port directly is refused" \
	test_mac_propagate	"lagx MAC change applies to every port" \
	test_mac_change_no_failover "lagx MAC change on a port without live MAC change: no failover" \
	test_rx_flags_sync	"promisc, allmulti, multicast list follow lagx0; undone on release" \
	test_port_netns_move	"enslaved port moved to another netns: released and restored" \
	test_carrier		"carrier follows 'at least one usable port'" \
	test_refuse_loopback	"refuse: loopback device" \
	test_refuse_non_ether	"refuse: non-Ethernet device (tun)" \
	test_refuse_self	"refuse: lagx device into itself" \
	test_refuse_lagx	"refuse: lagx device into another lagx device" \
	test_refuse_bond	"refuse: bonding device" \
	test_refuse_rx_handler	"refuse: device with another rx_handler (macvlan lower)" \
	test_refuse_upper	"refuse: device stacked on the lagx device (vlan)" \
	test_refuse_33rd	"refuse: 33rd port (maximum 32)" \
	test_move_from_bridge	"device with a master (bridge port) is moved, not half-enslaved" \
	test_move_between_lagx	"port of lagx1 moved to lagx0: own MAC/MTU restored on release" \
	test_del_port_device	"port device deleted while enslaved (backup, active, via peer)" \
	test_kernel_log_clean	"kernel log has no splat"
