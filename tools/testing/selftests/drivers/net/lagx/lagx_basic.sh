#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# lagx device life cycle: create, delete, rename, the per-netns /proc view,
# netns teardown, and module unload with devices that have ports.
#
#   netns A                                netns B
#   +----------------------------+         +----------------------------+
#   |  lagx0 (MTU 9000)          |         |  lagx1          lagx0      |
#   |    |         |             |         |    |     (same name as A's)|
#   |   a0        a1 (was down)  |         |   c0                       |
#   +----|---------|-------------+         +----|-----------------------+
#        |         |                            |
#      veth      veth                         veth
#        |         |                            |
#   +----|---------|----------------------------|-----------------------+
#   |   p0        p1                           q0        netns P (peers) |
#   +--------------------------------------------------------------------+
#
# Not every case uses every device: each case builds what it needs in
# fresh namespaces and removes them afterwards.

# Test cases are called through run_tests.
# shellcheck disable=SC2317
lib_dir=$(dirname "$(readlink -f "$0")")
# shellcheck source=lib.sh
. "$lib_dir/lib.sh"

# Defaults a new lagx device must show in /proc.
check_defaults()	# ns dev
{
	local ns=$1 dev=$2

	check_eq "/proc Device" "$(proc_field -n "$ns" "$dev" Device)" "$dev"
	check_eq "/proc Mode" "$(proc_field -n "$ns" "$dev" Mode)" active-backup
	check_eq "/proc Carrier" "$(proc_field -n "$ns" "$dev" Carrier)" down
	check_eq "/proc MTU" "$(proc_field -n "$ns" "$dev" MTU)" 1500
	check_eq "/proc MAC" "$(proc_field -n "$ns" "$dev" MAC)" \
		"$(link_attr -n "$ns" "$dev" mac)"
	check_eq "/proc Active port" "$(proc_field -n "$ns" "$dev" "Active port")" none
	check_eq "/proc Failovers" "$(proc_field -n "$ns" "$dev" Failovers)" 0
	check_eq "/proc Ports" "$(proc_field -n "$ns" "$dev" Ports)" 0
	check_eq "/proc port table" "$(proc_ports -n "$ns" "$dev")" ""
}

test_create()
{
	local A mac

	setup_ns A
	check "ip link add lagx0 type lagx" ip -n "$A" link add lagx0 type lagx || return
	check "kind is lagx" eval "ip -n $A -d -j link show lagx0 | grep -q '\"info_kind\":\"lagx\"'"
	check "/proc/net/lagx/lagx0 exists" proc_exists -n "$A" lagx0
	check_defaults "$A" lagx0
	check "lagx0 has the MASTER flag" link_has_flag -n "$A" lagx0 MASTER
	mac=$(link_attr -n "$A" lagx0 mac)
	# eth_hw_addr_random(): a locally administered unicast address.
	check "random MAC is locally administered unicast ($mac)" \
		eval "[ \$(( 0x${mac%%:*} & 3 )) -eq 2 ]"
	check "ip link add of an existing name fails" \
		eval "! ip -n $A link add lagx0 type lagx 2>/dev/null"
}

test_delete()
{
	local A

	setup_ns A
	ip -n "$A" link add lagx0 type lagx
	check "/proc entry while the device exists" proc_exists -n "$A" lagx0
	check "ip link del lagx0" ip -n "$A" link del lagx0
	check_fail "lagx0 is gone" link_exists -n "$A" lagx0
	check_fail "/proc entry is gone" proc_exists -n "$A" lagx0
	check "/proc/net/lagx stays while the module is loaded" \
		proc_dir_exists -n "$A"
	# The same name can be reused, and gets a fresh entry.
	check "re-create lagx0" ip -n "$A" link add lagx0 type lagx
	check "/proc entry of the re-created device" proc_exists -n "$A" lagx0
}

test_autoname()
{
	local A

	setup_ns A
	check "ip link add type lagx (no name)" ip -n "$A" link add type lagx
	check "ip link add type lagx (no name), second" ip -n "$A" link add type lagx
	check_eq "kernel-chosen names" "$(lagx_devices -n "$A" | xargs)" "lagx0 lagx1"
	check "/proc entry of lagx0" proc_exists -n "$A" lagx0
	check "/proc entry of lagx1" proc_exists -n "$A" lagx1
	check_eq "/proc Device of lagx1" "$(proc_field -n "$A" lagx1 Device)" lagx1
}

test_rename()
{
	local A mac

	setup_ns A
	ip -n "$A" link add lagx0 type lagx
	mac=$(link_attr -n "$A" lagx0 mac)
	check "ip link set lagx0 name lagxr" ip -n "$A" link set lagx0 name lagxr || return
	check "/proc/net/lagx/lagxr exists" proc_exists -n "$A" lagxr
	check_fail "/proc/net/lagx/lagx0 is gone" proc_exists -n "$A" lagx0
	check_eq "/proc Device after rename" "$(proc_field -n "$A" lagxr Device)" lagxr
	check_eq "/proc MAC after rename" "$(proc_field -n "$A" lagxr MAC)" "$mac"
	# A new lagx0 must not collide with the renamed device's entry.
	check "a new lagx0 next to lagxr" ip -n "$A" link add lagx0 type lagx
	check "/proc entry of the new lagx0" proc_exists -n "$A" lagx0
	check_ne "new lagx0 is another device" "$(proc_field -n "$A" lagx0 MAC)" "$mac"
	check "rename lagxr back to lagx9" ip -n "$A" link set lagxr name lagx9
	check "/proc/net/lagx/lagx9 exists" proc_exists -n "$A" lagx9
	check_fail "/proc/net/lagx/lagxr is gone" proc_exists -n "$A" lagxr
	check "delete the renamed device" ip -n "$A" link del lagx9
	check_fail "its /proc entry is gone" proc_exists -n "$A" lagx9
}

test_netns_proc()
{
	local A B mac_a mac_b

	setup_ns A B
	check "/proc/net/lagx exists in a new netns" proc_dir_exists -n "$A"
	ip -n "$A" link add lagx0 type lagx
	check "A sees its lagx0" proc_exists -n "$A" lagx0
	check_fail "B does not see A's lagx0" proc_exists -n "$B" lagx0
	check_eq "B's /proc/net/lagx is empty" "$(proc_entries -n "$B")" ""
	check "lagx0 in B too (same name)" ip -n "$B" link add lagx0 type lagx
	mac_a=$(link_attr -n "$A" lagx0 mac)
	mac_b=$(link_attr -n "$B" lagx0 mac)
	check_eq "A's /proc shows A's device" "$(proc_field -n "$A" lagx0 MAC)" "$mac_a"
	check_eq "B's /proc shows B's device" "$(proc_field -n "$B" lagx0 MAC)" "$mac_b"
	ip -n "$A" link del lagx0
	check_fail "A's entry gone" proc_exists -n "$A" lagx0
	check "B's entry stays" proc_exists -n "$B" lagx0
}

test_netns_move()
{
	local A B err

	setup_ns A B
	ip -n "$A" link add lagx0 type lagx
	err=$(ip -n "$A" link set lagx0 netns "$B" 2>&1)
	check "moving lagx0 to another netns is refused" [ $? -ne 0 ]
	info "ip: $err"
	check "lagx0 still in A" link_exists -n "$A" lagx0
	check_fail "lagx0 not in B" link_exists -n "$B" lagx0
	check "A's /proc entry stays" proc_exists -n "$A" lagx0
	check_fail "no entry in B" proc_exists -n "$B" lagx0
}

# The ports' peers live in P.  Deleting P destroys the ports under lagx0
# (NETDEV_UNREGISTER); deleting A destroys lagx0 with its ports.
test_netns_delete()
{
	local A P

	setup_ns A P
	ip -n "$A" link add lagx0 type lagx
	veth_pair "$A" a0 "$P" p0
	veth_pair "$A" a1 "$P" p1
	ip -n "$P" link set p0 up
	ip -n "$P" link set p1 up
	ip -n "$A" link set a0 master lagx0
	ip -n "$A" link set a1 master lagx0
	ip -n "$A" link set lagx0 up
	check_wait "lagx0 carrier up" 5 proc_field_is -n "$A" lagx0 Carrier up
	check_eq "two ports" "$(proc_field -n "$A" lagx0 Ports)" 2

	ns_del "$P"
	check_wait "ports gone with the peer netns" 10 proc_field_is -n "$A" lagx0 Ports 0
	check_fail "a0 is gone" link_exists -n "$A" a0
	check_eq "no port rows" "$(proc_ports -n "$A" lagx0)" ""
	check_eq "Active port none" "$(proc_field -n "$A" lagx0 "Active port")" none
	check_wait "carrier down without ports" 5 proc_field_is -n "$A" lagx0 Carrier down

	# And a netns that holds a lagx device with ports.
	setup_ns P
	veth_pair "$A" a2 "$P" p2
	ip -n "$A" link set a2 master lagx0
	check "port a2 added" proc_field_is -n "$A" lagx0 Ports 1
	ns_del "$A"
	check_wait "peer of a2 gone with netns A" 10 eval "! link_exists -n $P p2"
}

# Two lagx devices with ports in two namespaces, then rmmod.
test_rmmod()
{
	local A B P s
	local mac0=02:00:00:0a:00:01 mac1=02:00:00:0a:00:02 macc=02:00:00:0a:00:03
	local -A before

	if [ -z "${LAGX_KO:-}" ] && ! modinfo lagx >/dev/null 2>&1; then
		skip_test "cannot reload lagx: LAGX_KO not set"
		return
	fi
	setup_ns A B P
	veth_pair "$A" a0 "$P" p0
	veth_pair "$A" a1 "$P" p1
	veth_pair "$B" c0 "$P" q0
	ip -n "$A" link set a0 mtu 1400 address "$mac0" up
	ip -n "$A" link set a1 address "$mac1"		# stays down
	ip -n "$B" link set c0 address "$macc" up
	for s in p0 p1 q0; do ip -n "$P" link set "$s" up; done
	before[a0]=$(link_snapshot -n "$A" a0)
	before[a1]=$(link_snapshot -n "$A" a1)
	before[c0]=$(link_snapshot -n "$B" c0)

	ip -n "$A" link add lagx0 type lagx
	ip -n "$A" link set lagx0 mtu 9000
	ip -n "$A" link set a0 master lagx0
	ip -n "$A" link set a1 master lagx0
	ip -n "$A" link set lagx0 up
	ip -n "$B" link add lagx1 type lagx
	ip -n "$B" link set c0 master lagx1
	check_eq "lagx0 has 2 ports" "$(proc_field -n "$A" lagx0 Ports)" 2
	check_eq "lagx1 has 1 port" "$(proc_field -n "$B" lagx1 Ports)" 1
	check_eq "a0 MTU while enslaved" "$(link_attr -n "$A" a0 mtu)" 9000
	check "a1 opened while enslaved" link_has_flag -n "$A" a1 UP

	kmsg_mark
	rmmod_lagx 60
	check "rmmod lagx with devices and ports${RMMOD_OUT:+ ($RMMOD_OUT)}" [ $? -eq 0 ] ||
		return
	check_fail "module unloaded" lagx_loaded
	check_eq "no lagx device in A" "$(lagx_devices -n "$A")" ""
	check_eq "no lagx device in B" "$(lagx_devices -n "$B")" ""
	check_fail "/proc/net/lagx gone in A" proc_dir_exists -n "$A"
	check_fail "/proc/net/lagx gone in B" proc_dir_exists -n "$B"
	check_eq "a0 restored (MTU 1400, own MAC, up)" "$(link_snapshot -n "$A" a0)" "${before[a0]}"
	check_eq "a1 restored (own MAC, down)" "$(link_snapshot -n "$A" a1)" "${before[a1]}"
	check_eq "c0 restored" "$(link_snapshot -n "$B" c0)" "${before[c0]}"
	check_match "kernel log: ports removed" "$(dmesg_since_mark)" "lagx1.*: port c0 removed"

	check "insmod lagx again" ensure_module || { reload_diag; return; }
	check "/proc/net/lagx back in existing netns A" proc_dir_exists -n "$A"
	check "create lagx0 after reload" ip -n "$A" link add lagx0 type lagx
	check "enslave a0 after reload" ip -n "$A" link set a0 master lagx0
	check_eq "/proc after reload" "$(proc_ports -n "$A" lagx0)" a0
}

require_root
require_cmd ip awk dmesg
ensure_module || ktap_skip_all "cannot load lagx (LAGX_KO=${LAGX_KO:-unset})"
kernel_log_start

run_tests \
	test_create	"create: kind lagx, /proc entry with defaults (active-backup, no port, carrier down)" \
	test_delete	"delete: device and its /proc entry disappear, name reusable" \
	test_autoname	"create without a name: kernel names lagx0, lagx1" \
	test_rename	"rename: /proc entry follows the device name" \
	test_netns_proc	"/proc/net/lagx is per network namespace" \
	test_netns_move	"a lagx device cannot move to another netns" \
	test_netns_delete "netns teardown: ports destroyed under lagx, lagx destroyed with ports" \
	test_rmmod	"rmmod with 2 devices with ports: devices gone, ports restored; reload" \
	test_kernel_log_clean "kernel log has no splat"
