#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# lagxctl, the command-line tool of the "lagx" generic netlink family:
# its JSON against /proc/net/lagx and the kernel's ynl cli.py, monitor
# events on failover, set-active, stats-clear, rebalance refused in
# active-backup, errors (the kernel's extack message verbatim, EPERM for
# an unprivileged user, unknown devices, usage) and network namespaces;
# the hash buckets of a balance-slb device (lagxctl buckets, show) against
# ynl's bucket-get dump, ip -d -j link and the traffic sent; the LACP state
# of a lacp device against a Linux bonding partner (lagxctl lacp, show)
# against /proc/net/lagx, ynl's port-get and ip -d -j link, and the
# events of its fallback when the partner stops speaking LACP.
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
#   netns L: lagx4 (lacp, lacp_rate fast, rebalance_interval 0), its
#   ports l0 and l1 veths to m0 and m1, the ports of bond0 (802.3ad,
#   lacp_rate fast) in netns B; later bond0 gives way to a bridge, and
#   lagx4 falls back.
#
#   netns S: lagx3 (balance-slb, vlan+srcmac, rebalance_interval 0), its
#   ports s0 and s1 veths to t0 and t1 on bridge br0 (192.0.2.2/24, the
#   switch) in netns Q.  Two macvlans on lagx3, mv0 (192.0.2.11) in netns
#   M1 and mv1 (192.0.2.12) in netns M2: two source MACs whose pings to
#   br0 fill hash buckets.
#
# Environment (and lib.sh's):
#   LAGXCTL   the binary (default: tools/lagxctl/lagxctl of this tree)
#   YNL_CLI   the kernel's tools/net/ynl/cli.py (default: $KSRC's, else
#             the one of the UML kernel source in ~/.cache/lagx)
#   LAGX_IP_LIB_DIR  where link_lagx.so is (default: tools/iproute2 of
#             this tree, "make plugin"): the balance-slb cases need it

# Test cases are called through run_tests.
# shellcheck disable=SC2317
lib_dir=$(dirname "$(readlink -f "$0")")
# shellcheck source=lib.sh
. "$lib_dir/lib.sh"

repo=$(readlink -f "$lib_dir/../../../../../..")
LAGXCTL=${LAGXCTL:-$repo/tools/lagxctl/lagxctl}
# ip loads $IP_LIB_DIR/link_<kind>.so: lagx options and attributes.
IP_LIB_DIR=${LAGX_IP_LIB_DIR:-$repo/tools/iproute2}
export IP_LIB_DIR
SPEC=$repo/Documentation/netlink/specs/lagx.yaml

H=
P=
H2=
S=
Q=
M1=
M2=
TMP=
SETUP_OK=0
SLB_OK=0
SLB_SKIP=
SLB_TX_BYTES=0		# bytes mv0 and mv1 sent (through lagx3)
SLB_TX_PACKETS=0
L=
B=
LACP_OK=0
LACP_SKIP=
BOND_MAC=		# bond0's MAC: lagx4's partner system

need_setup()
{
	[ "$SETUP_OK" = 1 ] && return 0
	skip_test "topology setup failed"
	return 1
}

need_lacp()
{
	[ "$LACP_OK" = 1 ] && return 0
	skip_test "${LACP_SKIP:-lacp setup failed}"
	return 1
}

need_slb()
{
	[ "$SLB_OK" = 1 ] && return 0
	skip_test "${SLB_SKIP:-balance-slb setup failed}"
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
import json, re, sys

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

# ynl SHOW_JSON YNL_DEVS YNL_PORTS [SECS]: every attribute equal to the
# ynl dump, taken at most SECS (default 10) after lagxctl's.
def cmd_ynl(show, ydevs, yports, secs="10"):
    devs = load(show)
    ydevs = {d["ifindex"]: d for d in load(ydevs)}
    yports = {p["ifindex"]: p for p in load(yports)}
    eq("device ifindexes vs ynl", sorted(d["ifindex"] for d in devs), sorted(ydevs))
    nports = 0
    for d in devs:
        y = ydevs.get(d["ifindex"], {})
        for k in ("ifindex", "ifname", "mode", "carrier", "active-port",
                  "port-count", "usable-ports", "failovers", "tx-dropped",
                  "xmit-hash-policy", "rebalance-interval", "rebalance-runs",
                  "bucket-moves", "mcast-port", "operating-mode", "fallbacks",
                  "lacp-system-prio", "lacp-system"):
            eq(f"{d['ifname']} {k} vs ynl", d[k], y.get(k))
        for k in y:
            if k not in d:
                errors.append(f"{d['ifname']}: ynl attribute {k} missing in lagxctl")
        for p in d["ports"]:
            nports += 1
            y = yports.get(p["ifindex"], {})
            for k in y:
                if k == "lacp":
                    lacp_eq(f"port {p['ifname']} lacp vs ynl", p.get(k) or {}, y[k],
                            int(secs))
                else:
                    eq(f"port {p['ifname']} {k} vs ynl", p.get(k), y[k])
            for k in ("ifindex", "ifname", "master", "state", "reason", "link",
                      "link-pending", "speed", "duplex", "link-failures", "prio",
                      "rx-packets", "rx-dropped", "tx-packets",
                      "rx-dropped-mcast", "rx-dropped-loop"):
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
            for k in ("link-failures", "rx-packets", "rx-dropped", "tx-packets",
                      "rx-dropped-mcast", "rx-dropped-loop"):
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

# buckets BUCKETS_JSON SHOW_JSON DEV BYTES PACKETS: lagxctl -j buckets DEV
# lists bound buckets of DEV's ports, at least the traffic sent.
def cmd_buckets(buckets, show, dev, sent_bytes, sent_packets):
    rows = load(buckets)
    d = next((d for d in load(show) if d["ifname"] == dev), None)
    if d is None:
        errors.append(f"{dev} not shown")
        return
    ports = {p["ifindex"]: p["ifname"] for p in d["ports"]}
    if not rows:
        errors.append(f"{dev}: no bucket bound after the traffic")
    idx = [r["index"] for r in rows]
    eq(f"{dev} bucket indexes: increasing, unique", idx, sorted(set(idx)))
    for r in rows:
        n = f"{dev} bucket {r['index']}"
        if not 0 <= r["index"] <= 255:
            errors.append(f"{n}: index out of 0..255")
        eq(n + " dev-ifindex", r["dev-ifindex"], d["ifindex"])
        eq(n + " dev-name", r["dev-name"], dev)
        if r["port-ifindex"] not in ports:
            errors.append(f"{n}: port-ifindex {r['port-ifindex']} is not a port of {dev}")
        eq(n + " port-name", r["port-name"], ports.get(r["port-ifindex"]))
        for k in ("bytes", "packets", "load"):
            if not isinstance(r[k], int) or r[k] < 0:
                errors.append(f"{n}: {k} {r[k]!r}")
    total = sum(r["bytes"] for r in rows)
    if total < int(sent_bytes):
        errors.append(f"{dev}: buckets hold {total} bytes, {sent_bytes} were sent")
    total = sum(r["packets"] for r in rows)
    if total < int(sent_packets):
        errors.append(f"{dev}: buckets hold {total} packets, {sent_packets} were sent")

# ynl_buckets BUCKETS_JSON YNL_JSON: the same buckets as ynl's dump.
def cmd_ynl_buckets(buckets, ybuckets):
    rows = {r["index"]: r for r in load(buckets)}
    yrows = {r["index"]: r for r in load(ybuckets)}
    eq("bucket indexes vs ynl", sorted(rows), sorted(yrows))
    for i, y in yrows.items():
        r = rows.get(i, {})
        for k in y:
            eq(f"bucket {i} {k} vs ynl", r.get(k), y[k])
        for k in ("dev-ifindex", "index", "port-ifindex", "bytes", "packets", "load"):
            if k not in y:
                errors.append(f"bucket {i}: {k} not in the ynl dump")

# per_port BUCKETS_JSON: "port count" lines, the rows of each port.
def per_port(buckets):
    n = {}
    for r in load(buckets):
        n[r["port-name"]] = n.get(r["port-name"], 0) + 1
    return n

# show_buckets BUCKETS_JSON SHOW_JSON DEV: each port's "buckets" in show
# is its number of rows in lagxctl buckets.
def cmd_show_buckets(buckets, show, dev):
    n = per_port(buckets)
    for d in load(show):
        if d["ifname"] != dev:
            continue
        for p in d["ports"]:
            eq(f"{p['ifname']} buckets (show vs buckets)", p["buckets"],
               n.get(p["ifname"], 0))
        return
    errors.append(f"{dev} not shown")

# iplink_buckets BUCKETS_JSON IPLINK_JSON DEV: the same from ip -d -j link.
def cmd_iplink_buckets(buckets, iplink, dev):
    n = per_port(buckets)
    ports = [l for l in load(iplink) if l.get("master") == dev]
    if not ports:
        errors.append(f"ip -d -j link: no port of {dev}")
    for l in ports:
        data = l.get("linkinfo", {}).get("info_slave_data", {})
        eq(f"{l['ifname']} buckets (ip -d -j link vs buckets)", data.get("buckets"),
           n.get(l["ifname"], 0))
        if not isinstance(data.get("load"), int):
            errors.append(f"{l['ifname']}: ip -d -j link: no load")
    for l in load(iplink):
        if l["ifname"] == dev:
            data = l.get("linkinfo", {}).get("info_data", {})
            if not isinstance(data.get("bucket_moves"), int):
                errors.append(f"{dev}: ip -d -j link: no bucket_moves")

# slb_show SHOW_JSON DEV: the hash bucket attributes of a balance-slb
# device (vlan+srcmac, rebalance_interval 0) and of its ports.
def cmd_slb_show(show, dev):
    for d in load(show):
        if d["ifname"] != dev:
            continue
        eq(f"{dev} xmit-hash-policy", d["xmit-hash-policy"], "vlan+srcmac")
        eq(f"{dev} rebalance-interval", d["rebalance-interval"], 0)
        for k in ("rebalance-runs", "bucket-moves", "mcast-port"):
            if not isinstance(d[k], int):
                errors.append(f"{dev} {k}: {d[k]!r}")
        names = [p["ifname"] for p in d["ports"]]
        if d["mcast-port-name"] not in names:
            errors.append(f"{dev} mcast-port-name {d['mcast-port-name']!r} not in {names}")
        for p in d["ports"]:
            for k in ("buckets", "load", "rx-dropped-mcast", "rx-dropped-loop",
                      "learn-tx"):
                if not isinstance(p[k], int):
                    errors.append(f"{p['ifname']} {k}: {p[k]!r}")
        return
    errors.append(f"{dev} not shown")

# per_port_text BUCKETS_JSON: "port rows" lines, sorted.
def cmd_per_port_text(buckets):
    for name, n in sorted(per_port(buckets).items()):
        print(name, n)

# ---- lacp

LACP_LINE = re.compile(r"^LACP port ([^:]+): mux (\S+), rx (\S+), (\S+), (.*) \(since (\d+)s\)$")
LACP_INFO = re.compile(r"^  (actor|partner) +system (\d+),(\S+) key (\d+) port (\d+),(\d+) state (\S+)$")
LACP_CHURN = re.compile(r"^  churn actor (\S+) \((\d+)\) partner (\S+) \((\d+)\)$")
# JSON counter: the name /proc (and lagxctl lacp) gives it.
LACP_COUNTERS = {"lacpdus-rx": "LACPDUsRx", "lacpdus-tx": "LACPDUsTx",
                 "markers-rx": "MarkerPDUsRx", "marker-resps-tx": "MarkerResponsePDUsTx",
                 "marker-resps-rx": "MarkerResponsePDUsRx", "unknown-rx": "UnknownRx",
                 "illegal-rx": "IllegalRx", "stray-rx": "StrayRx"}
LACP_MUST = {"sync", "collecting", "distributing"}

def read(path):
    with open(path) as f:
        return f.read()

# The "LACP port" blocks of /proc/net/lagx/<dev> or of "lagxctl lacp".
def parse_lacp_blocks(text):
    ports, cur = {}, None
    for line in text.splitlines():
        m = LACP_LINE.match(line)
        if m:
            cur = {"mux": m[2], "rx": m[3], "selected": m[4], "reason": m[5],
                   "since": int(m[6])}
            ports[m[1]] = cur
            continue
        if cur is None:
            continue
        m = LACP_INFO.match(line)
        c = LACP_CHURN.match(line)
        if m:
            cur[m[1]] = {"system-prio": int(m[2]), "system": m[3], "key": int(m[4]),
                         "port-prio": int(m[5]), "port": int(m[6]), "state": m[7]}
        elif line.startswith("  LACPDUsRx "):
            w = line.split()
            cur["counters"] = {w[i]: int(w[i + 1]) for i in range(0, len(w) - 1, 2)}
        elif c:
            cur["churn"] = (c[1], int(c[2]), c[3], int(c[4]))
        elif not line.strip():
            cur = None
    return ports

# /proc's "ACTIVITY,SYNC" (or "-"), ip's "activity,sync" (or "none"): names.
def state_set(s):
    return set() if s in ("-", "none", None) else {x.lower() for x in s.split(",")}

def near(what, got, want, slack=2):
    if not isinstance(got, int) or abs(got - want) > slack:
        errors.append(f"{what}: {got!r}, expected {want} (+-{slack})")

# lacp_eq WHAT GOT WANT [SECS]: two lacp nests (lagxctl's, then cli.py's,
# taken at most SECS later) agree; the counters and the reason's age move
# (a LACPDU each way a second at fast rate), the flags are sets.
def lacp_eq(what, got, want, secs=2):
    for k, v in want.items():
        g = got.get(k)
        if isinstance(v, list):
            eq(f"{what} {k}", sorted(g or []), sorted(v))
        elif k in LACP_COUNTERS:
            near(f"{what} {k}", g, v, secs)
        elif k == "reason-since-ms":
            near(f"{what} {k}", g, v, 1000 * (secs + 1))
        else:
            eq(f"{what} {k}", g, v)
    for k, v in got.items():
        if v is not None and k not in want:
            errors.append(f"{what}: {k} not in the reference")

# lacp_text LACP_TXT PROC BOND_MAC: "lagxctl lacp" against /proc, every
# port distributing with the bond as partner.
def cmd_lacp_text(lacp_txt, proc, bond_mac):
    got, want = parse_lacp_blocks(read(lacp_txt)), parse_lacp_blocks(read(proc))
    eq("lacp: ports (vs /proc)", sorted(got), sorted(want))
    if len(got) != 2:
        errors.append(f"lacp: {len(got)} LACP port blocks, expected 2")
    for name, b in got.items():
        w = want.get(name, {})
        n = f"lacp port {name}"
        for k in ("mux", "rx", "selected", "reason", "churn"):
            eq(f"{n} {k} (vs /proc)", b.get(k), w.get(k))
        eq(f"{n} mux", b["mux"], "distributing")
        for who in ("actor", "partner"):
            eq(f"{n} {who} (vs /proc)", b.get(who), w.get(who))
            if not LACP_MUST <= state_set(b.get(who, {}).get("state")):
                errors.append(f"{n} {who} state {b.get(who, {}).get('state')}: "
                              "not SYNC,COLLECTING,DISTRIBUTING")
        eq(f"{n} partner system", b.get("partner", {}).get("system"), bond_mac)
        bc, wc = b.get("counters", {}), w.get("counters", {})
        eq(f"{n} counter names (vs /proc)", sorted(bc), sorted(wc))
        for k, v in wc.items():
            near(f"{n} {k} (vs /proc)", bc.get(k), v)
        for k in ("LACPDUsRx", "LACPDUsTx"):
            if not bc.get(k):
                errors.append(f"{n} {k}: {bc.get(k)!r}, expected > 0")

# lacp_json LACP_JSON PROC DEV BOND_MAC: "lagxctl -j lacp" against /proc.
def cmd_lacp_json(lacp_json, proc, dev, bond_mac):
    devs = load(lacp_json)
    eq("-j lacp: devices", [d["ifname"] for d in devs], [dev])
    fields, _ = parse_proc(proc)
    blocks = parse_lacp_blocks(read(proc))
    for d in devs:
        op = fields.get("Operating mode", "").replace(" (no traffic)", "").replace(" ", "-")
        eq(f"{dev} operating-mode (vs /proc)", d["operating-mode"], op)
        eq(f"{dev} fallbacks (vs /proc)", d["fallbacks"], int(fields.get("Fallbacks", -1)))
        eq(f"{dev} lacp-system (vs /proc)",
           f"{d['lacp-system-prio']},{d['lacp-system']}", fields.get("LACP system"))
        eq(f"{dev} ports", sorted(p["ifname"] for p in d["ports"]), sorted(blocks))
        for p in d["ports"]:
            n = f"-j lacp port {p['ifname']}"
            l, b = p["lacp"] or {}, blocks.get(p["ifname"], {})
            eq(f"{n} mux-state (vs /proc)", l.get("mux-state"), b.get("mux"))
            eq(f"{n} rx-state (vs /proc)", l.get("rx-state"), b.get("rx"))
            eq(f"{n} selected (vs /proc)", l.get("selected"), b.get("selected"))
            eq(f"{n} reason-code", l.get("reason-code"), "none")
            for who in ("actor", "partner"):
                w = b.get(who, {})
                for k in ("system-prio", "system", "key", "port-prio", "port"):
                    eq(f"{n} {who}-{k} (vs /proc)", l.get(f"{who}-{k}"), w.get(k))
                eq(f"{n} {who}-state (vs /proc)", set(l.get(f"{who}-state") or []),
                   state_set(w.get("state")))
                if not LACP_MUST <= set(l.get(f"{who}-state") or []):
                    errors.append(f"{n} {who}-state {l.get(f'{who}-state')}: "
                                  "not sync, collecting, distributing")
            eq(f"{n} partner-system", l.get("partner-system"), bond_mac)
            for k, proc_name in LACP_COUNTERS.items():
                near(f"{n} {k} (vs /proc)", l.get(k), b.get("counters", {}).get(proc_name, -99))
            for k in ("lacpdus-rx", "lacpdus-tx"):
                if not l.get(k):
                    errors.append(f"{n} {k}: {l.get(k)!r}, expected > 0")
            churn = b.get("churn", ("?", -1, "?", -1))
            eq(f"{n} churn (vs /proc)",
               (l.get("actor-churn"), l.get("actor-churn-count"),
                l.get("partner-churn"), l.get("partner-churn-count")), churn)

# lacp_ynl LACP_JSON YNL_PORTS SECS: the lacp nests equal to cli.py's
# port-get, taken at most SECS later.
def cmd_lacp_ynl(lacp_json, yports, secs):
    ours = {p["ifindex"]: p for d in load(lacp_json) for p in d["ports"]}
    ys = load(yports)
    eq("ports (lagxctl -j lacp vs ynl)", sorted(ours), sorted(p["ifindex"] for p in ys))
    for y in ys:
        p = ours.get(y["ifindex"], {})
        if "lacp" not in y:
            errors.append(f"port {y['ifname']}: no lacp nest in the ynl dump")
            continue
        lacp_eq(f"port {y['ifname']} lacp vs ynl", p.get("lacp") or {}, y["lacp"],
                int(secs))
        for who in ("actor", "partner"):
            if not LACP_MUST <= set(y["lacp"].get(f"{who}-state", [])):
                errors.append(f"ynl: port {y['ifname']} {who}-state "
                              f"{y['lacp'].get(f'{who}-state')}")

# lacp_iplink LACP_JSON IPLINK_JSON DEV BOND_MAC: ip -d -j link agrees.
def cmd_lacp_iplink(lacp_json, iplink, dev, bond_mac):
    d = next((d for d in load(lacp_json) if d["ifname"] == dev), None)
    if d is None:
        errors.append(f"{dev} not in lagxctl -j lacp")
        return
    ours = {p["ifname"]: p["lacp"] or {} for p in d["ports"]}
    links = load(iplink)
    ports = [l for l in links if l.get("master") == dev]
    eq(f"ip -d -j link: ports of {dev}", sorted(l["ifname"] for l in ports), sorted(ours))
    for l in ports:
        data = l.get("linkinfo", {}).get("info_slave_data", {})
        n = f"ip -d -j link {l['ifname']}"
        o = ours.get(l["ifname"], {})
        for who in ("actor", "partner"):
            eq(f"{n} lacp_{who}_state (vs lagxctl)",
               state_set(data.get(f"lacp_{who}_state")), set(o.get(f"{who}-state") or []))
        eq(f"{n} lacp_partner_system", data.get("lacp_partner_system"), bond_mac)
    for l in links:
        if l["ifname"] == dev:
            data = l.get("linkinfo", {}).get("info_data", {})
            eq(f"ip -d -j link {dev} operating_mode", data.get("operating_mode"),
               d["operating-mode"])
            eq(f"ip -d -j link {dev} fallbacks", data.get("fallbacks"), d["fallbacks"])

# lacp_events FILE: monitor -j lines of a lacp device, one a line:
# "dev-change DEV OPERATING-MODE" or "port-change DEV PORT REASON-CODE | REASON".
def cmd_lacp_events(path):
    with open(path) as f:
        for line in f:
            e = json.loads(line)
            if e["event"] == "port-change":
                p = e["port"]
                code = (p["lacp"] or {}).get("reason-code", "-")
                print("port-change", p["master-name"], p["ifname"], code, "|", p["reason"])
            else:
                d = e["dev"]
                print("dev-change", d["ifname"], d["operating-mode"])

# field SHOW_JSON DEV KEY: a device attribute.
def cmd_field(show, dev, key):
    for d in load(show):
        if d["ifname"] == dev:
            print(d[key])

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

# secs_since T0: whole seconds since $SECONDS was T0, rounded up.
secs_since()
{
	echo $((SECONDS - $1 + 1))
}

json_matches_ynl()
{
	local t0=$SECONDS

	in_ns "$1" "$LAGXCTL" -j show >"$TMP/show.json" 2>"$TMP/err" || return 1
	ynl "$1" --dump dev-get >"$TMP/ydev.json" 2>"$TMP/yerr" || return 1
	ynl "$1" --dump port-get >"$TMP/yport.json" 2>>"$TMP/yerr" || return 1
	# cli.py takes seconds to start in UML: LACP counters move meanwhile.
	compare ynl "$TMP/show.json" "$TMP/ydev.json" "$TMP/yport.json" \
		"$(secs_since "$t0")" >"$TMP/diff"
}

port_show_matches_show()
{
	in_ns "$1" "$LAGXCTL" -j port show >"$TMP/ports.json" 2>"$TMP/err" || return 1
	in_ns "$1" "$LAGXCTL" -j show >"$TMP/show.json" 2>"$TMP/err" || return 1
	compare ports "$TMP/ports.json" "$TMP/show.json" >"$TMP/diff"
}

# The bucket views of lagx3 agree: lagxctl buckets, show, ip -d -j link.
# Quiet on success; the differences in $TMP/diff.
slb_counts_agree()
{
	in_ns "$S" "$LAGXCTL" -j buckets lagx3 >"$TMP/bk.json" 2>"$TMP/err" || return 1
	in_ns "$S" "$LAGXCTL" -j show lagx3 >"$TMP/show.json" 2>"$TMP/err" || return 1
	ip -n "$S" -d -j link show >"$TMP/iplink.json" || return 1
	compare show_buckets "$TMP/bk.json" "$TMP/show.json" lagx3 >"$TMP/diff" &&
	compare iplink_buckets "$TMP/bk.json" "$TMP/iplink.json" lagx3 >"$TMP/diff"
}

slb_buckets_match_ynl()
{
	local ifindex

	ifindex=$(ip -n "$S" -j link show lagx3 | "$PYTHON" -c \
		  'import json, sys; print(json.load(sys.stdin)[0]["ifindex"])') || return 1
	in_ns "$S" "$LAGXCTL" -j buckets lagx3 >"$TMP/bk.json" 2>"$TMP/err" || return 1
	ynl "$S" --dump bucket-get --json "{\"dev-ifindex\": $ifindex}" \
		>"$TMP/ybk.json" 2>"$TMP/yerr" || return 1
	compare ynl_buckets "$TMP/bk.json" "$TMP/ybk.json" >"$TMP/diff"
}

# The BUCKETS column of "lagxctl show lagx3", per port, is what
# "lagxctl -j buckets lagx3" lists.
slb_human_counts_agree()
{
	local want got

	in_ns "$S" "$LAGXCTL" -j buckets lagx3 >"$TMP/bk.json" 2>"$TMP/err" || return 1
	in_ns "$S" "$LAGXCTL" show lagx3 >"$TMP/show.txt" 2>"$TMP/err" || return 1
	want=$(compare per_port_text "$TMP/bk.json")
	# PORT STATE LINK SPEED FAILS RX RX-DROPPED TX BUCKETS ...
	got=$(awk '{ sub(/^ *!/, "") } $1 ~ /^s[01]$/ && $9 != 0 { print $1, $9 }' \
	      "$TMP/show.txt" | sort)
	echo "#   show: ${got//$'\n'/, }; buckets: ${want//$'\n'/, }" >"$TMP/diff"
	[ "$got" = "$want" ]
}

# lacp_both_dist: both ports of lagx4 distribute, as /proc says.
lacp_both_dist()
{
	[ "$(in_ns "$L" grep -c "^LACP port l[01]: mux distributing," \
	     /proc/net/lagx/lagx4)" = 2 ]
}

# lacp_snap: "lagxctl lacp" (text and -j), /proc/net/lagx/lagx4 and
# ip -d -j link of L into $TMP, as close together as possible.
lacp_snap()
{
	in_ns "$L" "$LAGXCTL" lacp lagx4 >"$TMP/lacp.txt" 2>"$TMP/err" || return 1
	in_ns "$L" "$LAGXCTL" -j lacp lagx4 >"$TMP/lacp.json" 2>"$TMP/err" || return 1
	in_ns "$L" cat /proc/net/lagx/lagx4 >"$TMP/lacp.proc" || return 1
	ip -n "$L" -d -j link show >"$TMP/iplink.json"
}

# lagxctl lacp (text, JSON) and ip -d -j link agree with /proc, both ports
# distributing with bond0 as partner.  Quiet on success.
lacp_matches_proc()
{
	lacp_snap || return 1
	{
		compare lacp_text "$TMP/lacp.txt" "$TMP/lacp.proc" "$BOND_MAC" &&
		compare lacp_json "$TMP/lacp.json" "$TMP/lacp.proc" lagx4 "$BOND_MAC" &&
		compare lacp_iplink "$TMP/lacp.json" "$TMP/iplink.json" lagx4 "$BOND_MAC"
	} >"$TMP/diff"
}

lacp_matches_ynl()
{
	local ifindex t0

	ifindex=$(ip -n "$L" -j link show lagx4 | "$PYTHON" -c \
		  'import json, sys; print(json.load(sys.stdin)[0]["ifindex"])') || return 1
	t0=$SECONDS
	in_ns "$L" "$LAGXCTL" -j lacp lagx4 >"$TMP/lacp.json" 2>"$TMP/err" || return 1
	ynl "$L" --dump port-get --json "{\"master\": $ifindex}" \
		>"$TMP/yport.json" 2>"$TMP/yerr" || return 1
	compare lacp_ynl "$TMP/lacp.json" "$TMP/yport.json" "$(secs_since "$t0")" \
		>"$TMP/diff"
}

# dev_stat NS DEV STAT: /sys/class/net/DEV/statistics/STAT in NS.
dev_stat()
{
	in_ns "$1" cat "/sys/class/net/$2/statistics/$3"
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

# A container's root (root of the user namespace that owns the netns)
# configures lagx over genl as it does over rtnetlink; root of a user
# namespace that does not own the netns is refused.
test_userns()
{
	local script

	need_setup || return
	if ! unshare -U -r -n true 2>/dev/null; then
		skip_test "no user namespaces (unshare -U -r -n)"
		return
	fi
	# shellcheck disable=SC2016 # expanded by the inner shell
	script='set -e
		ip link add lagx9 type lagx
		ip link add d0 type dummy
		ip link add d1 type dummy
		ip link set d0 master lagx9
		ip link set d1 master lagx9
		ip link set lagx9 up
		ip link set d0 up
		ip link set d1 up
		"$1" set-active lagx9 d1
		"$1" stats-clear lagx9
		sed -n "s/^Active port: //p" /proc/net/lagx/lagx9'
	OUT=$(unshare -U -r -n sh -c "$script" sh "$LAGXCTL" 2>&1)
	RC=$? ERR=$OUT
	check_rc "container root: ip link, set-active, stats-clear" 0 ||
		indent "$OUT"
	check_eq "container root: d1 made active" "$(tail -n 1 <<<"$OUT")" d1
	OUT=$(ip netns exec "$H" unshare -U -r "$LAGXCTL" stats-clear lagx0 2>&1)
	RC=$? ERR=$OUT
	check_rc "root of a user namespace not owning H: stats-clear" 1
	check_match "refused with EPERM" "$OUT" "Operation not permitted"
	check_ne "lagx0 Failovers not cleared" "$(proc_field -n "$H" lagx0 Failovers)" 0
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

test_buckets_refused()
{
	need_setup || return
	lx "$H" buckets lagx0
	check_rc "buckets lagx0 (active-backup)" 1
	check_eq "the kernel's message" "$ERR" \
		"lagxctl: lagx: mode active-backup has no hash buckets"
	check_eq "nothing on stdout" "$OUT" ""
	lx "$H" -j show lagx0
	check_match "-j show (active-backup): no bucket-moves" "$OUT" '"bucket-moves": null'
	check_match "-j show (active-backup): no buckets" "$OUT" '"buckets": null'
	lx "$H" show
	check_fail "show (active-backup): no BUCKETS column" grep -q BUCKETS <<<"$OUT"
}

# balance-slb: lagx3 in S, ports s0/s1 into br0 in Q, macvlans in M1/M2.
test_slb_setup()
{
	local out i rc bytes=0 packets=0
	local -a mns

	if [ ! -e "$IP_LIB_DIR/link_lagx.so" ]; then
		SLB_SKIP="no link_lagx.so in $IP_LIB_DIR (make plugin, or set LAGX_IP_LIB_DIR)"
		skip_test "$SLB_SKIP"
		return
	fi
	setup_ns S Q M1 M2 || { fail "setup_ns"; return; }
	keep_ns
	mns=("$M1" "$M2")
	out=$(ip -n "$S" link add lagx3 type lagx mode balance-slb \
		xmit_hash_policy vlan+srcmac rebalance_interval 0 2>&1)
	rc=$?
	if [[ "$out" == *"not implemented"* ]]; then
		SLB_SKIP="balance-slb is not implemented yet"
		skip_test "$SLB_SKIP"
		return
	fi
	check "create lagx3 (balance-slb): $out" [ "$rc" -eq 0 ] || return

	ip -n "$Q" link add br0 type bridge
	for i in 0 1; do
		veth_pair "$S" "s$i" "$Q" "t$i"
		ip -n "$Q" link set "t$i" master br0
		ip -n "$Q" link set "t$i" up
		check "enslave s$i" ip -n "$S" link set "s$i" master lagx3 || return
	done
	ip -n "$Q" link set br0 up
	ip -n "$Q" addr add "$LAGX_IP_B/$LAGX_PREFIX" dev br0
	ip -n "$S" link set lagx3 up
	check_wait "lagx3 carrier up" 10 link_has_flag -n "$S" lagx3 LOWER_UP || return

	# Two source MACs: a macvlan on lagx3 in each of M1 and M2.
	for i in 0 1; do
		check "macvlan mv$i on lagx3" \
			ip -n "$S" link add "mv$i" link lagx3 type macvlan mode bridge || return
		ip -n "$S" link set "mv$i" netns "${mns[i]}"
		ip -n "${mns[i]}" addr add "192.0.2.1$((i + 1))/$LAGX_PREFIX" dev "mv$i"
		ip -n "${mns[i]}" link set "mv$i" up
		check_wait "mv$i: ping $LAGX_IP_B" 10 \
			in_ns "${mns[i]}" ping -c 1 -W 1 -q "$LAGX_IP_B" >/dev/null || return
		check "mv$i: 20 pings of 1000 bytes" \
			in_ns "${mns[i]}" ping -c 20 -i 0.05 -s 1000 -W 2 -q "$LAGX_IP_B" \
			>/dev/null
	done
	# What the macvlans sent went through lagx3: the buckets count it.
	for i in 0 1; do
		bytes=$((bytes + $(dev_stat "${mns[i]}" "mv$i" tx_bytes)))
		packets=$((packets + $(dev_stat "${mns[i]}" "mv$i" tx_packets)))
	done
	SLB_TX_BYTES=$bytes
	SLB_TX_PACKETS=$packets
	info "mv0 and mv1 sent $bytes bytes in $packets packets"
	[ "$RET" = 0 ] && SLB_OK=1
}

test_slb_buckets()
{
	local bad

	need_slb || return
	lx "$S" buckets lagx3
	check_rc "lagxctl buckets lagx3" 0
	info "lagxctl buckets lagx3:"
	indent "$OUT"
	check_match "buckets: header" "$(head -n 1 <<<"$OUT")" \
		"^BUCKET +PORT +BYTES +PACKETS +LOAD$"
	check_ne "buckets: rows" "$(sed 1d <<<"$OUT")" ""
	bad=$(sed 1d <<<"$OUT" | grep -vE '^ *[0-9]+ +s[01] +[0-9]+ +[0-9]+ +[0-9]+$')
	check_eq "buckets: every row 'BUCKET s0|s1 BYTES PACKETS LOAD'" "$bad" ""

	lx "$S" -j buckets lagx3
	check_rc "lagxctl -j buckets lagx3" 0
	check "-j buckets is valid JSON" "$PYTHON" -m json.tool "$TMP/out" >/dev/null || return
	cp "$TMP/out" "$TMP/bk.json"
	in_ns "$S" "$LAGXCTL" -j show lagx3 >"$TMP/show.json"
	check "-j buckets: ports of lagx3, >= the $SLB_TX_BYTES bytes sent" \
		compare buckets "$TMP/bk.json" "$TMP/show.json" lagx3 \
		"$SLB_TX_BYTES" "$SLB_TX_PACKETS"
	check "-j show: the bucket attributes of balance-slb" \
		compare slb_show "$TMP/show.json" lagx3

	# Reading needs no privilege.
	lx_nobody "$S" -V
	if [ "$RC" = 0 ]; then
		lx_nobody "$S" -j buckets lagx3
		check_rc "nobody: -j buckets lagx3" 0
	fi
}

test_slb_buckets_ynl()
{
	need_slb || return
	if ! ynl_find; then
		skip_test "no ynl cli.py (set YNL_CLI or KSRC) or no python3-yaml"
		return
	fi
	if ! slowwait 5 slb_buckets_match_ynl; then
		fail "lagxctl -j buckets differs from ynl's bucket-get dump:"
		cat "$TMP/diff" "$TMP/yerr"
	fi
	if ! slowwait 5 json_matches_ynl "$S"; then
		fail "balance-slb: lagxctl -j show differs from ynl's dev-get/port-get dumps:"
		cat "$TMP/diff" "$TMP/yerr"
	fi
}

test_slb_counts()
{
	need_slb || return
	if ! slowwait 5 slb_counts_agree; then
		fail "port bucket counts differ (show, ip -d -j link, buckets):"
		cat "$TMP/diff"
	fi
	if ! slowwait 5 slb_human_counts_agree; then
		fail "show's BUCKETS column differs from lagxctl buckets:"
		cat "$TMP/diff"
	fi
	lx "$S" show lagx3
	check_rc "lagxctl show lagx3" 0
	info "lagxctl show lagx3:"
	indent "$OUT"
	check_match "device line" "$OUT" \
		"^lagx3 \(balance-slb\): carrier up, 2/2 ports usable, "
	check_match "bucket line" "$OUT" \
		"^  hash vlan\+srcmac, rebalance off, [0-9]+ rebalance runs?, [0-9]+ bucket moves?, mcast port s[01]$"
	check_match "port header" "$OUT" \
		"^ +PORT +STATE +LINK +SPEED +FAILS +RX +RX-DROPPED +TX +BUCKETS +LOAD +MCAST-DROP +LOOP-DROP +LEARN-TX +REASON$"
	lx "$S" port show s0
	check_match "port show s0: bucket columns" "$OUT" \
		"^ +s0 +lagx3 +active +up +[^ ]+ +0( +[0-9]+){8} +carrying traffic$"
}

test_slb_rebalance()
{
	local before after

	need_slb || return
	in_ns "$S" "$LAGXCTL" -j show lagx3 >"$TMP/show.json"
	before=$(compare field "$TMP/show.json" lagx3 rebalance-runs)
	lx "$S" rebalance lagx3
	check_rc "rebalance lagx3" 0
	check_eq "rebalance prints nothing" "$OUT$ERR" ""
	in_ns "$S" "$LAGXCTL" -j show lagx3 >"$TMP/show.json"
	after=$(compare field "$TMP/show.json" lagx3 rebalance-runs)
	check "rebalance-runs $before -> $after: one more run" \
		[ "$after" -ge $((before + 1)) ]
	check "bucket counts still agree after rebalancing" slowwait 5 slb_counts_agree
}

# lacp: lagx4 (lacp, fast) in L against bond0 (802.3ad, fast) in B.
test_lacp_setup()
{
	local out rc i

	if [ ! -e "$IP_LIB_DIR/link_lagx.so" ]; then
		LACP_SKIP="no link_lagx.so in $IP_LIB_DIR (make plugin, or set LAGX_IP_LIB_DIR)"
		skip_test "$LACP_SKIP"
		return
	fi
	setup_ns L B || { fail "setup_ns"; return; }
	keep_ns
	if ! out=$(ip -n "$B" link add bond0 type bond mode 802.3ad lacp_rate fast \
		   miimon 100 2>&1); then
		LACP_SKIP="no 802.3ad bonding for a partner: $out"
		skip_test "$LACP_SKIP"
		return
	fi
	# No rebalancing: its run count would move between two dumps.
	out=$(ip -n "$L" link add lagx4 type lagx mode lacp lacp_rate fast \
		rebalance_interval 0 2>&1)
	rc=$?
	check "create lagx4 (lacp, lacp_rate fast): $out" [ "$rc" -eq 0 ] || return
	for i in 0 1; do
		veth_pair "$L" "l$i" "$B" "m$i"
		check "enslave l$i" ip -n "$L" link set "l$i" master lagx4 || return
		check "bond m$i" ip -n "$B" link set "m$i" master bond0 || return
	done
	ip -n "$B" link set bond0 up
	ip -n "$L" link set lagx4 up
	BOND_MAC=$(ip -n "$B" -j link show bond0 | "$PYTHON" -c \
		   'import json, sys; print(json.load(sys.stdin)[0]["address"])')
	info "bond0's MAC: $BOND_MAC"
	if ! check_wait "l0 and l1: mux distributing (/proc)" 15 lacp_both_dist; then
		in_ns "$L" cat /proc/net/lagx/lagx4 | sed 's/^/#   /'
		return
	fi
	[ "$RET" = 0 ] && LACP_OK=1
}

test_lacp_show()
{
	need_lacp || return
	if ! slowwait 5 lacp_matches_proc; then
		fail "lagxctl lacp (text, -j) or ip -d -j link differs from /proc:"
		cat "$TMP/diff"
		indent "$(cat "$TMP/lacp.txt")"
	fi
	lx "$L" lacp lagx4
	check_rc "lagxctl lacp lagx4" 0
	info "lagxctl lacp lagx4:"
	indent "$OUT"
	check_match "lacp: device line" "$OUT" \
		"^lagx4: operating mode lacp, 0 fallbacks, LACP system 65535,([0-9a-f]{2}:){5}[0-9a-f]{2}$"
	check_match "lacp: a block for l0" "$OUT" "^LACP port l0: mux distributing, rx current, selected, distributing \(since [0-9]+s\)$"
	check_match "lacp: partner bond0" "$OUT" \
		"^  partner  system 65535,$BOND_MAC key [0-9]+ port [0-9]+,[0-9]+ state ACTIVITY,TIMEOUT,AGGREGATION,SYNC,COLLECTING,DISTRIBUTING$"
	lx "$L" lacp
	check_rc "lagxctl lacp (every device)" 0
	check_match "lacp without DEV: lagx4" "$OUT" "^lagx4: operating mode lacp"
	lx "$L" -j lacp
	check "-j lacp is valid JSON" "$PYTHON" -m json.tool "$TMP/out" >/dev/null

	lx "$L" show
	check_rc "lagxctl show (lacp)" 0
	info "lagxctl show in L:"
	indent "$OUT"
	check_match "show: operating mode lacp" "$OUT" \
		"^lagx4 \(lacp\): carrier up, operating mode lacp \(0 fallbacks\), 2/2 ports usable"

	# Not lacp, or not lagx: refused with a reason.
	lx "$H" lacp lagx0
	check_rc "lacp lagx0 (active-backup)" 1
	check_eq "lacp lagx0: message" "$ERR" "lagxctl: lagx0: mode active-backup has no LACP state"
	lx "$H" lacp
	check_rc "lacp in H (no lacp device)" 0
	check_eq "lacp in H" "$OUT" "No lagx device in lacp mode."
	lx "$H" -j lacp
	check_eq "-j lacp in H" "$OUT" "[]"
	lx "$L" lacp lo
	check_rc "lacp lo" 1
	check_eq "lacp lo: message" "$ERR" "lagxctl: lo: not a lagx device"
}

test_lacp_ynl()
{
	need_lacp || return
	if ! ynl_find; then
		skip_test "no ynl cli.py (set YNL_CLI or KSRC) or no python3-yaml"
		return
	fi
	if ! slowwait 5 lacp_matches_ynl; then
		fail "lagxctl -j lacp differs from ynl's port-get dump:"
		cat "$TMP/diff" "$TMP/yerr"
	fi
	if ! slowwait 5 json_matches_ynl "$L"; then
		fail "lacp: lagxctl -j show differs from ynl's dev-get/port-get dumps:"
		cat "$TMP/diff" "$TMP/yerr"
	fi
}

# bond0 gives way to a bridge: no more LACPDUs, lagx4 falls back to
# balance-slb (3 s after link-up at fast rate), and says so.
test_lacp_fallback()
{
	local t0 ms

	need_lacp || return
	start_monitor "$L" "$TMP/lmon.json" -j || { fail "monitor -j did not start: $(cat "$TMP/lmon.json.err")"; return; }
	start_monitor "$L" "$TMP/lmon.txt" || { fail "monitor did not start: $(cat "$TMP/lmon.txt.err")"; return; }
	t0=${EPOCHREALTIME/./}
	check "bond0 replaced by br0" ip -n "$B" -batch - <<-EOB || return
		link del bond0
		link add br0 type bridge
		link set m0 master br0
		link set m1 master br0
		link set m0 up
		link set m1 up
		link set br0 up
	EOB
	if ! check_wait "operating mode fallback balance-slb (/proc)" 8 \
		proc_field_is -n "$L" lagx4 "Operating mode" "fallback balance-slb"; then
		in_ns "$L" cat /proc/net/lagx/lagx4 | sed 's/^/#   /'
		return
	fi
	ms=$(( (${EPOCHREALTIME/./} - t0) / 1000 ))
	info "fallback $ms ms after the partner stopped speaking LACP"
	check_proc -n "$L" lagx4 Fallbacks 1

	lx "$L" show
	info "lagxctl show in L:"
	indent "$OUT"
	check_match "show: operating mode fallback balance-slb" "$OUT" \
		"^lagx4 \(lacp\): carrier up, operating mode fallback balance-slb \(1 fallback\), "
	lx "$L" lacp lagx4
	check_match "lacp: operating mode fallback balance-slb" "$OUT" \
		"^lagx4: operating mode fallback balance-slb, 1 fallback, "
	check_match "lacp: l0 no LACPDU" "$OUT" \
		"^LACP port l0: mux detached, rx defaulted, unselected, no LACPDU received"
	check_wait "monitor -j: dev-change lagx4 fallback-balance-slb" 5 \
		eval "compare lacp_events $TMP/lmon.json | grep -qx 'dev-change lagx4 fallback-balance-slb'"
	check_wait "monitor -j: port-change l0, no-lacpdu, carrying traffic in fallback" 5 \
		eval "compare lacp_events $TMP/lmon.json |
		      grep -q '^port-change lagx4 l0 no-lacpdu | carrying traffic, fallback balance-slb: no LACPDU'"
	check_wait "monitor: lagx4 line, fallback balance-slb" 5 \
		grep -qE "lagx4 \(lacp\): carrier up, operating mode fallback balance-slb \(1 fallback\)" \
		"$TMP/lmon.txt"
	info "monitor -j, as dev/port-change lines:"
	indent "$(compare lacp_events "$TMP/lmon.json")"
	ip -n "$L" -d -j link show lagx4 >"$TMP/iplink.json"
	check_match "ip -d -j link: operating_mode" "$(<"$TMP/iplink.json")" \
		'"operating_mode":"fallback-balance-slb"'
	check_match "ip -d -j link: fallbacks" "$(<"$TMP/iplink.json")" '"fallbacks":1'
	stop_bg
}

test_unknown_device()
{
	local c

	need_setup || return
	for c in "show nosuchdev" "-j show nosuchdev" "port show nosuchdev" \
		 "set-active nosuchdev a0" "set-active lagx0 nosuchdev" \
		 "rebalance nosuchdev" "stats-clear nosuchdev" "buckets nosuchdev" \
		 "-j buckets nosuchdev" "lacp nosuchdev" "-j lacp nosuchdev"; do
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
	lx "$H" buckets lo
	check_rc "buckets lo" 1
	check_eq "buckets lo: message" "$ERR" "lagxctl: lo: not a lagx device"
}

test_usage()
{
	local c

	need_setup || return
	for c in "bogus" "show a b" "port bogus" "port show a b" "set-active lagx0" \
		 "rebalance" "stats-clear" "monitor x" "-x show" "buckets" \
		 "buckets lagx0 a1" "lacp a b"; do
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
	lx "$H" help
	check_match "help documents buckets" "$OUT" "^  buckets DEV "
	check_match "help documents lacp" "$OUT" "^  lacp \[DEV\] "
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
# The generic netlink family exists from 6.2 on (lagx builds without it
# against older kernels): there, that is the reason to skip, nothing else.
if ! genl ctrl get name lagx >/dev/null 2>&1; then
	kv=$(uname -r)
	kmaj=${kv%%.*} kmin=${kv#*.}
	kmin=${kmin%%[!0-9]*}
	[ "$kmaj" -gt 6 ] || { [ "$kmaj" -eq 6 ] && [ "$kmin" -ge 2 ]; } ||
		ktap_skip_all "no lagx genl family: kernel < 6.2 by design ($kv)"
fi
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
	test_userns		"container root configures over genl, others EPERM" \
	test_stats_clear	"stats-clear zeroes the counters shown" \
	test_rebalance_refused	"rebalance in active-backup: the kernel's message" \
	test_buckets_refused	"buckets in active-backup: the kernel's message, no bucket columns" \
	test_unknown_device	"unknown device: clear message, non-zero exit" \
	test_usage		"usage errors exit 2, help and -V exit 0" \
	test_netns		"each netns sees only its own devices" \
	test_slb_setup		"balance-slb: lagx3, two ports into a bridge, pings from 2 MACs" \
	test_slb_buckets	"buckets: rows of real ports, bytes >= the traffic sent" \
	test_slb_buckets_ynl	"buckets and show equal to ynl's bucket-get/dev-get/port-get" \
	test_slb_counts		"port bucket counts: show (JSON and text), ip -d -j link, buckets" \
	test_slb_rebalance	"rebalance in balance-slb: one more rebalance run" \
	test_lacp_setup		"lacp: lagx4 against bond0 (802.3ad, fast): both ports distributing" \
	test_lacp_show		"lacp: lagxctl lacp (text, -j), show, ip -d -j link vs /proc" \
	test_lacp_ynl		"lacp: lagxctl -j lacp and -j show equal to ynl's dumps" \
	test_lacp_fallback	"lacp: bond0 replaced by a bridge: fallback balance-slb, events" \
	test_kernel_log_clean	"kernel log has no splat"
