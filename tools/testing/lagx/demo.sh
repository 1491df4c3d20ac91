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
say "Done"
