#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# balance-slb against a switch-independent peer (a Linux bridge): source
# MACs spread over the ports, one copy of each broadcast delivered, no
# reflected frame delivered, buckets evacuated (with learning frames) when
# a port dies, skewed load rebalanced, xmit_hash_policy changes, hash
# evenness (measured), updelay/downdelay.
#
#   netns H                      netns S ("switch")          netns F
#   +--------------------+       +---------------------+     +-------------+
#   | lagx0 balance-slb  |       |        br0          |     | f0          |
#   |  a0 a1 [a2 a3]     |       | b0 b1 b2 b3   bf ---+-----+ 192.0.2.2/24|
#   +--|--|--|--|--------+       +-|--|--|--|----------+     +-------------+
#      |  |  |  +--------- veth ---|--|--|--+
#      |  |  +------------ veth ---|--|--+
#      |  +--------------- veth ---|--+
#      +------------------ veth ---+
#
#   netns M1..M12: macvlans mv1..mv12 (bridge mode) on lagx0, each its own
#   MAC and address 192.0.2.11-22/24: "virtual machines" pinging F.
#
# br0 runs no STP; its ports are the switch's. A port is killed from the
# switch side ("ip -n S link set bX down"): carrier loss on aX.  Most cases
# build a fresh lagx0 (no address: lagx0 itself sends nothing) and send
# crafted frames through it with a packet socket (a small python3 helper
# below, no scapy needed): lagx transmits whatever source MAC it is given,
# and binds a bucket when it first sees it.
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

H=			# the lagx host
S=			# the switch: br0
F=			# the far host
TMP=
FAR_IP=192.0.2.2
FAR_MAC=
SETUP_OK=0
SLB_OK=0		# lagx0 of test_slb_proc exists (2 ports)
SPREAD_OK=0		# ... and the macvlans of test_spread
MV_NS=()		# namespaces of the macvlans
MV_MAC=()		# their MACs
NMV=12			# how many macvlans
TRACEFS=

# ------------------------------------------------------- python helper --

# "send": craft frames and send them with a packet socket on DEV; a flow is
# a source MAC (kind raw, garp, rarp), a UDP source port (udp) or an IPv4
# destination (ipdst); each round sends WEIGHT frames of every flow.  The
# lists (--src, --dst, --kind, --weights) are cycled over the flows.
# "count": count the frames received (not sent) on DEVs by interface,
# source, destination and ethertype until SIGTERM, then drain and print
# "frames IF SRC DST TYPE N" lines.
PY_SLB=$(cat <<'EOF'
import argparse, errno, os, select, signal, socket, struct, sys, time

ETH_P_ALL = 3
PACKET_OUTGOING = 4
MARK = b"LAGXSLB0"

def mac(s):
    return bytes(int(x, 16) for x in s.split(":"))

def mac_str(b):
    return ":".join("%02x" % x for x in b)

def mac_add(b, n):
    return (int.from_bytes(b, "big") + n).to_bytes(6, "big")

def ip_add(ip, n):
    v = struct.unpack("!I", socket.inet_aton(ip))[0] + n
    return socket.inet_ntoa(struct.pack("!I", v))

def csum(b):
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff

def udp4(sip, dip, sport, dport, payload):
    udp = struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload
    ip = bytearray(struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 0,
                               0x4000, 64, 17, 0, socket.inet_aton(sip),
                               socket.inet_aton(dip)))
    ip[10:12] = struct.pack("!H", csum(bytes(ip)))
    return bytes(ip) + udp

def arp(op, sha, spa, tha, tpa):
    return struct.pack("!HHBBH6s4s6s4s", 1, 0x0800, 6, 4, op, sha,
                       socket.inet_aton(spa), tha, socket.inet_aton(tpa))

def frames(a):
    srcs = [mac(x) for x in a.src.split(",")]
    if a.nsrc:
        srcs = [mac_add(srcs[0], i) for i in range(a.nsrc)]
    dsts = [mac(x) for x in a.dst.split(",")]
    kinds = a.kind.split(",")
    n = a.flows or max(len(srcs), len(dsts), len(kinds))
    out = []
    for i in range(n):
        src, dst = srcs[i % len(srcs)], dsts[i % len(dsts)]
        kind = kinds[i % len(kinds)]
        if kind == "raw":
            typ, pl = int(a.type, 16), MARK + struct.pack("!I", i)
        elif kind == "udp":
            typ, pl = 0x0800, udp4(a.sip, a.dip, a.sport + i, 9, MARK)
        elif kind == "ipdst":
            typ, pl = 0x0800, udp4(a.sip, ip_add(a.dip, i), a.sport, 9, MARK)
        elif kind == "garp":
            typ, pl = 0x0806, arp(1, src, a.sip, bytes(6), a.sip)
        else:
            typ, pl = 0x8035, arp(3, src, "0.0.0.0", src, "0.0.0.0")
        f = dst + src + struct.pack("!H", typ) + pl
        out.append(f + bytes(max(0, a.size - len(f))))
    return out

def send(a):
    fr = frames(a)
    w = [int(x) for x in a.weights.split(",")] if a.weights else [1]
    w = [w[i % len(w)] for i in range(len(fr))]
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, 0)
    s.bind((a.dev, 0))
    if a.wait_file:
        print("ready", flush=True)
        while not os.path.exists(a.wait_file):
            time.sleep(0.01)
    sent = failed = rounds = 0
    t0 = time.monotonic()
    while True:
        now = time.monotonic()
        if a.duration:
            if now - t0 >= a.duration:
                break
        elif rounds >= a.count:
            break
        if a.rate and rounds >= (now - t0) * a.rate:
            time.sleep(0.005)
            continue
        for f, k in zip(fr, w):
            for _ in range(k):
                for tries in range(200):
                    try:
                        s.send(f)
                        sent += 1
                        break
                    except OSError as e:
                        if e.errno not in (errno.ENOBUFS, errno.EAGAIN):
                            raise
                        time.sleep(0.002)
                else:
                    failed += 1
                if not a.rate and sent % 64 == 0:
                    time.sleep(0.002)	# let the counters read
        rounds += 1
    print("sent %d failed %d" % (sent, failed), flush=True)
    return 1 if failed else 0

def count(a):
    socks = {}
    for d in a.dev.split(","):
        s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW,
                          socket.htons(ETH_P_ALL))
        try:
            s.setsockopt(socket.SOL_SOCKET, 33, 16 << 20)  # SO_RCVBUFFORCE
        except OSError:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 16 << 20)
        s.bind((d, ETH_P_ALL))  # CPython applies htons()
        s.setblocking(False)
        socks[s.fileno()] = (d, s)
    types = set(int(t, 16) for t in a.types.split(","))
    stop = []
    signal.signal(signal.SIGTERM, lambda *x: stop.append(1))
    counts = {}
    print("ready", flush=True)
    idle = 0.0
    while True:
        r, _, _ = select.select(list(socks), [], [], 0.05)
        for fd in r:
            d, s = socks[fd]
            while True:
                try:
                    data, addr = s.recvfrom(65535)
                except BlockingIOError:
                    break
                if addr[2] == PACKET_OUTGOING or len(data) < 14:
                    continue
                typ = struct.unpack("!H", data[12:14])[0]
                if typ not in types:
                    continue
                if typ == 0x88b5 and MARK not in data:
                    continue
                k = (d, mac_str(data[6:12]), mac_str(data[0:6]), typ)
                counts[k] = counts.get(k, 0) + 1
        if stop:
            idle = 0.0 if r else idle + 0.05
            if idle >= 0.3:
                break
    for (d, src, dst, typ), n in sorted(counts.items()):
        print("frames %s %s %s 0x%04x %d" % (d, src, dst, typ, n))
    for fd, (d, s) in socks.items():
        st = s.getsockopt(263, 6, 8)  # SOL_PACKET, PACKET_STATISTICS
        drops = struct.unpack("II", st)[1]
        if drops:
            print("drops %s %d" % (d, drops))
    print("done", flush=True)
    return 0

p = argparse.ArgumentParser()
sub = p.add_subparsers(dest="cmd", required=True)
q = sub.add_parser("send")
q.add_argument("--dev", required=True)
q.add_argument("--kind", default="raw")  # raw|udp|ipdst|garp|rarp, a list
q.add_argument("--src", required=True)
q.add_argument("--nsrc", type=int, default=0)
q.add_argument("--dst", default="ff:ff:ff:ff:ff:ff")
q.add_argument("--flows", type=int, default=0)
q.add_argument("--type", default="88b5")
q.add_argument("--sip", default="192.0.2.1")
q.add_argument("--dip", default="192.0.2.200")
q.add_argument("--sport", type=int, default=20000)
q.add_argument("--count", type=int, default=1)
q.add_argument("--weights", default="")
q.add_argument("--size", type=int, default=60)
q.add_argument("--rate", type=float, default=0)
q.add_argument("--duration", type=float, default=0)
q.add_argument("--wait-file", default="")
q = sub.add_parser("count")
q.add_argument("--dev", required=True)
q.add_argument("--types", default="88b5")
a = p.parse_args()
sys.exit(send(a) if a.cmd == "send" else count(a))
EOF
)

# slb_send NS ARG...: send frames (python "send"); fails if one could not be sent.
slb_send()
{
	local ns=$1; shift

	ip netns exec "$ns" python3 -c "$PY_SLB" send "$@" >"$TMP/send.out" 2>&1 && return 0
	fail "sending frames: $(tr '\n' '|' <"$TMP/send.out" | tail -c 300)"
	return 1
}

COUNTER_PID=
COUNTER_OUT=

# counter_start NS DEVS TYPES: count received frames on DEVS (comma list)
# of the given ethertypes (hex, comma list) until counter_stop.
counter_start()
{
	COUNTER_OUT=$TMP/count.$RANDOM
	ip netns exec "$1" python3 -c "$PY_SLB" count --dev "$2" --types "$3" \
		>"$COUNTER_OUT" 2>&1 &
	COUNTER_PID=$!
	bg_track "$COUNTER_PID"
	slowwait 30 grep -q '^ready' "$COUNTER_OUT" && return 0
	fail "frame counter did not start: $(tr '\n' '|' <"$COUNTER_OUT" | tail -c 300)"
	return 1
}

# counter_stop: stop the counter; it drains its sockets and prints.
counter_stop()
{
	kill -TERM "$COUNTER_PID" 2>/dev/null
	wait "$COUNTER_PID" 2>/dev/null
	grep -q '^done' "$COUNTER_OUT" ||
		fail "frame counter: $(tr '\n' '|' <"$COUNTER_OUT" | tail -c 300)"
	if grep -q '^drops' "$COUNTER_OUT"; then
		fail "frame counter lost frames: $(grep '^drops' "$COUNTER_OUT" | tr '\n' ' ')"
	fi
}

# counted [IF] [SRC] [DST] [TYPE]: frames the counter saw ("" = any).
counted()
{
	awk -v i="${1:-}" -v s="${2:-}" -v d="${3:-}" -v t="${4:-}" '
	$1 == "frames" && (i == "" || $2 == i) && (s == "" || $3 == s) &&
	(d == "" || $4 == d) && (t == "" || $5 == t) { n += $6 }
	END { print n + 0 }' "$COUNTER_OUT"
}

# ------------------------------------------------------------ helpers --

need_setup()
{
	[ "$SETUP_OK" = 1 ] && return 0
	skip_test "topology setup failed"
	return 1
}

# field KEY: "KEY: value" of /proc/net/lagx/lagx0 in H.
field()
{
	proc_field -n "$H" lagx0 "$1"
}

# pcol PORT COLUMN: a cell of the port tables of lagx0 (LINK, TX, BUCKETS,
# LOAD, MCAST-DROP, LOOP-DROP, LEARN-TX, ...).
pcol()
{
	port_col -n "$H" lagx0 "$1" "$2"
}

# bucket_rows: the bucket table of PROC as "BUCKET PORT PACKETS BYTES LOAD"
# lines (columns found by their header).
bucket_rows()
{
	awk '
	$1 == "BUCKET" { for (i = 1; i <= NF; i++) c[$i] = i; on = 1; next }
	on && NF == 0 { exit }
	on { print $c["BUCKET"], $c["PORT"], $c["PACKETS"], $c["BYTES"], $c["LOAD"] }' <<<"$PROC"
}

# buckets: read lagx0's /proc and print its bucket rows.
buckets()
{
	proc_read -n "$H" lagx0 && bucket_rows
}

# bucket_port B / bucket_packets B: of bucket B ("" if not bound).
bucket_port()
{
	buckets | awk -v b="$1" '$1 == b { print $2 }'
}

bucket_packets()
{
	buckets | awk -v b="$1" '$1 == b { print $3 }'
}

# Every bound bucket is on PORT, and PORT's BUCKETS says how many.
all_buckets_on()
{
	local n
	n=$(buckets | awk -v p="$1" '$2 != p { bad++ } END { print bad + 0 " " NR }')
	[ "${n% *}" = 0 ] && [ "$(pcol "$1" BUCKETS)" = "${n#* }" ]
}

col_is() { [ "$(pcol "$1" "$2")" = "$3" ]; }
col_ge() { [ "$(pcol "$1" "$2")" -ge "$3" ] 2>/dev/null; }
field_gt() { [ "$(field "$1")" -gt "$2" ] 2>/dev/null; }
bucket_pk_ge() { [ "$(bucket_packets "$1")" -ge "$2" ] 2>/dev/null; }
bucket_sum_ge() { [ "$(buckets | awk '{ s += $3 } END { print s + 0 }')" -ge "$1" ]; }
drops_ge() { [ "$(sum_drops)" -ge "$1" ]; }
ports_tx_ge() { [ "$(ports_tx_sum "$1")" -ge "$2" ]; }
both_tx_ge() { col_ge a0 TX "$1" && col_ge a1 TX "$2"; }

# dev_rx NS DEV: packets received by DEV (its /proc/net/dev, no fork into NS).
dev_rx()
{
	ns_proc "$1"
	awk -v d="$2" '{ sub(":", " ") } $1 == d { print $3 }' "$REPLY/net/dev"
}

# tx_of PORT...: the TX column of each port, blank-separated.
tx_of()
{
	local p out=()

	for p in "$@"; do out+=("$(pcol "$p" TX)"); done
	echo "${out[*]}"
}

# ports N: a0 .. a<N-1>
ports()
{
	local i

	for ((i = 0; i < $1; i++)); do printf 'a%d ' "$i"; done
}

# slb_create NPORTS [OPTION...]: a fresh lagx0 in balance-slb mode with
# OPTIONs, over a0..a<NPORTS-1>, up; every switch port up; wait until every
# port's link is up.
slb_create()
{
	local n=$1 i cmds; shift

	ip -n "$H" link del lagx0 2>/dev/null
	ip -n "$S" -b - <<<"$(printf 'link set b%d up\n' 0 1 2 3)"
	cmds="link add lagx0 type lagx mode balance-slb $*"
	for ((i = n; i < 4; i++)); do
		cmds+=$'\n'"link set a$i down"
	done
	for ((i = 0; i < n; i++)); do
		cmds+=$'\n'"link set a$i master lagx0"
	done
	cmds+=$'\n'"link set lagx0 up"
	if ! ip -n "$H" -b - <<<"$cmds" >"$TMP/create.out" 2>&1; then
		fail "create lagx0 (balance-slb $*): $(tr '\n' '|' <"$TMP/create.out")"
		return 1
	fi
	for ((i = 0; i < n; i++)); do
		check_wait "a$i link up" 10 col_is "a$i" LINK up || return 1
	done
	check_wait "lagx0 carrier up" 10 proc_field_is -n "$H" lagx0 Carrier up
}

# The other port of a two-port lagx0.
other_port()
{
	[ "$1" = a0 ] && echo a1 || echo a0
}

mount_tracefs()
{
	TRACEFS=/sys/kernel/tracing
	[ -e "$TRACEFS/events" ] || mount -t tracefs nodev "$TRACEFS" 2>/dev/null
	[ -e "$TRACEFS/events/lagx/lagx_bucket_move" ]
}

# ethtool_stat NAME: one counter of "ethtool -S lagx0".
ethtool_stat()
{
	awk -v k="$1:" '$1 == k { print $2; f = 1 } END { exit !f }' "$TMP/ethtool"
}

# ----------------------------------------------------------------- cases --

test_setup()
{
	local i

	setup_ns H S F || { fail "namespaces"; return; }
	keep_ns
	make_tmpdir TMP || { fail "mktemp"; return; }

	ip -n "$S" link add br0 type bridge stp_state 0 || { fail "br0"; return; }
	for i in 0 1 2 3; do
		veth_pair "$H" "a$i" "$S" "b$i" || { fail "veth a$i"; return; }
		ip -n "$S" link set "b$i" master br0
		ip -n "$S" link set "b$i" up
	done
	veth_pair "$F" f0 "$S" bf || { fail "veth f0"; return; }
	ip -n "$S" link set bf master br0
	ip -n "$S" link set bf up
	ip -n "$S" link set br0 up
	ip -n "$F" addr add "$FAR_IP/24" dev f0
	ip -n "$F" link set f0 up
	FAR_MAC=$(link_attr -n "$F" f0 mac)
	# The switch knows F for good: frames to F never flood back to lagx.
	check "static fdb entry for F" \
		bridge -n "$S" fdb add "$FAR_MAC" dev bf master static || return
	[ "$RET" = 0 ] && SETUP_OK=1
}

test_slb_proc()
{
	local hdr s

	need_setup || return
	check "create lagx0 mode balance-slb" \
		ip -n "$H" link add lagx0 type lagx mode balance-slb || return
	check_proc -n "$H" lagx0 Mode balance-slb
	check_proc -n "$H" lagx0 xmit_hash_policy vlan+srcmac
	check_proc -n "$H" lagx0 rebalance_interval "10000 ms"
	check_proc -n "$H" lagx0 "Multicast RX port" none
	check_proc -n "$H" lagx0 "Rebalance runs" 0
	check_proc -n "$H" lagx0 "Bucket moves" 0
	check "enslave a0" ip -n "$H" link set a0 master lagx0 || return
	check "enslave a1" ip -n "$H" link set a1 master lagx0 || return
	ip -n "$H" link set lagx0 up
	check_wait "a0 link up" 10 col_is a0 LINK up
	check_wait "a1 link up" 10 col_is a1 LINK up
	check_wait "carrier up" 10 proc_field_is -n "$H" lagx0 Carrier up || return
	SLB_OK=1		# test_spread goes on with this lagx0
	# The first usable port takes broadcasts and multicasts.
	check_proc -n "$H" lagx0 "Multicast RX port" a0

	proc_read -n "$H" lagx0
	hdr=$(awk '$1 == "PORT" && $2 == "BUCKETS"' <<<"$PROC" | xargs)
	check_eq "port load table header" "$hdr" \
		"PORT BUCKETS LOAD MCAST-DROP LOOP-DROP LEARN-TX"
	hdr=$(awk '$1 == "BUCKET"' <<<"$PROC" | xargs)
	check_eq "bucket table header" "$hdr" "BUCKET PORT BYTES PACKETS LOAD"
	check_eq "blank line before the port load table" \
		"$(awk '$1 == "PORT" && $2 == "BUCKETS" { print prev == "" ? "yes" : "no" } { prev = $0 }' <<<"$PROC")" yes
	check_eq "blank line before the bucket table" \
		"$(awk '$1 == "BUCKET" { print prev == "" ? "yes" : "no" } { prev = $0 }' <<<"$PROC")" yes
	check_eq "a0 BUCKETS before any traffic" "$(pcol a0 BUCKETS)" 0
	check_eq "a1 BUCKETS before any traffic" "$(pcol a1 BUCKETS)" 0
	check_eq "a1 MCAST-DROP" "$(pcol a1 MCAST-DROP)" 0
	check_eq "a1 LOOP-DROP" "$(pcol a1 LOOP-DROP)" 0
	check_eq "a1 LEARN-TX" "$(pcol a1 LEARN-TX)" 0
	check_eq "no bucket bound yet" "$(buckets | wc -l)" 0

	if ip netns exec "$H" ethtool -S lagx0 >"$TMP/ethtool" 2>&1; then
		for s in bucket_moves rebalance_runs a0_rx_mcast_drop \
			 a0_rx_loop_drop a1_rx_mcast_drop a1_rx_loop_drop; do
			ethtool_stat "$s" >/dev/null ||
				fail "ethtool -S lagx0 has no $s (it has: $(awk -F: 'NR > 1 { printf "%s ", $1 }' "$TMP/ethtool" | xargs))"
		done
	else
		fail "ethtool -S lagx0: $(head -c 200 "$TMP/ethtool")"
	fi
}

# Twelve MACs (macvlans in their own namespaces) ping F through lagx0.
test_spread()
{
	local i ns mac cmds pids=() rx0 rx1 sent recv fdb port n0=0 n1=0 one=0

	if [ "$SLB_OK" != 1 ]; then
		skip_test "no balance-slb lagx0"
		return
	fi
	cmds=
	for ((i = 1; i <= NMV; i++)); do
		MV_NS[i]=lagx-mv$i-$RANDOM$RANDOM
		MV_MAC[i]=$(printf '02:5b:01:00:00:%02x' "$i")
		cmds+="netns add ${MV_NS[i]}"$'\n'
	done
	ip -b - <<<"$cmds" || { fail "macvlan namespaces"; return; }
	NS_KEEP+=("${MV_NS[@]}")
	cmds=
	for ((i = 1; i <= NMV; i++)); do
		cmds+="link add mv$i link lagx0 netns ${MV_NS[i]} address ${MV_MAC[i]} type macvlan mode bridge"$'\n'
	done
	ip -n "$H" -b - <<<"$cmds" || { fail "macvlans"; return; }
	for ((i = 1; i <= NMV; i++)); do
		# No IPv6 chatter: only the pings below leave the macvlans.
		ip -n "${MV_NS[i]}" -b - <<-EOB || { fail "configure mv$i"; return; }
			link set mv$i addrgenmode none
			addr add 192.0.2.$((10 + i))/24 dev mv$i
			link set mv$i up
		EOB
	done

	rx0=$(dev_rx "$S" b0)
	rx1=$(dev_rx "$S" b1)
	counter_start "$S" b0,b1 0800,0806 || return
	for ((i = 1; i <= NMV; i++)); do
		ip netns exec "${MV_NS[i]}" ping -c 3 -i 0.2 -W 2 -q "$FAR_IP" \
			>"$TMP/ping.$i" 2>&1 &
		pids+=($!)
	done
	wait "${pids[@]}"
	counter_stop

	for ((i = 1; i <= NMV; i++)); do
		read -r sent recv < <(ping_stats "$TMP/ping.$i")
		check "mv$i (${MV_MAC[i]}) pings $FAR_IP: ${recv:-0} of ${sent:-0} replies" \
			[ "${recv:-0}" -ge 1 ]
	done
	info "buckets: a0 $(pcol a0 BUCKETS), a1 $(pcol a1 BUCKETS); bound: $(buckets | wc -l)"
	check "a0 has buckets" col_ge a0 BUCKETS 1
	check "a1 has buckets" col_ge a1 BUCKETS 1
	check "b0 received frames" [ "$(dev_rx "$S" b0)" -gt "$rx0" ]
	check "b1 received frames" [ "$(dev_rx "$S" b1)" -gt "$rx1" ]

	fdb=$(bridge -n "$S" fdb show br br0)
	for ((i = 1; i <= NMV; i++)); do
		mac=${MV_MAC[i]}
		port=$(awk -v m="$mac" '$1 == m && $2 == "dev" && $0 !~ /permanent/ { print $3 }' <<<"$fdb")
		case $port in
		b0) n0=$((n0 + 1)) ;;
		b1) n1=$((n1 + 1)) ;;
		*) fail "$mac not learned on b0 or b1 (fdb: '$port')"; continue ;;
		esac
		# One MAC, one port: its frames reach the switch on one port only.
		if [ "$(counted "" "$mac")" -ge 1 ] &&
		   [ "$(counted "$port" "$mac")" = "$(counted "" "$mac")" ]; then
			one=$((one + 1))
		else
			fail "$mac: frames on b0 $(counted b0 "$mac"), b1 $(counted b1 "$mac"), fdb $port"
		fi
	done
	info "bridge fdb: $n0 MACs on b0, $n1 on b1; $one of $NMV MACs seen on one port only"
	check "MACs learned on both b0 and b1 ($n0/$n1)" [ $((n0 > 0 && n1 > 0)) = 1 ]
	[ "$RET" = 0 ] && SPREAD_OK=1
}

# ping_last_seq FILE: highest icmp_seq that got a reply.
ping_last_seq()
{
	sed -n 's/.*icmp_seq=\([0-9]*\).*/\1/p' "$1" | sort -n | tail -n 1
}

mv_del()
{
	local ns cmds='' keep=()

	for ns in "${MV_NS[@]}"; do cmds+="netns del $ns"$'\n'; done
	[ -n "$cmds" ] && ip -b - <<<"$cmds" 2>/dev/null
	for ns in "${NS_KEEP[@]}"; do
		[[ " ${MV_NS[*]} " == *" $ns "* ]] || keep+=("$ns")
	done
	NS_KEEP=("${keep[@]}")
	MV_NS=()
}

# all_relearned PORT [print]: every VM MAC is on bridge port PORT, from
# one fdb dump (fast: the test must go on within the 5 s learning lock);
# with "print", list the MACs that are not.
all_relearned()
{
	local fdb i missing=()

	fdb=$(bridge -n "$S" fdb show br br0)
	for ((i = 1; i <= NMV; i++)); do
		grep -q "^${MV_MAC[i]} dev $1 " <<<"$fdb" || missing+=("${MV_MAC[i]}")
	done
	[ "${2:-}" = print ] && echo "${missing[*]}"
	[ ${#missing[@]} -eq 0 ]
}

test_port_kill()
{
	local dead surv bdead bsurv i pids=() moved=() fdb ltx0 start ms
	local sent recv tsent=0 trecv=0 last n count=80 lsurv

	if [ "$SPREAD_OK" != 1 ]; then
		skip_test "the MAC spread case did not pass"
		return
	fi
	defer mv_del
	defer ip -n "$H" link del lagx0
	# Kill the port that takes the broadcasts.
	dead=$(field "Multicast RX port")
	case $dead in a0|a1) ;; *) fail "Multicast RX port '$dead'"; return ;; esac
	surv=$(other_port "$dead")
	bdead=b${dead#a}
	bsurv=b${surv#a}
	defer ip -n "$S" link set "$bdead" up
	fdb=$(bridge -n "$S" fdb show br br0)
	for ((i = 1; i <= NMV; i++)); do
		awk -v m="${MV_MAC[i]}" -v p="$bdead" '$1 == m && $3 == p { f = 1 } END { exit !f }' \
			<<<"$fdb" && moved+=("${MV_MAC[i]}")
	done
	info "killing $dead ($bdead down); MACs on it: ${moved[*]}"
	check "some MACs use $dead" [ ${#moved[@]} -gt 0 ] || return
	ltx0=$(pcol "$surv" LEARN-TX)
	counter_start "$S" "$bsurv" 8035 || return
	# Ready to send, right after the kill, a gratuitous ARP from F with the
	# source MAC of a VM that lagx has just announced: within 5 s of the
	# announcement it is taken for a reflection, not for a host that moved.
	ip netns exec "$F" python3 -c "$PY_SLB" send --dev f0 --kind garp \
		--src "${moved[0]}" --sip 192.0.2.99 --wait-file "$TMP/garp" >"$TMP/garp.out" 2>&1 &
	bg_track $!
	check_wait "GARP sender ready" 30 grep -q '^ready' "$TMP/garp.out" || return
	lsurv=$(pcol "$surv" LOOP-DROP)

	for ((i = 1; i <= NMV; i++)); do
		ip netns exec "${MV_NS[i]}" ping -i 0.05 -c "$count" -W 1 "$FAR_IP" \
			>"$TMP/kping.$i" 2>&1 &
		pids+=($!)
	done
	# Kill it while the pings run through it.
	check_wait "traffic through $dead" 20 col_ge "$dead" TX $(($(pcol "$dead" TX) + 50)) ||
		return
	start=${EPOCHREALTIME/./}
	ip -n "$S" link set "$bdead" down
	check_wait "$dead has no bucket left" 3 col_is "$dead" BUCKETS 0
	ms=$(( (${EPOCHREALTIME/./} - start) / 1000 ))
	info "$dead evacuated (BUCKETS 0) seen after $ms ms"
	# Before F's gratuitous ARP below, which teaches the switch that one of
	# these MACs is behind F.
	check_wait "every VM MAC relearned on $bsurv" 5 all_relearned "$bsurv" ||
		info "not relearned on $bsurv: $(all_relearned "$bsurv" print)"
	touch "$TMP/garp"
	check_wait "GARP sent" 5 grep -q '^sent 1 failed 0' "$TMP/garp.out"
	ms=$(( (${EPOCHREALTIME/./} - start) / 1000 ))
	if [ "$ms" -lt 4000 ]; then
		check_wait "GARP from ${moved[0]} $ms ms after its announcement: dropped ($surv LOOP-DROP)" \
			3 col_ge "$surv" LOOP-DROP $((lsurv + 1)) &&
			info "GARP from ${moved[0]} $ms ms after the announcement: dropped"
	else
		info "GARP sent $ms ms after the kill: too late to test the 5 s learning lock"
	fi
	check "$surv has every bound bucket" all_buckets_on "$surv"
	check_wait "Multicast RX port moves to $surv" 2 \
		proc_field_is -n "$H" lagx0 "Multicast RX port" "$surv"
	check_wait "$surv sent learning frames (LEARN-TX)" 2 col_ge "$surv" LEARN-TX $((ltx0 + 1))

	wait "${pids[@]}"
	counter_stop
	for mac in "${moved[@]}"; do
		n=$(counted "$bsurv" "$mac" ff:ff:ff:ff:ff:ff 0x8035)
		check "RARP learning frame from $mac on $bsurv (broadcast, 0x8035): $n" [ "$n" -ge 1 ]
	done
	info "learning frames on $bsurv: $(counted "$bsurv" "" "" 0x8035), LEARN-TX $surv: $(pcol "$surv" LEARN-TX)"
	for ((i = 1; i <= NMV; i++)); do
		read -r sent recv < <(ping_stats "$TMP/kping.$i")
		tsent=$((tsent + ${sent:-0}))
		trecv=$((trecv + ${recv:-0}))
		last=$(ping_last_seq "$TMP/kping.$i")
		check "mv$i: replies after the kill (last icmp_seq ${last:-none} of $count)" \
			[ "${last:-0}" -ge $((count - 5)) ]
	done
	info "port kill: ping loss $((tsent - trecv)) of $tsent ($NMV MACs, 20/s each)"
}

# One broadcast and one multicast frame from F reach lagx0 once each.
test_bcast_once()
{
	local mp op drop rx

	need_setup || return
	defer ip -n "$H" link del lagx0
	slb_create 2 || return
	mp=$(field "Multicast RX port")
	case $mp in a0|a1) ;; *) fail "Multicast RX port '$mp'"; return ;; esac
	op=$(other_port "$mp")
	drop=$(pcol "$op" MCAST-DROP)
	rx=$(pcol "$mp" RX)
	counter_start "$H" lagx0 88b5 || return
	slb_send "$F" --dev f0 --src "$FAR_MAC" \
		--dst ff:ff:ff:ff:ff:ff,01:1b:2c:3d:4e:5f --count 1 || return
	check_wait "$op MCAST-DROP +2 (one broadcast, one multicast)" 5 \
		col_ge "$op" MCAST-DROP $((drop + 2))
	counter_stop
	check_eq "broadcast frames on lagx0" "$(counted lagx0 "$FAR_MAC" ff:ff:ff:ff:ff:ff)" 1
	check_eq "multicast frames on lagx0" "$(counted lagx0 "$FAR_MAC" 01:1b:2c:3d:4e:5f)" 1
	check "$mp (multicast RX port) received them" col_ge "$mp" RX $((rx + 2))
	info "multicast RX port $mp; $op MCAST-DROP $drop -> $(pcol "$op" MCAST-DROP)"
}

# sum_drops: MCAST-DROP + LOOP-DROP over a0 and a1.
sum_drops()
{
	echo $(( $(pcol a0 MCAST-DROP) + $(pcol a0 LOOP-DROP) + \
		 $(pcol a1 MCAST-DROP) + $(pcol a1 LOOP-DROP) ))
}

# Frames lagx sent, flooded back by the switch, are not delivered.
test_no_reflection()
{
	local mac mp op d0 tx loop lmp ntx p q l t0 t1 l0 l1 u0 u1

	need_setup || return
	defer ip -n "$H" link del lagx0
	slb_create 2 || return
	mac=$(link_attr -n "$H" lagx0 mac)
	mp=$(field "Multicast RX port")
	case $mp in a0|a1) ;; *) fail "Multicast RX port '$mp'"; return ;; esac
	op=$(other_port "$mp")
	counter_start "$H" lagx0 88b5,0806,8035 || return

	# Broadcasts from lagx0's MAC and four more: the switch floods each
	# back through the other port.
	d0=$(sum_drops)
	tx=$(pcol "$op" TX)
	lmp=$(pcol "$mp" LOOP-DROP)
	slb_send "$H" --dev lagx0 --src "$mac,02:5b:03:00:00:01,02:5b:03:00:00:02,02:5b:03:00:00:03,02:5b:03:00:00:04" || return
	check_wait "5 reflected broadcasts dropped (MCAST-DROP + LOOP-DROP)" 5 \
		drops_ge $((d0 + 5))
	ntx=$(( $(pcol "$op" TX) - tx ))
	info "broadcasts sent through $op: $ntx of 5; $mp LOOP-DROP $lmp -> $(pcol "$mp" LOOP-DROP)"
	check "some broadcasts left through $op (MACs spread)" [ "$ntx" -ge 1 ]
	check "their reflections on $mp are LOOP-DROPs" col_ge "$mp" LOOP-DROP $((lmp + ntx))

	# Unknown unicast from lagx0's MAC: flooded back, dropped as a loop.
	read -r t0 t1 <<<"$(tx_of a0 a1)"
	read -r l0 l1 <<<"$(pcol a0 LOOP-DROP) $(pcol a1 LOOP-DROP)"
	slb_send "$H" --dev lagx0 --src "$mac" --dst 02:5b:03:ff:ff:ff --count 3 || return
	read -r u0 u1 <<<"$(tx_of a0 a1)"
	check "3 unicast frames sent ($((u0 - t0)) on a0, $((u1 - t1)) on a1)" \
		[ $((u0 - t0 + u1 - t1)) -ge 3 ]
	if [ $((u0 - t0)) -ge 3 ]; then q=a1 l=$l1; else q=a0 l=$l0; fi
	check_wait "unknown unicast reflected onto $q: LOOP-DROP +3" 5 col_ge "$q" LOOP-DROP $((l + 3))

	# A host that moved: a gratuitous ARP and a RARP from MACs lagx sent
	# are accepted; any other frame from them is a reflection.
	loop=$(pcol "$mp" LOOP-DROP)
	slb_send "$F" --dev f0 --kind garp,rarp,raw --sip 192.0.2.77 \
		--src 02:5b:03:00:00:01,02:5b:03:00:00:02,02:5b:03:00:00:03 || return
	check_wait "broadcast from one of our MACs arriving from F: $mp LOOP-DROP" 5 \
		col_ge "$mp" LOOP-DROP $((loop + 1))
	counter_stop
	check_eq "frames of ours (0x88b5) delivered on lagx0" "$(counted lagx0 "" "" 0x88b5)" 0
	check_eq "gratuitous ARP of a moved host delivered" \
		"$(counted lagx0 02:5b:03:00:00:01 ff:ff:ff:ff:ff:ff 0x0806)" 1
	check_eq "RARP of a moved host delivered" \
		"$(counted lagx0 02:5b:03:00:00:02 ff:ff:ff:ff:ff:ff 0x8035)" 1

	if ip netns exec "$H" ethtool -S lagx0 >"$TMP/ethtool" 2>&1; then
		for p in a0 a1; do
			check_eq "ethtool ${p}_rx_mcast_drop" \
				"$(ethtool_stat "${p}_rx_mcast_drop")" "$(pcol "$p" MCAST-DROP)"
			check_eq "ethtool ${p}_rx_loop_drop" \
				"$(ethtool_stat "${p}_rx_loop_drop")" "$(pcol "$p" LOOP-DROP)"
			check_eq "ethtool ${p}_learn_tx" \
				"$(ethtool_stat "${p}_learn_tx")" "$(pcol "$p" LEARN-TX)"
		done
	else
		fail "ethtool -S lagx0"
	fi
}

# Two heavy MACs in different buckets of one port, one light MAC on the
# other: nothing moves with rebalance_interval 0; with 1000 one heavy
# bucket moves, is logged and traced, and the heavy traffic then leaves
# over both ports.
test_rebalance()
{
	local i j b p pk sum=0 h1='' h2='' light='' x y pid runs moves r1 r2 m1 m2 n
	local hb1 hb2 pk1 pk2 start ms log tr
	local -a mb mp

	need_setup || return
	defer ip -n "$H" link del lagx0
	slb_create 2 rebalance_interval 0 || return
	check_proc -n "$H" lagx0 rebalance_interval "0 ms"

	# Which bucket and port each of 8 MACs gets: MAC i sends 2^i frames,
	# so a bucket's packet count says which MACs it holds.
	slb_send "$H" --dev lagx0 --src 02:5b:05:00:00:00 --nsrc 8 --dst "$FAR_MAC" \
		--weights 1,2,4,8,16,32,64,128 --size 200 || return
	check_wait "255 frames counted in the buckets" 5 \
		bucket_sum_ge 255
	while read -r b p pk _; do
		sum=$((sum + pk))
		for ((i = 0; i < 8; i++)); do
			(( (pk >> i) & 1 )) && mb[i]=$b mp[i]=$p
		done
	done < <(buckets)
	check_eq "bucket packets" "$sum" 255 || return
	for ((i = 0; i < 8; i++)); do
		[ -n "${mb[i]:-}" ] || { fail "MAC $i in no bucket"; return; }
		info "02:5b:05:00:00:0$i: bucket ${mb[i]} on ${mp[i]}"
	done
	for ((i = 0; i < 8; i++)); do
		for ((j = i + 1; j < 8; j++)); do
			if [ -z "$h1" ] && [ "${mp[i]}" = "${mp[j]}" ] &&
			   [ "${mb[i]}" != "${mb[j]}" ]; then
				h1=$i h2=$j
			fi
		done
	done
	[ -n "$h1" ] || { fail "no two MACs in different buckets of one port"; return; }
	x=${mp[h1]}
	y=$(other_port "$x")
	hb1=${mb[h1]} hb2=${mb[h2]}
	for ((i = 0; i < 8; i++)); do [ "${mp[i]}" = "$y" ] && light=$i; done
	info "heavy: MACs $h1, $h2 (buckets $hb1, $hb2) on $x; light: ${light:-none} on $y"

	# ~400 frames/s of 1000 bytes from each heavy MAC, 40/s from the light.
	ip netns exec "$H" python3 -c "$PY_SLB" send --dev lagx0 --dst "$FAR_MAC" \
		--src "02:5b:05:00:00:0$h1,02:5b:05:00:00:0$h2${light:+,02:5b:05:00:00:0$light}" \
		--weights 10,10,1 --rate 40 --duration 120 --size 1000 >"$TMP/heavy" 2>&1 &
	pid=$!
	bg_track "$pid"
	check_wait "heavy traffic in bucket $hb1" 20 \
		bucket_pk_ge "$hb1" $(( $(bucket_packets "$hb1") + 400 )) ||
		return
	runs=$(field "Rebalance runs")
	moves=$(field "Bucket moves")
	# rebalance_interval 0: three would-be intervals pass, nothing moves.
	sleep 3.5
	check_eq "rebalance_interval 0: Rebalance runs" "$(field "Rebalance runs")" "$runs"
	check_eq "rebalance_interval 0: Bucket moves" "$(field "Bucket moves")" "$moves"
	check_eq "bucket $hb1 stays on $x" "$(bucket_port "$hb1")" "$x"
	check_eq "bucket $hb2 stays on $x" "$(bucket_port "$hb2")" "$x"
	check "heavy traffic still running" kill -0 "$pid" || return

	if [ -w /sys/kernel/debug/dynamic_debug/control ]; then
		echo 'module lagx +p' >/sys/kernel/debug/dynamic_debug/control
		defer "echo 'module lagx -p' >/sys/kernel/debug/dynamic_debug/control"
	else
		fail "no /sys/kernel/debug/dynamic_debug/control (CONFIG_DYNAMIC_DEBUG)"
	fi
	if mount_tracefs; then
		echo >"$TRACEFS/trace"
		echo 1 >"$TRACEFS/events/lagx/lagx_bucket_move/enable"
		defer "echo 0 > $TRACEFS/events/lagx/lagx_bucket_move/enable"
	else
		fail "no tracepoint lagx:lagx_bucket_move"
	fi
	kmsg_mark
	start=${EPOCHREALTIME/./}
	check "rebalance_interval 1000" \
		ip -n "$H" link set lagx0 type lagx rebalance_interval 1000 || return
	check_proc -n "$H" lagx0 rebalance_interval "1000 ms"
	check_wait "a bucket moves within 15 s" 15 field_gt "Bucket moves" "$moves" || return
	ms=$(( (${EPOCHREALTIME/./} - start) / 1000 ))
	info "first move after $ms ms; Rebalance runs $(field "Rebalance runs")"
	check "Rebalance runs counted" field_gt "Rebalance runs" "$runs"
	check "heavy buckets now on different ports" \
		[ "$(bucket_port "$hb1")" != "$(bucket_port "$hb2")" ]
	# The moved bucket's MAC is announced on its new port.
	check_wait "learning frame sent on $y after the move (LEARN-TX)" 3 col_ge "$y" LEARN-TX 1
	# Both heavy buckets carry on, from their two ports.
	pk1=$(bucket_packets "$hb1")
	pk2=$(bucket_packets "$hb2")
	check_wait "bucket $hb1 carries on" 10 \
		bucket_pk_ge "$hb1" $((pk1 + 200))
	check_wait "bucket $hb2 carries on" 10 \
		bucket_pk_ge "$hb2" $((pk2 + 200))
	info "heavy buckets: $hb1 on $(bucket_port "$hb1"), $hb2 on $(bucket_port "$hb2")"
	read -r i j <<<"$(tx_of a0 a1)"
	check_wait "a0 and a1 both transmit the heavy load" 10 \
		both_tx_ge $((i + 200)) $((j + 200))

	log=$(dmesg_since_mark | grep 'lagx0: shift')
	info "kernel log: $(head -n 3 <<<"$log" | sed 's/^\[[^]]*\] //' | tr '\n' '|')"
	check_match "move logged" "$log" \
		"lagx0: shift [0-9]+kB of load \(bucket ($hb1|$hb2)\) from $x to $y"
	if [ -n "$TRACEFS" ] && [ -e "$TRACEFS/trace" ]; then
		tr=$(grep lagx_bucket_move "$TRACEFS/trace")
		check_match "tracepoint lagx_bucket_move" "$tr" \
			"lagx_bucket_move: lagx0: bucket ($hb1|$hb2) from $x to $y, load [0-9]+ \("
	fi

	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	n=$(field "Bucket moves")
	info "Bucket moves: $n"
	# ethtool -S against /proc (runs may tick in between).
	for i in 1 2 3; do
		r1=$(field "Rebalance runs") m1=$(field "Bucket moves")
		ip netns exec "$H" ethtool -S lagx0 >"$TMP/ethtool" 2>&1
		r2=$(field "Rebalance runs") m2=$(field "Bucket moves")
		[ "$m1" = "$m2" ] && break
	done
	check_eq "ethtool bucket_moves" "$(ethtool_stat bucket_moves)" "$m1"
	n=$(ethtool_stat rebalance_runs)
	check "ethtool rebalance_runs $n in [$r1, $r2]" [ $((${n:--1} >= r1 && ${n:--1} <= r2)) = 1 ]
}

# send_udp_flows SPORT: 64 UDP flows from lagx0's MAC and address, 4 frames each.
send_udp_flows()
{
	slb_send "$H" --dev lagx0 --kind udp --src "$(link_attr -n "$H" lagx0 mac)" \
		--dst "$FAR_MAC" --flows 64 --sport "$1" --count 4 --size 100
}

# flows_on SPORT: send the flows, print "TX-delta-a0 TX-delta-a1".
flows_on()
{
	local t0 t1 u0 u1

	read -r t0 t1 <<<"$(tx_of a0 a1)"
	send_udp_flows "$1" || return 1
	slowwait 5 ports_tx_ge 2 $((t0 + t1 + 256))
	read -r u0 u1 <<<"$(tx_of a0 a1)"
	echo "$((u0 - t0)) $((u1 - t1))"
}

test_hash_policy()
{
	local d0 d1

	need_setup || return
	defer ip -n "$H" link del lagx0
	# No rebalancing: only the hash places the flows.
	slb_create 2 rebalance_interval 0 || return
	check_proc -n "$H" lagx0 xmit_hash_policy vlan+srcmac

	read -r d0 d1 <<<"$(flows_on 20000)"
	info "vlan+srcmac: 64 UDP flows of one MAC: a0 $d0, a1 $d1 frames"
	check "vlan+srcmac: one port carries all 256 frames" \
		[ $((d0 + d1 == 256 && d0 * d1 == 0)) = 1 ]

	check "set layer3+4" ip -n "$H" link set lagx0 type lagx xmit_hash_policy layer3+4
	check_proc -n "$H" lagx0 xmit_hash_policy layer3+4
	read -r d0 d1 <<<"$(flows_on 20000)"
	info "layer3+4: a0 $d0, a1 $d1 frames"
	check "layer3+4: both ports carry flows" [ $((d0 > 0 && d1 > 0)) = 1 ]
	check_eq "layer3+4: 256 frames" $((d0 + d1)) 256

	check "set src_mac" ip -n "$H" link set lagx0 type lagx xmit_hash_policy src_mac
	check_proc -n "$H" lagx0 xmit_hash_policy vlan+srcmac
	read -r d0 d1 <<<"$(flows_on 21000)"
	info "src_mac: a0 $d0, a1 $d1 frames"
	check "src_mac: one port carries all 256 frames" \
		[ $((d0 + d1 == 256 && d0 * d1 == 0)) = 1 ]

	check "set tcpudp_ports" ip -n "$H" link set lagx0 type lagx xmit_hash_policy tcpudp_ports
	check_proc -n "$H" lagx0 xmit_hash_policy layer3+4
	read -r d0 d1 <<<"$(flows_on 22000)"
	info "tcpudp_ports: a0 $d0, a1 $d1 frames"
	check "tcpudp_ports: both ports carry flows" [ $((d0 > 0 && d1 > 0)) = 1 ]
}

# evenness NPORTS POLICY: 64 flows of 16 equal frames each through a fresh
# lagx0; report max/min of the per-port frame counts.
evenness()
{
	local n=$1 pol=$2 i args tx=() rx=() d sw max=0 min='' per='' total=0 mac

	slb_create "$n" xmit_hash_policy "$pol" rebalance_interval 0 || return
	check_proc -n "$H" lagx0 xmit_hash_policy "$pol"
	mac=$(link_attr -n "$H" lagx0 mac)
	case $pol in
	vlan+srcmac) args=(--kind raw --src 02:5b:07:00:00:00 --nsrc 64) ;;
	layer3+4) args=(--kind udp --src "$mac" --flows 64 --sport 30000) ;;
	layer2+3) args=(--kind ipdst --src "$mac" --flows 64 --dip 192.0.2.128) ;;
	esac
	for ((i = 0; i < n; i++)); do
		tx[i]=$(pcol "a$i" TX)
		rx[i]=$(dev_rx "$S" "b$i")
	done
	slb_send "$H" --dev lagx0 "${args[@]}" --dst "$FAR_MAC" --count 16 --size 128 || return
	slowwait 5 ports_tx_ge "$n" $(( $(IFS=+; echo "${tx[*]}") + 1024 ))
	for ((i = 0; i < n; i++)); do
		d=$(( $(pcol "a$i" TX) - tx[i] ))
		sw=$(( $(dev_rx "$S" "b$i") - rx[i] ))
		total=$((total + d))
		per+=" a$i=$d"
		[ "$d" -gt "$max" ] && max=$d
		{ [ -z "$min" ] || [ "$d" -lt "$min" ]; } && min=$d
		check "$pol, $n ports: a$i carries frames" [ "$d" -gt 0 ]
		check_eq "$pol, $n ports: b$i received what a$i sent" "$sw" "$d"
	done
	check_eq "$pol, $n ports: frames sent" "$total" 1024
	info "evenness $pol $n ports: max/min = $(awk -v a="$max" -v b="$min" \
		'BEGIN { if (b > 0) printf "%.2f", a / b; else print "inf" }') (per-port packets$per; $(buckets | wc -l) buckets)"
}

ports_tx_sum()
{
	local i s=0

	for ((i = 0; i < $1; i++)); do s=$((s + $(pcol "a$i" TX))); done
	echo "$s"
}

test_evenness()
{
	local n pol

	need_setup || return
	defer ip -n "$H" link del lagx0
	for n in 2 4; do
		for pol in vlan+srcmac layer3+4 layer2+3; do
			evenness "$n" "$pol"
		done
	done
}

# updelay/downdelay: a port keeps its buckets while its link is waiting to
# go down, and gets none while it is waiting to come up.
test_delays()
{
	local start ms b1

	need_setup || return
	defer ip -n "$H" link del lagx0
	slb_create 2 downdelay 3000 updelay 3000 rebalance_interval 0 || return
	check_proc -n "$H" lagx0 downdelay "3000 ms"
	check_proc -n "$H" lagx0 updelay "3000 ms"
	slb_send "$H" --dev lagx0 --src 02:5b:08:00:00:00 --nsrc 8 --dst "$FAR_MAC" || return
	check "a0 has buckets" col_ge a0 BUCKETS 1
	check "a1 has buckets" col_ge a1 BUCKETS 1 || return
	b1=$(pcol a1 BUCKETS)

	start=${EPOCHREALTIME/./}
	ip -n "$S" link set b1 down
	check_wait "a1 LINK wait-down after carrier loss" 2 col_is a1 LINK wait-down
	check "a1 keeps its $b1 buckets while waiting" col_is a1 BUCKETS "$b1"
	check_wait "a1 evacuated after downdelay" 10 col_is a1 BUCKETS 0
	ms=$(( (${EPOCHREALTIME/./} - start) / 1000 ))
	info "a1 evacuated $ms ms after carrier loss (downdelay 3000)"
	check "not before downdelay ($ms ms)" [ "$ms" -ge 2900 ]
	check_eq "a1 LINK" "$(pcol a1 LINK)" down
	check "a0 has every bucket" all_buckets_on a0

	# New MACs while a1 waits to come up: none binds to a1.
	ip netns exec "$H" python3 -c "$PY_SLB" send --dev lagx0 --src 02:5b:08:00:01:00 \
		--nsrc 4 --dst "$FAR_MAC" --wait-file "$TMP/go" >"$TMP/late" 2>&1 &
	bg_track $!
	check_wait "sender ready" 30 grep -q '^ready' "$TMP/late" || return
	start=${EPOCHREALTIME/./}
	ip -n "$S" link set b1 up
	check_wait "a1 LINK wait-up after carrier" 2 col_is a1 LINK wait-up
	touch "$TMP/go"
	check_wait "4 frames sent" 10 grep -q '^sent 4 failed 0' "$TMP/late"
	if [ "$(pcol a1 LINK)" = wait-up ]; then
		check_eq "a1 BUCKETS while waiting to come up" "$(pcol a1 BUCKETS)" 0
	else
		fail "the frames were sent too late to test updelay (a1 LINK $(pcol a1 LINK))"
	fi
	check_wait "a1 up after updelay" 10 col_is a1 LINK up
	ms=$(( (${EPOCHREALTIME/./} - start) / 1000 ))
	info "a1 up $ms ms after carrier (updelay 3000)"
	check "not before updelay ($ms ms)" [ "$ms" -ge 2900 ]
	slb_send "$H" --dev lagx0 --src 02:5b:08:00:02:00 --nsrc 4 --dst "$FAR_MAC" || return
	check "new MACs bind to a1 once it is up" col_ge a1 BUCKETS 1
}

require_root
require_cmd ip bridge awk python3 ethtool ping dmesg
if [ ! -e "$IP_LIB_DIR/link_lagx.so" ]; then
	ktap_skip_all "no link_lagx.so in $IP_LIB_DIR (make plugin, or set LAGX_IP_LIB_DIR)"
fi
ensure_module || ktap_skip_all "cannot load lagx (LAGX_KO=${LAGX_KO:-unset})"
kernel_log_start

run_tests \
	test_setup		"setup: switch (br0, 4 ports) and far host F" \
	test_slb_proc		"balance-slb /proc: defaults, multicast RX port, load and bucket tables" \
	test_spread		"$NMV MACs spread over both ports, the switch learns them on both" \
	test_port_kill		"port killed under traffic: buckets, multicast RX, MACs move (RARP), no echo" \
	test_bcast_once		"a broadcast and a multicast from the switch delivered once" \
	test_no_reflection	"reflected frames dropped (LOOP-DROP), moved hosts' GARP/RARP accepted" \
	test_rebalance		"skewed load rebalanced (logged, traced); rebalance_interval 0 never" \
	test_hash_policy	"xmit_hash_policy change takes effect, aliases src_mac, tcpudp_ports" \
	test_evenness		"hash evenness over 2 and 4 ports (measured; every port used)" \
	test_delays		"downdelay/updelay hold buckets on and off a port" \
	test_kernel_log_clean	"kernel log has no splat"
