# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Failover under a steady stream (sourced by bench.sh after lib.sh).
#
# For every group (ab, balance, lacp) and every system of it but bare,
# with 2 ports: pktgen in the DUT namespace sends one UDP flow (64 B) at
# FO_RATE packets per second through the master to the peer.  FO_PRE_MS
# into the stream, the port carrying it (the one whose TX counter grew the
# most since the start: the active port in ab, the port the flow hashes to
# in balance and lacp) loses its carrier: its far end qX is set down.  The
# stream goes on for FO_POST_MS more at least, then the port comes back.
# Before a system is measured, it must be using both ports (the master
# sees their link; in the lacp group, every port distributes): the systems
# of a group take turns, so one takes its port back (seconds for LACP)
# while the others are measured.
#
# bench=failover group=G system=S ports=2 rep=R busy=0|1 rate_pps=RATE sent=N
# received=M lost=L gap_ms=X, and for diagnosis pps errors port complete
# cut_ms tail_ms lost_before rx_frames:
#   sent         packets pktgen handed to the master: its pkts-sofar plus
#                its errors (the driver refused the packet: pktgen goes on
#                with the next one, so those count as sent and lost)
#   received     UDP datagrams of the stream that reached the peer's stack
#                (Udp InDatagrams + NoPorts + InErrors of its namespace:
#                exactly the stream, unlike the far ends' rx_packets, which
#                also count LACPDUs, balance-slb learning frames, IPv6
#                noise and frames bonding drops on ports it does not
#                collect on; their delta is rx_frames, for comparison)
#   lost         sent - received
#   rate_pps     the rate asked for (FO_RATE); pps the rate achieved, sent
#                / the stream's duration (pktgen's usec)
#   gap_ms       lost / pps * 1000: how long the stream was blackholed
#   errors       pktgen's errors (the master returned NET_XMIT_DROP)
#   port         the port cut; cut_ms when, since the start of the stream;
#                tail_ms how long the stream went on after it; complete 0
#                if pktgen stopped early (the master lost its carrier: it
#                then did not send into the gap, and gap_ms is too small)
#   lost_before  packets lost before the cut, at least (the ports' TX
#                counters minus what the peer had received a moment later):
#                0, or the few LACPDUs sent
#
# gap_ms can be no larger than tail_ms: a value close to it means the
# system had not recovered when the stream ended.
#
# Every cut comes FO_QUIET_MS after linkwatch may last have run for a
# "non-urgent" event (see fo_quiet_after).  linkwatch delivers a carrier
# loss at once only on "urgent" devices (bonding and team ports, a veth
# whose ifindex differs from its peer's); on any other, at once only if it
# delivered no non-urgent event within the last second, anywhere in the
# system, else when that second is over.  Ports of lagx are not urgent
# (nor are these veths: p0 and q0 have the same ifindex in their
# namespaces): a cut within a second of another link change reaches lagx
# up to a second late.  The figures are those of a failure on a quiet
# system.
#
# The rate must be one the kernel sustains with room to spare: behind
# schedule pktgen sends in bursts to catch up, and a CPU saturated by the
# stream delays the timers and work items failover depends on.  10 kpps is
# nothing for the bench kernel; the debug kernel tops out at 5-7 kpps, so
# the smoke run uses 2 kpps (and only the first two systems of each group:
# lagx and its reference).
#
# Environment: FO_RATE (10000 pps; 2000 in smoke), FO_PRE_MS (300),
# FO_POST_MS (700; 500 in smoke), FO_QUIET_MS (1200).

if [ "${BENCH_SMOKE:-0}" = 1 ]; then
	: "${FO_RATE:=2000}"
	: "${FO_PRE_MS:=300}"
	: "${FO_POST_MS:=500}"
else
	: "${FO_RATE:=10000}"
	: "${FO_PRE_MS:=300}"
	: "${FO_POST_MS:=700}"
fi
: "${FO_QUIET_MS:=1200}"
FO_PORTS=2
FO_QUIET_US=0		# no cut before this time (EPOCHREALTIME, us)
FO_ZZZ=			# fd of a pipe nobody writes: "read -t" sleeps on it
# Per system: the DUT and peer namespaces, the DUT device, the peer's MAC,
# a process in the peer namespace (its /proc/PID/net is the peer's).
declare -A FO_D FO_E FO_DEV FO_MAC FO_EPID

# The measurement, run by one bash inside the DUT namespace: a process
# costs tens of milliseconds in User-Mode Linux (a fork too), a fraction
# of a second in the debug kernel.  Arguments: DEV E EPID PRE_MS PORT...;
# stdin: the pktgen commands ("FILE COMMAND" lines, from pg_dev).  The
# peer's counters are read through /proc/EPID/net.  Cuts the port, and
# restores it once the stream is over.  Prints "PORT TXDELTA SENT ERRORS
# USEC CUT_US UDP FRAMES LOST_BEFORE CUT_AT UP_AT" (CUT_US since the
# start; UDP and FRAMES: the datagrams and frames the peer received during
# the stream; CUT_AT and UP_AT: when the port was cut and restored,
# EPOCHREALTIME us).
# shellcheck disable=SC2016	# expanded by the inner bash
FO_STREAM='
pg=/proc/net/pktgen
dev=$1 e=$2 epid=$3 pre=$4
shift 4
peer_rx() {	# U, F: UDP datagrams and frames the peer received so far
	local name a b c _
	U=0 F=0
	while read -r name a b c _; do
		[ "$name" = Udp: ] && [ "$a" != InDatagrams ] && U=$((a + b + c))
	done <"/proc/$epid/net/snmp"
	while read -r name a b _; do
		[[ $name =~ ^q[0-9]+:$ ]] && F=$((F + b))
		[[ $name =~ ^q[0-9]+:([0-9]+)$ ]] && F=$((F + a))
	done <"/proc/$epid/net/dev"
}
echo rem_device_all >$pg/kpktgend_0
while read -r f cmd; do
	[ -n "$f" ] || continue
	echo "$cmd" >"$pg/$f" || { echo "pktgen: $f: $cmd" >&2; exit 1; }
done
declare -A tx0
for p in "$@"; do
	read -r "tx0[$p]" <"/sys/class/net/$p/statistics/tx_packets"
done
peer_rx
u0=$U f0=$F
# A pipe nobody writes to: "read -t" on it sleeps without a fork.
exec {zzz}<> <(:)
printf -v pre_s "%d.%03d" $((pre / 1000)) $((pre % 1000))
t0=${EPOCHREALTIME/./}
echo start >$pg/pgctrl &
pgpid=$!
read -r -t "$pre_s" -u "$zzz"
best=p0 max=-1 txsum=0
for p in "$@"; do
	read -r v <"/sys/class/net/$p/statistics/tx_packets"
	v=$((v - tx0[$p]))
	txsum=$((txsum + v))
	[ "$v" -gt "$max" ] && { max=$v; best=$p; }
done
peer_rx
t_cut=${EPOCHREALTIME/./}
ip -n "$e" link set "q${best#p}" down
# A lower bound: packets went on leaving while the peer was read.
lost_before=$((txsum - (U - u0)))
[ $lost_before -ge 0 ] || lost_before=0
wait "$pgpid"
IFS= read -r -d "" r <"$pg/$dev"
echo rem_device_all >$pg/kpktgend_0
peer_rx
ip -n "$e" link set "q${best#p}" up
t_up=${EPOCHREALTIME/./}
sent=0 errors=0 us=0
[[ $r =~ pkts-sofar:\ ([0-9]+)\ +errors:\ ([0-9]+) ]] &&
	sent=${BASH_REMATCH[1]} errors=${BASH_REMATCH[2]}
[[ $r =~ Result:\ OK:\ ([0-9]+)\( ]] && us=${BASH_REMATCH[1]}
echo "$best $max $sent $errors $us $((t_cut - t0)) $((U - u0)) $((F - f0))" \
	"$lost_before $t_cut $t_up"
'

# Wait until the master sees the link of every port: one bash inside the
# DUT namespace, arguments DEV KIND (lagx, bond, team) PORT...; 30 s at
# most.
# shellcheck disable=SC2016	# expanded by the inner bash
FO_PORTS_UP='
dev=$1 kind=$2
shift 2
port_up() {
	local t re v
	case $kind in
	lagx)
		IFS= read -r -d "" t <"/proc/net/lagx/$dev"
		printf -v re "\n%s +up " "$1"
		[[ $t =~ $re ]] ;;
	bond)
		read -r v <"/sys/class/net/$1/bonding_slave/mii_status"
		[ "$v" = up ] ;;
	team)
		[ "$(teamdctl "$dev" state item get "ports.$1.link_watches.up")" = true ] ;;
	esac
}
end=$((SECONDS + 30)) zzz=
for p in "$@"; do
	until port_up "$p"; do
		[ $SECONDS -lt $end ] || { echo "$dev: $p: link not back after 30 s" >&2; exit 1; }
		# A pipe nobody writes to: "read -t" on it sleeps without a fork.
		[ -n "$zzz" ] || exec {zzz}<> <(:)
		read -r -t 0.02 -u "$zzz"
	done
done
'

# fo_div NUM DEN: REPLY = NUM / DEN with one decimal (no fork).
fo_div() {
	local n=$1 d=$2 x s=
	REPLY=0
	[ "$d" -gt 0 ] || return 0
	[ "$n" -lt 0 ] && { s=-; n=$((-n)); }
	x=$(( (n * 10 + d / 2) / d ))
	REPLY=$s$((x / 10)).$((x % 10))
}

# fo_setup SYS: build SYS (2 ports) and what its measurements need.
fo_setup() {
	local sys=$1 e pid i
	sys_create "$sys" "$FO_PORTS" || return 1
	FO_D[$sys]=$(dns "$sys")
	e=$(ens "$sys")
	FO_E[$sys]=$e
	FO_DEV[$sys]=$(dut_dev "$sys")
	FO_MAC[$sys]=$(mac_of "$e" "$(peer_dev "$sys")")
	ip netns exec "$e" sleep 1000000 &
	pid=$!
	FO_EPID[$sys]=$pid
	for ((i = 0; i < 100; i++)); do
		[ /proc/$pid/ns/net -ef "/run/netns/$e" ] && return 0
		read -r -t 0.1 -u "$FO_ZZZ"
	done
	return 1
}

# fo_teardown SYS: its anchor, then the system.
fo_teardown() {
	local pid=${FO_EPID[$1]:-}
	if [ -n "$pid" ]; then
		kill "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	fi
	unset "FO_EPID[$1]" "FO_D[$1]" "FO_E[$1]" "FO_DEV[$1]" "FO_MAC[$1]"
	sys_destroy "$1"
}

# fo_quiet_after [CUT_AT UP_AT]: when the next cut may come.  This cut's
# events (the far end down) are not urgent and went through linkwatch at
# once, the system being quiet: it may not run for non-urgent events again
# before CUT_AT + 1 s.  The far end coming back up (at UP_AT) is not urgent
# either (its qdisc is back at once): it goes through at the later of the
# two, and the next non-urgent event 1 s after that.  FO_QUIET_MS is that
# second and a margin (with 0.7 s, lagx still lost 30-60 ms now and then).
# Without the times (after a set-up or a failure): as if an event had just
# been deferred by a second.
fo_quiet_after() {
	local run
	if [ -n "${2:-}" ]; then
		run=$(($1 + 1000000))
		[ "$2" -gt "$run" ] && run=$2
	else
		run=$((${EPOCHREALTIME/./} + 1000000))
	fi
	FO_QUIET_US=$((run + FO_QUIET_MS * 1000))
}

# fo_quiet: wait until a stream started now cuts after FO_QUIET_US.
fo_quiet() {
	local ms=$(( (FO_QUIET_US - ${EPOCHREALTIME/./}) / 1000 - FO_PRE_MS )) t
	[ "$ms" -gt 0 ] || return 0
	printf -v t "%d.%03d" $((ms / 1000)) $((ms % 1000))
	read -r -t "$t" -u "$FO_ZZZ"
}

# fo_ready SYS GROUP: SYS uses both its ports: the master sees their link,
# and in the lacp group every port distributes.
fo_ready() {
	nsrun "${FO_D[$1]}" bash -c "$FO_PORTS_UP" fo "${FO_DEV[$1]}" "${1%%:*}" p0 p1 &&
		{ [ "$2" != lacp ] || sys_wait_ready "$1" "$FO_PORTS"; }
}

# fo_measure SYS GROUP REP: one failover of SYS, recorded.
fo_measure() {
	local sys=$1 group=$2 rep=$3 e=${FO_E[$1]} count cmds out
	local port txd sent errors us cut_us udp frames before cut_at up_at
	local total lost pps gap cut_ms tail_ms
	count=$((FO_RATE * (FO_PRE_MS + FO_POST_MS) / 1000))
	PG_DELAY=$((1000000000 / FO_RATE)) pg_dev "${FO_DEV[$sys]}" 64 1 "$count" "${FO_MAC[$sys]}"
	printf -v cmds '%s\n' "${PG_CMDS[@]}"
	PG_CMDS=()
	if [ -n "${FO_BUSY:-}" ]; then fo_noise; else fo_quiet; fi
	out=$(nsrun "${FO_D[$sys]}" bash -c "$FO_STREAM" fo "${FO_DEV[$sys]}" "$e" \
		"${FO_EPID[$sys]}" "$FO_PRE_MS" p0 p1 <<<"$cmds")
	read -r port txd sent errors us cut_us udp frames before cut_at up_at <<<"$out"
	if [ -z "$up_at" ] || [ "$txd" -le 0 ] || [ "$us" -le 0 ] ||
	   [ "$cut_us" -ge "$us" ]; then
		bench_log "failover $sys: no measurement: '$out'" \
			"(no traffic before the cut, or the cut after the end)"
		record bench=error what=failover group="$group" system="$sys" \
			ports="$FO_PORTS" rep="$rep"
		ip -n "$e" link set q0 up
		ip -n "$e" link set q1 up
		fo_quiet_after
		return 1
	fi
	fo_quiet_after "$cut_at" "$up_at"
	total=$((sent + errors))
	lost=$((total - udp))
	pps=$((total * 1000000 / us))
	fo_div $((lost * 1000)) "$pps"
	gap=$REPLY
	fo_div "$cut_us" 1000
	cut_ms=$REPLY
	fo_div $((us - cut_us)) 1000
	tail_ms=$REPLY
	[ "$sent" -ge "$count" ] || bench_log "failover $sys: pktgen stopped at $sent of $count"
	# A few LACPDUs leave the ports too.
	[ "$before" -le 10 ] || bench_log "failover $sys: $before packets lost before the cut"
	record bench=failover group="$group" system="$sys" ports="$FO_PORTS" rep="$rep" \
		busy="${FO_BUSY:-0}" rate_pps="$FO_RATE" sent="$total" received="$udp" lost="$lost" gap_ms="$gap" \
		pps="$pps" errors="$errors" port="$port" \
		complete=$((sent >= count)) cut_ms="$cut_ms" tail_ms="$tail_ms" \
		lost_before="$before" rx_frames="$frames"
}

# fo_noise: a link change elsewhere in the system, just before the stream:
# an unrelated veth of the namespace fo_noise goes down and up.  linkwatch
# then holds the next non-urgent event (the cut) for up to a second: what
# a port learns of its carrier loss late, the busy rows show.
fo_noise() {
	ip -n fo_noise link set nz1 down
	ip -n fo_noise link set nz1 up
}

# fo_group GROUP BUSY: all systems of GROUP built at once, measured in turn
# (in smoke, only the first two); BUSY=1: after a link change elsewhere
# (fo_noise) instead of on a quiet system.
fo_group() {
	local group=$1 busy=$2 sys rep systems=() n=0
	for sys in ${GROUP_SYSTEMS[$group]}; do
		[ "$sys" = bare ] && continue
		[ "${BENCH_SMOKE:-0}" = 1 ] && [ $((n++)) -ge 2 ] && continue
		if fo_setup "$sys"; then
			systems+=("$sys")
		else
			bench_log "failover: $sys not measured"
			record bench=error what=failover group="$group" system="$sys" \
				ports="$FO_PORTS"
			fo_teardown "$sys"
		fi
	done
	fo_quiet_after
	if [ ${#systems[@]} -gt 0 ]; then
		for ((rep = 0; rep < BENCH_REPS; rep++)); do
			for sys in $(rotate "$rep" "${systems[@]}"); do
				if fo_ready "$sys" "$group"; then
					FO_BUSY=$busy fo_measure "$sys" "$group" "$rep"
				else
					bench_log "failover: $sys not ready, rep $rep skipped"
					record bench=error what=failover group="$group" \
						system="$sys" ports="$FO_PORTS" rep="$rep"
				fi
			done
		done
	fi
	for sys in "${systems[@]}"; do fo_teardown "$sys"; done
	bench_log "failover: $group${busy:+ (busy)} done"
}

# run_failover: every group on a quiet system; then, but in smoke,
# active-backup and lacp right after a link change elsewhere.
run_failover() {
	local group
	exec {FO_ZZZ}<> <(:)
	for group in $GROUPS_ORDER; do
		fo_group "$group" ""
	done
	if [ "${BENCH_SMOKE:-0}" != 1 ]; then
		ip netns add fo_noise
		ip -n fo_noise link add nz0 type veth peer name nz1
		ip -n fo_noise link set nz0 up
		ip -n fo_noise link set nz1 up
		fo_group ab 1
		fo_group lacp 1
		ip netns del fo_noise
	fi
	exec {FO_ZZZ}<&-
}
