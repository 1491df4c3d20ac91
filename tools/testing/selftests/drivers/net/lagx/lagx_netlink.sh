#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Requests "ip" and lagxctl never send, through raw netlink (lagx_nl.py):
# rtnetlink attributes of a wrong length or of a type lagx does not know
# are refused with a message and change nothing.
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

# setup_lagx [NPORTS]: lagx0 in a new H with NPORTS dummy ports (default 2).
setup_lagx()
{
	local i

	setup_ns H
	ip -n "$H" link add lagx0 type lagx || return 1
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

require_root
require_cmd ip python3
ensure_module || ktap_skip_all "cannot load lagx (LAGX_KO=${LAGX_KO:-unset})"
kernel_log_start

run_tests \
	test_valid_raw		"raw requests of the right size are taken (helper check)" \
	test_oversized		"attributes of a wrong length: refused, nothing changed" \
	test_unknown		"unknown attributes: refused with their type, nothing changed" \
	test_kernel_log_clean	"kernel log has no splat"
