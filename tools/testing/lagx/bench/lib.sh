# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Topologies and measurement helpers shared by the lagx benchmarks.
# Sourced by bench.sh inside the UML guest, never run.
#
# Every system under test lives in its own pair of namespaces, so all of
# them can be built once and measured alternately in the same boot:
#
#   d_<tag>: the device under test "m0" over ports p0..pN-1 (veth), or for
#            the bare port, p0 alone with the address
#   e_<tag>: the far ends q0..qN-1 under the peer "pm" (a bridge, or an
#            802.3ad bond for the LACP systems), or q0 alone for bare
#
# A system is "kind:mode" (lagx:balance-slb, bond:802.3ad, team:lacp, bare)
# and its tag is the same with ':' '+' '.' '-' squashed to '_'.
#
# Results are JSON lines appended to $BENCH_OUT/raw.jsonl by record().

BENCH_IP_D=192.0.2.1
BENCH_IP_E=192.0.2.2
BENCH_PREFIX=24
# Hash for every load-sharing system: the same fields everywhere.
BENCH_HASH=layer3+4

bench_log() { echo "bench: $*" >&2; }

sys_tag() { local t=${1//[:+.-]/_}; echo "${t}"; }

# ns_of SYS: the namespaces of a system ("d_x e_x").
dns() { echo "d_$(sys_tag "$1")"; }
ens() { echo "e_$(sys_tag "$1")"; }

# nsrun NS CMD...: run CMD in NS (sysfs and /proc/net of NS).
nsrun() { local ns=$1; shift; ip netns exec "$ns" "$@"; }

# record KEY=VALUE...: one result line.  Numbers stay numbers.
record() {
	local kv k v out=
	for kv in "$@"; do
		k=${kv%%=*}
		v=${kv#*=}
		v=${v//[$'\n\t']/ }
		v=${v//[\"\\]/}
		if [[ "$v" =~ ^-?[0-9]+(\.[0-9]+)?$ ]]; then
			out+="${out:+,}\"$k\":$v"
		else
			out+="${out:+,}\"$k\":\"$v\""
		fi
	done
	echo "{$out}" >>"$BENCH_OUT/raw.jsonl"
}

# now_us: the time in microseconds (bash's EPOCHREALTIME: wall clock, good
# enough for the second-scale intervals measured with it).
now_us() { local t=${EPOCHREALTIME/./}; echo "$t"; }

# ---------------------------------------------------------- topologies --

# peer_kind SYS: what the far side needs to be for SYS.
peer_kind() {
	case $1 in
	bare) echo none ;;
	lagx:lacp | bond:802.3ad | team:lacp) echo bond-lacp ;;
	*) echo bridge ;;
	esac
}

# The MACs of each system's DUT device and peer device, and the PIDs of
# processes in its DUT and peer namespaces (set by sys_create).
declare -A SYS_DUT_MAC SYS_PEER_MAC SYS_DPID SYS_EPID

# rx_packets PID PATTERN: received packets of the devices of PID's
# namespace whose name matches the glob PATTERN, summed (bash builtins
# only: /proc/PID/net/dev).
rx_packets() {
	local name rxp rest sum=0
	while read -r name _ rxp rest; do
		name=${name%:}
		# shellcheck disable=SC2053	# PATTERN is a glob
		[[ $name == $2 ]] && sum=$((sum + rxp))
	done <"/proc/$1/net/dev"
	echo "$sum"
}

# sys_create SYS NPORTS: build the namespaces, ports, master and peer of SYS
# and bring everything up.  Waits until the master carries traffic.
sys_create() {
	local sys=$1 n=$2 d e i kind=${1%%:*} mode=${1#*:} dev=m0
	d=$(dns "$sys")
	e=$(ens "$sys")
	ip netns add "$d"
	ip netns add "$e"
	[ "$sys" = bare ] && n=1
	{
		for ((i = 0; i < n; i++)); do
			echo "link add p$i netns $d type veth peer name q$i netns $e"
		done
	} | ip -batch - || return 1

	case $kind in
	bare)
		dev=p0
		ip -n "$d" -batch - <<-EOB || return 1
			addr add $BENCH_IP_D/$BENCH_PREFIX dev p0
			link set p0 up
		EOB
		;;
	lagx)
		ip -n "$d" -batch - <<-EOB || return 1
			link add m0 type lagx mode $mode $(lagx_opts "$mode")
			$(for ((i = 0; i < n; i++)); do echo "link set p$i master m0"; done)
			addr add $BENCH_IP_D/$BENCH_PREFIX dev m0
			link set m0 up
		EOB
		;;
	bond)
		ip -n "$d" -batch - <<-EOB || return 1
			link add m0 type bond mode $mode miimon 100 $(bond_opts "$mode")
			$(for ((i = 0; i < n; i++)); do echo "link set p$i master m0"; done)
			addr add $BENCH_IP_D/$BENCH_PREFIX dev m0
			link set m0 up
		EOB
		;;
	team)
		dev=$(dut_dev "$sys")
		nsrun "$d" teamd -d -r -t "$dev" -c "$(team_conf "$mode" "$n" "$dev")" \
			>"$BENCH_OUT/teamd-$dev.log" 2>&1 ||
			{ bench_log "$sys: teamd failed: $(cat "$BENCH_OUT/teamd-$dev.log")"; return 1; }
		ip -n "$d" -batch - <<-EOB || return 1
			addr add $BENCH_IP_D/$BENCH_PREFIX dev $dev
			link set $dev up
		EOB
		;;
	*) bench_log "unknown system $sys"; return 1 ;;
	esac

	peer_create "$e" "$(peer_kind "$sys")" "$n" || return 1
	# A process parked in each namespace: /proc/PID/net/dev gives its
	# counters without starting a process per read.
	ip netns exec "$d" sleep infinity &
	SYS_DPID[$sys]=$!
	ip netns exec "$e" sleep infinity &
	SYS_EPID[$sys]=$!
	SYS_PEER_MAC[$sys]=$(mac_of "$e" "$(peer_dev "$sys")")
	SYS_DUT_MAC[$sys]=$(mac_of "$d" "$dev")
	# Static neighbours: no ARP in the measurements.
	ip -n "$d" neigh replace "$BENCH_IP_E" lladdr "${SYS_PEER_MAC[$sys]}" \
		dev "$dev" nud permanent
	ip -n "$e" neigh replace "$BENCH_IP_D" lladdr "${SYS_DUT_MAC[$sys]}" \
		dev "$(peer_dev "$sys")" nud permanent
	sys_wait_ready "$sys" "$n"
}

lagx_opts() {
	case $1 in
	balance-slb) echo "xmit_hash_policy $BENCH_HASH" ;;
	lacp) echo "xmit_hash_policy $BENCH_HASH lacp_rate fast" ;;
	esac
}

bond_opts() {
	case $1 in
	balance-xor) echo "xmit_hash_policy $BENCH_HASH" ;;
	802.3ad) echo "xmit_hash_policy $BENCH_HASH lacp_rate fast" ;;
	esac
}

team_conf() {	# runner nports device
	local runner i plist=
	for ((i = 0; i < $2; i++)); do plist+="${plist:+,}\"p$i\":{}"; done
	case $1 in
	loadbalance) runner='{"name":"loadbalance","tx_hash":["eth","ipv4","ipv6","l4"]}' ;;
	lacp) runner='{"name":"lacp","active":true,"fast_rate":true,"tx_hash":["eth","ipv4","ipv6","l4"]}' ;;
	*) runner="{\"name\":\"$1\"}" ;;
	esac
	echo "{\"device\":\"$3\",\"runner\":$runner,\"link_watch\":{\"name\":\"ethtool\"},\"ports\":{$plist}}"
}

# peer_create NS KIND NPORTS: pm over q0..qN-1 (KIND bridge or bond-lacp),
# or q0 alone (none), with the peer address.
peer_create() {
	local e=$1 kind=$2 n=$3 i
	case $kind in
	none)
		ip -n "$e" -batch - <<-EOB
			addr add $BENCH_IP_E/$BENCH_PREFIX dev q0
			link set q0 up
		EOB
		;;
	bridge)
		ip -n "$e" -batch - <<-EOB
			link add pm type bridge forward_delay 0 stp_state 0
			$(for ((i = 0; i < n; i++)); do echo "link set q$i master pm"; echo "link set q$i up"; done)
			addr add $BENCH_IP_E/$BENCH_PREFIX dev pm
			link set pm up
		EOB
		;;
	bond-lacp)
		ip -n "$e" -batch - <<-EOB
			link add pm type bond mode 802.3ad miimon 100 lacp_rate fast xmit_hash_policy $BENCH_HASH
			$(for ((i = 0; i < n; i++)); do echo "link set q$i master pm"; done)
			addr add $BENCH_IP_E/$BENCH_PREFIX dev pm
			link set pm up
		EOB
		;;
	esac
}

# sys_sink SYS: the pktgen stream (UDP to port 9) is dropped by tc at the
# ingress of the far ends and of the DUT device, once counted: neither
# side's IP stack (route lookups, ICMP port unreachable) weighs on the
# rates, which then measure the master (TX: its xmit; RX: the ports and its
# rx handler, the drop being on the master's own ingress).
sys_sink() {
	local sys=$1 d e q
	d=$(dns "$sys")
	e=$(ens "$sys")
	for q in $(nsrun "$e" ls /sys/class/net | grep '^q'); do
		echo "qdisc add dev $q clsact"
		echo "filter add dev $q ingress protocol ip flower ip_proto udp dst_port 9 action drop"
	done | tc -n "$e" -batch - || return 1
	tc -n "$d" -batch - <<-EOB
		qdisc add dev $(dut_dev "$sys") clsact
		filter add dev $(dut_dev "$sys") ingress protocol ip flower ip_proto udp dst_port 9 action drop
	EOB
}

peer_dev() { [ "$1" = bare ] && echo q0 || echo pm; }

# dut_dev SYS: the device traffic goes through.  teamd keeps its control
# socket in /run/teamd/DEV.sock, shared by all namespaces: each team gets
# its own name.
dut_dev() {
	case $1 in
	bare) echo p0 ;;
	team:*) echo "t_${1#team:}" | cut -c1-15 ;;
	*) echo m0 ;;
	esac
}

mac_of() { nsrun "$1" cat "/sys/class/net/$2/address"; }

sys_destroy() {
	local sys=$1 d e
	d=$(dns "$sys")
	e=$(ens "$sys")
	[ -n "${SYS_DPID[$sys]:-}" ] && kill "${SYS_DPID[$sys]}" "${SYS_EPID[$sys]}" 2>/dev/null
	unset "SYS_DPID[$sys]" "SYS_EPID[$sys]"
	[ "${sys%%:*}" = team ] && nsrun "$d" teamd -k -t "$(dut_dev "$sys")" >/dev/null 2>&1
	ip netns del "$d" 2>/dev/null
	ip netns del "$e" 2>/dev/null
	return 0
}

# sys_ports_dist SYS NPORTS: are all NPORTS ports carrying traffic?
sys_ports_dist() {
	local sys=$1 n=$2 d
	d=$(dns "$sys")
	case $sys in
	bare) return 0 ;;
	lagx:lacp)
		[ "$(nsrun "$d" grep -c 'mux distributing' /proc/net/lagx/m0)" -eq "$n" ] ;;
	bond:802.3ad)
		[ "$(bond_dist_count "$d" m0)" -eq "$n" ] ;;
	team:lacp)
		[ "$(nsrun "$d" teamdctl "$(dut_dev "$sys")" state dump 2>/dev/null |
			python3 -c "$TEAM_DIST_PY" 2>/dev/null)" = "$n" ] ;;
	*)
		nsrun "$d" ping -c1 -W1 -q "$BENCH_IP_E" >/dev/null 2>&1 ;;
	esac
}

# Ports of a teamd lacp runner that are selected and distributing.
TEAM_DIST_PY='
import json, sys
s = json.load(sys.stdin)
print(sum(1 for p in s.get("ports", {}).values()
	  if p.get("runner", {}).get("selected") and
	  p["runner"].get("actor_lacpdu_info", {}).get("state", 0) & 0x20))
'

# bond_dist_count NS BOND: ports whose actor state has Distributing (0x20).
# shellcheck disable=SC2016	# awk's $3
bond_dist_count() {
	local st c=0
	while read -r st; do
		(( (st & 0x20) != 0 )) && c=$((c + 1))
	done < <(nsrun "$1" awk '/details actor lacp pdu:/ { a = 1 }
		a && /port state:/ { print $3; a = 0 }' "/proc/net/bonding/$2")
	echo $c
}

sys_wait_ready() {
	local sys=$1 n=$2 end=$((SECONDS + 30))
	while [ $SECONDS -lt $end ]; do
		sys_ports_dist "$sys" "$n" && return 0
		sleep 0.1
	done
	bench_log "$sys with $n ports: not ready after 30 s"
	return 1
}

# active_port SYS: the port an active-backup system transmits on.
active_port() {
	local d
	d=$(dns "$1")
	case $1 in
	lagx:*) ip -n "$d" -d -j link show dev m0 |
		python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["linkinfo"]["info_data"]["active_port"])' ;;
	bond:*) nsrun "$d" cat /sys/class/net/m0/bonding/active_slave ;;
	team:*) nsrun "$d" teamdctl "$(dut_dev "$1")" state item get runner.active_port ;;
	bare) echo p0 ;;
	esac
}

# ------------------------------------------------------------- pktgen --

# pktgen: queue commands with pg FILE COMMAND (FILE kpktgend_0, a device,
# or pgctrl), then pg_go NS DEV... runs them in NS, starts, waits, and
# sets PG_OUT to one "DEV sent usec pps" line per DEV.  Everything runs in one shell:
# a process costs milliseconds in User-Mode Linux.
PG_CMDS=()
pg() { PG_CMDS+=("$1 ${*:2}"); }

PG_OUT=()
pg_go() {
	local ns=$1
	shift
	# shellcheck disable=SC2016
	mapfile -t PG_OUT < <(printf '%s\n' "${PG_CMDS[@]}" | nsrun "$ns" bash -c '
		echo rem_device_all >/proc/net/pktgen/kpktgend_0
		while read -r f cmd; do
			echo "$cmd" >"/proc/net/pktgen/$f" ||
				{ echo "pktgen: $f: $cmd" >&2; exit 1; }
		done
		echo start >/proc/net/pktgen/pgctrl
		for d in "$@"; do
			r=$(<"/proc/net/pktgen/$d")
			[[ $r =~ sofar:\ ([0-9]+) ]] && sent=${BASH_REMATCH[1]}
			[[ $r =~ Result:\ OK:\ ([0-9]+)\( ]] && us=${BASH_REMATCH[1]}
			[[ $r =~ \ ([0-9]+)pps ]] && pps=${BASH_REMATCH[1]}
			echo "$d ${sent:-0} ${us:-0} ${pps:-0}"
		done
		echo rem_device_all >/proc/net/pktgen/kpktgend_0
	' pg "$@")
	PG_CMDS=()
	[ ${#PG_OUT[@]} -eq $# ]
}

# pg_dev DEV SIZE FLOWS COUNT DSTMAC: the usual settings of one device:
# UDP from BENCH_IP_D (or $PG_SRC) to BENCH_IP_E (or $PG_DST), FLOWS source
# ports, clone_skb 0 and burst 1 (bonding and team refuse shared skbs).
pg_dev() {
	local dev=$1 size=$2 flows=$3 count=$4 mac=$5
	pg kpktgend_0 add_device "$dev"
	pg "$dev" count "$count"
	pg "$dev" pkt_size "$size"
	pg "$dev" clone_skb 0
	pg "$dev" burst 1
	pg "$dev" delay "${PG_DELAY:-0}"
	pg "$dev" dst_mac "$mac"
	pg "$dev" src_min "${PG_SRC:-$BENCH_IP_D}"
	pg "$dev" dst_min "${PG_DST:-$BENCH_IP_E}"
	pg "$dev" udp_dst_min 9
	pg "$dev" udp_dst_max 9
	pg "$dev" udp_src_min 1024
	pg "$dev" udp_src_max $((1024 + flows - 1))
}

# dev_stat NS DEV STAT: one counter from sysfs.
dev_stat() { nsrun "$1" cat "/sys/class/net/$2/statistics/$3"; }

# ------------------------------------------------------------ results --

# rotate N ITEMS...: ITEMS rotated left by N (alternates the order in which
# systems are measured from one repetition to the next).
rotate() {
	local n=$1; shift
	local a=("$@")
	local k=${#a[@]}
	n=$((n % k))
	echo "${a[@]:n}" "${a[@]:0:n}"
}
