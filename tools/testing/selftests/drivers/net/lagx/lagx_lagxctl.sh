#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# lagxctl, the command-line tool of the "lagx" generic netlink family:
# its JSON against /proc/net/lagx and the kernel's ynl cli.py, monitor
# events on failover, set-active, stats-clear, rebalance refused in
# active-backup, errors (the kernel's extack message verbatim, EPERM for
# an unprivileged user, unknown devices, usage) and network namespaces.
#
#   netns H                                netns P
#   +----------------------------+         +----------------------------+
#   |  lagx0  192.0.2.1/24       |         |  br0  192.0.2.2/24         |
#   |   |               |        |         |   |               |        |
#   |  a0 (active)     a1        |         |  b0              b1        |
#   +---|---------------|--------+         +---|---------------|--------+
#       |               +------- veth ---------|---------------+
#       +----------------------- veth ---------+
#
#   netns H2: lagx1 (port c0, peer d0) and lagx2 (port e0, peer f0), all
#   in H2: what lagxctl run in H2 must see, and nothing of H.
#
# Environment (and lib.sh's):
#   LAGXCTL   the binary (default: tools/lagxctl/lagxctl of this tree)
#   YNL_CLI   the kernel's tools/net/ynl/cli.py (default: $KSRC's, else
#             the one of the UML kernel source in ~/.cache/lagx)

# Test cases are called through run_tests.
# shellcheck disable=SC2317
lib_dir=$(dirname "$(readlink -f "$0")")
# shellcheck source=lib.sh
. "$lib_dir/lib.sh"

repo=$(readlink -f "$lib_dir/../../../../../..")
LAGXCTL=${LAGXCTL:-$repo/tools/lagxctl/lagxctl}
SPEC=$repo/Documentation/netlink/specs/lagx.yaml

H=
P=
H2=
TMP=
SETUP_OK=0

need_setup()
{
	[ "$SETUP_OK" = 1 ] && return 0
	skip_test "topology setup failed"
	return 1
}

# ------------------------------------------------------------ helpers --

# lx NS ARGS...: run lagxctl in NS; stdout in OUT, stderr in ERR, status in RC.
OUT='' ERR='' RC=''
lx()
{
	local ns=$1; shift

	in_ns "$ns" "$LAGXCTL" "$@" >"$TMP/out" 2>"$TMP/err"
	RC=$?
	OUT=$(<"$TMP/out")
	ERR=$(<"$TMP/err")
}

# indent TEXT: as a KTAP diagnostic.
indent()
{
	local line

	while IFS= read -r line; do
		echo "#   $line"
	done <<<"$1"
}

# As lx, as user nobody (no capabilities).
lx_nobody()
{
	local ns=$1; shift

	if command -v setpriv >/dev/null; then
		in_ns "$ns" setpriv --reuid=65534 --regid=65534 --clear-groups \
			"$LAGXCTL" "$@" >"$TMP/out" 2>"$TMP/err"
	else
		# shellcheck disable=SC2016	# expanded by the inner shell
		in_ns "$ns" su nobody -s /bin/sh -c '"$0" "$@"' "$LAGXCTL" "$@" \
			>"$TMP/out" 2>"$TMP/err"
	fi
	RC=$?
	OUT=$(<"$TMP/out")
	ERR=$(<"$TMP/err")
}

# check_rc DESC EXPECTED: the status of the last lx.
check_rc()
{
	check_eq "$1: exit status (stderr: $ERR)" "$RC" "$2"
}

# The kernel's ynl cli.py and the genetlink schema next to it.
ynl_find()
{
	local c

	YNL=${YNL_CLI:-}
	if [ -z "$YNL" ] && [ -n "${KSRC:-}" ]; then
		YNL=$KSRC/tools/net/ynl/cli.py
	fi
	if [ -z "$YNL" ]; then
		for c in "${LAGX_CACHE:-$HOME/.cache/lagx}"/src-*/linux/tools/net/ynl/cli.py; do
			[ -f "$c" ] && YNL=$c && break
		done
	fi
	[ -f "$YNL" ] || return 1
	YNL_SCHEMA=$(readlink -f "$(dirname "$YNL")/../../..")/Documentation/netlink/genetlink.yaml
	[ -f "$YNL_SCHEMA" ] && "$PYTHON" -c 'import yaml' 2>/dev/null
}

# ynl NS ARGS...: the generic client's JSON output on stdout.
ynl()
{
	local ns=$1; shift

	in_ns "$ns" "$PYTHON" "$YNL" --spec "$SPEC" --schema "$YNL_SCHEMA" \
		--output-json "$@"
}

# The comparisons, in Python (json, and /proc parsed as lib.sh does).
write_compare_py()
{
	cat >"$TMP/compare.py" <<'EOF'
import json, sys

def load(path):
    with open(path) as f:
        return json.load(f)

errors = []

def eq(what, got, want):
    if got != want:
        errors.append(f"{what}: lagxctl {got!r}, expected {want!r}")

def parse_proc(path):
    fields, ports, hdr = {}, {}, None
    with open(path) as f:
        for line in f:
            w = line.split()
            if not w:
                continue
            if w[0] == "PORT":
                hdr = w
            elif hdr:
                ports[w[0]] = dict(zip(hdr, w))
            elif ": " in line:
                k, v = line.rstrip("\n").split(": ", 1)
                fields[k] = v
    return fields, ports

def link_name(p):
    if p["link-pending"]:
        return "wait-down" if p["link"] else "wait-up"
    return "up" if p["link"] else "down"

def check_port_proc(dev, p, row):
    n = f"{dev} port {p['ifname']} vs /proc"
    eq(n + " LINK", link_name(p), row["LINK"])
    eq(n + " SPEED", f"{p['speed']}Mb/s" if p["speed"] else "-", row["SPEED"])
    eq(n + " DUPLEX", {0: "half", 1: "full"}.get(p["duplex"], "-"), row["DUPLEX"])
    eq(n + " STATE", p["state"], row["STATE"])
    eq(n + " PRIO", p["prio"], int(row["PRIO"]))
    eq(n + " FAILS", p["link-failures"], int(row["FAILS"]))
    eq(n + " RX", p["rx-packets"], int(row["RX"]))
    eq(n + " RX-DROPPED", p["rx-dropped"], int(row["RX-DROPPED"]))
    eq(n + " TX", p["tx-packets"], int(row["TX"]))

def check_iplink(p, links):
    link = links.get(p["ifname"])
    if link is None:
        errors.append(f"port {p['ifname']}: not in ip link")
        return
    eq(f"port {p['ifname']} ifindex vs ip link", p["ifindex"], link["ifindex"])
    eq(f"port {p['ifname']} master-name vs ip link", p["master-name"], link.get("master"))
    master = links.get(p["master-name"], {}).get("ifindex")
    eq(f"port {p['ifname']} master vs ip link", p["master"], master)

# proc SHOW_JSON IPLINK_JSON PROCDIR: lagxctl -j show vs /proc and ip link.
def cmd_proc(show, iplink, procdir):
    links = {l["ifname"]: l for l in load(iplink)}
    for d in load(show):
        name = d["ifname"]
        f, rows = parse_proc(f"{procdir}/{name}")
        n = f"{name} vs /proc"
        eq(n + " Device", name, f.get("Device"))
        eq(n + " Mode", d["mode"], f.get("Mode"))
        eq(n + " Carrier", "up" if d["carrier"] else "down", f.get("Carrier"))
        if "Active port" in f:
            eq(n + " Active port", d["active-port-name"] or "none", f["Active port"])
        eq(n + " Failovers", d["failovers"], int(f.get("Failovers", -1)))
        eq(n + " Ports", d["port-count"], int(f.get("Ports", -1)))
        eq(n + " port names (order)", [p["ifname"] for p in d["ports"]], list(rows))
        eq(n + " usable-ports", d["usable-ports"],
           sum(r["LINK"] in ("up", "wait-down") for r in rows.values()))
        eq(f"{name} ifindex vs ip link", d["ifindex"], links.get(name, {}).get("ifindex"))
        if d["active-port"] is not None:
            eq(f"{name} active-port vs ip link", d["active-port"],
               links.get(d["active-port-name"], {}).get("ifindex"))
        for p in d["ports"]:
            if p["ifname"] in rows:
                check_port_proc(name, p, rows[p["ifname"]])
            check_iplink(p, links)
            eq(f"port {p['ifname']} master", p["master"], d["ifindex"])

# ynl SHOW_JSON YNL_DEVS YNL_PORTS: every attribute equal to the ynl dump.
def cmd_ynl(show, ydevs, yports):
    devs = load(show)
    ydevs = {d["ifindex"]: d for d in load(ydevs)}
    yports = {p["ifindex"]: p for p in load(yports)}
    eq("device ifindexes vs ynl", sorted(d["ifindex"] for d in devs), sorted(ydevs))
    nports = 0
    for d in devs:
        y = ydevs.get(d["ifindex"], {})
        for k in ("ifindex", "ifname", "mode", "carrier", "active-port",
                  "port-count", "usable-ports", "failovers", "tx-dropped"):
            eq(f"{d['ifname']} {k} vs ynl", d[k], y.get(k))
        for k in y:
            if k not in d:
                errors.append(f"{d['ifname']}: ynl attribute {k} missing in lagxctl")
        for p in d["ports"]:
            nports += 1
            y = yports.get(p["ifindex"], {})
            for k in y:
                eq(f"port {p['ifname']} {k} vs ynl", p.get(k), y[k])
            for k in ("ifindex", "ifname", "master", "state", "reason", "link",
                      "link-pending", "speed", "duplex", "link-failures", "prio",
                      "rx-packets", "rx-dropped", "tx-packets"):
                if k not in y:
                    errors.append(f"port {p['ifname']}: {k} not in the ynl dump")
    eq("number of ports vs ynl", nports, len(yports))

# ports PORTS_JSON SHOW_JSON: "port show" = the ports nested in "show".
def cmd_ports(ports, show):
    nested = [p for d in load(show) for p in d["ports"]]
    eq("port show vs show", load(ports), nested)

# names JSON: the ifnames of a show or port show array, one a line.
def cmd_names(path):
    for o in load(path):
        print(o["ifname"])

# events FILE: monitor -j lines, one "event ifname state|active" a line.
def cmd_events(path):
    with open(path) as f:
        for line in f:
            e = json.loads(line)
            if e["event"] == "port-change":
                p = e["port"]
                print("port-change", p["master-name"], p["ifname"], p["state"])
            else:
                d = e["dev"]
                print("dev-change", d["ifname"], d["active-port-name"],
                      "carrier" if d["carrier"] else "no-carrier")

# zero SHOW_JSON DEV: every counter of DEV and of its ports is 0.
def cmd_zero(show, dev):
    for d in load(show):
        if d["ifname"] != dev:
            continue
        for k in ("failovers", "tx-dropped"):
            eq(f"{dev} {k}", d[k], 0)
        for p in d["ports"]:
            for k in ("link-failures", "rx-packets", "rx-dropped", "tx-packets"):
                eq(f"{p['ifname']} {k}", p[k], 0)
        return
    errors.append(f"{dev} not shown")

# nonzero SHOW_JSON DEV: some counter of DEV's ports is not 0.
def cmd_nonzero(show, dev):
    for d in load(show):
        if d["ifname"] == dev and (d["failovers"] or any(
                p[k] for p in d["ports"]
                for k in ("link-failures", "rx-packets", "tx-packets"))):
            return
    errors.append(f"{dev}: every counter is already 0")

globals()["cmd_" + sys.argv[1]](*sys.argv[2:])
for e in errors:
    print("#   " + e)
sys.exit(1 if errors else 0)
EOF
}

compare()
{
	"$PYTHON" "$TMP/compare.py" "$@"
}

# snap_json NS: lagxctl -j show, ip -j link and a copy of /proc/net/lagx
# of NS into $TMP (one moment, as close together as possible).
snap_json()
{
	local ns=$1 f

	in_ns "$ns" "$LAGXCTL" -j show >"$TMP/show.json" 2>"$TMP/err" || return 1
	ns_proc "$ns"
	rm -rf "$TMP/proc"
	mkdir -p "$TMP/proc"
	for f in "$REPLY"/net/lagx/*; do
		[ -e "$f" ] && cat "$f" >"$TMP/proc/${f##*/}"
	done
	ip -n "$ns" -j link show >"$TMP/iplink.json"
}

# JSON of NS equal to /proc and ip link: quiet output on success.
json_matches_proc()
{
	snap_json "$1" || return 1
	compare proc "$TMP/show.json" "$TMP/iplink.json" "$TMP/proc" >"$TMP/diff"
}

json_matches_ynl()
{
	in_ns "$1" "$LAGXCTL" -j show >"$TMP/show.json" 2>"$TMP/err" || return 1
	ynl "$1" --dump dev-get >"$TMP/ydev.json" 2>"$TMP/yerr" || return 1
	ynl "$1" --dump port-get >"$TMP/yport.json" 2>>"$TMP/yerr" || return 1
	compare ynl "$TMP/show.json" "$TMP/ydev.json" "$TMP/yport.json" >"$TMP/diff"
}

port_show_matches_show()
{
	in_ns "$1" "$LAGXCTL" -j port show >"$TMP/ports.json" 2>"$TMP/err" || return 1
	in_ns "$1" "$LAGXCTL" -j show >"$TMP/show.json" 2>"$TMP/err" || return 1
	compare ports "$TMP/ports.json" "$TMP/show.json" >"$TMP/diff"
}

# Start "lagxctl [-j] monitor" in NS writing to FILE (stderr FILE.err);
# wait until it listens.
start_monitor()	# ns file [-j]
{
	local ns=$1 file=$2; shift 2

	# ip netns exec execs lagxctl: $! is lagxctl's pid.
	ip netns exec "$ns" "$LAGXCTL" "$@" monitor >"$file" 2>"$file.err" &
	bg_track $!
	slowwait 10 grep -q "listening for lagx events" "$file.err"
}

# ---------------------------------------------------------- test cases --

test_setup()
{
	setup_ns H P H2
	keep_ns
	make_tmpdir TMP || { fail "mktemp"; return; }
	write_compare_py

	check "lagxctl is executable ($LAGXCTL)" test -x "$LAGXCTL" || return

	ip -n "$P" link add br0 type bridge
	veth_pair "$H" a0 "$P" b0
	veth_pair "$H" a1 "$P" b1
	ip -n "$P" link set b0 master br0
	ip -n "$P" link set b1 master br0
	ip -n "$P" link set b0 up
	ip -n "$P" link set b1 up
	ip -n "$P" link set br0 up
	ip -n "$P" addr add "$LAGX_IP_B"/"$LAGX_PREFIX" dev br0

	check "create lagx0" ip -n "$H" link add lagx0 type lagx || return
	check "enslave a0" ip -n "$H" link set a0 master lagx0 || return
	check "enslave a1" ip -n "$H" link set a1 master lagx0 || return
	ip -n "$H" link set lagx0 up
	ip -n "$H" addr add "$LAGX_IP_A"/"$LAGX_PREFIX" dev lagx0

	# H2: lagx1 (c0) and lagx2 (e0), the peers in H2 too.
	check "create lagx1" ip -n "$H2" link add lagx1 type lagx || return
	check "create lagx2" ip -n "$H2" link add lagx2 type lagx || return
	veth_pair "$H2" c0 "$H2" d0
	veth_pair "$H2" e0 "$H2" f0
	ip -n "$H2" link set d0 up
	ip -n "$H2" link set f0 up
	check "enslave c0" ip -n "$H2" link set c0 master lagx1 || return
	check "enslave e0" ip -n "$H2" link set e0 master lagx2 || return

	check_wait "a0 active" 5 proc_field_is -n "$H" lagx0 "Active port" a0
	check_wait "a1 backup" 5 port_col_is -n "$H" lagx0 a1 STATE backup
	check_wait "carrier up" 5 proc_field_is -n "$H" lagx0 Carrier up
	check_wait "lagx1 carrier up" 5 proc_field_is -n "$H2" lagx1 Carrier up
	check_wait "lagx2 carrier up" 5 proc_field_is -n "$H2" lagx2 Carrier up
	check_wait "ping $LAGX_IP_B" 10 \
		in_ns "$H" ping -c 1 -W 1 -q "$LAGX_IP_B" >/dev/null
	[ "$RET" = 0 ] && SETUP_OK=1
}

test_json_show_proc()
{
	need_setup || return
	lx "$H" -j show
	check_rc "lagxctl -j show" 0
	check "-j show is valid JSON (python3 -m json.tool)" \
		"$PYTHON" -m json.tool "$TMP/out" >/dev/null || return
	check_eq "-j show lists lagx0 only" "$(compare names "$TMP/out")" lagx0
	# Counters move with traffic: compare snapshots until one matches.
	if ! slowwait 5 json_matches_proc "$H"; then
		fail "lagxctl -j show differs from /proc/net/lagx and ip link:"
		cat "$TMP/diff"
	fi
	lx "$H" -j show lagx0
	check_rc "lagxctl -j show lagx0" 0
	check_eq "-j show lagx0" "$(compare names "$TMP/out")" lagx0
}

test_json_show_ynl()
{
	need_setup || return
	if ! ynl_find; then
		skip_test "no ynl cli.py (set YNL_CLI or KSRC) or no python3-yaml"
		return
	fi
	info "ynl: $YNL"
	if ! slowwait 5 json_matches_ynl "$H"; then
		fail "lagxctl -j show differs from ynl's dev-get/port-get dumps:"
		cat "$TMP/diff" "$TMP/yerr"
	fi
}

test_json_port_show()
{
	need_setup || return
	lx "$H" -j port show
	check_rc "lagxctl -j port show" 0
	check "-j port show is valid JSON" "$PYTHON" -m json.tool "$TMP/out" >/dev/null
	check_eq "-j port show names" "$(compare names "$TMP/out" | tr '\n' ' ')" "a0 a1 "
	if ! slowwait 5 port_show_matches_show "$H"; then
		fail "port show differs from the ports of show:"
		cat "$TMP/diff"
	fi
	lx "$H" -j port show a1
	check_rc "lagxctl -j port show a1" 0
	check "-j port show a1 is valid JSON" "$PYTHON" -m json.tool "$TMP/out" >/dev/null
	check_eq "-j port show a1" "$(compare names "$TMP/out")" a1
	lx "$H" port show a1
	check_rc "lagxctl port show a1" 0
	check_match "port show a1: a row for a1" "$OUT" "^ +a1 +lagx0 +backup +up "
}

test_human_show()
{
	local line

	need_setup || return
	lx "$H" show
	check_rc "lagxctl show" 0
	info "lagxctl show:"
	indent "$OUT"
	check_match "device line" "$OUT" \
		"^lagx0 \(active-backup\): carrier up, active port a0, 2/2 ports usable, 0 failovers"
	check_match "a0 row" "$OUT" "^ +a0 +active +up +10Gb/s +0 .*carrying traffic$"
	check_match "a1 row" "$OUT" "^ +a1 +backup +up +10Gb/s +0 .*standby, a0 is active$"
	# Problems first: the backup port (not carrying traffic) before a0.
	line=$(grep -nE '^ +a[01] ' <<<"$OUT" | cut -d: -f2 | awk '{ print $1 }' | tr '\n' ' ')
	check_eq "port order (not carrying traffic first)" "$line" "a1 a0 "
	# Without a command: show.
	lx "$H"
	check_rc "lagxctl (no command)" 0
	check_match "no command runs show" "$OUT" "^lagx0 \(active-backup\)"
}

# Failover: a0's peer goes down.  monitor (JSON and human) sees a0 go down
# and the device's active port change; the monitor in H2 sees nothing of it.
test_monitor_failover()
{
	local ev

	need_setup || return
	start_monitor "$H" "$TMP/mon.json" -j || { fail "monitor -j did not start: $(cat "$TMP/mon.json.err")"; return; }
	start_monitor "$H" "$TMP/mon.txt" || { fail "monitor did not start: $(cat "$TMP/mon.txt.err")"; return; }
	start_monitor "$H2" "$TMP/mon2.json" -j || { fail "monitor in H2 did not start"; return; }

	ip -n "$P" link set b0 down
	check_wait "failover: a1 active (/proc)" 5 \
		proc_field_is -n "$H" lagx0 "Active port" a1
	check_wait "monitor -j: port-change a0 down" 5 \
		eval "compare events $TMP/mon.json | grep -qx 'port-change lagx0 a0 down'"
	check_wait "monitor -j: dev-change lagx0, active port a1" 5 \
		eval "compare events $TMP/mon.json | grep -qx 'dev-change lagx0 a1 carrier'"
	check "monitor -j: every line is JSON" compare events "$TMP/mon.json" >/dev/null
	check_wait "monitor: a0 down line" 5 \
		grep -qE "lagx0: port a0 down, link down, no carrier \(1 link failure\)$" "$TMP/mon.txt"
	check_wait "monitor: lagx0 line" 5 \
		grep -qE "lagx0 \(active-backup\): carrier up, active port a1, 1/2 ports usable, 1 failover" "$TMP/mon.txt"
	info "monitor:"
	indent "$(<"$TMP/mon.txt")"

	# H2's monitor: an event of H2 arrives, none of H before it.
	ip -n "$H2" link set d0 down
	check_wait "monitor in H2: its own port-change" 5 \
		eval "compare events $TMP/mon2.json | grep -qx 'port-change lagx1 c0 down'"
	ev=$(compare events "$TMP/mon2.json" | grep -v -e ' lagx1 ' | tr '\n' '|')
	check_eq "monitor in H2 sees nothing of H" "$ev" ""

	# Human show: the down port first, marked, with its reason.
	lx "$H" show
	info "lagxctl show after the failover:"
	indent "$OUT"
	check_match "a0 first, marked, no carrier" "$(grep -E '^ *!? +a[01] ' <<<"$OUT" | head -n 1)" \
		"^ *! +a0 +down +down +- +1 .*no carrier$"
	check_match "device line" "$OUT" \
		"^lagx0 \(active-backup\): carrier up, active port a1, 1/2 ports usable, 1 failover"

	stop_bg
}

test_no_carrier_flagged()
{
	local first

	need_setup || return
	# lagx2 (created after lagx1) loses its only port's carrier.
	ip -n "$H2" link set d0 up
	ip -n "$H2" link set f0 down
	check_wait "lagx1 carrier up" 5 proc_field_is -n "$H2" lagx1 Carrier up
	check_wait "lagx2 carrier down" 5 proc_field_is -n "$H2" lagx2 Carrier down
	lx "$H2" show
	check_rc "lagxctl show in H2" 0
	info "lagxctl show in H2:"
	indent "$OUT"
	check_match "lagx2 flagged" "$OUT" \
		"^lagx2 \(active-backup\): NO CARRIER, NO ACTIVE PORT, 0/1 port usable"
	first=$(grep -E '^lagx' <<<"$OUT" | head -n 1)
	check_match "device without carrier listed first" "$first" "^lagx2 "
	check_match "e0 marked down" "$OUT" "^ *! +e0 +down +down .*no carrier$"
	check_match "lagx1 fine" "$OUT" "^lagx1 \(active-backup\): carrier up, active port c0, 1/1 port usable"
	ip -n "$H2" link set f0 up
	check_wait "lagx2 carrier up" 5 proc_field_is -n "$H2" lagx2 Carrier up
}

test_set_active()
{
	need_setup || return
	ip -n "$P" link set b0 up
	check_wait "a0 link up" 5 port_col_is -n "$H" lagx0 a0 LINK up
	check_eq "a1 still active" "$(proc_field -n "$H" lagx0 "Active port")" a1
	lx "$H" set-active lagx0 a0
	check_rc "set-active lagx0 a0" 0
	check_eq "set-active prints nothing" "$OUT$ERR" ""
	check_wait "a0 active (/proc)" 5 proc_field_is -n "$H" lagx0 "Active port" a0
	check_eq "a1 backup" "$(port_col -n "$H" lagx0 a1 STATE)" backup
	lx "$H" -j show lagx0
	check_match "-j show: active-port-name a0" "$OUT" '"active-port-name": "a0"'
	# A port of another device, and a device that is not lagx.
	lx "$H" set-active lagx0 lo
	check_rc "set-active lagx0 lo" 1
	check_match "set-active lagx0 lo: message" "$ERR" "^lagxctl: lo is not a port of lagx0"
	lx "$H" set-active lo a0
	check_rc "set-active lo a0" 1
	check_match "set-active lo a0: message" "$ERR" "^lagxctl: lo: not a lagx device$"
}

test_set_active_no_link()
{
	need_setup || return
	ip -n "$P" link set b1 down
	check_wait "a1 link down" 5 port_col_is -n "$H" lagx0 a1 LINK down
	lx "$H" set-active lagx0 a1
	check_rc "set-active lagx0 a1 (no link)" 1
	check_eq "the kernel's message" "$ERR" \
		"lagxctl: lagx: a1 has no link: cannot carry traffic"
	check_eq "a0 stays active" "$(proc_field -n "$H" lagx0 "Active port")" a0
	ip -n "$P" link set b1 up
	check_wait "a1 link up" 5 port_col_is -n "$H" lagx0 a1 LINK up
}

test_unprivileged()
{
	need_setup || return
	lx_nobody "$H" -V
	if [ "$RC" != 0 ]; then
		skip_test "lagxctl cannot run as nobody: $ERR"
		return
	fi
	lx_nobody "$H" show
	check_rc "nobody: show" 0
	check_match "nobody: show lists lagx0" "$OUT" "^lagx0 \(active-backup\)"
	lx_nobody "$H" -j port show
	check_rc "nobody: -j port show" 0
	lx_nobody "$H" set-active lagx0 a1
	check_rc "nobody: set-active" 1
	check_eq "nobody: set-active message" "$ERR" \
		"lagxctl: Operation not permitted (set-active needs CAP_NET_ADMIN: run it as root)"
	check_eq "nobody: a0 stays active" "$(proc_field -n "$H" lagx0 "Active port")" a0
	lx_nobody "$H" stats-clear lagx0
	check_rc "nobody: stats-clear" 1
	check_eq "nobody: stats-clear message" "$ERR" \
		"lagxctl: Operation not permitted (stats-clear needs CAP_NET_ADMIN: run it as root)"
	check_ne "nobody: Failovers not cleared" "$(proc_field -n "$H" lagx0 Failovers)" 0
	lx_nobody "$H" rebalance lagx0
	check_rc "nobody: rebalance" 1
	check_match "nobody: rebalance message" "$ERR" "Operation not permitted"
}

test_stats_clear()
{
	need_setup || return
	check "ping" in_ns "$H" ping -c 3 -i 0.1 -W 1 -q "$LAGX_IP_B" >/dev/null
	lx "$H" -j show
	check "counters not 0 before stats-clear" compare nonzero "$TMP/out" lagx0
	# Nothing may send while the zeroes are checked.
	ip -n "$H" neigh flush all
	ip -n "$P" neigh flush all
	lx "$H" stats-clear lagx0
	check_rc "stats-clear lagx0" 0
	lx "$H" -j show
	check "-j show: every counter 0" compare zero "$TMP/out" lagx0
	check_proc -n "$H" lagx0 Failovers 0
	check_port -n "$H" lagx0 a0 RX 0
	check_port -n "$H" lagx0 a0 TX 0
	check_port -n "$H" lagx0 a0 FAILS 0
	check_port -n "$H" lagx0 a1 RX-DROPPED 0
	lx "$H" show
	check_match "show: 0 failovers, 0 tx-dropped" "$OUT" ", 0 failovers, 0 tx-dropped$"
	check_eq "show: FAILS RX RX-DROPPED TX all 0" \
		"$(awk '{ sub(/!/, "") } $1 ~ /^a[01]$/ { print $5, $6, $7, $8 }' <<<"$OUT" |
		   sort -u)" "0 0 0 0"
	check "still in JSON agreement with /proc" slowwait 5 json_matches_proc "$H"
}

test_rebalance_refused()
{
	need_setup || return
	lx "$H" rebalance lagx0
	check_rc "rebalance lagx0 (active-backup)" 1
	check_eq "the kernel's message" "$ERR" \
		"lagxctl: lagx: mode active-backup does not balance load"
}

test_unknown_device()
{
	local c

	need_setup || return
	for c in "show nosuchdev" "-j show nosuchdev" "port show nosuchdev" \
		 "set-active nosuchdev a0" "set-active lagx0 nosuchdev" \
		 "rebalance nosuchdev" "stats-clear nosuchdev"; do
		# shellcheck disable=SC2086
		lx "$H" $c
		check_ne "lagxctl $c: exit status" "$RC" 0
		check_eq "lagxctl $c: message" "$ERR" 'lagxctl: device "nosuchdev" does not exist'
		check_eq "lagxctl $c: nothing on stdout" "$OUT" ""
	done
	lx "$H" show lo
	check_rc "show lo" 1
	check_eq "show lo: message" "$ERR" "lagxctl: lo: not a lagx device"
	lx "$H" port show lagx0
	check_rc "port show lagx0" 1
	check_eq "port show lagx0: message" "$ERR" "lagxctl: lagx0: not a lagx port"
	lx "$H" stats-clear lo
	check_rc "stats-clear lo" 1
	check_eq "stats-clear lo: message" "$ERR" "lagxctl: lo: not a lagx device"
}

test_usage()
{
	local c

	need_setup || return
	for c in "bogus" "show a b" "port bogus" "port show a b" "set-active lagx0" \
		 "rebalance" "stats-clear" "monitor x" "-x show"; do
		# shellcheck disable=SC2086
		lx "$H" $c
		check_rc "lagxctl $c" 2
		check_match "lagxctl $c: message" "$ERR" "^lagxctl: "
	done
	for c in help -h --help; do
		lx "$H" "$c"
		check_rc "lagxctl $c" 0
		check_match "lagxctl $c" "$OUT" "^Usage: lagxctl "
	done
	lx "$H" -V
	check_rc "lagxctl -V" 0
	check_match "lagxctl -V" "$OUT" "^lagxctl [0-9]"
}

test_netns()
{
	need_setup || return
	lx "$H2" -j show
	check_rc "-j show in H2" 0
	check_eq "-j show in H2" "$(compare names "$TMP/out" | tr '\n' ' ')" "lagx1 lagx2 "
	lx "$H2" -j port show
	check_eq "-j port show in H2" "$(compare names "$TMP/out" | tr '\n' ' ')" "c0 e0 "
	lx "$H" -j show
	check_eq "-j show in H" "$(compare names "$TMP/out" | tr '\n' ' ')" "lagx0 "
	lx "$H2" show lagx0
	check_rc "show lagx0 in H2" 1
	check_eq "show lagx0 in H2" "$ERR" 'lagxctl: device "lagx0" does not exist'
	lx "$H2" stats-clear lagx1
	check_rc "stats-clear lagx1 in H2" 0
	if ! slowwait 5 json_matches_proc "$H2"; then
		fail "H2: lagxctl -j show differs from /proc/net/lagx and ip link:"
		cat "$TMP/diff"
	fi
	# The init namespace sees neither H's nor H2's ports.
	lx "" -j port show
	check_rc "-j port show in the init netns" 0
	check_eq "init netns: none of H's or H2's ports" \
		"$(compare names "$TMP/out" | grep -xE 'a0|a1|c0|e0')" ""
}

require_root
require_cmd ip awk dmesg ping python3
ensure_module || ktap_skip_all "cannot load lagx (LAGX_KO=${LAGX_KO:-unset})"
[ -x "$LAGXCTL" ] || ktap_skip_all "no lagxctl at $LAGXCTL (make -C tools/lagxctl, or set LAGXCTL)"
# The interpreter itself: a wrapper (pyenv shim) costs seconds a call
# in User-Mode Linux.
PYTHON=${PYTHON:-$(python3 -c 'import sys; print(sys.executable)')}
kernel_log_start

run_tests \
	test_setup		"setup: lagx0 (a0 active, a1 backup) in H, lagx1 and lagx2 in H2" \
	test_json_show_proc	"-j show: valid JSON, equal to /proc/net/lagx and ip link" \
	test_json_show_ynl	"-j show: equal to ynl cli.py dev-get/port-get dumps" \
	test_json_port_show	"-j port show [PORT]: valid JSON, the ports of show" \
	test_human_show		"show: device line, ports not carrying traffic first" \
	test_monitor_failover	"monitor: port-change and dev-change on failover, per netns" \
	test_no_carrier_flagged	"show: device without carrier flagged and listed first" \
	test_set_active		"set-active moves the active port (/proc)" \
	test_set_active_no_link	"set-active to a port without link: the kernel's message" \
	test_unprivileged	"unprivileged: show works, set-active/stats-clear EPERM" \
	test_stats_clear	"stats-clear zeroes the counters shown" \
	test_rebalance_refused	"rebalance in active-backup: the kernel's message" \
	test_unknown_device	"unknown device: clear message, non-zero exit" \
	test_usage		"usage errors exit 2, help and -V exit 0" \
	test_netns		"each netns sees only its own devices" \
	test_kernel_log_clean	"kernel log has no splat"
