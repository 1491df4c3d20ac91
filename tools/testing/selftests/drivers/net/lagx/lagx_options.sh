#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# lagx options through "ip link" and the iproute2 plugin (link_lagx.so):
# every option set and read back ("ip -d -j link show"), out of range
# (the error names the option, nothing changes), changes refused in the
# device's state, refused multi-option requests changing nothing, and the
# behaviour of primary/primary_reselect, port prio, min_links,
# updelay/downdelay and max_ports; the aliases of xmit_hash_policy and
# lacp_fallback values, the read-only hash bucket attributes of
# balance-slb, and the options and read-only attributes of lacp (its
# options refused on an active-backup device).
#
#   netns H (one per test case)
#   +--------------------------------------------------+
#   |                    lagx0                         |
#   |            +---------+---------+                 |
#   |           a0        a1        a2   (ports, veth) |
#   |            |         |         |                 |
#   |           b0        b1        b2   (peers: their |
#   |                                     up/down is   |
#   |                                     the ports'   |
#   |                                     carrier)     |
#   +--------------------------------------------------+
#
# Environment (and lib.sh's):
#   LAGX_IP_LIB_DIR  where link_lagx.so and link_lagx_slave.so are
#                    (default: tools/iproute2 of this tree, "make plugin")

# Test cases are called through run_tests.
# shellcheck disable=SC2317
lib_dir=$(dirname "$(readlink -f "$0")")
# shellcheck source=lib.sh
. "$lib_dir/lib.sh"

# ip loads $IP_LIB_DIR/link_<kind>.so.
IP_LIB_DIR=${LAGX_IP_LIB_DIR:-$(readlink -f "$lib_dir/../../../../../..")/tools/iproute2}
export IP_LIB_DIR

H=

# ------------------------------------------------------------ helpers --

# setup_host N [ENSLAVE]: namespace H with lagx0 (down, default mode) and N
# veth pairs aI - bI, the peers bI up; the first ENSLAVE (default N) aI
# enslaved.
setup_host()
{
	local n=$1 m=${2:-$1} i

	setup_ns H || return 1
	ip -n "$H" link add lagx0 type lagx || return 1
	for ((i = 0; i < n; i++)); do
		veth_pair "$H" "a$i" "$H" "b$i" || return 1
		ip -n "$H" link set "b$i" up
	done
	for ((i = 0; i < m; i++)); do
		check "enslave a$i" ip -n "$H" link set "a$i" master lagx0 || return 1
	done
}

# setup_ab: lagx0 up with ports a0 (active) and a1 (backup), links up.
setup_ab()
{
	setup_host 2 || return 1
	ip -n "$H" link set lagx0 up
	check_wait "a0 link up" 10 port_col_is -n "$H" lagx0 a0 LINK up &&
	check_wait "a1 link up" 10 port_col_is -n "$H" lagx0 a1 LINK up &&
	check_wait "a0 active" 5 proc_field_is -n "$H" lagx0 "Active port" a0
}

INFO=		# the last info_data / info_slave_data object, without braces

# _info NS DEV OBJ: OBJ ("info_data", "info_slave_data") of DEV's
# "ip -d -j link show" into INFO.
_info()
{
	local json

	INFO=
	json=$(ip ${1:+-n "$1"} -d -j link show dev "$2" 2>/dev/null) || return 1
	[[ "$json" == *"\"$3\":{"* ]] || return 1
	json=${json#*\""$3"\":\{}
	INFO=${json%%\}*}
}

# _info_key KEY: KEY's value in INFO (strings without their quotes).
_info_key()
{
	local item
	local -a items

	IFS=, read -r -a items <<<"$INFO"
	for item in "${items[@]}"; do
		if [[ "$item" == "\"$1\":"* ]]; then
			item=${item#\""$1"\":}
			item=${item#\"}
			echo "${item%\"}"
			return 0
		fi
	done
	return 1
}

# opt [-n NS] DEV KEY: a lagx device's option, as "ip -d -j" shows it.
opt()
{
	local ns=$H
	[ "$1" = -n ] && { ns=$2; shift 2; }

	_info "$ns" "$1" info_data && _info_key "$2"
}

# port_opt PORT KEY: a port's option (info_slave_data).
port_opt()
{
	_info "$H" "$1" info_slave_data && _info_key "$2"
}

# opts DEV / port_opts PORT: every option, to compare before and after.
opts() { _info "$H" "$1" info_data && echo "$INFO"; }
port_opts() { _info "$H" "$1" info_slave_data && echo "$INFO"; }
# The settable ones of a port, the last ones shown (its reason ages).
port_cfg() { port_opts "$1" | sed 's/.*"prio"/"prio"/'; }

opt_is() { [ "$(opt "$1" "$2")" = "$3" ]; }
port_opt_is() { [ "$(port_opt "$1" "$2")" = "$3" ]; }

# set_ok DEV OPT VALUE [SHOWN]: "ip link set DEV type lagx OPT VALUE"
# succeeds and OPT then reads back as SHOWN (default VALUE).
set_ok()
{
	local out

	if ! out=$(ip -n "$H" link set "$1" type lagx "$2" "$3" 2>&1); then
		fail "$1: $2 $3 refused: $out"
		return 1
	fi
	check_eq "$1: $2 after '$2 $3'" "$(opt "$1" "$2")" "${4:-$3}"
}

port_set_ok()
{
	local out

	if ! out=$(ip -n "$H" link set "$1" type lagx_slave "$2" "$3" 2>&1); then
		fail "$1: $2 $3 refused: $out"
		return 1
	fi
	check_eq "$1: $2 after '$2 $3'" "$(port_opt "$1" "$2")" "${4:-$3}"
}

# refused DEV REGEX OPT VALUE...: "ip link set DEV type lagx OPT VALUE..."
# fails with an error matching REGEX and changes no option of DEV.
refused()
{
	local dev=$1 re=$2 before out
	shift 2

	before=$(opts "$dev")
	if out=$(ip -n "$H" link set "$dev" type lagx "$@" 2>&1); then
		fail "$dev: '$*' accepted"
		return 1
	fi
	check_match "$dev: '$*' error" "$out" "$re"
	check_eq "$dev: options after refused '$*'" "$(opts "$dev")" "$before"
}

port_refused()
{
	local port=$1 re=$2 before out
	shift 2

	before=$(port_cfg "$port")
	if out=$(ip -n "$H" link set "$port" type lagx_slave "$@" 2>&1); then
		fail "$port: '$*' accepted"
		return 1
	fi
	check_match "$port: '$*' error" "$out" "$re"
	check_eq "$port: options after refused '$*'" "$(port_cfg "$port")" "$before"
}

# add_lagx DEV MODE: a lagx device in MODE.
add_lagx()
{
	local out

	out=$(ip -n "$H" link add "$1" type lagx mode "$2" 2>&1) && return 0
	fail "ip link add $1 type lagx mode $2: $out"
	return 1
}

# ---------------------------------------------------------- test cases --

test_plugin_help()
{
	local out o

	out=$(ip link help lagx 2>&1)
	for o in mode primary primary_reselect updelay downdelay min_links \
		 max_ports xmit_hash_policy rebalance_interval lacp_rate \
		 lacp_active lacp_sys_prio lacp_sys_mac ad_select lacp_fallback \
		 active_port port_count failovers bucket_moves operating_mode \
		 fallbacks active-backup balance-slb layer3+4 vlan+srcmac better \
		 bandwidth src_mac tcpudp_ports none fallback-balance-slb; do
		check_match "'ip link help lagx' documents $o" "$out" \
			"(^|[ {(])${o//+/\\+}([ )]|\$)"
	done
	out=$(ip link help lagx_slave 2>&1)
	for o in prio lacp_prio lacp_key state link_failures perm_hwaddr buckets load \
		 lacp_actor_state lacp_partner_state lacp_partner_system; do
		check_match "'ip link help lagx_slave' documents $o" "$out" "^  $o( |$)"
	done
	out=$(ip link help lagx 2>&1)
	check_match "lacp_fallback values" "$out" \
		"^  lacp_fallback \{ none \| balance-slb \| active-backup \}$"

	setup_ns H || return
	out=$(ip -n "$H" link add lagx0 type lagx frobnicate 1 2>&1)
	check_match "unknown option: error" "$out" 'unknown option "frobnicate"'
	check_match "unknown option: usage" "$out" "Usage: ip link add NAME type lagx"
	check_fail "no lagx0 after the unknown option" link_exists -n "$H" lagx0
	for o in active_port port_count failovers bucket_moves operating_mode fallbacks; do
		out=$(ip -n "$H" link add lagx0 type lagx "$o" 1 2>&1)
		check_match "$o refused" "$out" "$o is read-only"
	done
}

test_create_all()
{
	local out o

	setup_ns H || return
	ip -n "$H" link add d0 type dummy
	# active-backup: its options and those of every mode.
	out=$(ip -n "$H" link add lagx0 type lagx mode active-backup \
		updelay 200 downdelay 100 primary d0 primary_reselect better \
		min_links 1 max_ports 8 2>&1)
	check "create active-backup with every option: $out" [ $? -eq 0 ] || return
	_info "$H" lagx0 info_data
	check_eq "read back" "$INFO" \
		'"mode":"active-backup","active_port":null,"port_count":0,"failovers":0,"primary":"d0","primary_reselect":"better","updelay":200,"downdelay":100,"min_links":1,"max_ports":8,"xmit_hash_policy":"layer2","rebalance_interval":10000,"lacp_rate":"slow","lacp_active":"on","lacp_sys_prio":65535,"lacp_sys_mac":"00:00:00:00:00:00","ad_select":"stable","lacp_fallback":"balance-slb"'
	out=$(ip -n "$H" -d link show lagx0)
	check_match "text output" "$out" \
		"lagx mode active-backup active_port none port_count 0 failovers 0 primary d0 primary_reselect better updelay 200 downdelay 100 min_links 1 max_ports 8 xmit_hash_policy layer2 rebalance_interval 10000 lacp_rate slow lacp_active on lacp_sys_prio 65535 lacp_sys_mac 00:00:00:00:00:00 ad_select stable lacp_fallback balance-slb "
	if command -v python3 >/dev/null; then
		check "ip -d -j is valid JSON" \
			eval "ip -n $H -d -j link show lagx0 | python3 -m json.tool >/dev/null"
	fi

	# lacp: its options and those of every mode; operating_mode and
	# fallbacks shown, active_port not.
	out=$(ip -n "$H" link add lacp0 type lagx mode lacp \
		updelay 200 downdelay 100 min_links 1 max_ports 8 \
		xmit_hash_policy layer3+4 rebalance_interval 5000 lacp_rate fast \
		lacp_active off lacp_sys_prio 100 lacp_sys_mac 02:00:00:00:00:01 \
		ad_select bandwidth lacp_fallback active-backup 2>&1)
	check "create lacp with every option: $out" [ $? -eq 0 ] || return
	_info "$H" lacp0 info_data
	check_eq "lacp0 read back" "$INFO" \
		'"mode":"lacp","operating_mode":"lacp","port_count":0,"failovers":0,"fallbacks":0,"bucket_moves":0,"primary":null,"primary_reselect":"always","updelay":200,"downdelay":100,"min_links":1,"max_ports":8,"xmit_hash_policy":"layer3+4","rebalance_interval":5000,"lacp_rate":"fast","lacp_active":"off","lacp_sys_prio":100,"lacp_sys_mac":"02:00:00:00:00:01","ad_select":"bandwidth","lacp_fallback":"active-backup"'
	out=$(ip -n "$H" -d link show lacp0)
	check_match "lacp0 text output" "$out" \
		"lagx mode lacp operating_mode lacp port_count 0 failovers 0 fallbacks 0 bucket_moves 0 primary none primary_reselect always updelay 200 downdelay 100 min_links 1 max_ports 8 xmit_hash_policy layer3\+4 rebalance_interval 5000 lacp_rate fast lacp_active off lacp_sys_prio 100 lacp_sys_mac 02:00:00:00:00:01 ad_select bandwidth lacp_fallback active-backup "

	# The options of one mode are refused in the other.
	for o in "lacp_rate fast" "lacp_active off" "lacp_sys_prio 100" \
		 "lacp_sys_mac 02:00:00:00:00:01" "ad_select count" \
		 "lacp_fallback none"; do
		# shellcheck disable=SC2086	# "option value"
		out=$(ip -n "$H" link add lagx2 type lagx mode active-backup $o 2>&1)
		check_match "active-backup with $o: refused" "$out" \
			"${o%% *}: does not apply to mode active-backup"
		check_fail "no lagx2 after $o" link_exists -n "$H" lagx2
	done
	out=$(ip -n "$H" link add lagx2 type lagx mode lacp primary d0 2>&1)
	check_match "lacp with primary: refused" "$out" "primary: does not apply to mode lacp"
	check_fail "no lagx2 after primary" link_exists -n "$H" lagx2

	# The defaults, on a device created without options.
	ip -n "$H" link add lagx1 type lagx
	_info "$H" lagx1 info_data
	check_eq "defaults" "$INFO" \
		'"mode":"active-backup","active_port":null,"port_count":0,"failovers":0,"primary":null,"primary_reselect":"always","updelay":0,"downdelay":0,"min_links":0,"max_ports":32,"xmit_hash_policy":"layer2","rebalance_interval":10000,"lacp_rate":"slow","lacp_active":"on","lacp_sys_prio":65535,"lacp_sys_mac":"00:00:00:00:00:00","ad_select":"stable","lacp_fallback":"balance-slb"'
}

# The options of balance-slb (which do not apply to active-backup), on a
# balance-slb device; in the default mode while balance-slb is not
# implemented (its options are then accepted in any mode).
test_create_slb()
{
	local out

	setup_ns H || return
	out=$(ip -n "$H" link add slb0 type lagx mode balance-slb \
		xmit_hash_policy tcpudp_ports rebalance_interval 5000 2>&1)
	if [[ "$out" == *"not implemented"* ]]; then
		info "mode balance-slb not implemented: slb0 in the default mode"
		out=$(ip -n "$H" link add slb0 type lagx \
			xmit_hash_policy tcpudp_ports rebalance_interval 5000 2>&1)
	fi
	check "create slb0 with the balance-slb options: $out" link_exists -n "$H" slb0 ||
		return
	check_eq "slb0 xmit_hash_policy" "$(opt slb0 xmit_hash_policy)" layer3+4
	check_eq "slb0 rebalance_interval" "$(opt slb0 rebalance_interval)" 5000
	check_match "slb0 text output" "$(ip -n "$H" -d link show slb0)" \
		" xmit_hash_policy layer3\+4 rebalance_interval 5000 "
}

test_set_valid()
{
	local v out

	setup_host 1 0 || return
	ip -n "$H" link add d0 type dummy

	# Modes: every one is implemented.
	for v in active-backup balance-slb lacp; do
		if out=$(ip -n "$H" link set lagx0 type lagx mode "$v" 2>&1); then
			check_eq "mode $v" "$(opt lagx0 mode)" "$v"
		else
			fail "mode $v refused: $out"
		fi
	done
	set_ok lagx0 mode 0 active-backup

	# active-backup options, on lagx0.
	set_ok lagx0 primary d0
	set_ok lagx0 primary none null
	for v in always better failure; do
		set_ok lagx0 primary_reselect "$v"
	done
	set_ok lagx0 primary_reselect 0 always

	# Every mode.
	for v in 0 1 600000 200; do
		set_ok lagx0 updelay "$v"
		set_ok lagx0 downdelay "$v"
	done
	for v in 0 64 1; do
		set_ok lagx0 min_links "$v"
	done
	for v in 1 64 8; do
		set_ok lagx0 max_ports "$v"
	done

	# balance-slb and lacp options.
	add_lagx slb0 balance-slb || return
	for v in layer2 layer2+3 layer3+4 encap2+3 encap3+4 vlan+srcmac; do
		set_ok slb0 xmit_hash_policy "$v"
	done
	set_ok slb0 xmit_hash_policy 2 layer3+4
	# Aliases: accepted, shown by their canonical names.
	set_ok slb0 xmit_hash_policy src_mac vlan+srcmac
	set_ok slb0 xmit_hash_policy tcpudp_ports layer3+4
	check_match "text output: canonical name" "$(ip -n "$H" -d link show slb0)" \
		" xmit_hash_policy layer3\+4 "
	for v in 0 3600000 5000; do
		set_ok slb0 rebalance_interval "$v"
	done

	add_lagx lacp0 lacp || return
	for v in fast slow; do
		set_ok lacp0 lacp_rate "$v"
	done
	for v in off on; do
		set_ok lacp0 lacp_active "$v"
	done
	set_ok lacp0 lacp_active 0 off
	for v in none active-backup balance-slb; do
		set_ok lacp0 lacp_fallback "$v"
	done
	set_ok lacp0 lacp_fallback 2 active-backup
	# The values of before: accepted, shown by their new names.
	set_ok lacp0 lacp_fallback off none
	set_ok lacp0 lacp_fallback on balance-slb
	check_match "text output: lacp_fallback balance-slb" "$(ip -n "$H" -d link show lacp0)" \
		" lacp_fallback balance-slb "
	for v in 1 65535 100; do
		set_ok lacp0 lacp_sys_prio "$v"
	done
	set_ok lacp0 lacp_sys_mac 02:00:00:00:00:02
	set_ok lacp0 lacp_sys_mac 00:00:00:00:00:00
	for v in stable bandwidth count; do
		set_ok lacp0 ad_select "$v"
	done
}

test_out_of_range()
{
	setup_host 1 0 || return
	add_lagx lacp0 lacp || return

	# Checked by the kernel: its message names the option and the range.
	refused lagx0 'mode: 3 is out of range 0\.\.2' mode 3
	refused lagx0 'primary_reselect: 3 is out of range 0\.\.2' primary_reselect 3
	refused lagx0 'updelay: 600001 is out of range 0\.\.600000' updelay 600001
	refused lagx0 'updelay: 700000 is out of range 0\.\.600000' updelay 700000
	refused lagx0 'downdelay: 600001 is out of range 0\.\.600000' downdelay 600001
	refused lagx0 'min_links: 65 is out of range 0\.\.64' min_links 65
	refused lagx0 'max_ports: 0 is out of range 1\.\.64' max_ports 0
	refused lagx0 'max_ports: 65 is out of range 1\.\.64' max_ports 65
	refused lagx0 'xmit_hash_policy: 6 is out of range 0\.\.5' xmit_hash_policy 6
	refused lagx0 'rebalance_interval: 3600001 is out of range 0\.\.3600000' \
		rebalance_interval 3600001
	refused lacp0 'lacp_rate: 2 is out of range 0\.\.1' lacp_rate 2
	refused lacp0 'lacp_active: 2 is out of range 0\.\.1' lacp_active 2
	refused lacp0 'lacp_sys_prio: 0 is out of range 1\.\.65535' lacp_sys_prio 0
	refused lacp0 'ad_select: 3 is out of range 0\.\.2' ad_select 3
	refused lacp0 'lacp_fallback: 3 is out of range 0\.\.2' lacp_fallback 3

	# What the attribute cannot carry is refused by the plugin.
	refused lagx0 'mode: invalid value "fast"' mode fast
	refused lagx0 'xmit_hash_policy: invalid value "src-mac", one of: layer2 layer2\+3 layer3\+4 encap2\+3 encap3\+4 vlan\+srcmac src_mac tcpudp_ports$' \
		xmit_hash_policy src-mac
	refused lagx0 'xmit_hash_policy: invalid value "layer3\+4x"' xmit_hash_policy layer3+4x
	refused lagx0 'primary: device "nosuch0" does not exist' primary nosuch0
	refused lagx0 'updelay: "4294967296" is not a number' updelay 4294967296
	refused lagx0 'updelay: "-1" is not a number' updelay -1
	refused lacp0 'lacp_sys_prio: 65536 does not fit in 16 bits' lacp_sys_prio 65536
	refused lacp0 'lacp_sys_mac: "02:00:00:00:01" is not an Ethernet address' \
		lacp_sys_mac 02:00:00:00:01
	refused lacp0 'lacp_fallback: invalid value "maybe", one of: none balance-slb active-backup off on$' \
		lacp_fallback maybe

	# Port options: their ranges are those of their attributes.
	check "enslave a0" ip -n "$H" link set a0 master lagx0 || return
	port_refused a0 'prio: "2147483648" is not a number' prio 2147483648
	port_refused a0 'lacp_prio: 65536 does not fit in 16 bits' lacp_prio 65536
	port_refused a0 'lacp_key: 65536 does not fit in 16 bits' lacp_key 65536
	port_refused a0 'state is read-only' state 2
	port_refused a0 'lacp_partner_state is read-only' lacp_partner_state 0
}

test_not_now()
{
	local out other

	setup_host 2 || return
	ip -n "$H" link set lagx0 up

	for other in lacp balance-slb; do
		refused lagx0 "mode: cannot change while lagx0 has ports" mode "$other"
	done
	out=$(ip -n "$H" link set lagx0 type lagx mode active-backup 2>&1)
	check "the current mode, with ports: accepted ($out)" [ $? -eq 0 ]
	refused lagx0 "max_ports: lagx0 already has 2 ports" max_ports 1

	add_lagx lacp0 lacp || return
	ip -n "$H" link set lacp0 up
	refused lacp0 "lacp_sys_mac: cannot change while lacp0 is up" \
		lacp_sys_mac 02:00:00:00:00:03
	ip -n "$H" link set lacp0 down
	set_ok lacp0 lacp_sys_mac 02:00:00:00:00:03

	# With no ports left, the mode may change again.
	ip -n "$H" link set a0 nomaster
	ip -n "$H" link set a1 nomaster
	set_ok lagx0 mode lacp
}

test_atomic()
{
	setup_host 2 || return
	set_ok lagx0 updelay 50
	set_ok lagx0 min_links 1

	refused lagx0 'downdelay: 999999 is out of range' updelay 100 downdelay 999999
	check_eq "updelay unchanged" "$(opt lagx0 updelay)" 50
	refused lagx0 'max_ports: lagx0 already has 2 ports' updelay 100 max_ports 1
	refused lagx0 'mode: cannot change while lagx0 has ports' \
		min_links 2 updelay 100 mode lacp
	refused lagx0 'mode: 9 is out of range' updelay 100 mode 9 min_links 2
	refused lagx0 'primary: device "nosuch0" does not exist' updelay 100 primary nosuch0
	check_eq "updelay still unchanged" "$(opt lagx0 updelay)" 50
	check_eq "min_links unchanged" "$(opt lagx0 min_links)" 1

	port_set_ok a0 prio 3
	port_refused a0 'lacp_key: 65536 does not fit' prio 7 lacp_key 65536
	check_eq "a0 prio unchanged" "$(port_opt a0 prio)" 3
}

test_port_options()
{
	local mac v

	setup_host 2 0 || return
	mac=$(link_attr -n "$H" a0 mac)
	check "enslave a0" ip -n "$H" link set a0 master lagx0 || return
	check "enslave a1" ip -n "$H" link set a1 master lagx0 || return
	ip -n "$H" link set lagx0 up
	check_wait "a0 active" 10 port_opt_is a0 state active
	check_wait "a1 backup" 10 port_opt_is a1 state backup
	check_eq "a0 perm_hwaddr: its own MAC" "$(port_opt a0 perm_hwaddr)" "$mac"
	check_eq "a0 link_failures" "$(port_opt a0 link_failures)" 0
	check_eq "a0 reason" "$(port_opt a0 reason)" "carrying traffic"
	check_match "a1 reason" "$(port_opts a1)" '"reason":"standby, a0 is active"'
	check_eq "a0 defaults" "$(port_opts a0 | sed 's/"perm_hwaddr":"[^"]*",//')" \
		'"state":"active","reason":"carrying traffic","link_failures":0,"prio":0,"lacp_prio":255,"lacp_key":0'

	for v in -2147483648 2147483647 -5 0; do
		port_set_ok a1 prio "$v"
	done
	port_set_ok a1 prio 10
	check_match "text output" "$(ip -n "$H" -d link show a1)" \
		"lagx_slave state (active|backup) reason \"[^\"]+\" link_failures 0 perm_hwaddr [0-9a-f:]{17} prio 10 lacp_prio 255 lacp_key 0 "
	# The options of lacp ports do not apply to active-backup ones.
	port_refused a1 'lacp_prio: does not apply to mode active-backup' lacp_prio 100
	port_refused a1 'lacp_key: does not apply to mode active-backup' lacp_key 5

	# The read-only ones follow the port.
	ip -n "$H" link set lagx0 type lagx updelay 0 downdelay 0
	ip -n "$H" link set b1 down
	check_wait "a1 state down" 10 port_opt_is a1 state down
	check_eq "a1 link_failures" "$(port_opt a1 link_failures)" 1

	# A lacp port: lacp_prio and lacp_key, and its LACP state shown.
	add_lagx lacp0 lacp || return
	veth_pair "$H" c0 "$H" d0
	ip -n "$H" link set d0 up
	check "enslave c0 to lacp0" ip -n "$H" link set c0 master lacp0 || return
	check_eq "c0 defaults" "$(port_cfg c0)" '"prio":0,"lacp_prio":255,"lacp_key":0'
	for v in 0 65535 100; do
		port_set_ok c0 lacp_prio "$v"
		port_set_ok c0 lacp_key "$v"
	done
	ip -n "$H" link set c0 type lagx_slave lacp_prio 100 lacp_key 5
	check_eq "c0 after 'lacp_prio 100 lacp_key 5'" "$(port_cfg c0)" \
		'"prio":0,"lacp_prio":100,"lacp_key":5'
	port_refused c0 'prio: does not apply to mode lacp' prio 10
	check_match "c0: LACP state shown (JSON)" "$(port_opts c0)" \
		'"lacp_actor_state":"[a-z,]+","lacp_partner_state":"[a-z,]+","lacp_partner_system":"[0-9a-f:]{17}","prio":0,'
	check_match "c0: LACP state shown (text)" "$(ip -n "$H" -d link show c0)" \
		" lacp_actor_state [a-z,]+ lacp_partner_state [a-z,]+ lacp_partner_system [0-9a-f:]{17} prio 0 lacp_prio 100 lacp_key 5 "
	port_refused c0 'lacp_actor_state is read-only' lacp_actor_state 0
	check_fail "a1 (active-backup): no LACP state" \
		grep -q lacp_actor_state <<<"$(port_opts a1)"
}

# balance-slb: bucket_moves on the device, buckets and load on its ports,
# as numbers; none of them in active-backup.
test_slb_shown()
{
	local out

	setup_host 2 0 || return
	if ! out=$(ip -n "$H" link add slb0 type lagx mode balance-slb 2>&1); then
		if [[ "$out" == *"not implemented"* ]]; then
			skip_test "balance-slb is not implemented yet"
		else
			fail "create slb0 (balance-slb): $out"
		fi
		return
	fi
	check "enslave a0" ip -n "$H" link set a0 master slb0 || return
	check "enslave a1" ip -n "$H" link set a1 master slb0 || return
	ip -n "$H" link set slb0 up
	check_wait "a0 active" 10 port_opt_is a0 state active
	check_wait "a1 active" 10 port_opt_is a1 state active
	check_match "slb0: bucket_moves" "$(opts slb0)" '"failovers":[0-9]+,"bucket_moves":[0-9]+,'
	check_match "slb0 text: bucket_moves" "$(ip -n "$H" -d link show slb0)" \
		" failovers [0-9]+ bucket_moves [0-9]+ "
	check_match "a0: buckets, load" "$(port_opts a0)" \
		'"perm_hwaddr":"[0-9a-f:]{17}","buckets":[0-9]+,"load":[0-9]+,'
	check_match "a1 text: buckets, load" "$(ip -n "$H" -d link show a1)" \
		" perm_hwaddr [0-9a-f:]{17} buckets [0-9]+ load [0-9]+ "
	check_fail "lagx0 (active-backup): no bucket_moves" \
		grep -q bucket_moves <<<"$(opts lagx0)"
	out=$(ip -n "$H" link set slb0 type lagx bucket_moves 0 2>&1)
	check_match "bucket_moves is read-only" "$out" "bucket_moves is read-only"
	out=$(ip -n "$H" link set a0 type lagx_slave buckets 0 2>&1)
	check_match "buckets is read-only" "$out" "buckets is read-only"
}

test_read_only_shown()
{
	setup_ab || return
	check_eq "port_count" "$(opt lagx0 port_count)" 2
	check_eq "active_port" "$(opt lagx0 active_port)" a0
	check_eq "failovers" "$(opt lagx0 failovers)" 0
	ip -n "$H" link set b0 down
	check_wait "active_port a1" 10 opt_is lagx0 active_port a1
	check_eq "failovers after a failover" "$(opt lagx0 failovers)" 1
	ip -n "$H" link set b1 down
	check_wait "active_port none" 10 opt_is lagx0 active_port null
	check_match "text: active_port none" "$(ip -n "$H" -d link show lagx0)" \
		"active_port none "
}

test_primary_reselect()
{
	setup_ab || return
	set_ok lagx0 primary a1
	check_wait "primary a1 takes over (reselect always)" 10 \
		proc_field_is -n "$H" lagx0 "Active port" a1
	set_ok lagx0 primary a0
	check_wait "primary a0 takes over (reselect always)" 10 \
		proc_field_is -n "$H" lagx0 "Active port" a0

	# always: the primary takes traffic back when it comes back.
	ip -n "$H" link set b0 down
	check_wait "always: a1 active while a0 is down" 10 \
		proc_field_is -n "$H" lagx0 "Active port" a1
	ip -n "$H" link set b0 up
	check_wait "always: a0 active again" 10 \
		proc_field_is -n "$H" lagx0 "Active port" a0

	# failure: it does not, until the active port fails.
	set_ok lagx0 primary_reselect failure
	ip -n "$H" link set b0 down
	check_wait "failure: a1 active while a0 is down" 10 \
		proc_field_is -n "$H" lagx0 "Active port" a1
	ip -n "$H" link set b0 up
	check_wait "failure: a0 back up as backup" 10 \
		port_col_is -n "$H" lagx0 a0 STATE backup
	sleep 1
	check_eq "failure: a1 still active" \
		"$(proc_field -n "$H" lagx0 "Active port")" a1
	ip -n "$H" link set b1 down
	check_wait "failure: a0 active once a1 fails" 10 \
		proc_field_is -n "$H" lagx0 "Active port" a0
	ip -n "$H" link set b1 up
	check_wait "a1 link up" 10 port_col_is -n "$H" lagx0 a1 LINK up

	# better: only to a faster port (veth ports have the same speed).
	set_ok lagx0 primary a1
	set_ok lagx0 primary_reselect better
	sleep 1
	check_eq "better: a0 as fast as primary a1, stays active" \
		"$(proc_field -n "$H" lagx0 "Active port")" a0
	set_ok lagx0 primary_reselect always
	check_wait "always again: primary a1 takes over" 10 \
		proc_field_is -n "$H" lagx0 "Active port" a1
}

test_port_prio()
{
	setup_ab || return
	port_set_ok a1 prio 10
	check_wait "higher prio a1 becomes active" 10 \
		proc_field_is -n "$H" lagx0 "Active port" a1
	check_eq "a1 state active" "$(port_opt a1 state)" active
	check_eq "a0 state backup" "$(port_opt a0 state)" backup
	port_set_ok a1 prio -1
	check_wait "a0 (prio 0 > -1) active again" 10 \
		proc_field_is -n "$H" lagx0 "Active port" a0
	# The primary outranks any prio.
	port_set_ok a1 prio 100
	check_wait "a1 (prio 100) active" 10 \
		proc_field_is -n "$H" lagx0 "Active port" a1
	set_ok lagx0 primary a0
	check_wait "primary a0 beats prio 100" 10 \
		proc_field_is -n "$H" lagx0 "Active port" a0
}

test_min_links()
{
	setup_ab || return
	check_wait "carrier up" 10 proc_field_is -n "$H" lagx0 Carrier up
	set_ok lagx0 min_links 2
	check_eq "2 usable ports, min_links 2: carrier up" \
		"$(proc_field -n "$H" lagx0 Carrier)" up
	ip -n "$H" link set b0 down
	check_wait "1 usable port, min_links 2: carrier down" 10 \
		proc_field_is -n "$H" lagx0 Carrier down
	check_fail "no LOWER_UP on lagx0" link_has_flag -n "$H" lagx0 LOWER_UP
	ip -n "$H" link set b0 up
	check_wait "2 usable ports again: carrier up" 10 \
		proc_field_is -n "$H" lagx0 Carrier up
	set_ok lagx0 min_links 3
	check_wait "min_links 3 > ports: carrier down" 10 \
		proc_field_is -n "$H" lagx0 Carrier down
	set_ok lagx0 min_links 0
	check_wait "min_links 0: carrier up" 10 proc_field_is -n "$H" lagx0 Carrier up
}

test_updelay()
{
	local t0

	setup_ab || return
	set_ok lagx0 updelay 2000
	ip -n "$H" link set b0 down
	check_wait "a0 down at once (downdelay 0)" 5 \
		port_col_is -n "$H" lagx0 a0 LINK down
	check_wait "a1 active" 5 proc_field_is -n "$H" lagx0 "Active port" a1

	t0=$SECONDS
	ip -n "$H" link set b0 up
	proc_read -n "$H" lagx0
	_col a0 LINK
	check_ne "a0 not usable right after its carrier came back" "$REPLY" up
	_col a0 STATE
	check_eq "a0 STATE right after its carrier came back" "$REPLY" down
	check_wait "a0 usable after updelay" 15 port_col_is -n "$H" lagx0 a0 LINK up
	check_eq "a0 STATE after updelay" "$(port_col -n "$H" lagx0 a0 STATE)" backup
	info "a0 usable about $((SECONDS - t0)) s after its carrier (updelay 2 s)"

	# A flap shorter than updelay is forgotten.
	ip -n "$H" link set b0 down
	check_wait "a0 down" 5 port_col_is -n "$H" lagx0 a0 LINK down
	ip -n "$H" link set b0 up
	ip -n "$H" link set b0 down
	sleep 3
	check_eq "a0 still down after a short flap" \
		"$(port_col -n "$H" lagx0 a0 LINK)" down
	ip -n "$H" link set b0 up

	set_ok lagx0 updelay 0
	set_ok lagx0 downdelay 2000
	check_wait "a0 up (updelay 0 now)" 15 port_col_is -n "$H" lagx0 a0 LINK up
	ip -n "$H" link set b1 down
	proc_read -n "$H" lagx0
	_col a1 LINK
	check_ne "a1 still usable right after losing carrier (downdelay)" \
		"$REPLY" down
	_field "Active port"
	check_eq "a1 still active right after losing carrier" "$REPLY" a1
	check_wait "a1 down after downdelay" 15 port_col_is -n "$H" lagx0 a1 LINK down
	check_wait "a0 active after downdelay" 5 \
		proc_field_is -n "$H" lagx0 "Active port" a0
}

test_max_ports()
{
	local out

	setup_host 3 0 || return
	set_ok lagx0 max_ports 2
	check "enslave a0" ip -n "$H" link set a0 master lagx0
	check "enslave a1" ip -n "$H" link set a1 master lagx0
	out=$(ip -n "$H" link set a2 master lagx0 2>&1)
	check "a2 refused" [ $? -ne 0 ]
	check_match "a2 refused: message" "$out" 'Too many ports \(max_ports is 2\)'
	check_eq "a2 has no master" "$(link_attr -n "$H" a2 master)" ""
	check_eq "port_count" "$(opt lagx0 port_count)" 2
	set_ok lagx0 max_ports 3
	check "a2 accepted with max_ports 3" ip -n "$H" link set a2 master lagx0
	check_eq "port_count" "$(opt lagx0 port_count)" 3
}

# ------------------------------------------------------------------ main --

require_root
require_cmd ip awk dmesg
if [ ! -e "$IP_LIB_DIR/link_lagx.so" ] || [ ! -e "$IP_LIB_DIR/link_lagx_slave.so" ]; then
	ktap_skip_all "no link_lagx.so in $IP_LIB_DIR (make plugin, or set LAGX_IP_LIB_DIR)"
fi
ip link help lagx 2>&1 | grep -q "type lagx" ||
	ktap_skip_all "ip does not load $IP_LIB_DIR/link_lagx.so"
ensure_module || ktap_skip_all "cannot load lagx (LAGX_KO=${LAGX_KO:-unset})"
kernel_log_start

run_tests \
	test_plugin_help	"ip link help lagx / lagx_slave; unknown and read-only keywords" \
	test_create_all		"create with every option (active-backup, lacp), read back; defaults" \
	test_create_slb		"create with the balance-slb options (an alias), read back" \
	test_set_valid		"every option: valid values set and read back" \
	test_out_of_range	"every option out of range: refused, named, nothing changed" \
	test_not_now		"mode with ports, lacp_sys_mac while up, max_ports < ports: refused" \
	test_atomic		"refused multi-option request changes nothing" \
	test_port_options	"port options (active-backup, lacp): set, read back, read-only shown" \
	test_read_only_shown	"active_port, port_count, failovers shown" \
	test_slb_shown		"balance-slb: bucket_moves, port buckets and load shown" \
	test_primary_reselect	"primary takes traffic back with always, not with failure/better" \
	test_port_prio		"higher prio port becomes active; primary beats prio" \
	test_min_links		"carrier off with fewer than min_links usable ports" \
	test_updelay		"updelay/downdelay: port usable/unusable only after the delay" \
	test_max_ports		"max_ports: the port beyond it is refused" \
	test_kernel_log_clean	"kernel log has no splat"
