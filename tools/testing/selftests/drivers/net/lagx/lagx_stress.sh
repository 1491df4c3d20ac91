#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# SMP stress: traffic through lagx on every CPU while other CPUs change
# the configuration, then rmmod under that traffic.  Made for the debug
# kernel (lockdep, KCSAN, kmemleak: the rig fails on their reports about
# lagx), bounded in time, and short on one CPU (UML).
#
#   netns H                                    netns P
#   +--------------------------------+         +--------------------------+
#   | lagx0 192.0.2.1 (MODE)         |         | br0 (or bond0 802.3ad)   |
#   |   a0   a1   a2 ------- veth ---|---------|-- b0  b1  b2  192.0.2.2  |
#   |                                |         +--------------------------+
#   | lagx1 198.51.100.1 (modes      |         netns Q
#   |   c0   c1   cycling) - veth ---|---------|-- d0 d1 in br1 .2        |
#   +--------------------------------+         +--------------------------+
#
# Traffic, on each CPU: ping -f from H to P and from P to H (taskset, niced
# so that the churn gets its share), a pktgen thread sending through lagx0
# (UDP, 2 kpps per thread).  Churn, concurrently, for LAGX_STRESS_TIME seconds per mode:
#   ports    a2 released and enslaved again
#   flaps    b1 (a1's peer) down and up: a1's carrier flaps
#   options  active-backup: updelay, primary, lagxctl set-active;
#            balance-slb: rebalance_interval, xmit_hash_policy;
#            lacp: lacp_rate, the partner's b2 released and re-added
#   readers  /proc/net/lagx/*, ethtool -S, ip -d link, lagxctl show
#            (and lagxctl monitor throughout, when the genl family exists)
#   modes    lagx1's ports released, its mode changed, enslaved again
# Afterwards both devices must forward.  Then everything at once, and
# rmmod under it: it must succeed and give every port back.  With
# kmemleak (the debug kernel), no leak may point into lagx.
#
# Environment: LAGX_STRESS_TIME (seconds of churn per mode; default 20 with
# several CPUs, 8 with one).
#
# lagx-timeout: 600

# Test cases are called through run_tests.
# shellcheck disable=SC2317
lib_dir=$(dirname "$(readlink -f "$0")")
# shellcheck source=lib.sh
. "$lib_dir/lib.sh"

IP_LIB_DIR=${LAGX_IP_LIB_DIR:-$(readlink -f "$lib_dir/../../../../../..")/tools/iproute2}
export IP_LIB_DIR
repo=$(readlink -f "$lib_dir/../../../../../..")
LAGXCTL=${LAGXCTL:-$repo/tools/lagxctl/lagxctl}

NCPU=$(nproc)
if [ "$NCPU" -gt 1 ]; then
	: "${LAGX_STRESS_TIME:=20}"
else
	: "${LAGX_STRESS_TIME:=8}"
fi
LAGX_IP_C=198.51.100.1
LAGX_IP_D=198.51.100.2

H= P= Q=
TMP=
GENL=0
PEER_MAC=

# ------------------------------------------------------------ topology --

# topo PEER: H, P, Q; lagx0 is created by the caller.  PEER: bridge | bond.
topo()
{
	local i

	setup_ns H P Q || return 1
	for i in 0 1 2; do
		veth_pair "$H" "a$i" "$P" "b$i" || return 1
	done
	veth_pair "$H" c0 "$Q" d0 && veth_pair "$H" c1 "$Q" d1 || return 1
	case $1 in
	bridge)
		ip -n "$P" -batch - <<-EOB || return 1
			link add br0 type bridge
			$(for i in 0 1 2; do echo "link set b$i master br0"; echo "link set b$i up"; done)
			link set br0 up
			addr add $LAGX_IP_B/$LAGX_PREFIX dev br0
		EOB
		PEER_MAC=$(link_attr -n "$P" br0 mac)
		;;
	bond)
		ip -n "$P" -batch - <<-EOB || return 1
			link add br0 type bond mode 802.3ad miimon 100 lacp_rate fast
			$(for i in 0 1 2; do echo "link set b$i master br0"; done)
			addr add $LAGX_IP_B/$LAGX_PREFIX dev br0
			link set br0 up
		EOB
		PEER_MAC=$(link_attr -n "$P" br0 mac)
		;;
	esac
	ip -n "$Q" -batch - <<-EOB || return 1
		link add br1 type bridge
		link set d0 master br1
		link set d1 master br1
		link set d0 up
		link set d1 up
		link set br1 up
		addr add $LAGX_IP_D/24 dev br1
	EOB
	ip -n "$H" -batch - <<-EOB || return 1
		link add lagx1 type lagx mode active-backup
		link set c0 master lagx1
		link set c1 master lagx1
		link set lagx1 up
		addr add $LAGX_IP_C/24 dev lagx1
	EOB
}

# lagx0_up MODE [OPTION...]
lagx0_up()
{
	local mode=$1; shift

	ip -n "$H" -batch - <<-EOB || return 1
		link add lagx0 type lagx mode $mode $*
		link set a0 master lagx0
		link set a1 master lagx0
		link set a2 master lagx0
		link set lagx0 up
		addr add $LAGX_IP_A/$LAGX_PREFIX dev lagx0
	EOB
}

# ------------------------------------------------------------- traffic --

# traffic_start: floods both ways on every CPU, pktgen on every CPU.
traffic_start()
{
	local i secs=$((LAGX_STRESS_TIME + 120)) t cmds=

	for ((i = 0; i < NCPU; i++)); do
		in_ns "$H" nice -n 10 taskset -c "$i" ping -f -q -w "$secs" "$LAGX_IP_B" >/dev/null 2>&1 &
		bg_track $!
		in_ns "$P" nice -n 10 taskset -c "$i" ping -f -q -w "$secs" "$LAGX_IP_A" >/dev/null 2>&1 &
		bg_track $!
		in_ns "$H" nice -n 10 taskset -c "$i" ping -f -q -w "$secs" "$LAGX_IP_D" >/dev/null 2>&1 &
		bg_track $!
	done
	# pktgen through lagx0, one thread per CPU ("lagx0@i" names a
	# device once per thread).  Masters clear IFF_TX_SKB_SHARING: no
	# clone_skb, burst 1.
	for ((i = 0; i < NCPU; i++)); do
		t=/proc/net/pktgen/kpktgend_$i
		cmds+="echo rem_device_all >$t; echo add_device lagx0@$i >$t; "
		cmds+="d=/proc/net/pktgen/lagx0@$i; "
		cmds+="for c in 'clone_skb 0' 'burst 1' 'count 0' 'delay 500000' "
		cmds+="'pkt_size 60' 'dst $LAGX_IP_B' 'dst_mac $PEER_MAC' "
		cmds+="'udp_dst_min 9' 'udp_dst_max 9'; do echo \$c >\$d || exit 1; done; "
	done
	if [ -d /proc/net/pktgen ] || modprobe pktgen 2>/dev/null; then
		if in_ns "$H" sh -c "$cmds" 2>"$TMP/pktgen.err"; then
			in_ns "$H" sh -c 'echo start >/proc/net/pktgen/pgctrl' \
				>/dev/null 2>&1 &
			bg_track $!
			PKTGEN=1
		else
			info "pktgen not used: $(head -c 200 "$TMP/pktgen.err")"
		fi
	else
		info "no pktgen in this kernel"
	fi
}

PKTGEN=0
traffic_stop()
{
	[ $PKTGEN = 1 ] && in_ns "$H" sh -c 'echo stop >/proc/net/pktgen/pgctrl' 2>/dev/null
	PKTGEN=0
	stop_bg
}

# --------------------------------------------------------------- churn --

CHURN_PIDS=()

# churn NAME CMDS: run the shell function body CMDS in a loop in the
# background until the deadline; the number of rounds goes to
# $TMP/NAME.rounds.
churn()
{
	local name=$1 body=$2

	(
		n=0
		while [ $SECONDS -lt "$DEADLINE" ]; do
			eval "$body" >/dev/null 2>&1
			n=$((n + 1))
		done
		echo "$n" >"$TMP/$name.rounds"
	) &
	CHURN_PIDS+=($!)
	bg_track $!
}

churn_wait()
{
	local pid n f

	for pid in "${CHURN_PIDS[@]}"; do
		wait "$pid" 2>/dev/null
	done
	CHURN_PIDS=()
	for f in "$TMP"/*.rounds; do
		[ -f "$f" ] || continue
		n=$(basename "$f" .rounds)
		info "churn $n: $(cat "$f") rounds"
		rm -f "$f"
	done
}

# rep N LINE...: the ip -batch LINEs, N times over (one ip process does
# many changes: a fork costs more than the change itself, in UML above all).
rep()
{
	local n=$1 i; shift

	for ((i = 0; i < n; i++)); do printf '%s\n' "$@"; done
}

# churn_all MODE: every churner of MODE, for LAGX_STRESS_TIME seconds.
churn_all()
{
	local mode=$1 opts

	DEADLINE=$((SECONDS + LAGX_STRESS_TIME))
	churn ports "rep 5 'link set a2 nomaster' 'link set a2 master lagx0' | ip -n $H -force -batch -"
	churn flaps "rep 3 'link set b1 down' 'link set b1 up' | ip -n $P -force -batch -; sleep 0.1"
	case $mode in
	active-backup)
		opts="rep 5 'link set lagx0 type lagx updelay 200 primary a1' \
			'link set lagx0 type lagx updelay 0 primary a0' | ip -n $H -force -batch -"
		[ $GENL = 1 ] && opts+="; ip netns exec $H $LAGXCTL set-active lagx0 a1;
		      ip netns exec $H $LAGXCTL set-active lagx0 a0"
		;;
	balance-slb)
		opts="rep 5 'link set lagx0 type lagx rebalance_interval 100' \
			'link set lagx0 type lagx xmit_hash_policy layer3+4' \
			'link set lagx0 type lagx rebalance_interval 10000' \
			'link set lagx0 type lagx xmit_hash_policy vlan+srcmac' | ip -n $H -force -batch -"
		;;
	lacp)
		opts="rep 5 'link set lagx0 type lagx lacp_rate slow' \
			'link set lagx0 type lagx lacp_rate fast' | ip -n $H -force -batch -;
		      ip -n $P link set b2 nomaster; sleep 0.3;
		      ip -n $P link set b2 down; ip -n $P link set b2 master br0; sleep 0.3"
		;;
	esac
	churn options "$opts"
	opts="cat /proc/${NS_PID[$H]}/net/lagx/*; ip netns exec $H ethtool -S lagx0;
		ip -n $H -d link show lagx0; ip -n $H -d link show lagx1"
	[ $GENL = 1 ] && opts+="; ip netns exec $H $LAGXCTL show; ip netns exec $H $LAGXCTL -j show"
	churn readers "$opts"
	churn modes "for m in balance-slb lacp active-backup; do
			rep 1 'link set c0 nomaster' 'link set c1 nomaster' \
				\"link set lagx1 type lagx mode \$m\" \
				'link set c0 master lagx1' 'link set c1 master lagx1'
		done | ip -n $H -force -batch -; sleep 0.2"
	churn_wait
}

# restore: the port set of the topology again, after the churn.
restore()
{
	ip -n "$H" link set a2 master lagx0 2>/dev/null
	ip -n "$P" link set b1 up
	if [ "$(link_attr -n "$P" b2 master)" != br0 ]; then
		ip -n "$P" link set b2 down
		ip -n "$P" link set b2 master br0
	fi
	ip -n "$P" link set b2 up
	ip -n "$H" link set c0 master lagx1 2>/dev/null
	ip -n "$H" link set c1 master lagx1 2>/dev/null
	ip -n "$H" link set lagx1 up
}

# ---------------------------------------------------------------- cases --

monitor_start()
{
	[ $GENL = 1 ] || return 0
	ip netns exec "$H" "$LAGXCTL" monitor >"$TMP/monitor" 2>&1 &
	bg_track $!
}

# stress_mode MODE PEER [OPTION...]
stress_mode()
{
	local mode=$1 peer=$2 p; shift 2

	make_tmpdir TMP || return
	check "topology ($peer peer)" topo "$peer" || return
	check "lagx0 mode $mode $*" lagx0_up "$mode" "$@" || return
	check_wait "lagx0 forwards before the stress" 30 ping_reach -n "$H" "$LAGX_IP_B" || return
	check_wait "lagx1 forwards before the stress" 10 ping_reach -n "$H" "$LAGX_IP_D" || return
	monitor_start
	traffic_start
	info "$mode: traffic on $NCPU CPU(s), pktgen $PKTGEN, churn for $LAGX_STRESS_TIME s"
	churn_all "$mode"
	restore
	check_wait "lagx0 ($mode) forwards after the churn, under traffic" 30 \
		ping_reach -n "$H" "$LAGX_IP_B"
	check_wait "lagx1 ($(proc_field -n "$H" lagx1 Mode)) forwards after the churn" 30 \
		ping_reach -n "$H" "$LAGX_IP_D"
	for p in a0 a1 a2; do
		check_eq "$p still in lagx0" "$(link_attr -n "$H" "$p" master)" lagx0
	done
	[ $GENL = 1 ] && info "lagxctl monitor: $(grep -c . "$TMP/monitor") lines"
	traffic_stop
	check "lagx0 deleted" ip -n "$H" link del lagx0
	check "lagx1 deleted" ip -n "$H" link del lagx1
}

test_stress_ab()  { stress_mode active-backup bridge; }
test_stress_slb() { stress_mode balance-slb bridge rebalance_interval 1000; }
test_stress_lacp() { stress_mode lacp bond lacp_rate fast; }

KMEMLEAK=/sys/kernel/debug/kmemleak
LAGX_RANGE=

# lagx_range: "START SIZE" of lagx's module memory (from /proc/modules).
lagx_range()
{
	awk '$1 == "lagx" { print $6, $2 }' /proc/modules
}

test_rmmod_under_stress()
{
	local rc p

	make_tmpdir TMP || return
	check "topology (bonding peer)" topo bond || return
	check "lagx0 mode lacp" lagx0_up lacp lacp_rate fast || return
	check_wait "lagx0 forwards" 30 ping_reach -n "$H" "$LAGX_IP_B" || return
	LAGX_RANGE=$(lagx_range 2>/dev/null)
	monitor_start
	traffic_start
	DEADLINE=$((SECONDS + LAGX_STRESS_TIME / 2 + 2))
	churn readers "cat /proc/${NS_PID[$H]}/net/lagx/*; ip netns exec $H ethtool -S lagx0"
	churn flaps "ip -n $P link set b1 down; sleep 0.2; ip -n $P link set b1 up; sleep 0.2"
	sleep $((LAGX_STRESS_TIME / 4 + 1))
	rmmod_lagx 60
	rc=$?
	check "rmmod under traffic and churn${RMMOD_OUT:+ ($RMMOD_OUT)}" [ "$rc" -eq 0 ]
	churn_wait
	traffic_stop
	check_eq "no lagx device left" "$(lagx_devices -n "$H")" ""
	for p in a0 a1 a2 c0 c1; do
		check_eq "$p released" "$(link_attr -n "$H" "$p" master)" ""
	done
	check "insmod again" ensure_module
}

# kmemleak: no unreferenced object allocated from lagx's code.  After the
# rmmod its symbols are gone: match the backtraces' addresses against the
# range the module occupied (with its name, when still resolvable).
test_kmemleak()
{
	local leaks

	if [ ! -w "$KMEMLEAK" ]; then
		skip_test "no kmemleak (CONFIG_DEBUG_KMEMLEAK)"
		return
	fi
	# kmemleak reports objects unreferenced for 5 s, found by two scans.
	echo scan >"$KMEMLEAK"
	sleep 6
	echo scan >"$KMEMLEAK"
	leaks=$(python3 - "$KMEMLEAK" $LAGX_RANGE <<-'EOF'
		import re, sys
		text = open(sys.argv[1]).read()
		lo = int(sys.argv[2], 16) if len(sys.argv) > 3 else None
		hi = lo + int(sys.argv[3]) if lo is not None else None
		for obj in re.split(r"(?m)^(?=unreferenced object)", text):
		    addrs = [int(a, 16) for a in re.findall(r"\[<([0-9a-f]+)>\]", obj)]
		    if "lagx" in obj or (lo is not None and any(lo <= a < hi for a in addrs)):
		        print(obj, end="")
		EOF
	)
	info "kmemleak: $(grep -c '^unreferenced object' "$KMEMLEAK") unreferenced object(s) in all, lagx range ${LAGX_RANGE:-unknown}"
	if [ -n "$leaks" ]; then
		fail "kmemleak: objects allocated by lagx leaked:"
		head -n 40 <<<"$leaks" | sed 's/^/#   /'
	fi
}

require_root
require_cmd ip awk dmesg ping taskset ethtool
ensure_module || ktap_skip_all "cannot load lagx (LAGX_KO=${LAGX_KO:-unset})"
[ -n "${LAGX_KO:-}" ] || modinfo lagx >/dev/null 2>&1 ||
	ktap_skip_all "cannot reload lagx after rmmod: LAGX_KO not set"
[ -x "$LAGXCTL" ] && genl ctrl get name lagx >/dev/null 2>&1 && GENL=1
# Earlier reports (boot, other scripts) are not this script's.
[ -w "$KMEMLEAK" ] && echo clear >"$KMEMLEAK"
kernel_log_start
info "$NCPU CPU(s), $LAGX_STRESS_TIME s of churn per mode, genl $GENL"

run_tests \
	test_stress_ab		"active-backup: traffic on every CPU, churn, still forwards" \
	test_stress_slb		"balance-slb: traffic on every CPU, churn, still forwards" \
	test_stress_lacp	"lacp vs bonding: traffic on every CPU, churn, partner flaps, still forwards" \
	test_rmmod_under_stress	"rmmod under traffic and churn: succeeds, ports released" \
	test_kmemleak		"kmemleak: nothing allocated by lagx leaked" \
	test_kernel_log_clean	"kernel log has no splat (KCSAN: reports about lagx)"
