# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Packet rates through the master, with pktgen (sourced by bench.sh).
#
# tx: pktgen in the DUT namespace sends UDP through m0 (or the bare p0) to
#     the peer; the rate is pktgen's, and what the far ends received is
#     recorded too (a driver that drops would otherwise look fast).
# rx: pktgen in the peer namespace sends from the far ends of the ports
#     (of the active port only in active-backup) to the DUT's address; the
#     rate is what m0 delivered per second of sending.
# Both ends drop the stream at their ingress once counted (sys_sink).

# bench_tx SYS NPORTS SIZE FLOWS REP GROUP
bench_tx() {
	local sys=$1 n=$2 size=$3 flows=$4 rep=$5 group=$6 d e before after
	local sent us pps count=$BENCH_TX_COUNT
	d=$(dns "$sys")
	e=$(ens "$sys")
	[ "$size" -gt 256 ] && count=$((count / 2))
	before=$(rx_packets "${SYS_EPID[$sys]}" 'q*')
	pg_dev "$(dut_dev "$sys")" "$size" "$flows" "$count" "${SYS_PEER_MAC[$sys]}"
	pg_go "$d" "$(dut_dev "$sys")" || return 1
	after=$(rx_packets "${SYS_EPID[$sys]}" 'q*')
	read -r _ sent us pps <<<"${PG_OUT[0]}"
	[ "${us:-0}" -gt 0 ] || { bench_log "tx $sys: no pktgen result"; return 1; }
	record bench=tx group="$group" system="$sys" ports="$n" size="$size" \
		flows="$flows" rep="$rep" pps="$pps" sent="$sent" \
		delivered=$((after - before)) usec="$us"
}

# The active port of each active-backup system, looked up once per set-up.
declare -A SYS_ACTIVE

# bench_rx SYS NPORTS SIZE FLOWS REP GROUP
bench_rx() {
	local sys=$1 n=$2 size=$3 flows=$4 rep=$5 group=$6 d e mac qs=() i
	local before after sent us maxus=0 total=0 count
	d=$(dns "$sys")
	e=$(ens "$sys")
	mac=${SYS_DUT_MAC[$sys]}
	if [ "$group" = ab ] && [ "$sys" != bare ]; then
		i=${SYS_ACTIVE[$sys]:-$(active_port "$sys")}
		SYS_ACTIVE[$sys]=$i
		qs=("q${i#p}")
	else
		for ((i = 0; i < n; i++)); do qs+=("q$i"); done
	fi
	[ "$sys" = bare ] && qs=(q0)
	count=$((BENCH_TX_COUNT / ${#qs[@]}))
	[ "$size" -gt 256 ] && count=$((count / 2))
	for i in "${qs[@]}"; do
		PG_SRC=$BENCH_IP_E PG_DST=$BENCH_IP_D pg_dev "$i" "$size" "$flows" "$count" "$mac"
	done
	before=$(rx_packets "${SYS_DPID[$sys]}" "$(dut_dev "$sys")")
	pg_go "$e" "${qs[@]}" || return 1
	after=$(rx_packets "${SYS_DPID[$sys]}" "$(dut_dev "$sys")")
	while read -r _ sent us _; do
		total=$((total + sent))
		[ "$us" -gt "$maxus" ] && maxus=$us
	done < <(printf '%s\n' "${PG_OUT[@]}")
	[ "$maxus" -gt 0 ] || { bench_log "rx $sys: no pktgen result"; return 1; }
	record bench=rx group="$group" system="$sys" ports="$n" size="$size" \
		flows="$flows" rep="$rep" \
		pps=$(( (after - before) * 1000000 / maxus )) sent="$total" \
		delivered=$((after - before)) usec="$maxus"
}
