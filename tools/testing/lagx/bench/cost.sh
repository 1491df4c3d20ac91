# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# What the control plane costs (sourced by bench.sh): memory per device
# and per port, CPU time of the LACP timer, and the CPU idle LACP
# aggregates take from a busy loop.
#
# memory: in one namespace (IPv6 off: addrconf would add the same to
#   every driver, and its timers add noise), 8K dummy ports are created
#   down before anything is measured, and one system of each kind is
#   created and deleted unmeasured (first-use allocations); then per
#   system and repetition (BENCH_MEM_REPS, default 3): baseline, K masters
#   created and up (no ports), read, 8 dummies enslaved to each, read,
#   masters deleted.  Before every read, all slab caches are shrunk
#   (their empty slabs freed); a read is the median of 3.  Kernel memory
#   held, from /proc/meminfo, caches (page cache, dentries...) excluded:
#     bytes        SUnreclaim + Percpu + VmallocUsed: kmalloc (large ones
#                  included), kmem caches, per-cpu chunks and vmalloc (the
#                  kernel stacks of threads a device starts included)
#     slab_percpu  SUnreclaim + Percpu only
#   (MemTotal - MemFree - caches - user pages was tried: page tables,
#   stacks and lazy frees of the short-lived ip processes make it swing
#   by more than the 8 ports of a device, below zero at times.)
#   Team devices are created with "ip link add type team" and their mode
#   set with teamnl, without teamd: only the kernel's memory is counted,
#   not teamd's (user space, one process per team device).  team:lacp is
#   the kernel's loadbalance mode (teamd runs the LACP).
# timer_cpu: a lagx lacp device with 8 ports facing an 802.3ad bond,
#   both sides at lacp_rate fast, and another at slow, all distributing;
#   the "LACP timer: <runs> runs, <usec> us" line of /proc/net/lagx/m0
#   (time spent in the 100 ms timer handler) is read at both ends of a
#   10 s window, once per repetition (BENCH_TIMER_REPS, default 3).
#   Skipped when the driver has no such line.
# idle_cpu: bonding has no such counter, so both are compared by what a
#   set of idle aggregates (K=BENCH_IDLE_DEVICES, default 4, devices x 8
#   ports, lacp_rate fast, facing 802.3ad bonds) takes from a CPU-bound
#   loop (python, 2 s, BENCH_IDLE_REPS times, default 3) run
#   with no aggregate up (system=none), with the lagx ones up, and with the
#   bonding ones up, alternately.  The partner bonds run in the same
#   kernel and cost the same for both; the probe also sees whatever else
#   the host runs: compare medians over repetitions.
# Smoke mode: memory of the lagx systems and the lacp group's (K=4, one
# read), timer with 2 ports and a 2 s window, idle with 1 device x 2
# ports and a 1 s loop, no settling time after the negotiations.
#
# Records:
#   bench=memory system=S what=device|port rep=R bytes=N slab_percpu=N
#   bench=timer_cpu system=lagx:lacp ports=8 rate=fast|slow rep=R
#       us_per_s=X runs_per_s=Y
#   bench=idle_cpu system=none|lagx:lacp|bond:802.3ad devices=K ports=8
#       rep=R loops_per_s=X     (system=none has the same devices=K ports=8
#       as the systems it is the baseline of, with all of them down)

COST_MEM_NS=cost_mem

# cost_reps VAR DEFAULT: the repetitions of one part: $VAR, else DEFAULT,
# at most BENCH_REPS (1 in smoke mode).
cost_reps() {
	local r=${!1:-$2}
	[ "$r" -gt "$BENCH_REPS" ] && r=$BENCH_REPS
	echo "$r"
}

# cost_median3 A B C: the middle one, in REPLY (no process: a fork costs
# milliseconds in User-Mode Linux).
cost_median3() {
	local a=$1 b=$2 c=$3 t
	[ "$a" -gt "$b" ] && { t=$a; a=$b; b=$t; }
	[ "$b" -gt "$c" ] && b=$c
	[ "$a" -gt "$b" ] && b=$a
	REPLY=$b
}

# ------------------------------------------------------------- memory --

# cost_mem_read: COST_RD=(BYTES SLAB_PERCPU) now (see the top of the file).
cost_mem_read() {
	local k v sunrecl=0 percpu=0 vmalloc=0
	while read -r k v _; do
		case $k in
		SUnreclaim:) sunrecl=$v ;;
		Percpu:) percpu=$v ;;
		VmallocUsed:) vmalloc=$v ;;
		esac
	done </proc/meminfo
	COST_RD=($(( (sunrecl + percpu + vmalloc) * 1024 )) $(( (sunrecl + percpu) * 1024 )))
}

# cost_mem_settle: let RCU and deferred frees run, shrink every slab cache
# (frees its empty slabs, and empties KASAN's quarantine in a debug
# kernel), then set COST_MEM=(BYTES SLAB_PERCPU) to the median of 3 reads
# (one read in smoke mode).
cost_mem_settle() {
	local i c b=() s=()
	sleep 0.2
	for c in /sys/kernel/slab/*; do
		[ -L "$c" ] || echo 1 >"$c/shrink"
	done 2>/dev/null
	for ((i = 0; i < 3; i++)); do
		[ $i = 0 ] || sleep 0.05
		cost_mem_read
		b+=("${COST_RD[0]}")
		s+=("${COST_RD[1]}")
		[ "$BENCH_SMOKE" = 1 ] && { COST_MEM=("${COST_RD[@]}"); return; }
	done
	cost_median3 "${b[@]}"
	COST_MEM[0]=$REPLY
	cost_median3 "${s[@]}"
	COST_MEM[1]=$REPLY
}

# cost_mem_systems: the lagx, bond and team systems of GROUP_SYSTEMS,
# once each (in smoke mode, the lagx ones and those of the groups in
# BENCH_COST_SMOKE_GROUPS, default lacp: every kind of system).
cost_mem_systems() {
	local group sys all=1 out=()
	local -A seen=() smoke=()
	if [ "$BENCH_SMOKE" = 1 ]; then
		all=0
		for group in ${BENCH_COST_SMOKE_GROUPS:-lacp}; do smoke[$group]=1; done
	fi
	for group in $GROUPS_ORDER; do
		for sys in ${GROUP_SYSTEMS[$group]:-}; do
			case ${sys%%:*} in
			lagx | bond | team) ;;
			*) continue ;;
			esac
			[ $all = 1 ] || [ -n "${smoke[$group]:-}" ] ||
				[ "${sys%%:*}" = lagx ] || continue
			[ -n "${seen[$sys]:-}" ] && continue
			seen[$sys]=1
			out+=("$sys")
		done
	done
	echo "${out[@]}"
}

# cost_mem_masters SYS K: create the K masters x0..xK-1 of SYS, up, no port.
cost_mem_masters() {
	local sys=$1 k=$2 kind=${1%%:*} mode=${1#*:} i
	for ((i = 0; i < k; i++)); do
		case $kind in
		lagx) echo "link add x$i type lagx mode $mode $(lagx_opts "$mode")" ;;
		bond) echo "link add x$i type bond mode $mode miimon 100 $(bond_opts "$mode")" ;;
		team) echo "link add x$i type team" ;;
		esac
	done | ip -n "$COST_MEM_NS" -batch - || return 1
	if [ "$kind" = team ]; then
		# The kernel side of the lacp runner is the loadbalance mode.
		[ "$mode" = lacp ] && mode=loadbalance
		# shellcheck disable=SC2016 # expanded by the inner shell
		nsrun "$COST_MEM_NS" bash -c 'for ((i = 0; i < $1; i++)); do
			teamnl "x$i" setoption mode "$2" >/dev/null || exit 1
		done' sh "$k" "$mode" || return 1
	fi
	for ((i = 0; i < k; i++)); do echo "link set x$i up"; done |
		ip -n "$COST_MEM_NS" -batch -
}

# cost_mem_ports K: enslave dummies n(8i)..n(8i+7) to each master xi.
cost_mem_ports() {
	local k=$1 i j
	for ((i = 0; i < k; i++)); do
		for ((j = 0; j < 8; j++)); do
			echo "link set n$((i * 8 + j)) master x$i"
		done
	done | ip -n "$COST_MEM_NS" -batch -
}

# cost_mem_clean K: delete the masters, dummies down again (the state of
# the baseline).
cost_mem_clean() {
	local k=$1 i
	{
		for ((i = 0; i < k; i++)); do echo "link del x$i"; done
	} | ip -n "$COST_MEM_NS" -force -batch - 2>/dev/null
	for ((i = 0; i < 8 * k; i++)); do echo "link set n$i down"; done |
		ip -n "$COST_MEM_NS" -batch -
}

# cost_mem_one SYS K REP: one measurement of SYS, two records.
cost_mem_one() {
	local sys=$1 k=$2 rep=$3 m0 m1 m2 ok=0
	cost_mem_settle
	m0=("${COST_MEM[@]}")
	if cost_mem_masters "$sys" "$k"; then
		cost_mem_settle
		m1=("${COST_MEM[@]}")
		if cost_mem_ports "$k"; then
			cost_mem_settle
			m2=("${COST_MEM[@]}")
			ok=1
		fi
	fi
	cost_mem_clean "$k"
	if [ $ok = 0 ]; then
		bench_log "memory: $sys failed"
		record bench=error what=memory system="$sys" rep="$rep"
		return 1
	fi
	record bench=memory system="$sys" what=device rep="$rep" \
		bytes=$(( (m1[0] - m0[0]) / k )) slab_percpu=$(( (m1[1] - m0[1]) / k ))
	record bench=memory system="$sys" what=port rep="$rep" \
		bytes=$(( (m2[0] - m1[0]) / (8 * k) )) \
		slab_percpu=$(( (m2[1] - m1[1]) / (8 * k) ))
}

# cost_memory: memory per device and per port of every system.
cost_memory() {
	local k=16 reps rep sys systems i
	local -A warm=()
	[ "$BENCH_SMOKE" = 1 ] && k=4
	reps=$(cost_reps BENCH_MEM_REPS 3)
	read -r -a systems <<<"$(cost_mem_systems)"
	ip netns del "$COST_MEM_NS" 2>/dev/null
	ip netns add "$COST_MEM_NS" || return 1
	nsrun "$COST_MEM_NS" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
		net.ipv6.conf.default.disable_ipv6=1
	for ((i = 0; i < 8 * k; i++)); do echo "link add n$i type dummy"; done |
		ip -n "$COST_MEM_NS" -batch - ||
		{ bench_log "memory: no dummy ports"; ip netns del "$COST_MEM_NS"; return 1; }
	# Warm-up, not measured: what the first device of a kind allocates
	# once (caches, proc directories, percpu chunks).
	for sys in "${systems[@]}"; do
		[ -n "${warm[${sys%%:*}]:-}" ] && continue
		warm[${sys%%:*}]=1
		cost_mem_masters "$sys" "$k" && cost_mem_ports "$k"
		cost_mem_clean "$k"
	done
	# The caches are not counted, but make room once.
	echo 3 >/proc/sys/vm/drop_caches
	for ((rep = 0; rep < reps; rep++)); do
		for sys in $(rotate "$rep" "${systems[@]}"); do
			cost_mem_one "$sys" "$k" "$rep"
		done
	done
	ip netns del "$COST_MEM_NS"
}

# ------------------------------------------------- LACP aggregates --

# cost_agg_create NAME KIND K NPORTS RATE: K aggregates of NPORTS veth
# ports in the namespaces of NAME (dns/ens): masters m0..mK-1 (KIND lagx:
# lagx lacp, bond: bonding 802.3ad) over p<i>_<j>, facing 802.3ad bonds
# b<i> over q<i>_<j>, both sides at lacp_rate RATE, all up.  No address:
# they only negotiate.
cost_agg_create() {
	local name=$1 kind=$2 k=$3 n=$4 rate=$5 d e i j ns
	d=$(dns "$name")
	e=$(ens "$name")
	ip netns add "$d" || return 1
	ip netns add "$e" || return 1
	for ns in "$d" "$e"; do
		nsrun "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
			net.ipv6.conf.default.disable_ipv6=1
	done
	for ((i = 0; i < k; i++)); do
		for ((j = 0; j < n; j++)); do
			echo "link add p${i}_$j netns $d type veth peer name q${i}_$j netns $e"
		done
	done | ip -batch - || return 1
	for ((i = 0; i < k; i++)); do
		case $kind in
		lagx) echo "link add m$i type lagx mode lacp xmit_hash_policy $BENCH_HASH lacp_rate $rate" ;;
		bond) echo "link add m$i type bond mode 802.3ad miimon 100 xmit_hash_policy $BENCH_HASH lacp_rate $rate" ;;
		esac
		for ((j = 0; j < n; j++)); do echo "link set p${i}_$j master m$i"; done
		echo "link set m$i up"
	done | ip -n "$d" -batch - || return 1
	for ((i = 0; i < k; i++)); do
		echo "link add b$i type bond mode 802.3ad miimon 100 xmit_hash_policy $BENCH_HASH lacp_rate $rate"
		for ((j = 0; j < n; j++)); do echo "link set q${i}_$j master b$i"; done
		echo "link set b$i up"
	done | ip -n "$e" -batch -
}

# cost_agg_dist NAME KIND K NPORTS: are all K x NPORTS ports distributing?
cost_agg_dist() {
	local d i c
	d=$(dns "$1")
	for ((i = 0; i < $3; i++)); do
		case $2 in
		lagx) c=$(nsrun "$d" grep -c 'mux distributing' "/proc/net/lagx/m$i") ;;
		bond) c=$(bond_dist_count "$d" "m$i") ;;
		esac
		[ "${c:-0}" -eq "$4" ] || return 1
	done
}

# cost_agg_wait NAME KIND K NPORTS: wait (60 s at most) until all ports
# distribute.
cost_agg_wait() {
	local i
	for ((i = 0; i < 300; i++)); do
		cost_agg_dist "$@" && return 0
		sleep 0.2
	done
	bench_log "$1: $3 x $4 ports not distributing after 60 s"
	return 1
}

# cost_agg_set NAME K up|down: all masters of NAME, both sides.
cost_agg_set() {
	local name=$1 k=$2 st=$3 i
	for ((i = 0; i < k; i++)); do echo "link set m$i $st"; done |
		ip -n "$(dns "$name")" -batch -
	for ((i = 0; i < k; i++)); do echo "link set b$i $st"; done |
		ip -n "$(ens "$name")" -batch -
}

# ---------------------------------------------------------- timer_cpu --

# cost_timer_read NAME: "RUNS USEC" of the LACP timer of m0 of NAME;
# fails when the driver does not count.
cost_timer_read() {
	local s
	s=$(nsrun "$(dns "$1")" cat /proc/net/lagx/m0) || return 1
	[[ $s =~ LACP\ timer:\ ([0-9]+)\ runs,\ ([0-9]+)\ us ]] || return 1
	echo "${BASH_REMATCH[1]} ${BASH_REMATCH[2]}"
}

# cost_timer: CPU time of the LACP timer of lagx, fast and slow.
cost_timer() {
	local n=8 win=10 reps rep rate r0 u0 r1 u1 now
	local -A t0=() c0=()
	if [ "$BENCH_SMOKE" = 1 ]; then
		n=2
		win=2
	fi
	reps=$(cost_reps BENCH_TIMER_REPS 3)
	# Both built first: they negotiate at the same time.
	for rate in fast slow; do
		if ! cost_agg_create "timer:$rate" lagx 1 "$n" "$rate"; then
			record bench=error what=timer_cpu system=lagx:lacp ports="$n" rate="$rate"
			sys_destroy timer:fast
			sys_destroy timer:slow
			return 1
		fi
	done
	for rate in fast slow; do
		if ! cost_agg_wait "timer:$rate" lagx 1 "$n"; then
			record bench=error what=timer_cpu system=lagx:lacp ports="$n" rate="$rate"
			sys_destroy timer:fast
			sys_destroy timer:slow
			return 1
		fi
	done
	if ! cost_timer_read timer:fast >/dev/null; then
		bench_log "timer_cpu: no \"LACP timer:\" line in /proc/net/lagx/m0, skipped"
		sys_destroy timer:fast
		sys_destroy timer:slow
		return 0
	fi
	[ "$BENCH_SMOKE" = 1 ] || sleep 1
	for ((rep = 0; rep < reps; rep++)); do
		for rate in fast slow; do
			read -r r0 u0 < <(cost_timer_read "timer:$rate")
			t0[$rate]=$(now_us)
			c0[$rate]="$r0 $u0"
		done
		sleep "$win"
		for rate in fast slow; do
			read -r r1 u1 < <(cost_timer_read "timer:$rate")
			now=$(now_us)
			read -r r0 u0 <<<"${c0[$rate]}"
			if [ -z "${r0:-}" ] || [ -z "${r1:-}" ]; then
				record bench=error what=timer_cpu system=lagx:lacp \
					ports="$n" rate="$rate" rep="$rep"
				continue
			fi
			# shellcheck disable=SC2046 # two KEY=VALUE words
			record bench=timer_cpu system=lagx:lacp ports="$n" rate="$rate" \
				rep="$rep" $(awk -v du=$((u1 - u0)) -v dr=$((r1 - r0)) \
				-v dt=$((now - t0[$rate])) 'BEGIN {
					printf "us_per_s=%.3f runs_per_s=%.3f",
						du * 1e6 / dt, dr * 1e6 / dt }')
		done
	done
	sys_destroy "timer:fast"
	sys_destroy "timer:slow"
}

# ----------------------------------------------------------- idle_cpu --

# cost_probe SECS: iterations per second of a CPU-bound python loop that
# runs SECS seconds (startup excluded).
cost_probe() {
	python3 -c '
import sys, time
t0 = time.monotonic()
end = t0 + float(sys.argv[1])
n = 0
while True:
	for _ in range(10000):
		pass
	n += 1
	t = time.monotonic()
	if t >= end:
		break
print(int(n * 10000 / (t - t0)))' "$1"
}

# cost_idle: what K idle lagx / bonding LACP aggregates take from a busy
# loop, against none.
cost_idle() {
	local k=${BENCH_IDLE_DEVICES:-4} n=8 secs=${BENCH_IDLE_SECS:-2} reps rep sys loops
	local -A name=([lagx:lacp]=idle:lagx [bond:802.3ad]=idle:bond)
	if [ "$BENCH_SMOKE" = 1 ]; then
		k=1
		n=2
		secs=1
	fi
	reps=$(cost_reps BENCH_IDLE_REPS 3)
	# Both built first (they negotiate at the same time), then down.
	for sys in lagx:lacp bond:802.3ad; do
		cost_agg_create "${name[$sys]}" "${sys%%:*}" "$k" "$n" fast || break
	done
	for sys in lagx:lacp bond:802.3ad; do
		if ! cost_agg_wait "${name[$sys]}" "${sys%%:*}" "$k" "$n"; then
			record bench=error what=idle_cpu system="$sys" devices="$k" ports="$n"
			sys_destroy idle:lagx
			sys_destroy idle:bond
			return 1
		fi
	done
	cost_agg_set idle:lagx "$k" down
	cost_agg_set idle:bond "$k" down
	for ((rep = 0; rep < reps; rep++)); do
		for sys in $(rotate "$rep" none lagx:lacp bond:802.3ad); do
			if [ "$sys" != none ]; then
				cost_agg_set "${name[$sys]}" "$k" up
				if ! cost_agg_wait "${name[$sys]}" "${sys%%:*}" "$k" "$n"; then
					record bench=error what=idle_cpu system="$sys" \
						devices="$k" ports="$n" rep="$rep"
					cost_agg_set "${name[$sys]}" "$k" down
					continue
				fi
				# Past the negotiation: only the periodic work is left.
				[ "$BENCH_SMOKE" = 1 ] || sleep 1
			fi
			loops=$(cost_probe "$secs")
			[ "$sys" != none ] && cost_agg_set "${name[$sys]}" "$k" down
			if [ -z "$loops" ]; then
				record bench=error what=idle_cpu system="$sys" devices="$k" \
					ports="$n" rep="$rep"
				continue
			fi
			record bench=idle_cpu system="$sys" devices="$k" ports="$n" \
				rep="$rep" loops_per_s="$loops"
		done
	done
	sys_destroy idle:lagx
	sys_destroy idle:bond
}

# run_cost: the three parts, one after the other.
run_cost() {
	local start
	start=$(now_us)
	cost_memory
	bench_log "cost: memory done ($(( ($(now_us) - start) / 1000000 )) s)"
	cost_timer
	bench_log "cost: timer_cpu done ($(( ($(now_us) - start) / 1000000 )) s)"
	cost_idle
	bench_log "cost: idle_cpu done ($(( ($(now_us) - start) / 1000000 )) s)"
}
