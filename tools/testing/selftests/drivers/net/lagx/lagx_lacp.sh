#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# lacp mode (IEEE 802.1AX) against real partners and under faults.
#
#   netns H                                netns P (the partner)
#   +----------------------------+         +----------------------------+
#   |  lagx0 mode lacp           |         |  bond0 802.3ad / OVS bond /|
#   |  192.0.2.1/24              |         |  teamd lacp / lagx1 / br0  |
#   |   |               |        |         |  192.0.2.2/24              |
#   |  a0              a1        |         |  b0              b1        |
#   +---|---------------|--------+         +---|---------------|--------+
#       |               +------- veth ---------|---------------+
#       +----------------------- veth ---------+
#
# Interop: the aggregate forms with Linux bonding (fast and slow rate,
# either side passive), Open vSwitch (lacp=active and passive), teamd and
# lagx itself; both sides show every port distributing, each side's view
# of its partner is the other side's own identity, and traffic passes.
# Passive against passive never forms: lagx falls back.
#
# Faults: a partner without LACP (fallback balance-slb, then back to lacp
# when the partner starts speaking it), LACPDUs dropped on one port (tc
# flower on the partner's egress), two partner systems (one aggregator
# active, the other standby) and one system on two boxes (MLAG, one
# aggregator), a port flapping, min_links, a port with another lacp_key,
# the graceful detach of a released port, malformed and unknown
# slow-protocols PDUs, and a lagx port cabled to another port of the same
# device (looped LACPDUs).
#
#   Topology of the "two switches" cases:
#     H: lagx0 with a0 a1 -> netns A (bond0: b0 b1)
#                   a2 a3 -> netns B (bond0: b2 b3)
#
# Measured (reported as "# " lines, not asserted): the time from link-up
# (lagx0 and the partner both up) until every port distributes, per
# partner, and the ping replies lost when a member fails (its carrier taken
# away on the partner side) under a 10 ms ping.
#
# Set-ups cost seconds in User-Mode Linux: the cases with the bonding
# partner at fast rate share one topology (set up by the first case and
# kept), so do the two Open vSwitch cases and the two "two switches"
# cases; every other case builds its own.  Parsing avoids forks and
# line-by-line loops for the same reason.
#
# Environment (and lib.sh's):
#   LAGX_IP_LIB_DIR  where link_lagx.so and link_lagx_slave.so are
#                    (default: tools/iproute2 of this tree, "make plugin")
#   LOSS_COUNT (400) and LOSS_INTERVAL (0.01 s) shape the ping of the
#   member-failure measurement.

# Test cases are called through run_tests.
# shellcheck disable=SC2317
lib_dir=$(dirname "$(readlink -f "$0")")
# shellcheck source=lib.sh
. "$lib_dir/lib.sh"

# ip loads $IP_LIB_DIR/link_<kind>.so.
IP_LIB_DIR=${LAGX_IP_LIB_DIR:-$(readlink -f "$lib_dir/../../../../../..")/tools/iproute2}
export IP_LIB_DIR

: "${LOSS_COUNT:=400}"
: "${LOSS_INTERVAL:=0.01}"

# Timeouts (s).  Fast rate: a port distributes ~3 s after link-up
# (wait_while 2 s, then a few LACPDU exchanges); expired 3 s and defaulted
# 3 s more after the partner's last LACPDU; fallback 3 s after link-up.
FORM_TMO=15
FALLBACK_TMO=10
# After both sides DEFAULTED both send LACPDUs every 30 s (slow periodic:
# the partner's timeout is then the administrative default, long).
SLOW_RECOVERY_TMO=35

LAGX_IP_C=192.0.2.3

# An active, fast-rate partner distributing, as lagx shows its state.
ACTIVE_FAST_DIST='^ACTIVITY,TIMEOUT,AGGREGATION,SYNC,COLLECTING,DISTRIBUTING$'

# The shared topology (bonding partner, fast rate).
H=
P=
BASE_OK=0

TMP=
T_UP=0			# EPOCHREALTIME (us) when lagx0 and its partner were up
MEAS=()			# measurements, repeated at the end

# ------------------------------------------------------------ helpers --

now_us() { echo "${EPOCHREALTIME/./}"; }

# ms_since T0_US
ms_since() { echo $(( ($(now_us) - $1) / 1000 )); }

# diag CMD...: CMD's output as KTAP diagnostics.
diag()
{
	"$@" 2>&1 | sed 's/^/#   /'
}

# dump_lagx NS [DEV]: /proc/net/lagx/DEV (lagx0) of NS, as diagnostics.
dump_lagx()
{
	ns_proc "$1"
	echo "#   --- /proc/net/lagx/${2:-lagx0} in $1"
	diag grep -v -E '^ +[0-9]+ ' "$REPLY/net/lagx/${2:-lagx0}"
}

dump_bond()
{
	ns_proc "$1"
	echo "#   --- /proc/net/bonding/bond0 in $1"
	diag grep -E -e 'Aggregator ID|Number of ports|Partner Mac|System MAC|Slave Interface' \
		-e 'MII Status|port state|system mac|port number|Key' "$REPLY/net/bonding/bond0"
}

need_base()
{
	[ "$BASE_OK" = 1 ] && return 0
	skip_test "the shared lagx0 - bond0 topology did not form"
	return 1
}

# ---------------------------------------------------- lagx /proc views --

LACP_LINE=		# "LACP port X: mux ..., rx ..., SEL, REASON (since Ns)"
LACP_BLOCK=		# the whole block of that port
LACP_MUX="" LACP_RX="" LACP_SEL="" LACP_REASON="" LACP_SINCE=

# _lacp_port PORT: PORT's LACP block of PROC, parsed (string operations
# only: a "while read" loop costs milliseconds a line in User-Mode Linux).
_lacp_port()
{
	local rest re

	LACP_LINE="" LACP_BLOCK="" LACP_MUX="" LACP_RX="" LACP_SEL="" LACP_REASON=""
	LACP_SINCE=""
	rest=${PROC#*$'\n'"LACP port $1: "}
	[ "$rest" != "$PROC" ] || return 1
	LACP_BLOCK="LACP port $1: ${rest%%$'\n\n'*}"$'\n'
	LACP_LINE=${LACP_BLOCK%%$'\n'*}
	re='^LACP port [^:]+: mux ([a-z]+), rx ([a-z-]+), ([a-z]+), (.*) \(since ([0-9]+)s\)$'
	[[ "$LACP_LINE" =~ $re ]] || return 1
	LACP_MUX=${BASH_REMATCH[1]}
	LACP_RX=${BASH_REMATCH[2]}
	LACP_SEL=${BASH_REMATCH[3]}
	LACP_REASON=${BASH_REMATCH[4]}
	LACP_SINCE=${BASH_REMATCH[5]}
}

# lacp_port [-n NS] DEV PORT: read /proc and parse PORT's block.
lacp_port()
{
	local ns=""
	[ "$1" = -n ] && { ns=$2; shift 2; }

	proc_read ${ns:+-n "$ns"} "$1" && _lacp_port "$2"
}

# lacp_dist [-n NS] DEV PORT...: every PORT's mux is distributing (one
# read of /proc).
lacp_dist()
{
	local ns="" dev p
	[ "$1" = -n ] && { ns=$2; shift 2; }
	dev=$1; shift

	proc_read ${ns:+-n "$ns"} "$dev" || return 1
	for p in "$@"; do
		_lacp_port "$p" && [ "$LACP_MUX" = distributing ] || return 1
	done
}

# lacp_port_is [-n NS] DEV PORT FIELD REGEX: FIELD (mux, rx, sel, reason)
# of PORT matches REGEX.
lacp_port_is()
{
	local ns="" v
	[ "$1" = -n ] && { ns=$2; shift 2; }

	lacp_port ${ns:+-n "$ns"} "$1" "$2" || return 1
	case $3 in
	mux) v=$LACP_MUX ;;
	rx) v=$LACP_RX ;;
	sel) v=$LACP_SEL ;;
	reason) v=$LACP_REASON ;;
	*) return 1 ;;
	esac
	[[ "$v" =~ $4 ]]
}

LI_SYS="" LI_KEY="" LI_PORT="" LI_STATE=

# _lacp_info WHO: "actor" or "partner" line of LACP_BLOCK into LI_SYS
# ("prio,mac"), LI_KEY, LI_PORT ("prio,number"), LI_STATE.
_lacp_info()
{
	local re=$'\n'"  $1"' +system ([^ ]+) key ([0-9]+) port ([^ ]+) state ([^'$'\n'']+)'

	LI_SYS="" LI_KEY="" LI_PORT="" LI_STATE=""
	[[ "$LACP_BLOCK" =~ $re ]] || return 1
	LI_SYS=${BASH_REMATCH[1]}
	LI_KEY=${BASH_REMATCH[2]}
	LI_PORT=${BASH_REMATCH[3]}
	LI_STATE=${BASH_REMATCH[4]}
}

# _lacp_counter NAME: a counter of LACP_BLOCK (LACPDUsRx, IllegalRx, ...).
_lacp_counter()
{
	local re=" $1 ([0-9]+)"

	[[ "$LACP_BLOCK" =~ $re ]] || { echo -1; return 1; }
	echo "${BASH_REMATCH[1]}"
}

# lacp_counter [-n NS] DEV PORT NAME
lacp_counter()
{
	local ns=""
	[ "$1" = -n ] && { ns=$2; shift 2; }

	lacp_port ${ns:+-n "$ns"} "$1" "$2" >/dev/null
	_lacp_counter "$3"
}

# lacp_counter_ge [-n NS] DEV PORT NAME MIN
lacp_counter_ge()
{
	local ns=""
	[ "$1" = -n ] && { ns=$2; shift 2; }

	[ "$(lacp_counter ${ns:+-n "$ns"} "$1" "$2" "$3")" -ge "$4" ]
}

# lacp_system [-n NS] DEV: "prio,mac" of the "LACP system" line.
lacp_system()
{
	local ns=""
	[ "$1" = -n ] && { ns=$2; shift 2; }

	proc_field ${ns:+-n "$ns"} "$1" "LACP system"
}

# port_reason NS PORT: the port's reason as "ip -d link show" gives it.
port_reason()
{
	local json re='"reason":"([^"]*)"'

	json=$(ip -n "$1" -d -j link show dev "$2" 2>/dev/null) || return 1
	[[ "$json" =~ $re ]] || return 1
	echo "${BASH_REMATCH[1]}"
}

# ---------------------------------------------------- bonding partner --

BOND_TXT=
BOND_SYS_PRIO="" BOND_SYS_MAC="" BOND_AGG="" BOND_NPORTS="" BOND_ACTOR_KEY="" BOND_PARTNER_KEY=
BOND_PARTNER_MAC=
declare -A BS_AGG BS_ASTATE BS_PSTATE BS_PMAC BS_APORT BS_PPORT BS_PKEY

# bond_read NS: /proc/net/bonding/bond0 of NS, parsed (no fork, no loop
# over lines).
bond_read()
{
	local rest blk actor partner slave

	BOND_TXT="" BOND_SYS_PRIO="" BOND_SYS_MAC="" BOND_AGG="" BOND_NPORTS="" BOND_ACTOR_KEY=""
	BOND_PARTNER_KEY="" BOND_PARTNER_MAC=""
	BS_AGG=() BS_ASTATE=() BS_PSTATE=() BS_APORT=() BS_PPORT=() BS_PKEY=()
	BS_PMAC=()
	ns_proc "$1"
	[ -e "$REPLY/net/bonding/bond0" ] || return 1
	IFS= read -r -d '' BOND_TXT <"$REPLY/net/bonding/bond0"
	rest=${BOND_TXT%%$'\nSlave Interface: '*}
	_bond_val "$rest" "System priority" && BOND_SYS_PRIO=$REPLY
	_bond_val "$rest" "System MAC address" && BOND_SYS_MAC=$REPLY
	rest=${rest#*Active Aggregator Info:}
	_bond_val "$rest" "Aggregator ID" && BOND_AGG=$REPLY
	_bond_val "$rest" "Number of ports" && BOND_NPORTS=$REPLY
	_bond_val "$rest" "Actor Key" && BOND_ACTOR_KEY=$REPLY
	_bond_val "$rest" "Partner Key" && BOND_PARTNER_KEY=$REPLY
	_bond_val "$rest" "Partner Mac Address" && BOND_PARTNER_MAC=$REPLY
	rest=$BOND_TXT
	while [[ "$rest" == *$'\nSlave Interface: '* ]]; do
		rest=${rest#*$'\nSlave Interface: '}
		slave=${rest%%$'\n'*}
		blk=${rest%%$'\nSlave Interface: '*}
		actor=${blk#*details actor lacp pdu:}
		actor=${actor%%details partner lacp pdu:*}
		partner=${blk#*details partner lacp pdu:}
		_bond_val "$blk" "Aggregator ID" && BS_AGG[$slave]=$REPLY
		_bond_val "$actor" "port state" && BS_ASTATE[$slave]=$REPLY
		_bond_val "$actor" "port number" && BS_APORT[$slave]=$REPLY
		_bond_val "$partner" "port state" && BS_PSTATE[$slave]=$REPLY
		_bond_val "$partner" "port number" && BS_PPORT[$slave]=$REPLY
		_bond_val "$partner" "oper key" && BS_PKEY[$slave]=$REPLY
		_bond_val "$partner" "system mac address" && BS_PMAC[$slave]=$REPLY
	done
}

# _bond_val TEXT KEY: the value of the first "KEY: value" line of TEXT.
_bond_val()
{
	local re=$'(^|\n)[[:space:]]*'"$2"$': ([^\n]*)'

	REPLY=
	[[ "$1" =~ $re ]] || return 1
	REPLY=${BASH_REMATCH[2]}
}

# LACP state bits (802.1AX 6.4.2.3).
ST_SYNC=8 ST_COLL=16 ST_DIST=32
ST_DISTRIBUTING=$((ST_SYNC | ST_COLL | ST_DIST))

# bond_dist NS SLAVE...: each SLAVE is in the active aggregator, and its
# actor and partner states are in sync, collecting, distributing.
bond_dist()
{
	local ns=$1 s; shift

	bond_read "$ns" || return 1
	for s in "$@"; do
		[ -n "${BS_AGG[$s]:-}" ] && [ "${BS_AGG[$s]}" = "$BOND_AGG" ] || return 1
		(( (${BS_ASTATE[$s]:-0} & ST_DISTRIBUTING) == ST_DISTRIBUTING )) || return 1
		(( (${BS_PSTATE[$s]:-0} & ST_DISTRIBUTING) == ST_DISTRIBUTING )) || return 1
	done
}

# bond_not_dist NS SLAVE: bonding no longer distributes on SLAVE.
bond_not_dist()
{
	bond_read "$1" || return 1
	(( (${BS_ASTATE[$2]:-0} & ST_DIST) == 0 ))
}

# peer_bond NS "PORTS" [OPTION...]: bond0 (802.3ad, miimon 100, OPTIONs)
# over PORTS, with 192.0.2.2/24 (or PEER_IP) and the MAC PEER_MAC if set,
# up.
PEER_IP=
PEER_MAC=
peer_bond()
{
	local ns=$1 ports=$2 p; shift 2

	# One ip process: each costs ~0.1 s in User-Mode Linux.
	check "bond0 802.3ad $* over $ports" ip -n "$ns" -batch - <<-EOB || return 1
		link add bond0 type bond mode 802.3ad miimon 100 $*
		$(for p in $ports; do
			echo "link set $p down"
			echo "link set $p master bond0"
		done)
		$([ -z "$PEER_MAC" ] || echo "link set bond0 address $PEER_MAC")
		addr add ${PEER_IP:-$LAGX_IP_B}/$LAGX_PREFIX dev bond0
		link set bond0 up
	EOB
}

# -------------------------------------------------------- lagx host --

# topo N [LAGX-OPTION...]: namespaces H and P, lagx0 (mode lacp and
# OPTIONs, down) in H with ports a0..aN-1, their veth peers b0..bN-1 in P
# (down, for the partner to take).
topo()
{
	local n=$1 i; shift

	setup_ns H P || { fail "setup_ns"; return 1; }
	check "lagx0 mode lacp $* with $n ports" ip -n "$H" -batch - <<-EOB
		link add lagx0 type lagx mode lacp $*
		$(for ((i = 0; i < n; i++)); do
			echo "link add a$i type veth peer name b$i netns $P"
			echo "link set a$i master lagx0"
		done)
		addr add $LAGX_IP_A/$LAGX_PREFIX dev lagx0
	EOB
}

# lagx_up: lagx0 up, the last step of a set-up: link-up time is now.
lagx_up()
{
	ip -n "$H" link set lagx0 up
	T_UP=$(now_us)
}

# form_wait NAME PORTS PEER-CMD...: wait until lagx0's PORTS (blank
# separated) distribute and PEER-CMD (the partner's view) succeeds;
# report the time since lagx_up.
form_wait()
{
	local name=$1 ports=$2 t_lagx t_peer msg
	shift 2

	# shellcheck disable=SC2086
	if ! slowwait "$FORM_TMO" lacp_dist -n "$H" lagx0 $ports; then
		fail "$name: lagx0 ports '$ports' not all distributing within $FORM_TMO s"
		dump_lagx "$H"
		return 1
	fi
	t_lagx=$(ms_since "$T_UP")
	if [ $# -gt 0 ] && ! slowwait 5 "$@"; then
		fail "$name: the partner does not show every port distributing"
		return 1
	fi
	t_peer=$(ms_since "$T_UP")
	msg="formation, $name: lagx0 ports distributing after $t_lagx ms"
	msg+=" (partner's view checked by $t_peer ms)"
	MEAS+=("$msg")
	info "$msg"
}

# pf NS DEV KEY: a "KEY: value" of /proc/net/lagx/DEV, in REPLY (no fork).
pf()
{
	proc_read -n "$1" "$2" && _field "$3"
}

# check_re DESC TEXT REGEX: check_match without a grep.
check_re()
{
	[[ "$2" =~ $3 ]] && return 0
	fail "$1: '${2:0:300}' does not match /$3/"
	return 1
}

# ping_works [NS] [IP]: from lagx0 (H) to the partner.
ping_works()
{
	local ns=${1:-$H} ip=${2:-$LAGX_IP_B}

	check_wait "ping $ip" 10 ping_q "$ns" -c 1 "$ip" &&
	check "ping $ip (3 more)" ping_q "$ns" -c 3 -i 0.1 "$ip"
}

# ping_q NS ARG...: a quiet ping from NS.
ping_q()
{
	local ns=$1; shift

	in_ns "$ns" ping -W 1 -q "$@" >/dev/null 2>&1
}

# check_lagx_formed PORTS STATE-REGEX: lagx0 in lacp operation, carrier
# up, each port distributing with the partner's state as expected and
# "carrying traffic" as ip's reason.
# partners_are PORTS PSTATE: lagx0 (H) sees on every one of PORTS a
# partner state matching PSTATE.
partners_are()
{
	local p

	for p in $1; do
		lacp_port -n "$H" lagx0 "$p"
		_lacp_info partner
		[[ "$LI_STATE" =~ $2 ]] || return 1
	done
}

check_lagx_formed()
{
	local ports=$1 pstate=$2 p
	local -a words

	read -r -a words <<<"$ports"
	# The partner may go distributing after lagx0 did: its LACPDU saying
	# so is then on the way (a loaded machine takes tens of ms).
	slowwait 5 partners_are "$ports" "$pstate" || true
	pf "$H" lagx0 "Operating mode"
	check_eq "Operating mode" "$REPLY" lacp
	pf "$H" lagx0 Carrier
	check_eq "Carrier" "$REPLY" up
	pf "$H" lagx0 "Active aggregator"
	check_re "Active aggregator" "$REPLY" "^${#words[@]} ports, "
	for p in $ports; do
		lacp_port -n "$H" lagx0 "$p"
		check_eq "$p selection" "$LACP_SEL" selected
		check_eq "$p rx" "$LACP_RX" current
		check_eq "$p reason" "$LACP_REASON" distributing
		_lacp_info partner
		check_re "$p partner state" "$LI_STATE" "$pstate"
		_col "$p" STATE
		check_eq "$p STATE" "$REPLY" active
		check_eq "$p ip reason" "$(port_reason "$H" "$p")" "carrying traffic"
	done
}

# check_agree_bond PORTS ASTATE PSTATE: lagx0 (H) and bond0 (P) agree: each
# side's partner is the other's actor (system, key, port number), bonding's
# states are ASTATE (its own) and PSTATE (lagx's, as it sees them).
check_agree_bond()
{
	local ports=$1 astate=$2 pstate=$3 p b sys mac

	bond_read "$P" || { fail "no /proc/net/bonding/bond0"; return 1; }
	pf "$H" lagx0 "LACP system"
	sys=$REPLY
	mac=${sys#*,}
	check_eq "bond0 partner MAC is lagx0's LACP system" "$BOND_PARTNER_MAC" "$mac"
	lacp_port -n "$H" lagx0 a0
	_lacp_info actor
	check_eq "bond0 partner key is lagx0's key" "$BOND_PARTNER_KEY" "$LI_KEY"
	for p in $ports; do
		b=b${p#a}
		lacp_port -n "$H" lagx0 "$p"
		_lacp_info actor
		local akey=$LI_KEY aport=${LI_PORT#*,}
		_lacp_info partner
		check_eq "$p partner system = bond0's system" "$LI_SYS" \
			"$BOND_SYS_PRIO,$BOND_SYS_MAC"
		check_eq "$p partner key = bond0's key" "$LI_KEY" "$BOND_ACTOR_KEY"
		check_eq "$p partner port = $b's port number" "${LI_PORT#*,}" "${BS_APORT[$b]:-}"
		check_eq "$b partner MAC" "${BS_PMAC[$b]:-}" "$mac"
		check_eq "$b partner key = $p's key" "${BS_PKEY[$b]:-}" "$akey"
		check_eq "$b partner port = $p's port number" "${BS_PPORT[$b]:-}" "$aport"
		check_eq "$b aggregator is the active one" "${BS_AGG[$b]:-}" "$BOND_AGG"
		check_eq "$b actor port state" "${BS_ASTATE[$b]:-}" "$astate"
		check_eq "$b partner port state" "${BS_PSTATE[$b]:-}" "$pstate"
	done
	read -r -a p <<<"$ports"
	check_eq "bond0 aggregator ports" "$BOND_NPORTS" "${#p[@]}"
}

# bond_case LAGX-OPTS BOND-OPTS NAME ASTATE PSTATE LAGX-PARTNER-STATE:
# lagx0 with 2 ports against bond0, formed, agreeing, pinging.
bond_case()
{
	local lopts=$1 bopts=$2 name=$3

	# shellcheck disable=SC2086
	topo 2 $lopts || return 1
	# shellcheck disable=SC2086
	peer_bond "$P" "b0 b1" $bopts || return 1
	lagx_up
	form_wait "$name" "a0 a1" bond_dist "$P" b0 b1 || { dump_bond "$P"; return 1; }
	check_lagx_formed "a0 a1" "$6"
	check_agree_bond "a0 a1" "$4" "$5"
	ping_works
	[ "$RET" = 0 ] || { dump_lagx "$H"; dump_bond "$P"; }
}

# ------------------------------------------------------- Open vSwitch --

OVS_DIR=

# ovs_env CMD...: CMD with the private Open vSwitch directories.
ovs_env()
{
	OVS_RUNDIR=$OVS_DIR OVS_DBDIR=$OVS_DIR OVS_LOGDIR=$OVS_DIR \
	OVS_SYSCONFDIR=$OVS_DIR "$@"
}

ovs_vsctl() { ovs_env ovs-vsctl --db="unix:$OVS_DIR/db.sock" --timeout=20 "$@"; }
ovs_appctl() { ovs_env ovs-appctl --timeout=10 "$@"; }

# ovs_start NS: ovsdb-server and ovs-vswitchd (kernel datapath) in NS.
ovs_start()
{
	local up

	if ! command -v ovs-vswitchd >/dev/null || ! command -v ovsdb-server >/dev/null; then
		skip_test "Open vSwitch not installed"
		return 1
	fi
	[ -f /usr/share/openvswitch/vswitch.ovsschema ] ||
		{ skip_test "no vswitch.ovsschema"; return 1; }
	# Open vSwitch 3.1.0 started in the first ~10 s after boot computes 0
	# handler threads and LACP never leaves "defaulted".
	while read -r up _ </proc/uptime; [ "${up%.*}" -lt 12 ]; do
		sleep 0.5
	done
	make_tmpdir OVS_DIR || { fail "mktemp"; return 1; }
	ovs_env ovsdb-tool create "$OVS_DIR/conf.db" \
		/usr/share/openvswitch/vswitch.ovsschema ||
		{ skip_test "ovsdb-tool create failed"; return 1; }
	if ! ovs_env ip netns exec "$1" ovsdb-server "$OVS_DIR/conf.db" \
		--remote="punix:$OVS_DIR/db.sock" --pidfile="$OVS_DIR/ovsdb-server.pid" \
		--detach --no-chdir --log-file="$OVS_DIR/ovsdb-server.log" 2>/dev/null; then
		skip_test "ovsdb-server does not start"
		return 1
	fi
	ovs_vsctl --no-wait init
	if ! ovs_env ip netns exec "$1" ovs-vswitchd "unix:$OVS_DIR/db.sock" \
		--pidfile="$OVS_DIR/ovs-vswitchd.pid" --detach --no-chdir \
		--log-file="$OVS_DIR/ovs-vswitchd.log" 2>/dev/null ||
	   ! slowwait 10 eval "ovs_appctl -t ovs-vswitchd version >/dev/null 2>&1"; then
		diag tail -n 5 "$OVS_DIR/ovs-vswitchd.log"
		ovs_stop
		skip_test "ovs-vswitchd does not start"
		return 1
	fi
	return 0
}

ovs_stop()
{
	local f pid

	[ -n "$OVS_DIR" ] || return 0
	for f in ovs-vswitchd ovsdb-server; do
		[ -f "$OVS_DIR/$f.pid" ] || continue
		pid=$(<"$OVS_DIR/$f.pid")
		kill "$pid" 2>/dev/null
		slowwait 5 eval "! kill -0 $pid 2>/dev/null"
	done
	OVS_DIR=
}

OVS_LACP=
declare -A OM_STATE OM_ASTATE OM_PSYS OM_PKEY OM_PPORT OM_APORT
OVS_STATUS="" OVS_SYSID="" OVS_SYSPRIO="" OVS_KEY=

# ovs_lacp_read: "ovs-appctl lacp/show bnd", parsed.
ovs_lacp_read()
{
	local line m="" k v

	OM_STATE=() OM_ASTATE=() OM_PSYS=() OM_PKEY=() OM_PPORT=() OM_APORT=()
	OVS_STATUS="" OVS_SYSID="" OVS_SYSPRIO="" OVS_KEY=
	OVS_LACP=$(ovs_appctl lacp/show bnd 2>&1) || return 1
	while IFS= read -r line; do
		if [[ "$line" == "member: "* ]]; then
			line=${line#member: }
			m=${line%%: *}
			OM_STATE[$m]=${line#*: }
			continue
		fi
		[[ "$line" == *": "* ]] || continue
		k=${line%%: *}
		k=${k#"${k%%[![:space:]]*}"}
		v=${line#*: }
		case ${m:+m}:$k in
		:status) OVS_STATUS=$v ;;
		:sys_id) OVS_SYSID=$v ;;
		:sys_priority) OVS_SYSPRIO=$v ;;
		":aggregation key") OVS_KEY=$v ;;
		m:"actor state") OM_ASTATE[$m]=$v ;;
		m:"actor port_id") OM_APORT[$m]=$v ;;
		m:"partner sys_id") OM_PSYS[$m]=$v ;;
		m:"partner key") OM_PKEY[$m]=$v ;;
		m:"partner port_id") OM_PPORT[$m]=$v ;;
		esac
	done <<<"$OVS_LACP"
}

# ovs_dist MODE MEMBER...: the bond is negotiated (MODE: active or
# passive) and every MEMBER is current, attached and distributing.
ovs_dist()
{
	local mode=$1 m; shift

	ovs_lacp_read || return 1
	[ "$OVS_STATUS" = "$mode negotiated" ] || return 1
	for m in "$@"; do
		[ "${OM_STATE[$m]:-}" = "current attached" ] || return 1
		[[ "${OM_ASTATE[$m]:-}" == *"synchronized collecting distributing"* ]] ||
			return 1
	done
}

# ovs_case MODE: lagx0 against an OVS bond with lacp=MODE, fast.
#
# The namespaces and the daemons are shared by the two OVS cases (starting
# Open vSwitch takes seconds): the bond is re-created for each, while
# lagx0 is down.
OVS_H=
OVS_P=
OVS_OK=0

ovs_setup()
{
	topo 2 lacp_rate fast || return 1
	keep_ns
	OVS_H=$H OVS_P=$P
	ip -n "$P" link set b0 up
	ip -n "$P" link set b1 up
	ovs_start "$P" || { ovs_teardown; return 1; }
	check "ovs-vsctl add-br br0" ovs_vsctl add-br br0 || return 1
	ip -n "$P" addr add "$LAGX_IP_B/$LAGX_PREFIX" dev br0
	ip -n "$P" link set br0 up
	OVS_OK=1
}

# ovs_teardown: the last OVS case is over.
ovs_teardown()
{
	ovs_stop
	[ -z "$OVS_H" ] || ns_del "$OVS_H" "$OVS_P"
	OVS_H="" OVS_P="" OVS_OK=0
}

ovs_case()
{
	local mode=$1 H P p b sys

	if [ "$OVS_OK" != 1 ]; then
		ovs_setup || return
	fi
	H=$OVS_H P=$OVS_P
	ip -n "$H" link set lagx0 down
	check "ovs-vsctl add-bond lacp=$mode" ovs_vsctl -- --if-exists del-port bnd -- \
		add-bond br0 bnd b0 b1 lacp="$mode" other_config:lacp-time=fast ||
		return
	lagx_up
	if ! form_wait "Open vSwitch lacp=$mode" "a0 a1" ovs_dist "$mode" b0 b1; then
		diag echo "$OVS_LACP"
		diag tail -n 20 "$OVS_DIR/ovs-vswitchd.log"
		return
	fi
	check_lagx_formed "a0 a1" '^(ACTIVITY,)?TIMEOUT,AGGREGATION,SYNC,COLLECTING,DISTRIBUTING$'
	ovs_lacp_read
	pf "$H" lagx0 "LACP system"
	sys=$REPLY
	for p in a0 a1; do
		b=b${p#a}
		lacp_port -n "$H" lagx0 "$p"
		_lacp_info partner
		check_eq "$p partner system = OVS's" "$LI_SYS" "$OVS_SYSPRIO,$OVS_SYSID"
		check_eq "$p partner key = OVS's" "$LI_KEY" "$OVS_KEY"
		check_eq "$p partner port = $b's port_id" "${LI_PORT#*,}" "${OM_APORT[$b]:-}"
		if [ "$mode" = passive ]; then
			check_re "$p partner is passive" "$LI_STATE" '^TIMEOUT,'
		else
			check_re "$p partner is active" "$LI_STATE" '^ACTIVITY,'
		fi
		_lacp_info actor
		check_eq "$b partner sys_id = lagx0's system" "${OM_PSYS[$b]:-}" "${sys#*,}"
		check_eq "$b partner key = $p's key" "${OM_PKEY[$b]:-}" "$LI_KEY"
		check_eq "$b partner port_id = $p's port" "${OM_PPORT[$b]:-}" "${LI_PORT#*,}"
	done
	check_re "OVS bond/show" "$(ovs_appctl bond/show bnd)" "lacp_status: negotiated"
	ping_works
	[ "$RET" = 0 ] || { dump_lagx "$H"; diag echo "$OVS_LACP"; }
}

# ------------------------------------------------------------- teamd --

TEAM_STATE=

# team_read NS: teamd's state ("teamdctl state dump", JSON) flattened into
# TEAM_STATE, one "path=value" a line (ports.b0.runner.selected=true).
team_read()
{
	TEAM_STATE=$(ip netns exec "$1" teamdctl team0 state dump 2>/dev/null | awk '
		/^ *"[^"]*": *\{/ { k = $1; gsub(/[":]/, "", k); path[++d] = k; next }
		/^ *\}/ { if (d) d--; next }
		/^ *"[^"]*": / {
			k = $1; gsub(/[":]/, "", k)
			v = $0; sub(/^ *"[^"]*": */, "", v); sub(/,$/, "", v); gsub(/"/, "", v)
			p = ""
			for (i = 1; i <= d; i++) p = p path[i] "."
			print p k "=" v
		}')
	[ -n "$TEAM_STATE" ]
}

# team_get PATH: a value of TEAM_STATE, in REPLY.
team_get()
{
	local line

	REPLY=
	while IFS= read -r line; do
		[[ "$line" == "$1="* ]] && { REPLY=${line#*=}; return 0; }
	done <<<"$TEAM_STATE"
	return 1
}

# team_dist NS PORT...: each PORT is selected, current, and teamd's state
# of it and of its partner is distributing.
team_dist()
{
	local ns=$1 p; shift

	team_read "$ns" || return 1
	for p in "$@"; do
		team_get "ports.$p.runner.selected" && [ "$REPLY" = true ] || return 1
		team_get "ports.$p.runner.state" && [ "$REPLY" = current ] || return 1
		team_get "ports.$p.runner.actor_lacpdu_info.state"
		(( (${REPLY:-0} & ST_DISTRIBUTING) == ST_DISTRIBUTING )) || return 1
		team_get "ports.$p.runner.partner_lacpdu_info.state"
		(( (${REPLY:-0} & ST_DISTRIBUTING) == ST_DISTRIBUTING )) || return 1
	done
}

# ------------------------------------------------------ traffic helpers --

# tx_port PORTS: the port whose TX counter grows (the ping's), in REPLY.
declare -A TX0
tx_snapshot()
{
	local p

	for p in "$@"; do
		TX0[$p]=$(port_col -n "$H" lagx0 "$p" TX)
	done
}

tx_port_of()
{
	local p

	REPLY=
	for p in "$@"; do
		port_col_ge -n "$H" lagx0 "$p" TX $((TX0[$p] + 30)) && { REPLY=$p; return 0; }
	done
	return 1
}

# -------------------------------------------------------------- python --

# Slow-protocols frames from a packet socket: malformed LACPDUs, an
# unknown subtype and a Marker PDU.
PY_SLOW=$(cat <<'EOF'
import os, socket, struct, sys, time

dev, src, kinds, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
srcb = bytes.fromhex(src.replace(":", ""))
dst = bytes.fromhex("0180c2000002")

def info(tlv, length=20):
    return struct.pack("!BBH6sHHHB3s", tlv, length, 0x8000, srcb, 15, 255, 1,
                       0x3f, bytes(3))

def lacpdu(version=1, actor_len=20):
    pdu = (bytes([1, version]) + info(1, actor_len) + info(2) +
           struct.pack("!BBH12s", 3, 16, 0, bytes(12)) + bytes(2) + bytes(50))
    assert len(pdu) == 110
    return pdu

def marker():
    pdu = (bytes([2, 1, 1, 16]) + struct.pack("!H6sI", 1, srcb, 0x1234) +
           bytes(2) + bytes(2) + bytes(90))
    assert len(pdu) == 110
    return pdu

pdus = {
    "truncated": lacpdu()[:40],
    "version0": lacpdu(version=0),
    "tlvlen": lacpdu(actor_len=19),
    "unknown": bytes([10, 1]) + bytes(108),
    "marker": marker(),
}
# Valid LACPDUs that are not for this link, from random systems claiming
# to be in sync and distributing: to another destination ("stray-bcast",
# "stray-ucast:MAC") or VLAN-tagged ("stray-vlan").
def stray(kind):
    global srcb
    srcb = bytes([2]) + os.urandom(5)
    name, _, arg = kind.partition(":")
    tag = b""
    if name == "stray-bcast":
        to = bytes(6 * [0xff])
    elif name == "stray-ucast":
        to = bytes.fromhex(arg.replace(":", ""))
    else:
        to, tag = dst, struct.pack("!HH", 0x8100, 100)
    return to, tag, lacpdu()

s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, 0)
s.bind((dev, 0))
own = srcb
for kind in kinds.split(","):
    for i in range(count):
        to, tag, pdu = (stray(kind) if kind.startswith("stray-") else
                        (dst, b"", pdus[kind]))
        s.send(to + own + tag + struct.pack("!H", 0x8809) + pdu)
        time.sleep(0.02)
EOF
)

# ------------------------------------------------------------ interop --

# bonding, fast rate; its topology is kept for the fault cases.
test_bond_fast()
{
	setup_ns H P || { fail "setup_ns"; return; }
	keep_ns
	check "lagx0 mode lacp lacp_rate fast" \
		ip -n "$H" link add lagx0 type lagx mode lacp lacp_rate fast || return
	veth_pair "$H" a0 "$P" b0
	veth_pair "$H" a1 "$P" b1
	# Up before they are enslaved, they stay up when released (the
	# graceful detach case must not take b1's carrier away).
	ip -n "$H" link set a0 up
	ip -n "$H" link set a1 up
	check "enslave a0" ip -n "$H" link set a0 master lagx0 || return
	check "enslave a1" ip -n "$H" link set a1 master lagx0 || return
	ip -n "$H" addr add "$LAGX_IP_A/$LAGX_PREFIX" dev lagx0
	peer_bond "$P" "b0 b1" lacp_rate fast || return
	lagx_up
	form_wait "bonding lacp_rate fast" "a0 a1" bond_dist "$P" b0 b1 ||
		{ dump_bond "$P"; return; }
	check_lagx_formed "a0 a1" "$ACTIVE_FAST_DIST"
	# 63: ACTIVITY TIMEOUT AGGREGATION SYNC COLLECTING DISTRIBUTING
	check_agree_bond "a0 a1" 63 63
	check_eq "Fallbacks" "$(proc_field -n "$H" lagx0 Fallbacks)" 0
	ping_works
	if [ "$RET" = 0 ]; then
		BASE_OK=1
	else
		dump_lagx "$H"
		dump_bond "$P"
	fi
}

# bonding, slow rate: forms as fast as the first exchanges allow.
test_bond_slow()
{
	local H P

	# 61: as 63 without TIMEOUT (long timeout, slow rate).
	bond_case "lacp_rate slow" "lacp_rate slow" "bonding lacp_rate slow" 61 61 \
		'^ACTIVITY,AGGREGATION,SYNC,COLLECTING,DISTRIBUTING$'
	lacp_port -n "$H" lagx0 a0
	_lacp_info actor
	check_eq "lagx0 actor state (slow)" "$LI_STATE" \
		ACTIVITY,AGGREGATION,SYNC,COLLECTING,DISTRIBUTING
}

# bonding passive, lagx active.
test_bond_passive()
{
	local H P

	# 62: as 63 without ACTIVITY.
	bond_case "lacp_rate fast" "lacp_rate fast lacp_active off" \
		"bonding lacp_active off" 62 63 \
		'^TIMEOUT,AGGREGATION,SYNC,COLLECTING,DISTRIBUTING$'
}

# lagx passive, bonding active.
test_lagx_passive()
{
	local H P

	bond_case "lacp_rate fast lacp_active off" "lacp_rate fast" \
		"lagx lacp_active off vs bonding" 63 62 \
		"$ACTIVE_FAST_DIST"
	lacp_port -n "$H" lagx0 a0
	_lacp_info actor
	check_eq "lagx0 actor state (passive)" "$LI_STATE" \
		TIMEOUT,AGGREGATION,SYNC,COLLECTING,DISTRIBUTING
}

# Passive against passive never forms: lagx falls back, and says that
# lacp_active is off.
test_passive_passive()
{
	local H P p

	topo 2 lacp_rate fast lacp_active off || return
	peer_bond "$P" "b0 b1" lacp_rate fast lacp_active off || return
	kmsg_mark
	lagx_up
	check_wait "fallback balance-slb" "$FALLBACK_TMO" \
		proc_field_is -n "$H" lagx0 "Operating mode" "fallback balance-slb" ||
		{ dump_lagx "$H"; return; }
	info "fallback after $(ms_since "$T_UP") ms"
	# Bonding, though passive, sends a LACPDU or two at start (on
	# state changes); lagx, passive, sends none to a passive partner.
	for p in a0 a1; do
		lacp_port -n "$H" lagx0 "$p"
		check_eq "$p mux" "$LACP_MUX" detached
		check_re "$p reason" "$LACP_REASON" "lacp_active is off"
		check_eq "$p LACPDUsTx" "$(_lacp_counter LACPDUsTx)" 0
		info "$p LACPDUsRx $(_lacp_counter LACPDUsRx)"
		check_re "$p ip reason" "$(port_reason "$H" "$p")" \
			"fallback balance-slb: .*lacp_active is off"
	done
	check_eq "Fallbacks" "$(proc_field -n "$H" lagx0 Fallbacks)" 1
	check_match "kernel log" "$(dmesg_since_mark)" \
		"lagx0: operating mode lacp -> fallback balance-slb \(no LACPDU on any port\)"
	bond_read "$P"
	check "bond0 not distributing on b0" bond_not_dist "$P" b0
	[ "$RET" = 0 ] || { dump_lagx "$H"; dump_bond "$P"; }
}

# Open vSwitch, lacp=active.
test_ovs_active()
{
	ovs_case active
	# Unless the passive case follows, stop Open vSwitch now.
	[ -z "${TESTS:-}" ] || [[ " $TESTS " == *" test_ovs_passive "* ]] ||
		defer ovs_teardown
}

# Open vSwitch, lacp=passive.
test_ovs_passive()
{
	ovs_case passive
	defer ovs_teardown
}

# teamd, lacp runner, active, fast.
test_teamd()
{
	local H P p b sys v

	if ! command -v teamd >/dev/null || ! command -v teamdctl >/dev/null; then
		skip_test "teamd not installed"
		return
	fi
	topo 2 lacp_rate fast || return
	if ! ip netns exec "$P" teamd -d -r -t team0 -c \
		'{"device":"team0","runner":{"name":"lacp","active":true,"fast_rate":true},
		  "link_watch":{"name":"ethtool"},"ports":{"b0":{},"b1":{}}}' \
		>/dev/null 2>&1; then
		skip_test "teamd does not start"
		return
	fi
	defer "ip netns exec $P teamd -k -t team0"
	ip -n "$P" addr add "$LAGX_IP_B/$LAGX_PREFIX" dev team0
	ip -n "$P" link set team0 up
	lagx_up
	form_wait "teamd lacp" "a0 a1" team_dist "$P" b0 b1 ||
		{ diag ip netns exec "$P" teamdctl team0 state; return; }
	check_lagx_formed "a0 a1" "$ACTIVE_FAST_DIST"
	sys=$(lacp_system -n "$H" lagx0)
	team_read "$P"
	for p in a0 a1; do
		b=b${p#a}
		lacp_port -n "$H" lagx0 "$p"
		_lacp_info partner
		team_get "ports.$b.runner.actor_lacpdu_info.system_priority"
		v=$REPLY
		team_get "ports.$b.runner.actor_lacpdu_info.system"
		check_eq "$p partner system = teamd's" "$LI_SYS" "$v,$REPLY"
		team_get "ports.$b.runner.actor_lacpdu_info.port"
		check_eq "$p partner port = $b's" "${LI_PORT#*,}" "$REPLY"
		team_get "ports.$b.runner.actor_lacpdu_info.key"
		check_eq "$p partner key = $b's" "$LI_KEY" "$REPLY"
		_lacp_info actor
		team_get "ports.$b.runner.partner_lacpdu_info.system"
		check_eq "$b partner system = lagx0's" "$REPLY" "${sys#*,}"
		team_get "ports.$b.runner.partner_lacpdu_info.key"
		check_eq "$b partner key = $p's" "$REPLY" "$LI_KEY"
		team_get "ports.$b.runner.partner_lacpdu_info.port"
		check_eq "$b partner port = $p's" "$REPLY" "${LI_PORT#*,}"
	done
	ping_works
	[ "$RET" = 0 ] || { dump_lagx "$H"; diag ip netns exec "$P" teamdctl team0 state; }
}

# lagx against lagx.
test_lagx_lagx()
{
	local H P p b hs ps

	topo 2 lacp_rate fast || return
	check "lagx1 in P" ip -n "$P" link add lagx1 type lagx mode lacp lacp_rate fast ||
		return
	check "enslave b0" ip -n "$P" link set b0 master lagx1 || return
	check "enslave b1" ip -n "$P" link set b1 master lagx1 || return
	ip -n "$P" addr add "$LAGX_IP_B/$LAGX_PREFIX" dev lagx1
	ip -n "$P" link set lagx1 up
	lagx_up
	form_wait "lagx" "a0 a1" lacp_dist -n "$P" lagx1 b0 b1 ||
		{ dump_lagx "$P" lagx1; return; }
	check_lagx_formed "a0 a1" "$ACTIVE_FAST_DIST"
	hs=$(lacp_system -n "$H" lagx0)
	ps=$(lacp_system -n "$P" lagx1)
	check_ne "the two systems differ" "$hs" "$ps"
	check_re "lagx1 Active aggregator" \
		"$(proc_field -n "$P" lagx1 "Active aggregator")" "^2 ports, partner $hs key "
	check_re "lagx0 Active aggregator" \
		"$(proc_field -n "$H" lagx0 "Active aggregator")" "^2 ports, partner $ps key "
	for p in a0 a1; do
		b=b${p#a}
		lacp_port -n "$H" lagx0 "$p"
		_lacp_info actor
		local ha=$LI_SYS/$LI_KEY/$LI_PORT/$LI_STATE
		_lacp_info partner
		local hp=$LI_SYS/$LI_KEY/$LI_PORT/$LI_STATE
		lacp_port -n "$P" lagx1 "$b"
		check_eq "$b reason" "$LACP_REASON" distributing
		_lacp_info actor
		check_eq "$p's partner = $b's actor" "$hp" "$LI_SYS/$LI_KEY/$LI_PORT/$LI_STATE"
		_lacp_info partner
		check_eq "$b's partner = $p's actor" "$LI_SYS/$LI_KEY/$LI_PORT/$LI_STATE" "$ha"
	done
	ping_works
	[ "$RET" = 0 ] || { dump_lagx "$H"; dump_lagx "$P" lagx1; }
}

# ------------------------------------------------------------- faults --

# A partner without LACP (a bridge): fallback balance-slb carries the
# traffic; the partner turns into an 802.3ad bond (same MAC and address):
# back to lacp.
test_fallback()
{
	local H P p mac n_ok=0 tracing=0 trace

	topo 2 lacp_rate fast || return
	check_proc -n "$H" lagx0 lacp_fallback balance-slb
	ip -n "$P" link add br0 type bridge
	for p in b0 b1; do
		ip -n "$P" link set "$p" master br0
		ip -n "$P" link set "$p" up
	done
	ip -n "$P" addr add "$LAGX_IP_B/$LAGX_PREFIX" dev br0
	ip -n "$P" link set br0 up
	mac=$(link_attr -n "$P" br0 mac)

	TRACEFS=/sys/kernel/tracing
	[ -e "$TRACEFS/events" ] || mount -t tracefs nodev "$TRACEFS" 2>/dev/null
	if [ -e "$TRACEFS/events/lagx/lagx_operating_mode/enable" ]; then
		echo >"$TRACEFS/trace"
		echo 1 >"$TRACEFS/events/lagx/lagx_operating_mode/enable" && tracing=1
		defer "echo 0 > $TRACEFS/events/lagx/lagx_operating_mode/enable"
	fi

	kmsg_mark
	lagx_up
	check_wait "fallback balance-slb" "$FALLBACK_TMO" \
		proc_field_is -n "$H" lagx0 "Operating mode" "fallback balance-slb" ||
		{ dump_lagx "$H"; return; }
	info "fallback after $(ms_since "$T_UP") ms"
	check_eq "Fallbacks" "$(proc_field -n "$H" lagx0 Fallbacks)" 1
	ping_works
	for p in a0 a1; do
		lacp_port -n "$H" lagx0 "$p"
		check_eq "$p rx" "$LACP_RX" defaulted
		check_eq "$p reason" "$LACP_REASON" \
			"no LACPDU received (partner silent or frames filtered)"
		check_counter_min "$p LACPDUsTx" "$(_lacp_counter LACPDUsTx)" 1
		check_re "$p ip reason" "$(port_reason "$H" "$p")" \
			"^(carrying traffic, )?fallback balance-slb: no LACPDU received"
		[[ "$(port_reason "$H" "$p")" == "carrying traffic, "* ]] && n_ok=$((n_ok + 1))
	done
	check "a port carries traffic in fallback (ip reason)" [ "$n_ok" -ge 1 ]
	check_match "kernel log: fallback" "$(dmesg_since_mark)" \
		"lagx0: operating mode lacp -> fallback balance-slb \(no LACPDU on any port\)"

	# The partner starts speaking LACP, with the bridge's MAC and address.
	kmsg_mark
	ip -n "$P" link del br0
	PEER_MAC=$mac peer_bond "$P" "b0 b1" lacp_rate fast || return
	ip -n "$P" neigh flush all
	ip -n "$H" neigh flush all
	T_UP=$(now_us)
	form_wait "bridge -> bonding (from fallback)" "a0 a1" bond_dist "$P" b0 b1 ||
		{ dump_bond "$P"; return; }
	check_wait "operating mode lacp" 5 \
		proc_field_is -n "$H" lagx0 "Operating mode" lacp
	check_eq "Fallbacks (still 1)" "$(proc_field -n "$H" lagx0 Fallbacks)" 1
	check_lagx_formed "a0 a1" "$ACTIVE_FAST_DIST"
	check_agree_bond "a0 a1" 63 63
	ping_works
	check_match "kernel log: back to lacp" "$(dmesg_since_mark)" \
		"lagx0: operating mode fallback balance-slb -> lacp"
	if [ "$tracing" = 1 ]; then
		trace=$(grep lagx_operating_mode "$TRACEFS/trace")
		check_match "tracepoint: fallback" "$trace" \
			"lagx_operating_mode: lagx0: operating mode fallback balance-slb"
		check_match "tracepoint: lacp" "$trace" \
			"lagx_operating_mode: lagx0: operating mode lacp$"
	else
		info "no tracefs: lagx_operating_mode not checked"
	fi
	[ "$RET" = 0 ] || { dump_lagx "$H"; dump_bond "$P"; }
}

check_counter_min()	# DESC VALUE MIN
{
	[ "${2:--1}" -ge "$3" ] && return 0
	fail "$1: $2 < $3"
	return 1
}

# The partner's LACPDUs on one port are dropped (its egress): that
# port leaves (expired, then defaulted), the other carries on; the filter
# goes: the port rejoins.
test_lacpdu_drop()
{
	local t0

	need_base || return
	if ! ip netns exec "$P" tc qdisc add dev b1 clsact 2>/dev/null ||
	   ! ip netns exec "$P" tc filter add dev b1 egress protocol 0x8809 \
		flower action drop 2>/dev/null; then
		ip netns exec "$P" tc qdisc del dev b1 clsact 2>/dev/null
		skip_test "tc clsact/flower/gact not available"
		return
	fi
	defer "ip netns exec $P tc qdisc del dev b1 clsact"
	t0=$(now_us)
	check_wait "a1 partner expired" 10 lacp_port_is -n "$H" lagx0 a1 reason \
		"^partner (expired|defaulted) \(LACPDUs stopped\)$" || { dump_lagx "$H"; return; }
	info "a1 left after $(ms_since "$t0") ms: $LACP_REASON"
	check_wait "a1 partner defaulted" 10 lacp_port_is -n "$H" lagx0 a1 rx defaulted
	info "a1 defaulted after $(ms_since "$t0") ms"
	lacp_port -n "$H" lagx0 a1
	check_eq "a1 reason" "$LACP_REASON" "partner defaulted (LACPDUs stopped)"
	check_ne "a1 mux" "$LACP_MUX" distributing
	check_re "a1 ip reason" "$(port_reason "$H" a1)" \
		'^partner defaulted \(LACPDUs stopped\) \(for [0-9]+s\)$'
	check_eq "a1 STATE" "$(port_col -n "$H" lagx0 a1 STATE)" backup
	check "a0 still distributing" lacp_dist -n "$H" lagx0 a0
	check_proc -n "$H" lagx0 "Operating mode" lacp
	check_proc -n "$H" lagx0 Carrier up
	check_wait "bond0 stops distributing on b1" 5 bond_not_dist "$P" b1
	check "bond0 still distributing on b0" bond_dist "$P" b0
	ping_works

	ip netns exec "$P" tc qdisc del dev b1 clsact
	t0=$(now_us)
	if check_wait "a1 rejoins" "$SLOW_RECOVERY_TMO" lacp_dist -n "$H" lagx0 a0 a1; then
		info "a1 distributing again $(ms_since "$t0") ms after the filter went"
		check_wait "bond0 distributing on b0 b1" 5 bond_dist "$P" b0 b1
	fi
	ping_works
	[ "$RET" = 0 ] || { dump_lagx "$H"; dump_bond "$P"; }
}

# The "two switches" topology: lagx0 with a0 a1 to bond0 in A and a2 a3
# to bond0 in B (192.0.2.2 and .3), two systems; kept for the MLAG case,
# which gives B the system of A.
TS_H=
TS_A=
TS_B=
TS_OK=0

ts_setup()
{
	local H A B

	setup_ns H A B || { fail "setup_ns"; return 1; }
	keep_ns
	TS_H=$H TS_A=$A TS_B=$B
	check "lagx0 with a0..a3" ip -n "$H" -batch - <<-EOB || return 1
		link add lagx0 type lagx mode lacp lacp_rate fast
		link add a0 type veth peer name b0 netns $A
		link add a1 type veth peer name b1 netns $A
		link add a2 type veth peer name b2 netns $B
		link add a3 type veth peer name b3 netns $B
		link set a0 master lagx0
		link set a1 master lagx0
		link set a2 master lagx0
		link set a3 master lagx0
		addr add $LAGX_IP_A/$LAGX_PREFIX dev lagx0
	EOB
	PEER_IP=$LAGX_IP_B peer_bond "$A" "b0 b1" lacp_rate fast || return 1
	PEER_IP=$LAGX_IP_C peer_bond "$B" "b2 b3" lacp_rate fast || return 1
	lagx_up
	TS_OK=1
}

ts_teardown()
{
	[ -z "$TS_H" ] || ns_del "$TS_H" "$TS_A" "$TS_B"
	TS_H="" TS_A="" TS_B="" TS_OK=0
}

# ts_active: wait until one aggregator distributes: its ports in TS_ACT,
# the others in TS_STBY.
TS_ACT=
TS_STBY=
ts_active()
{
	local H=$TS_H

	# shellcheck disable=SC2016	# expanded by eval
	if ! slowwait "$FORM_TMO" eval \
		'lacp_dist -n "$H" lagx0 a0 a1 || lacp_dist -n "$H" lagx0 a2 a3'; then
		fail "no aggregator formed within $FORM_TMO s"
		dump_lagx "$H"
		return 1
	fi
	if lacp_dist -n "$H" lagx0 a0 a1; then
		TS_ACT="a0 a1" TS_STBY="a2 a3"
	else
		TS_ACT="a2 a3" TS_STBY="a0 a1"
	fi
}

# Two partner systems: one aggregator active, the other standby.
test_two_systems()
{
	local H A B p mac_a

	ts_setup || return
	H=$TS_H A=$TS_A B=$TS_B
	# Unless the MLAG case follows, remove the topology now.
	[ -z "${TESTS:-}" ] || [[ " $TESTS " == *" test_mlag "* ]] || defer ts_teardown
	bond_read "$A"
	mac_a=$BOND_SYS_MAC
	bond_read "$B"
	check_ne "A and B have different system MACs" "$mac_a" "$BOND_SYS_MAC"
	ts_active || { TS_OK=0; return; }
	info "an aggregator formed after $(ms_since "$T_UP") ms"
	# Whichever aggregator formed first stays (ad_select stable).
	info "active aggregator: $TS_ACT, standby: $TS_STBY"
	for p in $TS_STBY; do
		check_wait "$p standby" 10 lacp_port_is -n "$H" lagx0 "$p" sel '^standby$'
		lacp_port -n "$H" lagx0 "$p"
		check_eq "$p reason" "$LACP_REASON" \
			"partner system or key differs from the aggregator's"
		check_ne "$p mux" "$LACP_MUX" distributing
		_col "$p" STATE
		check_eq "$p STATE" "$REPLY" backup
		check_re "$p ip reason" "$(port_reason "$H" "$p")" \
			"^partner system or key differs from the aggregator's \(for [0-9]+s\)$"
	done
	# Still so a moment later: no flapping between the two.
	sleep 1
	# shellcheck disable=SC2086
	check "$TS_ACT still distributing" lacp_dist -n "$H" lagx0 $TS_ACT
	check_lagx_formed "$TS_ACT" "$ACTIVE_FAST_DIST"
	for p in $TS_STBY; do
		check "$p still standby" lacp_port_is -n "$H" lagx0 "$p" sel '^standby$'
	done
	if [ "$TS_ACT" = "a0 a1" ]; then
		check "bond0 in A distributing" bond_dist "$A" b0 b1
		check_wait "bond0 in B not distributing on b2" 5 bond_not_dist "$B" b2
		check_wait "bond0 in B not distributing on b3" 5 bond_not_dist "$B" b3
		ping_works "$H" "$LAGX_IP_B"
	else
		check "bond0 in B distributing" bond_dist "$B" b2 b3
		check_wait "bond0 in A not distributing on b0" 5 bond_not_dist "$A" b0
		check_wait "bond0 in A not distributing on b1" 5 bond_not_dist "$A" b1
		ping_works "$H" "$LAGX_IP_C"
	fi
	[ "$RET" = 0 ] || { dump_lagx "$H"; dump_bond "$A"; dump_bond "$B"; }
}

# Two boxes, one system (MLAG): B takes A's system (ad_actor_system;
# the keys are the same, from the speed): one aggregator of 4 ports.
test_mlag()
{
	local H A B mac_a

	defer ts_teardown
	if [ "$TS_OK" != 1 ]; then
		ts_setup && ts_active || return
	fi
	H=$TS_H A=$TS_A B=$TS_B
	bond_read "$A"
	mac_a=$BOND_SYS_MAC
	check "bond0 in B: ad_actor_system $mac_a" ip -n "$B" -batch - <<-EOB || return
		link set bond0 down
		link set bond0 type bond ad_actor_system $mac_a
		link set bond0 up
	EOB
	T_UP=$(now_us)
	bond_read "$B"
	check_eq "B's system is A's" "$BOND_SYS_MAC" "$mac_a"
	form_wait "MLAG: 2 bonds, one system" "a0 a1 a2 a3" ||
		{ dump_bond "$A"; dump_bond "$B"; return; }
	check_lagx_formed "a0 a1 a2 a3" "$ACTIVE_FAST_DIST"
	pf "$H" lagx0 "Active aggregator"
	check_re "Active aggregator" "$REPLY" "^4 ports, partner 65535,$mac_a key "
	check_wait "bond0 in A distributing" 5 bond_dist "$A" b0 b1
	check_wait "bond0 in B distributing" 5 bond_dist "$B" b2 b3
	[ "$RET" = 0 ] || { dump_lagx "$H"; dump_bond "$A"; dump_bond "$B"; }
}

# A port flaps (the partner's side down and up): it leaves and
# rejoins, the other port stays distributing throughout.
test_port_flap()
{
	local since0 t0

	need_base || return
	check "a0 a1 distributing" lacp_dist -n "$H" lagx0 a0 a1 || return
	lacp_port -n "$H" lagx0 a0
	since0=$LACP_SINCE
	t0=$SECONDS
	ip -n "$P" link set b1 down
	check_wait "a1 link down" 5 lacp_port_is -n "$H" lagx0 a1 reason '^link down$'
	lacp_port -n "$H" lagx0 a1
	check_eq "a1 rx" "$LACP_RX" port-disabled
	check_eq "a1 STATE" "$(port_col -n "$H" lagx0 a1 STATE)" down
	check "a0 still distributing" lacp_dist -n "$H" lagx0 a0
	check_proc -n "$H" lagx0 Carrier up
	ping_works
	ip -n "$P" link set b1 up
	check_wait "a1 rejoins" "$FORM_TMO" lacp_dist -n "$H" lagx0 a0 a1 ||
		{ dump_lagx "$H"; return; }
	check_wait "bond0 distributing on b0 b1" 5 bond_dist "$P" b0 b1
	# a0 never left: its reason has not changed since before the flap.
	lacp_port -n "$H" lagx0 a0
	check "a0 distributing all along (since ${LACP_SINCE}s, ${since0}s $((SECONDS - t0))s ago)" \
		[ "$LACP_SINCE" -ge $((since0 + SECONDS - t0 - 1)) ]
	ping_works
	[ "$RET" = 0 ] || { dump_lagx "$H"; dump_bond "$P"; }
}

# min_links 2: one member down takes the carrier away.
test_min_links()
{
	need_base || return
	check "min_links 2" ip -n "$H" link set lagx0 type lagx min_links 2 || return
	defer "ip -n $H link set lagx0 type lagx min_links 0"
	check_proc -n "$H" lagx0 Carrier up
	ip -n "$P" link set b1 down
	check_wait "carrier down" 5 proc_field_is -n "$H" lagx0 Carrier down ||
		{ dump_lagx "$H"; ip -n "$P" link set b1 up; return; }
	check "lagx0 has no LOWER_UP" eval "! link_has_flag -n $H lagx0 LOWER_UP"
	check_eq "a0 ip reason" "$(port_reason "$H" a0)" "min_links not met (2 needed)"
	check "a0 still distributing in LACP" lacp_dist -n "$H" lagx0 a0
	check_fail "no ping" ping_q "$H" -c 1 "$LAGX_IP_B"
	ip -n "$P" link set b1 up
	check_wait "carrier up" "$FORM_TMO" proc_field_is -n "$H" lagx0 Carrier up
	check "a0 a1 distributing" lacp_dist -n "$H" lagx0 a0 a1
	check_eq "a0 ip reason" "$(port_reason "$H" a0)" "carrying traffic"
	ping_works
	[ "$RET" = 0 ] || dump_lagx "$H"
}

# A port given another key (lacp_key) cannot join the aggregator of its
# siblings: standby, "key mismatch"; back to the derived key, it rejoins.
test_key_mismatch()
{
	need_base || return
	check "a0 a1 distributing" lacp_dist -n "$H" lagx0 a0 a1 || return
	check "a1 lacp_key 99" ip -n "$H" link set a1 type lagx_slave lacp_key 99 || return
	defer "ip -n $H link set a1 type lagx_slave lacp_key 0"
	check_wait "a1 standby" 10 lacp_port_is -n "$H" lagx0 a1 sel '^standby$' ||
		{ dump_lagx "$H"; return; }
	lacp_port -n "$H" lagx0 a1
	check_eq "a1 reason" "$LACP_REASON" "key mismatch (speed/duplex or lacp_key)"
	_lacp_info actor
	check_eq "a1 actor key" "$LI_KEY" 99
	check_re "a1 ip reason" "$(port_reason "$H" a1)" \
		'^key mismatch \(speed/duplex or lacp_key\) \(for [0-9]+s\)$'
	check "a0 still distributing" lacp_dist -n "$H" lagx0 a0
	check_wait "bond0 stops distributing on b1" 5 bond_not_dist "$P" b1
	check "bond0 still distributing on b0" bond_dist "$P" b0
	ping_works
	check "a1 lacp_key 0" ip -n "$H" link set a1 type lagx_slave lacp_key 0
	check_wait "a1 rejoins" "$FORM_TMO" lacp_dist -n "$H" lagx0 a0 a1
	check_wait "bond0 distributing on b0 b1" 5 bond_dist "$P" b0 b1
	[ "$RET" = 0 ] || { dump_lagx "$H"; dump_bond "$P"; }
}

# A released port sends a last LACPDU out of sync: bonding takes it out
# of the aggregate at once, not after its 3 s timeout.
test_graceful_detach()
{
	local t0 ms

	need_base || return
	check "a0 a1 distributing" lacp_dist -n "$H" lagx0 a0 a1 || return
	check "bond0 distributing on b1" bond_dist "$P" b1 || return
	t0=$(now_us)
	ip -n "$H" link set a1 nomaster
	if check_wait "bond0 stops distributing on b1" 2 bond_not_dist "$P" b1; then
		ms=$(ms_since "$t0")
		info "bond0 dropped b1 $ms ms after 'ip link set a1 nomaster'"
		# Not for a carrier loss: only the last LACPDU told bonding.
		check "a1 stays up" link_has_flag -n "$H" a1 UP
		check "b1 keeps its carrier" link_has_flag -n "$P" b1 LOWER_UP
		MEAS+=("graceful detach: bonding dropped the port after $ms ms")
		# Told, not timed out: before the partner's 3 s short timeout
		# could have expired.  How fast is a figure (MEAS), not a test:
		# 0.2-1 s on a quiet rig, 2.1 s seen with every stage at once.
		check "before the partner's 3 s timeout could expire" [ "$ms" -lt 3000 ]
		bond_read "$P"
		check "b1 partner state not in sync (${BS_PSTATE[b1]:-})" \
			eval "(( (${BS_PSTATE[b1]:-255} & ST_SYNC) == 0 ))"
	else
		dump_bond "$P"
	fi
	check "a1 gone from /proc" eval "! lacp_port -n $H lagx0 a1"
	check "a0 still distributing" lacp_dist -n "$H" lagx0 a0
	check "bond0 still distributing on b0" bond_dist "$P" b0
	ping_works
	# Back into the aggregate.
	check "enslave a1 again" ip -n "$H" link set a1 master lagx0 || { BASE_OK=0; return; }
	check_wait "a1 rejoins" "$FORM_TMO" lacp_dist -n "$H" lagx0 a0 a1 || BASE_OK=0
	check_wait "bond0 distributing on b0 b1" 5 bond_dist "$P" b0 b1
	[ "$RET" = 0 ] || { dump_lagx "$H"; dump_bond "$P"; }
}

# Malformed LACPDUs are counted (IllegalRx) and ignored, an unknown
# slow protocol is counted (UnknownRx), a Marker PDU is answered.
test_malformed()
{
	local mac n=3 ill unk mrx mtx

	need_base || return
	command -v python3 >/dev/null || { skip_test "python3 not installed"; return; }
	check "a0 a1 distributing" lacp_dist -n "$H" lagx0 a0 a1 || return
	mac=$(link_attr -n "$P" b0 mac)
	lacp_port -n "$H" lagx0 a0
	ill=$(_lacp_counter IllegalRx)
	unk=$(_lacp_counter UnknownRx)
	mrx=$(_lacp_counter MarkerPDUsRx)
	mtx=$(_lacp_counter MarkerResponsePDUsTx)
	check "send the PDUs" ip netns exec "$P" python3 -c "$PY_SLOW" b0 "$mac" \
		truncated,version0,tlvlen,unknown,marker "$n"
	check_wait "IllegalRx +$((3 * n))" 5 \
		lacp_counter_ge -n "$H" lagx0 a0 IllegalRx $((ill + 3 * n))
	check_wait "UnknownRx +$n" 5 lacp_counter_ge -n "$H" lagx0 a0 UnknownRx $((unk + n))
	check_wait "MarkerPDUsRx +$n" 5 \
		lacp_counter_ge -n "$H" lagx0 a0 MarkerPDUsRx $((mrx + n))
	check_wait "MarkerResponsePDUsTx +$n" 5 \
		lacp_counter_ge -n "$H" lagx0 a0 MarkerResponsePDUsTx $((mtx + n))
	lacp_port -n "$H" lagx0 a0
	check_eq "IllegalRx exactly +$((3 * n))" "$(_lacp_counter IllegalRx)" $((ill + 3 * n))
	check_eq "UnknownRx exactly +$n" "$(_lacp_counter UnknownRx)" $((unk + n))
	check_eq "a1 IllegalRx unchanged" "$(lacp_counter -n "$H" lagx0 a1 IllegalRx)" 0
	check "a0 a1 still distributing" lacp_dist -n "$H" lagx0 a0 a1
	lacp_port -n "$H" lagx0 a0
	_lacp_info partner
	check_re "a0 partner still in sync" "$LI_STATE" "$ACTIVE_FAST_DIST"
	check "bond0 distributing" bond_dist "$P" b0 b1
	ping_works
	[ "$RET" = 0 ] || dump_lagx "$H"
}

# LACPDUs not sent to the Slow_Protocols_Multicast address, or tagged
# (a host on a trunked VLAN, frames a bridge floods): no LACPDUs of this
# link.  They pass up, counted; the aggregate does not notice.
test_stray()
{
	local mac n=5 rx sys0 stray

	need_base || return
	command -v python3 >/dev/null || { skip_test "python3 not installed"; return; }
	check "a0 a1 distributing" lacp_dist -n "$H" lagx0 a0 a1 || return
	mac=$(link_attr -n "$P" b0 mac)
	lacp_port -n "$H" lagx0 a0
	_lacp_info partner
	sys0=$LI_SYS
	rx=$(_lacp_counter LACPDUsRx)
	stray=$(_lacp_counter StrayRx)
	check "send the strays" ip netns exec "$P" python3 -c "$PY_SLOW" b0 "$mac" \
		"stray-bcast,stray-ucast:$(link_attr -n "$H" a0 mac),stray-vlan" "$n"
	check "a0 a1 still distributing" lacp_dist -n "$H" lagx0 a0 a1
	lacp_port -n "$H" lagx0 a0
	_lacp_info partner
	check_eq "a0 partner unchanged" "$LI_SYS" "$sys0"
	check_re "a0 partner still in sync" "$LI_STATE" "$ACTIVE_FAST_DIST"
	check_eq "a0 StrayRx +$((3 * n))" "$(_lacp_counter StrayRx)" $((stray + 3 * n))
	# Only bonding's own LACPDUs (one a second at fast rate) were taken.
	check "a0 LACPDUsRx: no stray counted" \
		test "$(_lacp_counter LACPDUsRx)" -lt $((rx + 3 * n))
	check "bond0 distributing" bond_dist "$P" b0 b1
	ping_works
	[ "$RET" = 0 ] || dump_lagx "$H"
}

# Two ports of the same lagx0 cabled to each other: own LACPDUs come
# back.
test_looped()
{
	local H p

	setup_ns H || { fail "setup_ns"; return; }
	check "lagx0" ip -n "$H" link add lagx0 type lagx mode lacp lacp_rate fast || return
	ip -n "$H" link add a0 type veth peer name a1
	check "enslave a0" ip -n "$H" link set a0 master lagx0 || return
	check "enslave a1" ip -n "$H" link set a1 master lagx0 || return
	ip -n "$H" link set lagx0 up
	for p in a0 a1; do
		check_wait "$p looped" 10 lacp_port_is -n "$H" lagx0 "$p" reason \
			'^own LACPDU looped back$' || { dump_lagx "$H"; return; }
	done
	for p in a0 a1; do
		lacp_port -n "$H" lagx0 "$p"
		check_ne "$p mux" "$LACP_MUX" distributing
		check_counter_min "$p LACPDUsRx" "$(_lacp_counter LACPDUsRx)" 1
		_lacp_info partner
		check_re "$p partner unknown" "$LI_SYS" ',00:00:00:00:00:00$'
		check_re "$p ip reason" "$(port_reason "$H" "$p")" "own LACPDU looped back"
	done
	[ "$RET" = 0 ] || dump_lagx "$H"
}

# ------------------------------------------------------- measurements --

# Replies lost by a 10 ms ping when the member carrying it loses its
# carrier (taken away on the partner side), fast rate.
test_member_loss()
{
	local pid port b sent recv lost msg

	need_base || return
	check "a0 a1 distributing" lacp_dist -n "$H" lagx0 a0 a1 || return
	make_tmpdir TMP || { fail "mktemp"; return; }
	tx_snapshot a0 a1
	in_ns "$H" ping -i "$LOSS_INTERVAL" -c "$LOSS_COUNT" -W 1 "$LAGX_IP_B" \
		>"$TMP/ping" 2>&1 &
	pid=$!
	bg_track "$pid"
	check_wait "the ping leaves through a port" 10 tx_port_of a0 a1 || return
	port=$REPLY
	b=b${port#a}
	ip -n "$P" link set "$b" down
	check_wait "$port link down" 5 lacp_port_is -n "$H" lagx0 "$port" reason '^link down$'
	wait "$pid"
	read -r sent recv < <(ping_stats "$TMP/ping")
	if [ -z "$sent" ] || [ -z "$recv" ]; then
		fail "no ping statistics: $(tail -n 3 "$TMP/ping" | tr '\n' '|')"
	else
		lost=$((sent - recv))
		msg="member failure under a ${LOSS_INTERVAL}s ping ($port's carrier lost):"
		msg+=" $lost of $sent replies lost"
		MEAS+=("$msg")
		info "$msg"
		check "replies after the failure" [ "$recv" -gt 0 ]
	fi
	ip -n "$P" link set "$b" up
	check_wait "$port rejoins" "$FORM_TMO" lacp_dist -n "$H" lagx0 a0 a1
	[ "$RET" = 0 ] || dump_lagx "$H"
}

test_summary()
{
	local m

	for m in "${MEAS[@]}"; do
		info "measured: $m"
	done
	test_kernel_log_clean
}

require_root
require_cmd ip awk dmesg ping sed
ensure_module || ktap_skip_all "cannot load lagx (LAGX_KO=${LAGX_KO:-unset})"
[ -e "$IP_LIB_DIR/link_lagx.so" ] || ktap_skip_all "no iproute2 plugin in $IP_LIB_DIR (make plugin)"
kernel_log_start
trap 'ovs_teardown; ts_teardown; cleanup' EXIT

run_tests \
	test_bond_fast		"interop: bonding 802.3ad lacp_rate fast: both sides distribute, agree, ping" \
	test_bond_slow		"interop: bonding lacp_rate slow, lagx lacp_rate slow: forms" \
	test_bond_passive	"interop: bonding lacp_active off vs lagx active: forms" \
	test_lagx_passive	"interop: lagx lacp_active off vs bonding active: forms" \
	test_passive_passive	"interop: passive vs passive never forms: fallback, reason lacp_active off" \
	test_ovs_active		"interop: Open vSwitch bond lacp=active: forms" \
	test_ovs_passive	"interop: Open vSwitch bond lacp=passive: forms" \
	test_teamd		"interop: teamd lacp runner (active, fast): forms" \
	test_lagx_lagx		"interop: lagx vs lagx: forms, each side's partner is the other" \
	test_fallback		"fault: partner without LACP: fallback balance-slb carries traffic, back to lacp" \
	test_lacpdu_drop	"fault: LACPDUs dropped on one port: it leaves (expired/defaulted), rejoins" \
	test_two_systems	"fault: two partner systems: one aggregator active, the other standby" \
	test_mlag		"fault: two boxes with one system (MLAG): one aggregator of 4 ports" \
	test_port_flap		"fault: port flap: the port leaves and rejoins, the other is unaffected" \
	test_min_links		"fault: min_links 2, one member down: carrier down, reason" \
	test_key_mismatch	"fault: one port with another lacp_key: standby, key mismatch, rejoins" \
	test_graceful_detach	"fault: released port: graceful detach, bonding drops it at once" \
	test_malformed		"fault: malformed LACPDUs: IllegalRx, unknown subtype: UnknownRx, marker answered" \
	test_stray		"fault: stray LACPDUs (broadcast, unicast, VLAN-tagged): passed up, StrayRx, aggregate unmoved" \
	test_looped		"fault: ports cabled to each other: own LACPDU looped back" \
	test_member_loss	"measure: ping loss when a member fails (fast rate)" \
	test_summary		"measurements reported, kernel log has no splat"
