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
set -u

H=lagx-demo-host
P=lagx-demo-peer

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
run() { printf '$ %s\n' "$*"; "$@"; }

cleanup() {
	ip netns del "$H" 2>/dev/null
	ip netns del "$P" 2>/dev/null
}
trap cleanup EXIT

lsmod | grep -q '^lagx ' || insmod "${LAGX_KO:?LAGX_KO not set}"

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

say "Create lagx0 (active-backup) and enslave a0 and a1"
run ip -n "$H" link add lagx0 type lagx
run ip -n "$H" link set a0 master lagx0
run ip -n "$H" link set a1 master lagx0
run ip -n "$H" addr add 192.0.2.1/24 dev lagx0
run ip -n "$H" link set lagx0 up
sleep 1

say "The /proc view: a0 is active, a1 stands by"
run ip netns exec "$H" cat /proc/net/lagx/lagx0

say "Traffic flows"
run ip netns exec "$H" ping -c 3 -i 0.2 192.0.2.2

say "Cut a0's link from the peer side while a ping runs"
ip netns exec "$H" ping -c 300 -i 0.01 -q 192.0.2.2 >/tmp/lagx-demo-ping.txt &
pid=$!
sleep 1
run ip -n "$P" link set b0 down
wait "$pid"
grep -E 'transmitted|rtt' /tmp/lagx-demo-ping.txt

say "The kernel log says what happened and why"
dmesg | grep -E 'lagx0: (active port|port)' | tail -n 4

say "The /proc view after the failover: a1 active, a0 down, one failure"
run ip netns exec "$H" cat /proc/net/lagx/lagx0

say "a0 comes back: it becomes the backup, traffic is not moved again"
run ip -n "$P" link set b0 up
sleep 1
run ip netns exec "$H" cat /proc/net/lagx/lagx0
run ip netns exec "$H" ping -c 3 -i 0.2 192.0.2.2

say "Release the ports: they get their own MAC and MTU back"
run ip -n "$H" link set a0 nomaster
run ip -n "$H" link del lagx0
run ip -n "$H" link show a0
say "Done"
