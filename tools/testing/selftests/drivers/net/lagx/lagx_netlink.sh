#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Requests "ip" and lagxctl never send, through raw netlink (lagx_nl.py):
# rtnetlink attributes of a wrong length or of a type lagx does not know
# are refused with a message and change nothing; a genl port dump that
# spans several buffers either lists every port once or, when ports came
# or went under it, says so with NLM_F_DUMP_INTR.
#
#   netns H (one per test case)
#   +---------------------------------------+
#   |  lagx0  (ports: dummy d0, d1, ...)    |
#   +---------------------------------------+

# Test cases are called through run_tests.
# shellcheck disable=SC2317
lib_dir=$(dirname "$(readlink -f "$0")")
# shellcheck source=lib.sh
. "$lib_dir/lib.sh"

H=
NL=$lib_dir/lagx_nl.py

# nl ARGS...: lagx_nl.py in H; its output in OUT.
nl()
{
	OUT=$(ip netns exec "$H" python3 "$NL" "$@" 2>&1)
}

# setup_lagx [NPORTS [MODE]]: lagx0 in a new H with NPORTS dummy ports
# (default 2), in MODE (IFLA_LAGX_MODE: 0 active-backup, 2 lacp).
setup_lagx()
{
	local i

	setup_ns H
	ip -n "$H" link add lagx0 type lagx || return 1
	nl link lagx0 "IFLA_LAGX_MODE:0${2:-0}"
	[ "$OUT" = ok ] || return 1
	for ((i = 0; i < ${1:-2}; i++)); do
		ip -n "$H" link add "d$i" type dummy &&
			ip -n "$H" link set "d$i" master lagx0 || return 1
	done
	ip -n "$H" link set lagx0 up
}

# The helper's requests are well formed: the same attribute, right-sized,
# is taken.  Without this the refusals below could be the helper's fault.
test_valid_raw()
{
	setup_lagx || { fail "setup"; return; }
	nl link lagx0 IFLA_LAGX_UPDELAY:f4010000
	check_eq "updelay 500 as a u32" "$OUT" ok
	check_eq "updelay read back" "$(proc_field -n "$H" lagx0 updelay)" "500 ms"
	nl link d0 --port IFLA_LAGX_PORT_PRIO:07000000
	check_eq "port prio 7 as an s32" "$OUT" ok
	check_eq "prio read back" "$(port_col -n "$H" lagx0 d0 PRIO)" 7
	nl link lagx9 --new IFLA_LAGX_MODE:01
	check_eq "newlink mode balance-slb as a u8" "$OUT" ok
	check_eq "lagx9 mode" "$(proc_field -n "$H" lagx9 Mode)" balance-slb
}

test_oversized()
{
	setup_lagx || { fail "setup"; return; }
	nl link lagx0 IFLA_LAGX_UPDELAY:f401000000000000
	check_match "updelay in 8 bytes: refused" "$OUT" \
		"^error 22: .*invalid attribute length"
	check_eq "updelay unchanged" "$(proc_field -n "$H" lagx0 updelay)" "0 ms"
	nl link lagx0 IFLA_LAGX_MIN_LINKS:01000000 IFLA_LAGX_LACP_RATE:01000000
	check_match "lacp_rate (u8) in 4 bytes: refused" "$OUT" "^error 22: "
	check_eq "min_links of the same request unchanged" \
		"$(proc_field -n "$H" lagx0 min_links)" 0
	nl link d0 --port IFLA_LAGX_PORT_PRIO:0700000000000000
	check_match "port prio in 8 bytes: refused" "$OUT" "^error 22: "
	check_eq "prio unchanged" "$(port_col -n "$H" lagx0 d0 PRIO)" 0
	nl link lagx9 --new IFLA_LAGX_MODE:01000000
	check_match "newlink, mode in 4 bytes: refused" "$OUT" "^error 22: "
	check_fail "lagx9 not created" link_exists -n "$H" lagx9
}

test_unknown()
{
	setup_lagx || { fail "setup"; return; }
	nl link lagx0 IFLA_LAGX_UPDELAY:f4010000 IFLA_LAGX_MAX+1:00000000
	check_match "unknown attribute: refused, named" "$OUT" \
		"^error 22: lagx: unknown attribute [0-9]+$"
	check_eq "updelay of the same request unchanged" \
		"$(proc_field -n "$H" lagx0 updelay)" "0 ms"
	nl link d0 --port IFLA_LAGX_PORT_PRIO:07000000 IFLA_LAGX_PORT_MAX+1:00
	check_match "unknown port attribute: refused" "$OUT" \
		"^error 22: lagx: unknown attribute [0-9]+$"
	check_eq "prio unchanged" "$(port_col -n "$H" lagx0 d0 PRIO)" 0
	nl link lagx9 --new IFLA_LAGX_MAX+5:00
	check_match "newlink with an unknown attribute: refused" "$OUT" "^error 22: "
	check_fail "lagx9 not created" link_exists -n "$H" lagx9
}

# no_genl: the kernel has no lagx genl family (before 6.2, by design).
no_genl()
{
	[[ "$OUT" == *"no genl family lagx"* ]] || return 1
	skip_test "no lagx genl family (kernel < 6.2, by design)"
}

# setup_dump: lagx0 in lacp mode (its port messages are the largest) with
# max_ports (32) ports, so that a dump spans many 4 KiB buffers.
setup_dump()
{
	setup_lagx 32 2
}

# buffers_ge N: the dump in OUT took at least N buffers.
buffers_ge()
{
	local n

	n=$(sed -n 's/^buffers //p' <<<"$OUT")
	[ "${n:-0}" -ge "$1" ] && return 0
	fail "the dump took ${n:-no} buffers, fewer than $1: $(head -n 3 <<<"$OUT")"
	return 1
}

# ports_of: the "port NAME" lines of OUT, sorted.
ports_of() { sed -n 's/^port //p' <<<"$OUT" | sort; }

expected_ports()
{
	local i

	for ((i = $1; i < $2; i++)); do
		echo "d$i"
	done | sort
}

test_dump_whole()
{
	setup_dump || { fail "setup: 32 ports (max_ports), lacp"; return; }
	nl dump-ports lagx0 true
	no_genl && return
	buffers_ge 3 || return
	check_match "not interrupted" "$OUT" "^intr 0$"
	check_eq "every port once" "$(ports_of)" "$(expected_ports 0 32)"
}

# The first port leaves after the first buffer (the second is already
# filled): the third resumes at a position of a list that lost an earlier
# entry, so without the flag a port that stays would be silently missing.
test_dump_changed()
{
	setup_dump || { fail "setup: 32 ports (max_ports), lacp"; return; }
	nl dump-ports lagx0 "ip link set d0 nomaster"
	no_genl && return
	buffers_ge 3 || return
	if grep -qx "intr 1" <<<"$OUT"; then
		info "NLM_F_DUMP_INTR set: the reader knows to dump again"
		return
	fi
	check_eq "not interrupted, so every remaining port listed" \
		"$(ports_of | grep -vx d0)" "$(expected_ports 1 32)"
}

require_root
require_cmd ip python3
ensure_module || ktap_skip_all "cannot load lagx (LAGX_KO=${LAGX_KO:-unset})"
kernel_log_start

run_tests \
	test_valid_raw		"raw requests of the right size are taken (helper check)" \
	test_oversized		"attributes of a wrong length: refused, nothing changed" \
	test_unknown		"unknown attributes: refused with their type, nothing changed" \
	test_dump_whole		"genl port dump over several buffers: every port once" \
	test_dump_changed	"a port leaves during the dump: NLM_F_DUMP_INTR or no port missed" \
	test_kernel_log_clean	"kernel log has no splat"
