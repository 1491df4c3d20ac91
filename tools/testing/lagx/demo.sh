#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A narrated lagx demo, run inside the UML guest by `make demo`.
#
#   netns lagx-demo-host                  netns lagx-demo-peer
#   +---------------------+               +---------------------+
#   | lagx0 192.0.2.1/24  |               | br0  192.0.2.2/24   |
#   |   a0 ---------------+---- veth -----+-- b0                |
#   |   a1 ---------------+---- veth -----+-- b1                |
#   +---------------------+               +---------------------+
#
# lagx0 runs active-backup; the active port's link is cut from the peer
# side while a ping runs, and traffic moves to the other port.
#
# Then lagx0 runs balance-slb under six "virtual machines" (macvlans, each
# in its own namespace lagx-demo-vmN, MAC 02:00:00:00:00:0N, 192.0.2.1N):
# their MACs spread over a0 and a1, br0 learns each on one port; b0 is cut,
# a0's buckets move to a1 with a learning frame (RARP) per MAC, br0
# relearns them on b1; b0 comes back and rebalancing moves load to it.
#
# Last, lagx0 runs lacp against a Linux bonding 802.3ad peer: the
# aggregate forms, a member fails, the peer stops speaking LACP (lagx0
# falls back to balance-slb and keeps the traffic flowing) and starts
# again (lagx0 returns to LACP).
set -u

H=lagx-demo-host
P=lagx-demo-peer

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
run() { printf '$ %s\n' "$*"; "$@"; }

VMS="1 2 3 4 5 6"

cleanup() {
	local i

	for i in $VMS; do ip netns del "lagx-demo-vm$i" 2>/dev/null; done
	ip netns del "$H" 2>/dev/null
	ip netns del "$P" 2>/dev/null
}
trap cleanup EXIT

lsmod | grep -q '^lagx ' || insmod "${LAGX_KO:?LAGX_KO not set}"

# The iproute2 plugin and lagxctl, as built by "make plugin lagxctl".
top=${LAGX_TOP:-$(cd "$(dirname "$0")/../../.." && pwd)}
export IP_LIB_DIR=$top/tools/iproute2
lagxctl() { ip netns exec "$H" "$top/tools/lagxctl/lagxctl" "$@"; }

say "Two namespaces joined by two veth pairs"
ip netns add "$H"
ip netns add "$P"
for i in 0 1; do
	ip -n "$H" link add "a$i" type veth peer name "b$i" netns "$P"
done
ip -n "$P" link add br0 type bridge
for i in 0 1; do
	ip -n "$P" link set "b$i" master br0 up
done
ip -n "$P" addr add 192.0.2.2/24 dev br0
ip -n "$P" link set br0 up

say "Create lagx0 with options, enslave a0 and a1 (ip link with the lagx plugin)"
run ip -n "$H" link add lagx0 type lagx mode active-backup updelay 500 primary_reselect failure
run ip -n "$H" link set a0 master lagx0
run ip -n "$H" link set a1 master lagx0
run ip -n "$H" addr add 192.0.2.1/24 dev lagx0
run ip -n "$H" link set lagx0 up
sleep 1
run ip -n "$H" -d link show lagx0

say "A refused change says which option and why, and changes nothing"
run ip -n "$H" link set lagx0 type lagx mode lacp
run ip -n "$H" link set lagx0 type lagx downdelay 9999999

say "lagxctl: the state, problems first"
run lagxctl show

say "The /proc view: a0 is active, a1 stands by"
run ip netns exec "$H" cat /proc/net/lagx/lagx0

say "Traffic flows"
run ip netns exec "$H" ping -c 3 -i 0.2 192.0.2.2

say "Cut a0's link from the peer side while a ping runs (lagxctl monitor watching)"
lagxctl monitor >/tmp/lagx-demo-monitor.txt 2>&1 &
mon=$!
ip netns exec "$H" ping -c 300 -i 0.01 -q 192.0.2.2 >/tmp/lagx-demo-ping.txt &
pid=$!
sleep 1
run ip -n "$P" link set b0 down
wait "$pid"
grep -E 'transmitted|rtt' /tmp/lagx-demo-ping.txt
kill "$mon" 2>/dev/null
wait "$mon" 2>/dev/null
echo "lagxctl monitor saw:"
cat /tmp/lagx-demo-monitor.txt

say "The kernel log says what happened and why"
dmesg | grep -E 'lagx0: (active port|port)' | tail -n 4

say "After the failover: a1 active, a0 down with its reason, one failure"
run lagxctl show
run ip netns exec "$H" cat /proc/net/lagx/lagx0

say "a0's link comes back: usable only after updelay (500 ms), then backup"
run ip -n "$P" link set b0 up
sleep 0.2
run lagxctl port show a0
sleep 1
run lagxctl port show a0
run ip netns exec "$H" ping -c 3 -i 0.2 192.0.2.2

say "The operator moves traffic back to a0"
run lagxctl set-active lagx0 a0
run lagxctl show

say "Release the ports: they get their own MAC and MTU back"
run ip -n "$H" link set a0 nomaster
run ip -n "$H" link del lagx0
run ip -n "$H" link show a0

# ------------------------------------------------------------ balance-slb --

# vm_pings ARGS...: every VM pings the peer with ping ARGS, in parallel;
# the summary line of each in /tmp/lagx-demo-vmN.txt.
vm_pings() {
	local i pids=()

	for i in $VMS; do
		ip netns exec "lagx-demo-vm$i" ping -q "$@" 192.0.2.2 \
			>"/tmp/lagx-demo-vm$i.txt" 2>&1 &
		pids+=($!)
	done
	wait "${pids[@]}"
}

fdb_vms() {
	printf '$ bridge -n %s fdb show br br0 | grep ^02:00:00:00:00\n' "$P"
	bridge -n "$P" fdb show br br0 | grep '^02:00:00:00:00'
}

say "balance-slb: every port transmits; a hash bucket per source MAC (and VLAN)"
run ip -n "$H" link add lagx0 type lagx mode balance-slb
run ip -n "$H" link set a0 master lagx0
run ip -n "$H" link set a1 master lagx0
run ip -n "$H" link set lagx0 up
echo "Six VMs: macvlans vm1..vm6 on lagx0, each in its own namespace"
for i in $VMS; do
	ip netns add "lagx-demo-vm$i"
	ip -n "$H" link add "vm$i" link lagx0 netns "lagx-demo-vm$i" \
		address "02:00:00:00:00:0$i" type macvlan mode bridge
	ip -n "lagx-demo-vm$i" link set "vm$i" addrgenmode none
	ip -n "lagx-demo-vm$i" addr add "192.0.2.1$i/24" dev "vm$i"
	ip -n "lagx-demo-vm$i" link set "vm$i" up
	echo "  vm$i 02:00:00:00:00:0$i 192.0.2.1$i/24"
done
sleep 1
vm_pings -c 3 -i 0.2
grep -h 'packets transmitted' /tmp/lagx-demo-vm*.txt

say "A new bucket goes to the least-loaded port: the VMs are spread over a0 and a1"
run ip netns exec "$H" cat /proc/net/lagx/lagx0
echo
echo "The switch (br0) learned each VM's MAC on one of its ports:"
fdb_vms

say "Cut b0 while the VMs ping: a0's buckets move to a1 at once, a RARP per MAC tells the switch"
ip netns exec "$P" tcpdump -l -n -e -i b1 ether proto 0x8035 \
	>/tmp/lagx-demo-rarp.txt 2>/tmp/lagx-demo-rarp.err &
tcpd=$!
for _ in $(seq 50); do
	grep -q 'listening on' /tmp/lagx-demo-rarp.err 2>/dev/null && break
	sleep 0.2
done
vm_pings -c 150 -i 0.02 &
pings=$!
sleep 1
run ip -n "$P" link set b0 down
wait "$pings"
grep -h 'packets transmitted' /tmp/lagx-demo-vm*.txt
sleep 0.5
kill "$tcpd" 2>/dev/null
wait "$tcpd" 2>/dev/null
echo "RARP learning frames seen on b1 (tcpdump):"
cat /tmp/lagx-demo-rarp.txt
echo
run ip netns exec "$H" cat /proc/net/lagx/lagx0
echo
echo "br0 relearned every MAC on b1:"
fdb_vms

say "b0 is back; every bucket stays on a1 until rebalancing moves load"
run ip -n "$P" link set b0 up
sleep 1
run ip -n "$H" link set lagx0 type lagx rebalance_interval 1000
echo "module lagx +p" >/sys/kernel/debug/dynamic_debug/control 2>/dev/null
echo "vm1 and vm2 send 1400-byte pings for three seconds:"
for i in 1 2; do
	ip netns exec "lagx-demo-vm$i" ping -q -c 1500 -i 0.002 -s 1400 192.0.2.2 \
		>/dev/null 2>&1 &
done
wait
echo "module lagx -p" >/sys/kernel/debug/dynamic_debug/control 2>/dev/null
echo "The kernel log (dynamic debug) names each move:"
dmesg | grep 'lagx0: shift' | tail -n 4
run ip netns exec "$H" cat /proc/net/lagx/lagx0

# ------------------------------------------------------------------- lacp --

PEER_MAC=02:00:00:00:00:fe

# peer_bond / peer_bridge: the peer's ports in an 802.3ad bond, or in a
# plain bridge that knows nothing of LACP; same MAC and address either way.
peer_bond() {
	ip -n "$P" link del br0 2>/dev/null
	run ip -n "$P" link add bond0 address "$PEER_MAC" type bond mode 802.3ad \
		lacp_rate fast miimon 100
	for i in 0 1; do
		ip -n "$P" link set "b$i" down
		ip -n "$P" link set "b$i" master bond0
	done
	ip -n "$P" addr add 192.0.2.2/24 dev bond0
	ip -n "$P" link set bond0 up
}

peer_bridge() {
	run ip -n "$P" link del bond0
	run ip -n "$P" link add br0 address "$PEER_MAC" type bridge
	for i in 0 1; do
		ip -n "$P" link set "b$i" master br0 up
	done
	ip -n "$P" addr add 192.0.2.2/24 dev br0
	ip -n "$P" link set br0 up
}

# proc_lacp: the operating mode and each port's LACP block.
proc_lacp() {
	printf '$ cat /proc/net/lagx/lagx0  (LACP lines)\n'
	ip netns exec "$H" cat /proc/net/lagx/lagx0 |
		sed -n -e '/^Operating mode/p' -e '/^Fallbacks/p' \
		       -e '/^Active aggregator/p' -e '/^LACP port/,/^  churn/p'
}

say "lacp: lagx0 against a Linux bonding 802.3ad peer, fast rate"
for i in $VMS; do ip netns del "lagx-demo-vm$i" 2>/dev/null; done
run ip -n "$H" link del lagx0
ip -n "$P" link del br0
peer_bond
run ip -n "$H" link add lagx0 type lagx mode lacp lacp_rate fast
for i in 0 1; do
	ip -n "$H" link set "a$i" master lagx0
done
ip -n "$H" addr add 192.0.2.1/24 dev lagx0
start=$(date +%s%N)
run ip -n "$H" link set lagx0 up
for _ in $(seq 150); do
	[ "$(ip netns exec "$H" grep -c 'mux distributing' /proc/net/lagx/lagx0)" = 2 ] && break
	sleep 0.1
done
echo "Both ports distributing $(( ($(date +%s%N) - start) / 1000000 )) ms after link-up."
proc_lacp
echo
echo "What lagxctl shows:"
run lagxctl show
echo
echo "The bonding side agrees (its partner is lagx0):"
ip netns exec "$P" grep -E 'Partner Mac Address|Aggregator ID|port state' \
	/proc/net/bonding/bond0 | sort | uniq -c

say "A member fails: b1's link is cut while pinging every 10 ms"
ip netns exec "$H" ping -q -c 300 -i 0.01 192.0.2.2 >/tmp/lagx-demo-ping.txt 2>&1 &
pings=$!
sleep 1
run ip -n "$P" link set b1 down
wait "$pings"
grep 'packets transmitted' /tmp/lagx-demo-ping.txt
proc_lacp
run ip -n "$P" link set b1 up

say "The partner stops speaking LACP (its ports go into a plain bridge)"
peer_bridge
echo "Within the short timeout (3 s) every port is DEFAULTED and lagx0 falls back to balance-slb:"
for _ in $(seq 100); do
	ip netns exec "$H" grep -q '^Operating mode: fallback' /proc/net/lagx/lagx0 && break
	sleep 0.1
done
run ip netns exec "$H" ping -c 3 -i 0.2 192.0.2.2
proc_lacp
dmesg | grep 'lagx0: operating mode' | tail -n 1

say "The partner speaks LACP again: lagx0 returns to LACP as soon as a port distributes"
peer_bond
for _ in $(seq 150); do
	ip netns exec "$H" grep -q '^Operating mode: lacp' /proc/net/lagx/lagx0 && break
	sleep 0.1
done
run ip netns exec "$H" ping -c 3 -i 0.2 192.0.2.2
proc_lacp
dmesg | grep 'lagx0: operating mode' | tail -n 2
say "Done"
