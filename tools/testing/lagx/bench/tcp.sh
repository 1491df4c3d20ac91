# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# TCP throughput through the master, with iperf3 (sourced by bench.sh).
#
# Per group, every system of the group (bare included) is built with 2
# ports, and an iperf3 server runs in each peer namespace on BENCH_IP_E for
# the whole group.  The client, in the DUT namespace, sends 1 then 8
# streams (-P 8) for BENCH_TCP_SECS seconds (default 1) after
# BENCH_TCP_OMIT seconds of warm-up (default 1, not counted); the systems
# alternate from one repetition to the next.  The offloads stay as veth
# sets them (TSO, GSO, checksum, scatter-gather on): a master that loses
# one makes the stack segment or checksum in software, which is what this
# benchmark shows, next to the features of every master (bench=features,
# and the whole "ethtool -k" in features-TAG.txt).
#
# Repetitions: BENCH_TCP_REPS (default 3) or BENCH_REPS if smaller.  A run
# costs BENCH_TCP_SECS + BENCH_TCP_OMIT + ~0.9 s (iperf3 and its setup), and
# a repetition has 26 runs (13 systems x 2 stream counts): with the
# defaults the benchmark takes ~4.5 minutes, each more second of run adds
# ~80 s.  Smoke mode: 8 streams only, 4 MB runs
# (-n 4M), no warm-up.  BENCH_TCP_GROUPS and BENCH_TCP_STREAMS override
# the groups and stream counts measured.
#
# Records:
#   bench=tcp group=G system=S ports=2 streams=K rep=R gbps=X retrans=Y
#   bench=features system=S tso=on|off gso=on|off sg=on|off csum=on|off
#       gso_max_size=N tso_max_size=N

TCP_PORTS=2
TCP_TMP=/tmp/bench-tcp

# tcp_pidfile SYS: where the iperf3 server of SYS writes its pid.
tcp_pidfile() { echo "$TCP_TMP/iperf3-$(sys_tag "$1").pid"; }

# tcp_server_start SYS: a persistent iperf3 server in the peer namespace
# of SYS, listening on BENCH_IP_E; waits until it accepts connections.
tcp_server_start() {
	local sys=$1 e pidf i
	e=$(ens "$sys")
	pidf=$(tcp_pidfile "$sys")
	mkdir -p "$TCP_TMP"
	rm -f "$pidf"
	nsrun "$e" iperf3 -s -D -B "$BENCH_IP_E" -I "$pidf" --idle-timeout 60 \
		--logfile "$TCP_TMP/iperf3-$(sys_tag "$sys").log" || return 1
	for ((i = 0; i < 100; i++)); do
		[ -s "$pidf" ] && [ -n "$(nsrun "$e" ss -Hltn "sport = :5201")" ] &&
			return 0
		sleep 0.1
	done
	bench_log "tcp $sys: iperf3 server not listening after 10 s"
	return 1
}

# tcp_server_stop SYS: stop the iperf3 server of SYS (by its pid file).
tcp_server_stop() {
	local pidf pid i
	pidf=$(tcp_pidfile "$1")
	[ -s "$pidf" ] || return 0
	pid=$(<"$pidf")
	rm -f "$pidf"
	[[ "$pid" =~ ^[0-9]+$ ]] || return 0
	kill "$pid" 2>/dev/null || return 0
	for ((i = 0; i < 50; i++)); do
		kill -0 "$pid" 2>/dev/null || return 0
		sleep 0.1
	done
	kill -KILL "$pid" 2>/dev/null
	return 0
}

# tcp_json FILTER...: the values the jq paths FILTER (like .end.sum_sent.retransmits)
# select in the JSON on stdin, tab-separated on one line, empty if absent.
tcp_json() {
	local f q=
	if command -v jq >/dev/null; then
		for f in "$@"; do q+="${q:+, }($f // \"\" | tostring)"; done
		jq -r "[$q] | @tsv"
	else
		python3 -c '
import json, sys
try:
	d = json.load(sys.stdin)
except ValueError:
	d = {}
out = []
for path in sys.argv[1:]:
	v = d
	for k in path.lstrip(".").split("."):
		if isinstance(v, list) and k.startswith("[") and k.endswith("]"):
			v = v[int(k[1:-1])] if len(v) > int(k[1:-1]) else None
		else:
			v = v.get(k) if isinstance(v, dict) else None
	out.append("" if v is None else str(v))
print("\t".join(out))' "$@"
	fi
}

# tcp_run SYS STREAMS LENGTH OMIT REP GROUP: one iperf3 run (LENGTH "-t
# SECS" or "-n BYTES"), one record.
tcp_run() {
	local sys=$1 k=$2 len=$3 omit=$4 rep=$5 group=$6 d bps retr err gbps
	d=$(dns "$sys")
	# shellcheck disable=SC2086 # len is two words
	IFS=$'\t' read -r bps retr err < <(nsrun "$d" timeout $((60 + omit + ${BENCH_TCP_SECS:-1})) \
		iperf3 -c "$BENCH_IP_E" -B "$BENCH_IP_D" $len -O "$omit" \
		-P "$k" -J --connect-timeout 5000 |
		tcp_json .end.sum_received.bits_per_second \
			.end.sum_sent.retransmits .error)
	if [ -z "$bps" ]; then
		bench_log "tcp $sys, $k streams: no result (${err:-no output})"
		record bench=error what=tcp group="$group" system="$sys" \
			ports="$TCP_PORTS" streams="$k" rep="$rep"
		return 1
	fi
	gbps=$(awk -v b="$bps" 'BEGIN { printf "%.4f", b / 1e9 }')
	record bench=tcp group="$group" system="$sys" ports="$TCP_PORTS" \
		streams="$k" rep="$rep" gbps="$gbps" retrans="${retr:-0}"
}

# tcp_features SYS: record the offloads of the device traffic goes through
# (the master, or p0 for bare); the whole "ethtool -k" goes to
# $BENCH_OUT/features-TAG.txt for a precise comparison.
tcp_features() {
	local sys=$1 d dev f k v gso_max tso_max
	local -A on=()
	d=$(dns "$sys")
	dev=$(dut_dev "$sys")
	f=$BENCH_OUT/features-$(sys_tag "$sys").txt
	# One process in the namespace: the offloads to the file, the link
	# (gso_max_size, tso_max_size) in JSON.
	# shellcheck disable=SC2016 # expanded by the inner shell
	IFS=$'\t' read -r gso_max tso_max < <(nsrun "$d" sh -c \
		'ethtool -k "$1" >"$2" 2>&1 && ip -d -j link show dev "$1"' sh "$dev" "$f" |
		tcp_json '.[0].gso_max_size' '.[0].tso_max_size')
	if [ ! -s "$f" ] || [ -z "$gso_max" ]; then
		bench_log "tcp $sys: ethtool -k or ip link failed"
		return 1
	fi
	# "name: on [fixed]": the top-level features, first word of the value.
	while IFS=': ' read -r k v _; do
		on[$k]=$v
	done < <(grep -v '^[[:space:]]' "$f")
	record bench=features system="$sys" \
		tso="${on[tcp-segmentation-offload]:-}" \
		gso="${on[generic-segmentation-offload]:-}" \
		sg="${on[scatter-gather]:-}" csum="${on[tx-checksumming]:-}" \
		gso_max_size="${gso_max:-}" tso_max_size="${tso_max:-}"
}

# run_tcp: the TCP benchmark, every group of BENCH_TCP_GROUPS (default
# GROUPS_ORDER).
run_tcp() {
	local group groups=${BENCH_TCP_GROUPS:-$GROUPS_ORDER} sys systems rep k
	local reps len omit start streams="1 8"
	local -A featured=()
	reps=${BENCH_TCP_REPS:-3}
	[ "$reps" -gt "$BENCH_REPS" ] && reps=$BENCH_REPS
	if [ "$BENCH_SMOKE" = 1 ]; then
		len="-n 4M"
		omit=0
		streams=8
	else
		len="-t ${BENCH_TCP_SECS:-1}"
		omit=${BENCH_TCP_OMIT:-1}
	fi
	start=$(now_us)
	for group in $groups; do
		[ -n "${GROUP_SYSTEMS[$group]:-}" ] || continue
		systems=()
		for sys in ${GROUP_SYSTEMS[$group]}; do
			if sys_create "$sys" "$TCP_PORTS" && tcp_server_start "$sys"; then
				systems+=("$sys")
				if [ -z "${featured[$sys]:-}" ]; then
					tcp_features "$sys"
					featured[$sys]=1
				fi
			else
				bench_log "tcp: $sys not measured"
				record bench=error what=tcp group="$group" system="$sys" ports="$TCP_PORTS"
				tcp_server_stop "$sys"
				sys_destroy "$sys"
			fi
		done
		if [ ${#systems[@]} -gt 0 ]; then
			for ((rep = 0; rep < reps; rep++)); do
				for sys in $(rotate "$rep" "${systems[@]}"); do
					for k in ${BENCH_TCP_STREAMS:-$streams}; do
						tcp_run "$sys" "$k" "$len" "$omit" "$rep" "$group"
					done
				done
			done
		fi
		for sys in "${systems[@]}"; do
			tcp_server_stop "$sys"
			sys_destroy "$sys"
		done
		bench_log "tcp: $group done ($(( ($(now_us) - start) / 1000000 )) s)"
	done
	rm -rf "$TCP_TMP"
}
