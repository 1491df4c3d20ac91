#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Active-backup failover under traffic: carrier loss of the active port,
# no fail-back, failover announcements (kernel log, RTM_NEWLINK,
# gratuitous ARP), and frames arriving on the backup port being dropped.
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
# The active port's carrier is taken away from the peer side
# ("ip -n P link set b0 down"), as a cable pull would.
#
# Environment: FAILOVER_COUNT (2000) and FAILOVER_INTERVAL (0.002 s) shape
# the ping that runs across the failover.

# Test cases are called through run_tests.
# shellcheck disable=SC2317
lib_dir=$(dirname "$(readlink -f "$0")")
# shellcheck source=lib.sh
. "$lib_dir/lib.sh"

: "${FAILOVER_COUNT:=2000}"
: "${FAILOVER_INTERVAL:=0.002}"

H=
P=
TMP=
SETUP_OK=0
FAILOVER_DONE=0
MON_START=0		# lines of the RTM_NEWLINK monitor before the failover

need_setup()
{
	[ "$SETUP_OK" = 1 ] && return 0
	skip_test "topology setup failed"
	return 1
}

need_failover()
{
	need_setup || return 1
	[ "$FAILOVER_DONE" = 1 ] && return 0
	skip_test "the failover case did not run to its end"
	return 1
}

test_setup()
{
	setup_ns H P
	keep_ns
	make_tmpdir TMP || { fail "mktemp"; return; }

	ip -n "$P" link add br0 type bridge
	veth_pair "$H" a0 "$P" b0
	veth_pair "$H" a1 "$P" b1
	ip -n "$P" link set b0 master br0
	ip -n "$P" link set b1 master br0
	ip -n "$P" link set b0 up
	ip -n "$P" link set b1 up
	ip -n "$P" link set br0 up
	ip -n "$P" addr add "$LAGX_IP_B"/"$LAGX_PREFIX" dev br0

	ip -n "$H" link add lagx0 type lagx
	check "enslave a0" ip -n "$H" link set a0 master lagx0 || return
	check "enslave a1" ip -n "$H" link set a1 master lagx0 || return
	ip -n "$H" link set lagx0 up
	ip -n "$H" addr add "$LAGX_IP_A"/"$LAGX_PREFIX" dev lagx0

	check_wait "a0 active" 5 proc_field_is -n "$H" lagx0 "Active port" a0
	check_wait "a1 backup" 5 port_col_is -n "$H" lagx0 a1 STATE backup
	check_wait "carrier up" 5 proc_field_is -n "$H" lagx0 Carrier up
	check_wait "ping $LAGX_IP_B" 10 \
		in_ns "$H" ping -c 1 -W 1 -q "$LAGX_IP_B" >/dev/null
	check "ping 5 more" in_ns "$H" ping -c 5 -i 0.1 -W 1 -q "$LAGX_IP_B" >/dev/null
	check_eq "Failovers" "$(proc_field -n "$H" lagx0 Failovers)" 0
	check_eq "a0 FAILS" "$(port_col -n "$H" lagx0 a0 FAILS)" 0
	[ "$RET" = 0 ] && SETUP_OK=1
}

# Start "ip monitor link" in H; wait until it is listening (it reports a
# throw-away dummy device, re-created until seen) and remember how many
# lines it printed so far.
start_link_monitor()
{
	ip -n "$H" monitor link >"$TMP/monitor" 2>&1 &
	bg_track $!
	slowwait 10 mon_probe || return 1
	ip -n "$H" link del mon0
	MON_START=$(wc -l <"$TMP/monitor")
}

mon_probe()
{
	ip -n "$H" link del mon0 2>/dev/null
	ip -n "$H" link add mon0 type dummy
	grep -q mon0 "$TMP/monitor"
}

start_arp_capture()
{
	command -v tcpdump >/dev/null || return 1
	ip netns exec "$P" tcpdump -l -n -i b1 arp >"$TMP/arp" 2>"$TMP/arp.err" &
	bg_track $!
	slowwait 15 grep -q "listening on" "$TMP/arp.err"
}

# ping_gap FILE: longest time between two consecutive replies of a ping -D
# log, in ms.
ping_gap()
{
	awk -F'[][]' '/bytes from/ {
		t = $2 + 0
		if (prev && t - prev > gap) gap = t - prev
		prev = t
	} END { printf "%d\n", gap * 1000 }' "$1"
}

# ping_last_seq FILE: highest icmp_seq that got a reply.
ping_last_seq()
{
	sed -n 's/.*icmp_seq=\([0-9]*\).*/\1/p' "$1" | sort -n | tail -n 1
}

test_failover()
{
	local pid fo sent recv lost gap last rx1

	need_setup || return
	fo=$(proc_field -n "$H" lagx0 Failovers)
	rx1=$(port_col -n "$H" lagx0 a1 RX)
	start_link_monitor || info "ip monitor did not start: no RTM_NEWLINK check"
	start_arp_capture || info "tcpdump did not start: no gratuitous ARP check"

	kmsg_mark
	in_ns "$H" ping -D -i "$FAILOVER_INTERVAL" -c "$FAILOVER_COUNT" -w 120 \
		"$LAGX_IP_B" >"$TMP/ping" 2>&1 &
	pid=$!
	bg_track "$pid"
	# Take the carrier away once the ping runs through a0 (replies).
	check_wait "ping replies through a0" 20 \
		port_col_ge -n "$H" lagx0 a0 RX $(($(port_col -n "$H" lagx0 a0 RX) + 100)) ||
		return
	check "ping still running at the failover" kill -0 "$pid"
	ip -n "$P" link set b0 down

	check_wait "a1 becomes active" 5 proc_field_is -n "$H" lagx0 "Active port" a1
	wait "$pid"
	check "ping finished" [ $? -le 1 ]
	FAILOVER_DONE=1

	read -r sent recv < <(ping_stats "$TMP/ping")
	if [ -z "$sent" ] || [ -z "$recv" ]; then
		fail "no ping statistics: $(tail -n 3 "$TMP/ping" | tr '\n' '|')"
		return
	fi
	lost=$((sent - recv))
	gap=$(ping_gap "$TMP/ping")
	last=$(ping_last_seq "$TMP/ping")
	info "failover loss: $lost of $sent"
	info "failover gap: ${gap} ms between replies (interval ${FAILOVER_INTERVAL}s)"
	check "loss below 10% ($lost of $sent)" [ $((lost * 10)) -lt "$sent" ]
	check "replies after the failover (last icmp_seq $last of $sent)" \
		[ "${last:-0}" -ge $((sent - 10)) ]
	check "replies arrived through a1 (RX)" \
		port_col_ge -n "$H" lagx0 a1 RX $((rx1 + 100))
	check "requests left through a1 (TX)" port_col_ge -n "$H" lagx0 a1 TX 100
	check_eq "Failovers incremented" "$(proc_field -n "$H" lagx0 Failovers)" $((fo + 1))
	check_eq "a0 LINK down" "$(port_col -n "$H" lagx0 a0 LINK)" down
	check_eq "a0 STATE down" "$(port_col -n "$H" lagx0 a0 STATE)" down
	check_eq "a0 FAILS" "$(port_col -n "$H" lagx0 a0 FAILS)" 1
	check_eq "a1 STATE active" "$(port_col -n "$H" lagx0 a1 STATE)" active
	check_eq "carrier stays up" "$(proc_field -n "$H" lagx0 Carrier)" up
}

test_failover_log()
{
	local log

	need_failover || return
	log=$(dmesg_since_mark)
	check_match "kernel log announces the failover" "$log" \
		"lagx0: active port a0 -> a1 \(carrier lost\)"
	check_eq "exactly one failover logged" \
		"$(grep -c 'lagx0: active port' <<<"$log")" 1
}

test_failover_netlink()
{
	need_failover || return
	if [ "$MON_START" = 0 ]; then
		skip_test "ip monitor did not start"
		return
	fi
	check_wait "RTM_NEWLINK for lagx0 after the failover" 5 \
		eval "tail -n +$((MON_START + 1)) $TMP/monitor | grep -q ': lagx0: '"
}

test_failover_garp()
{
	need_failover || return
	if ! grep -q "listening on" "$TMP/arp.err" 2>/dev/null; then
		skip_test "tcpdump not available"
		return
	fi
	check_wait "gratuitous ARP for $LAGX_IP_A on b1" 5 \
		grep -q "Request who-has $LAGX_IP_A tell $LAGX_IP_A" "$TMP/arp"
	info "ARP seen on b1: $(grep -c ARP "$TMP/arp") frames"
}

test_no_failback()
{
	local fo

	need_failover || return
	fo=$(proc_field -n "$H" lagx0 Failovers)
	ip -n "$P" link set b0 up
	check_wait "a0 LINK up" 5 port_col_is -n "$H" lagx0 a0 LINK up
	check_eq "a0 STATE backup" "$(port_col -n "$H" lagx0 a0 STATE)" backup
	check_eq "a1 stays active" "$(proc_field -n "$H" lagx0 "Active port")" a1
	check_eq "a0 FAILS" "$(port_col -n "$H" lagx0 a0 FAILS)" 1
	check_eq "a1 FAILS" "$(port_col -n "$H" lagx0 a1 FAILS)" 0
	check_eq "Failovers unchanged" "$(proc_field -n "$H" lagx0 Failovers)" "$fo"
	check "ping through a1" in_ns "$H" ping -c 3 -i 0.1 -W 1 -q "$LAGX_IP_B" >/dev/null
}

# Broadcasts from the peer are flooded by br0 to b0 and b1: the copy that
# arrives on the backup port a0 must be dropped and counted there.
test_backup_rx_dropped()
{
	local drop0 rx0 rx1 n=10

	need_failover || return
	check_eq "a0 is backup" "$(port_col -n "$H" lagx0 a0 STATE)" backup || return
	drop0=$(port_col -n "$H" lagx0 a0 RX-DROPPED)
	rx0=$(port_col -n "$H" lagx0 a0 RX)
	rx1=$(port_col -n "$H" lagx0 a1 RX)
	in_ns "$P" ping -b -c "$n" -i 0.05 -W 1 -q "$LAGX_IP_BCAST" >/dev/null 2>&1
	check_wait "a0 RX-DROPPED grows by >= $n" 5 \
		port_col_ge -n "$H" lagx0 a0 RX-DROPPED $((drop0 + n))
	check_eq "nothing delivered from a0" "$(port_col -n "$H" lagx0 a0 RX)" "$rx0"
	check "a1 delivered the same broadcasts" \
		port_col_ge -n "$H" lagx0 a1 RX $((rx1 + n))
	info "a0 RX-DROPPED $drop0 -> $(port_col -n "$H" lagx0 a0 RX-DROPPED)"
}

# And back: a1 loses its carrier, a0 (backup, link up) takes over.
test_failover_back()
{
	local fo

	need_failover || return
	fo=$(proc_field -n "$H" lagx0 Failovers)
	kmsg_mark
	ip -n "$P" link set b1 down
	check_wait "a0 active again" 5 proc_field_is -n "$H" lagx0 "Active port" a0
	check_eq "Failovers" "$(proc_field -n "$H" lagx0 Failovers)" $((fo + 1))
	check_eq "a1 FAILS" "$(port_col -n "$H" lagx0 a1 FAILS)" 1
	check_match "kernel log" "$(dmesg_since_mark)" "lagx0: active port a1 -> a0"
	check_wait "ping through a0" 10 \
		in_ns "$H" ping -c 1 -W 1 -q "$LAGX_IP_B" >/dev/null
}

require_root
require_cmd ip awk dmesg ping
ensure_module || ktap_skip_all "cannot load lagx (LAGX_KO=${LAGX_KO:-unset})"
kernel_log_start

run_tests \
	test_setup		"setup: lagx0 (a0 active, a1 backup) pings br0 in the peer netns" \
	test_failover		"failover under ping: a0 carrier lost -> a1 active, loss < 10%" \
	test_failover_log	"failover logged: 'lagx0: active port a0 -> a1 (carrier lost)'" \
	test_failover_netlink	"failover sends RTM_NEWLINK for lagx0" \
	test_failover_garp	"failover sends a gratuitous ARP through the new port" \
	test_no_failback	"a0 link back: a0 backup, a1 stays active (no fail-back)" \
	test_backup_rx_dropped	"frames on the backup port are dropped and counted (RX-DROPPED)" \
	test_failover_back	"a1 carrier lost: back to a0" \
	test_kernel_log_clean	"kernel log has no splat"
