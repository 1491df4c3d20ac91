# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# LACP convergence and fallback times (sourced by bench.sh after lib.sh).
#
# bench=lacp_converge pair=A-B rate=fast|slow rep=R ms=T ms_a=TA ms_b=TB
#   Two systems face each other over 2 veth pairs, each in its own
#   namespace: side A (the first kind named by the pair: lagx, bond or
#   team) with ports p0 p1, side B (the second kind) with q0 q1, both at
#   the same lacp_rate.  A's ports are set down (administratively: B's lose
#   their carrier); once neither side has a port distributing, and
#   LC_SETTLE_MS more, t0 is taken just before one "ip" sets both of A's
#   ports up.  ms is the time from t0 to the first poll that shows every
#   port of both sides distributing; ms_a and ms_b the first poll that
#   showed it for A's, or B's, ports alone.  "Distributing" is each side's
#   own view of its ports: lagx "mux distributing" in /proc/net/lagx/DEV,
#   bonding and teamd the Distributing bit (0x20) of the actor state
#   (/proc/net/bonding/DEV, "teamdctl DEV state dump").
#   Polls from this shell in a tight loop (LC_POLL_MS 0: sleeps in User-Mode
#   Linux last 20-30 ms whatever is asked), reading /proc/PID/net/... of a
#   process anchored in each namespace: no process is started per poll
#   (2-4 ms a poll in the bench kernel), except teamdctl for teamd (one
#   per side and poll: the team-team figures are coarser, ~0.1 s).
#   Every topology is built once and kept; the pairs alternate within a
#   repetition.  Slow rate has LACP_SLOW_REPS repetitions at most.
#
# bench=lacp_fallback system=lagx:lacp phase=P rep=R ms=T
#   lagx lacp (lacp_rate fast, lacp_fallback balance-slb by default) with
#   2 ports against a partner that first is a Linux bridge (no LACP), then
#   an 802.3ad bond (fast) over the same far ends, with the same MAC and
#   address.  Each repetition, from lacp with every port distributing:
#   lagx's ports go down, the partner becomes the bridge, and
#     fallback       t0 just before lagx's ports are set up, until
#                    /proc/net/lagx/m0 says "Operating mode: fallback
#                    balance-slb"
#     fallback_ping  from the same t0 to the first reply of a ping every
#                    10 ms (static neighbours: no ARP), as for bonding below
#     return         t0 just before the bridge is replaced by the bond (one
#                    "ip -batch": the far ends go down and up again as they
#                    are enslaved), until "Operating mode: lacp" with every
#                    port distributing
# bench=lacp_fallback system=bond:802.3ad phase=fallback rep=R ms=T
#   bonding has no fallback, but an 802.3ad bond whose partner is silent
#   ends up carrying traffic on one port: a bond (fast, miimon 100) facing
#   the bridge, t0 just before its ports are set up, until the first reply
#   of the 10 ms ping.
#
# Failures (no convergence within the timeout, a topology that cannot be
# built) are recorded as bench=error what=lacp_converge|lacp_fallback.
#
# Environment: LACP_PAIRS ("lagx-lagx lagx-bond bond-bond team-team"),
# LACP_RATES ("fast slow"), LACP_SLOW_REPS (5), LC_POLL_MS (0),
# LC_SETTLE_MS (200); the smoke run measures lagx-bond at both rates and
# team-team fast only, and fallback once.

: "${LACP_PAIRS:=lagx-lagx lagx-bond bond-bond team-team}"
: "${LACP_RATES:=fast slow}"
: "${LACP_SLOW_REPS:=5}"
: "${LC_POLL_MS:=0}"
: "${LC_SETTLE_MS:=200}"
LC_PORTS=2
# The partner's MAC in the fallback topologies (bridge, then bond).
LF_MAC=02:00:00:00:00:02

declare -A LC_PID	# namespace -> PID of its anchor process
LC_NS=()		# every namespace created here
LC_TEAMS=()		# "NS DEV" of every teamd started here
LC_ZZZ=			# fd of a pipe nobody writes: "read -t" sleeps on it

# lc_sleep MS: sleep without a fork (not at all for 0).
lc_sleep() {
	local t
	[ "$1" -gt 0 ] || return 0
	printf -v t "%d.%03d" $(($1 / 1000)) $(($1 % 1000))
	read -r -t "$t" -u "$LC_ZZZ"
}

# lc_ns NS: create NS with an anchor process (a sleep inside it), whose
# /proc/PID/net shows NS's /proc/net to this shell.
lc_ns() {
	local ns=$1 pid i
	ip netns add "$ns" || return 1
	LC_NS+=("$ns")
	ip netns exec "$ns" sleep 1000000 &
	pid=$!
	LC_PID[$ns]=$pid
	for ((i = 0; i < 200; i++)); do
		[ /proc/$pid/ns/net -ef "/run/netns/$ns" ] && return 0
		lc_sleep 10
	done
	bench_log "lacp: no anchor in $ns"
	return 1
}

# lc_ns_del NS...: kill their anchors and teamds, delete them.
lc_ns_del() {
	local ns pid t keep=()
	for t in "${LC_TEAMS[@]}"; do
		if [[ " $* " == *" ${t% *} "* ]]; then
			nsrun "${t% *}" teamd -k -t "${t#* }" >/dev/null 2>&1
		else
			keep+=("$t")
		fi
	done
	LC_TEAMS=("${keep[@]}")
	for ns in "$@"; do
		pid=${LC_PID[$ns]:-}
		if [ -n "$pid" ]; then
			kill "$pid" 2>/dev/null
			wait "$pid" 2>/dev/null
			unset "LC_PID[$ns]"
		fi
		ip netns del "$ns" 2>/dev/null
	done
	keep=()
	for ns in "${LC_NS[@]}"; do
		[[ " $* " == *" $ns "* ]] || keep+=("$ns")
	done
	LC_NS=("${keep[@]}")
}

# lc_bits TEXT MARKER: REPLY = how many of the "state" numbers following
# each MARKER in TEXT have Distributing (0x20) set.  The first number
# after "details actor lacp pdu:" (bonding) or "actor_lacpdu_info" (teamd)
# is the actor's state.
lc_bits() {
	local rest=$1 c=0 re='state"?: ([0-9]+)'
	while [[ "$rest" == *"$2"* ]]; do
		rest=${rest#*"$2"}
		[[ "$rest" =~ $re ]] && (( (BASH_REMATCH[1] & 0x20) != 0 )) && c=$((c + 1))
	done
	REPLY=$c
}

# lc_count KIND NS DEV: REPLY = DEV's ports distributing, in NS's view.
lc_count() {
	local t r
	REPLY=0
	case $1 in
	lagx)
		{ IFS= read -r -d '' t <"/proc/${LC_PID[$2]}/net/lagx/$3"; } 2>/dev/null
		r=${t//mux distributing/}
		REPLY=$(( (${#t} - ${#r}) / 16 )) ;;
	bond)
		{ IFS= read -r -d '' t <"/proc/${LC_PID[$2]}/net/bonding/$3"; } 2>/dev/null
		lc_bits "$t" "details actor lacp pdu:" ;;
	team)
		t=$(nsrun "$2" teamdctl "$3" state dump 2>/dev/null)
		lc_bits "$t" '"actor_lacpdu_info": {' ;;
	esac
}

# lc_dev KIND SIDE RATE: REPLY = the master's name (teamd's control
# socket is global: a name per team).
lc_dev() {
	case $1 in
	team) REPLY=tc_$3_$2 ;;
	*) REPLY=m0 ;;
	esac
}

# lc_master NS KIND DEV RATE PORT...: DEV (KIND, lacp_rate RATE) over
# PORTs, up.
lc_master() {
	local ns=$1 kind=$2 dev=$3 rate=$4 p ports=
	shift 4
	case $kind in
	lagx)
		ip -n "$ns" -batch - <<-EOB
			link add $dev type lagx mode lacp lacp_rate $rate
			$(for p in "$@"; do echo "link set $p master $dev"; done)
			link set $dev up
		EOB
		;;
	bond)
		ip -n "$ns" -batch - <<-EOB
			link add $dev type bond mode 802.3ad miimon 100 lacp_rate $rate
			$(for p in "$@"; do echo "link set $p down"; echo "link set $p master $dev"; done)
			link set $dev up
		EOB
		;;
	team)
		for p in "$@"; do ports+="${ports:+,}\"$p\":{}"; done
		nsrun "$ns" teamd -d -r -t "$dev" -c "{\"device\":\"$dev\",
			\"runner\":{\"name\":\"lacp\",\"active\":true,
				\"fast_rate\":$([ "$rate" = fast ] && echo true || echo false)},
			\"link_watch\":{\"name\":\"ethtool\"},\"ports\":{$ports}}" \
			>"$BENCH_OUT/teamd-$dev.log" 2>&1 ||
			{ bench_log "teamd $dev: $(cat "$BENCH_OUT/teamd-$dev.log")"; return 1; }
		LC_TEAMS+=("$ns $dev")
		ip -n "$ns" link set "$dev" up
		;;
	*) return 1 ;;
	esac
}

# lc_wait NA KA DA NB KB DB WANT TMO_MS: poll until A's and B's counts
# of distributing ports both equal WANT.  Sets LC_MS, LC_MS_A, LC_MS_B:
# milliseconds since LC_T0 (us) when both, A, B first did.
lc_wait() {
	local na=$1 ka=$2 da=$3 nb=$4 kb=$5 db=$6 want=$7 tmo=$8 ca cb now
	local end=$((LC_T0 + tmo * 1000))
	LC_MS="" LC_MS_A="" LC_MS_B=""
	while :; do
		lc_count "$ka" "$na" "$da"
		ca=$REPLY
		lc_count "$kb" "$nb" "$db"
		cb=$REPLY
		now=${EPOCHREALTIME/./}
		[ "$ca" = "$want" ] && [ -z "$LC_MS_A" ] && LC_MS_A=$(( (now - LC_T0) / 1000 ))
		[ "$cb" = "$want" ] && [ -z "$LC_MS_B" ] && LC_MS_B=$(( (now - LC_T0) / 1000 ))
		if [ "$ca" = "$want" ] && [ "$cb" = "$want" ]; then
			LC_MS=$(( (now - LC_T0) / 1000 ))
			return 0
		fi
		[ "$now" -lt "$end" ] || return 1
		lc_sleep "$LC_POLL_MS"
	done
}

# lc_sides PAIR RATE: set NA KA DA NB KB DB (namespaces, kinds, devices)
# of the topology, and TMO (lc_timeout).
lc_sides() {
	KA=${1%-*} KB=${1#*-}
	NA=lc_$1_$2_a NB=lc_$1_$2_b
	lc_dev "$KA" a "$2"
	DA=$REPLY
	lc_dev "$KB" b "$2"
	DB=$REPLY
	lc_timeout "$2"
	TMO=$REPLY
}

# lc_timeout RATE: REPLY = ms to wait for convergence.  Slow rate: a lost
# exchange costs a 30 s periodic timer.
lc_timeout() { [ "$1" = slow ] && REPLY=40000 || REPLY=15000; }

# lc_setup PAIR RATE: build the topology of PAIR at RATE and wait until it
# has formed.
lc_setup() {
	local pair=$1 rate=$2 NA KA DA NB KB DB TMO
	lc_sides "$pair" "$rate"
	lc_ns "$NA" && lc_ns "$NB" || return 1
	ip -batch - <<-EOB || return 1
		link add p0 netns $NA type veth peer name q0 netns $NB
		link add p1 netns $NA type veth peer name q1 netns $NB
	EOB
	lc_master "$NA" "$KA" "$DA" "$rate" p0 p1 || return 1
	lc_master "$NB" "$KB" "$DB" "$rate" q0 q1 || return 1
	LC_T0=${EPOCHREALTIME/./}
	lc_wait "$NA" "$KA" "$DA" "$NB" "$KB" "$DB" "$LC_PORTS" "$TMO" ||
		{ bench_log "lacp: $pair $rate did not form"; return 1; }
}

# lc_measure PAIR RATE REP: one convergence, recorded.
lc_measure() {
	local pair=$1 rate=$2 rep=$3 NA KA DA NB KB DB TMO
	lc_sides "$pair" "$rate"
	ip -n "$NA" -batch - <<-EOB
		link set p0 down
		link set p1 down
	EOB
	LC_T0=${EPOCHREALTIME/./}
	if ! lc_wait "$NA" "$KA" "$DA" "$NB" "$KB" "$DB" 0 10000; then
		bench_log "lacp: $pair $rate: ports still distributing after link-down"
		record bench=error what=lacp_converge pair="$pair" rate="$rate" rep="$rep"
		ip -n "$NA" -batch - <<-EOB
			link set p0 up
			link set p1 up
		EOB
		return 1
	fi
	lc_sleep "$LC_SETTLE_MS"
	LC_T0=${EPOCHREALTIME/./}
	ip -n "$NA" -batch - <<-EOB
		link set p0 up
		link set p1 up
	EOB
	if lc_wait "$NA" "$KA" "$DA" "$NB" "$KB" "$DB" "$LC_PORTS" "$TMO"; then
		record bench=lacp_converge pair="$pair" rate="$rate" rep="$rep" ms="$LC_MS" \
			ms_a="$LC_MS_A" ms_b="$LC_MS_B"
	else
		bench_log "lacp: $pair $rate: not converged within $TMO ms" \
			"(A ${LC_MS_A:-never}, B ${LC_MS_B:-never})"
		record bench=error what=lacp_converge pair="$pair" rate="$rate" rep="$rep" \
			ms_a="${LC_MS_A:--1}" ms_b="${LC_MS_B:--1}"
		return 1
	fi
}

# lc_converge: (a), every pair at every rate.
lc_converge() {
	local pair rate rep items=() list=() it slow_reps=$LACP_SLOW_REPS
	local NA KA DA NB KB DB TMO
	local pairs=$LACP_PAIRS rates=$LACP_RATES
	if [ "${BENCH_SMOKE:-0}" = 1 ]; then
		items=(lagx-bond/fast lagx-bond/slow team-team/fast)
	else
		for rate in $rates; do
			for pair in $pairs; do items+=("$pair/$rate"); done
		done
	fi
	list=()
	for it in "${items[@]}"; do
		if lc_setup "${it%/*}" "${it#*/}"; then
			list+=("$it")
		else
			record bench=error what=lacp_converge pair="${it%/*}" rate="${it#*/}"
			lc_sides "${it%/*}" "${it#*/}"
			lc_ns_del "$NA" "$NB"
		fi
	done
	[ "$slow_reps" -gt "$BENCH_REPS" ] && slow_reps=$BENCH_REPS
	for ((rep = 0; rep < BENCH_REPS; rep++)); do
		items=()
		for it in "${list[@]}"; do
			[ "${it#*/}" = slow ] && [ "$rep" -ge "$slow_reps" ] && continue
			items+=("$it")
		done
		[ ${#items[@]} -gt 0 ] || continue
		for it in $(rotate "$rep" "${items[@]}"); do
			lc_measure "${it%/*}" "${it#*/}" "$rep"
		done
	done
	for it in "${list[@]}"; do
		lc_sides "${it%/*}" "${it#*/}"
		lc_ns_del "$NA" "$NB"
	done
	bench_log "lacp: convergence done"
}

# ------------------------------------------------------------ fallback --

# lf_mode NS: REPLY = lagx m0's operating mode in NS; LF_DIST its ports
# distributing.
lf_mode() {
	local t r re=$'Operating mode: ([^\n]*)'
	REPLY="" LF_DIST=0
	{ IFS= read -r -d '' t <"/proc/${LC_PID[$1]}/net/lagx/m0"; } 2>/dev/null
	[[ "$t" =~ $re ]] && REPLY=${BASH_REMATCH[1]}
	r=${t//mux distributing/}
	LF_DIST=$(( (${#t} - ${#r}) / 16 ))
}

# lf_wait_mode NS MODE DIST TMO_MS: until lagx's mode is MODE (any mode if
# empty) with DIST ports distributing (any number if empty); LC_MS = ms
# since LC_T0.
lf_wait_mode() {
	local end=$((LC_T0 + $4 * 1000)) now
	LC_MS=
	while :; do
		lf_mode "$1"
		now=${EPOCHREALTIME/./}
		if [ "${2:-$REPLY}" = "$REPLY" ] && [ "${3:-$LF_DIST}" = "$LF_DIST" ]; then
			LC_MS=$(( (now - LC_T0) / 1000 ))
			return 0
		fi
		[ "$now" -lt "$end" ] || return 1
		lc_sleep "$LC_POLL_MS"
	done
}

# lf_partner NS KIND DUTMAC: the far side becomes KIND (bridge or bond)
# over q0 q1: pm with LF_MAC and BENCH_IP_E, static neighbour DUTMAC.
lf_partner() {
	local ns=$1 kind=$2 mac=$3
	ip -n "$ns" link del pm 2>/dev/null
	case $kind in
	bridge)
		ip -n "$ns" -batch - <<-EOB
			link add pm address $LF_MAC type bridge forward_delay 0 stp_state 0
			link set q0 master pm
			link set q1 master pm
			link set q0 up
			link set q1 up
			addr add $BENCH_IP_E/$BENCH_PREFIX dev pm
			link set pm up
			neigh replace $BENCH_IP_D lladdr $mac dev pm nud permanent
		EOB
		;;
	bond)
		ip -n "$ns" -batch - <<-EOB
			link add pm type bond mode 802.3ad miimon 100 lacp_rate fast
			link set q0 down
			link set q1 down
			link set q0 master pm
			link set q1 master pm
			link set pm address $LF_MAC
			addr add $BENCH_IP_E/$BENCH_PREFIX dev pm
			link set pm up
			neigh replace $BENCH_IP_D lladdr $mac dev pm nud permanent
		EOB
		;;
	esac
}

# lf_dut NA NB KIND: the DUT m0 (lagx lacp or bond 802.3ad, fast) in NA
# over p0 p1 to q0 q1 in NB, with BENCH_IP_D and the partner's MAC as a
# static neighbour.  REPLY = m0's MAC.
lf_dut() {
	local na=$1 nb=$2 kind=$3
	lc_ns "$na" && lc_ns "$nb" || return 1
	ip -batch - <<-EOB || return 1
		link add p0 netns $na type veth peer name q0 netns $nb
		link add p1 netns $na type veth peer name q1 netns $nb
	EOB
	lc_master "$na" "$kind" m0 fast p0 p1 || return 1
	ip -n "$na" -batch - <<-EOB || return 1
		addr add $BENCH_IP_D/$BENCH_PREFIX dev m0
		neigh replace $BENCH_IP_E lladdr $LF_MAC dev m0 nud permanent
	EOB
	REPLY=$(mac_of "$na" m0)
}

# lf_ping NS FILE: ping the partner every 10 ms until the first reply
# (20 s at most), output with timestamps in FILE.
lf_ping() {
	nsrun "$1" ping -D -n -c 1 -w 20 -i 0.01 "$BENCH_IP_E" >"$2" 2>&1
}

# lf_ping_ms FILE: REPLY = ms from LC_T0 to the reply in FILE.
lf_ping_ms() {
	local t re='\[([0-9]+)\.([0-9]{6})\] [0-9]+ bytes from'
	REPLY=
	{ IFS= read -r -d '' t <"$1"; } 2>/dev/null
	[[ "$t" =~ $re ]] || return 1
	REPLY=$(( (${BASH_REMATCH[1]}${BASH_REMATCH[2]} - LC_T0) / 1000 ))
}

# lf_lagx REPS: lagx's fallback and return, REPS times.
lf_lagx() {
	local reps=$1 na=lf_lagx_a nb=lf_lagx_b mac rep pid f=$BENCH_OUT/.lacp-ping
	local sys=lagx:lacp
	if ! lf_dut "$na" "$nb" lagx; then
		record bench=error what=lacp_fallback system=$sys
		lc_ns_del "$na" "$nb"
		return 1
	fi
	mac=$REPLY
	lf_partner "$nb" bond "$mac"
	LC_T0=${EPOCHREALTIME/./}
	if ! lf_wait_mode "$na" lacp "$LC_PORTS" 15000; then
		bench_log "lacp fallback: lagx did not form with the bond"
		record bench=error what=lacp_fallback system=$sys
		lc_ns_del "$na" "$nb"
		return 1
	fi
	for ((rep = 0; rep < reps; rep++)); do
		# From lacp, ports down; the partner turns into a bridge.
		ip -n "$na" -batch - <<-EOB
			link set p0 down
			link set p1 down
		EOB
		LC_T0=${EPOCHREALTIME/./}
		lf_wait_mode "$na" "" 0 5000
		lf_partner "$nb" bridge "$mac"
		lf_mode "$na"
		[ "$REPLY" = lacp ] || bench_log "lacp fallback: mode '$REPLY' before link-up"
		lc_sleep "$LC_SETTLE_MS"
		LC_T0=${EPOCHREALTIME/./}
		ip -n "$na" -batch - <<-EOB
			link set p0 up
			link set p1 up
		EOB
		lf_ping "$na" "$f" &
		pid=$!
		if lf_wait_mode "$na" "fallback balance-slb" "" 15000; then
			record bench=lacp_fallback system=$sys phase=fallback rep="$rep" ms="$LC_MS"
		else
			bench_log "lacp fallback: no fallback within 15 s (mode '$REPLY')"
			record bench=error what=lacp_fallback system=$sys phase=fallback rep="$rep"
		fi
		if wait "$pid" && lf_ping_ms "$f"; then
			record bench=lacp_fallback system=$sys phase=fallback_ping rep="$rep" \
				ms="$REPLY"
		else
			bench_log "lacp fallback: lagx: no ping reply: $(tail -n 2 "$f" | tr '\n' ' ')"
			record bench=error what=lacp_fallback system=$sys phase=fallback_ping \
				rep="$rep"
		fi
		# The partner speaks LACP again.
		LC_T0=${EPOCHREALTIME/./}
		lf_partner "$nb" bond "$mac"
		if lf_wait_mode "$na" lacp "$LC_PORTS" 15000; then
			record bench=lacp_fallback system=$sys phase=return rep="$rep" ms="$LC_MS"
		else
			bench_log "lacp fallback: not back to lacp within 15 s" \
				"(mode '$REPLY', $LF_DIST distributing)"
			record bench=error what=lacp_fallback system=$sys phase=return rep="$rep"
			break
		fi
	done
	rm -f "$f"
	lc_ns_del "$na" "$nb"
}

# lf_bond_mii NS: REPLY = bond m0's MII status in NS.
lf_bond_mii() {
	local t re=$'MII Status: ([a-z]+)'
	REPLY=
	{ IFS= read -r -d '' t <"/proc/${LC_PID[$1]}/net/bonding/m0"; } 2>/dev/null
	[[ "$t" =~ $re ]] && REPLY=${BASH_REMATCH[1]}
}

# lf_bond REPS: bonding 802.3ad facing the bridge, time to traffic.
lf_bond() {
	local reps=$1 na=lf_bond_a nb=lf_bond_b mac rep i f=$BENCH_OUT/.lacp-ping
	local sys=bond:802.3ad
	if ! lf_dut "$na" "$nb" bond; then
		record bench=error what=lacp_fallback system=$sys
		lc_ns_del "$na" "$nb"
		return 1
	fi
	mac=$REPLY
	lf_partner "$nb" bridge "$mac"
	for ((rep = 0; rep < reps; rep++)); do
		ip -n "$na" -batch - <<-EOB
			link set p0 down
			link set p1 down
		EOB
		for ((i = 0; i < 500; i++)); do
			lf_bond_mii "$na"
			[ "$REPLY" = down ] && break
			lc_sleep 10
		done
		lc_sleep "$LC_SETTLE_MS"
		LC_T0=${EPOCHREALTIME/./}
		ip -n "$na" -batch - <<-EOB
			link set p0 up
			link set p1 up
		EOB
		if lf_ping "$na" "$f" && lf_ping_ms "$f"; then
			record bench=lacp_fallback system=$sys phase=fallback rep="$rep" ms="$REPLY"
		else
			bench_log "lacp fallback: bond: no ping reply: $(tail -n 2 "$f" | tr '\n' ' ')"
			record bench=error what=lacp_fallback system=$sys phase=fallback rep="$rep"
		fi
	done
	rm -f "$f"
	lc_ns_del "$na" "$nb"
}

# run_lacp: convergence, then fallback.
run_lacp() {
	exec {LC_ZZZ}<> <(:)
	lc_converge
	lf_lagx "$BENCH_REPS"
	lf_bond "$BENCH_REPS"
	bench_log "lacp: fallback done"
	[ ${#LC_NS[@]} -eq 0 ] || lc_ns_del "${LC_NS[@]}"
	exec {LC_ZZZ}<&-
}
