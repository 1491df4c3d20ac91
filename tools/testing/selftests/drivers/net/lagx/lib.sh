# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Helpers shared by the lagx selftests.  Sourced, never run: this file is
# deliberately not executable (the rig runs every executable *.sh here).
#
#   . "$(dirname "$(readlink -f "$0")")/lib.sh"
#
# A test script lists its test cases as "function description" pairs and
# hands them to run_tests, which prints KTAP, runs each case, cleans up the
# namespaces the case created and exits like kselftest (0 pass, 1 fail,
# 4 skip).  Inside a case, check*/fail record failures; the case reports a
# single "ok N - description" / "not ok N - description" line.
#
# Environment:
#   LAGX_KO       path of lagx.ko, used to (re)load the module
#   TESTS         run only these test cases (function names, blank-separated)

# shellcheck disable=SC2034	# the constants are used by the test scripts

ksft_pass=0
ksft_fail=1
ksft_skip=4

LAGX_PROC=/proc/net/lagx
# This file's directory: its companions (kernel_log.awk) are there.
LAGX_LIB_DIR=$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")
# IPv4 addresses: TEST-NET-1 (RFC 5737) only.
LAGX_IP_A=192.0.2.1
LAGX_IP_B=192.0.2.2
LAGX_IP_BCAST=192.0.2.255
LAGX_PREFIX=24

NS_LIST=()		# namespaces of the current case (setup_ns)
NS_KEEP=()		# namespaces kept for the next cases (keep_ns)
BG_PIDS=()		# background jobs killed at the end of the case
CLEANUP_CMDS=()		# extra commands (eval'ed) run at the end of the case
TMP_DIRS=()		# temporary directories removed at exit

KTAP_NUM=0
KTAP_PASS=0
KTAP_FAIL=0
KTAP_SKIP=0

RET=0			# per test case: 0 while every check passed
SKIP_REASON=		# per test case: set by skip_test

# ------------------------------------------------------------------ KTAP --

ktap_header()
{
	echo "TAP version 13"
	[ -z "${1:-}" ] || echo "1..$1"
}

ktap_result()	# ok|not ok, description, [directive]
{
	KTAP_NUM=$((KTAP_NUM + 1))
	echo "$1 $KTAP_NUM - $2${3:+ # $3}"
}

ktap_pass() { KTAP_PASS=$((KTAP_PASS + 1)); ktap_result ok "$1"; }
ktap_fail() { KTAP_FAIL=$((KTAP_FAIL + 1)); ktap_result "not ok" "$1"; }
ktap_skip() { KTAP_SKIP=$((KTAP_SKIP + 1)); ktap_result ok "$1" "SKIP $2"; }

# The whole script cannot run: empty plan and kselftest's skip code.
ktap_skip_all()
{
	echo "TAP version 13"
	echo "1..0 # SKIP $*"
	exit $ksft_skip
}

ktap_finish()
{
	echo "# Totals: pass:$KTAP_PASS fail:$KTAP_FAIL xfail:0 xpass:0 skip:$KTAP_SKIP error:0"
	if [ $KTAP_FAIL -gt 0 ]; then
		exit $ksft_fail
	elif [ $KTAP_PASS -eq 0 ] && [ $KTAP_SKIP -gt 0 ]; then
		exit $ksft_skip
	fi
	exit $ksft_pass
}

info() { echo "# $*"; }

# ---------------------------------------------------- checks in a case --

# Record a failure of the current test case (and say why, as a diagnostic).
fail()
{
	RET=1
	echo "# FAIL: $*"
}

skip_test()
{
	SKIP_REASON=$*
}

# check DESC CMD...: CMD must succeed.
check()
{
	local desc=$1; shift

	"$@" && return 0
	fail "$desc"
	return 1
}

# check_fail DESC CMD...: CMD must fail.
check_fail()
{
	local desc=$1; shift

	"$@" || return 0
	fail "$desc (unexpectedly succeeded)"
	return 1
}

# check_eq DESC ACTUAL EXPECTED
check_eq()
{
	[ "$2" = "$3" ] && return 0
	fail "$1: got '$2', expected '$3'"
	return 1
}

# check_ne DESC ACTUAL UNEXPECTED
check_ne()
{
	[ "$2" != "$3" ] && return 0
	fail "$1: got '$2'"
	return 1
}

# check_match DESC TEXT EXTENDED-REGEX
check_match()
{
	grep -Eq -- "$3" <<<"$2" && return 0
	fail "$1: '$(head -c 300 <<<"$2" | tr '\n' '|')' does not match /$3/"
	return 1
}

# check_wait DESC TIMEOUT CMD...: CMD must succeed within TIMEOUT seconds.
check_wait()
{
	local desc=$1 tmo=$2; shift 2

	slowwait "$tmo" "$@" && return 0
	fail "$desc (not within $tmo s)"
	return 1
}

# ----------------------------------------------------------- test runner --

# run_tests FUNC DESC [FUNC DESC]...: the whole script.
run_tests()
{
	local fn desc start

	[ $(($# % 2)) -eq 0 ] || { echo "# run_tests: odd argument count" >&2; exit $ksft_fail; }
	if [ -n "${TESTS:-}" ]; then
		# TESTS="test_a test_b": run only those cases.
		local -a sel=()
		while [ $# -gt 0 ]; do
			[[ " $TESTS " == *" $1 "* ]] && sel+=("$1" "$2")
			shift 2
		done
		set -- "${sel[@]}"
	fi
	ktap_header $(($# / 2))
	while [ $# -gt 0 ]; do
		fn=$1 desc=$2
		shift 2
		RET=0
		SKIP_REASON=
		info "---- $fn"
		start=${EPOCHREALTIME/./}
		"$fn"
		cleanup_test
		info "$fn: $(( (${EPOCHREALTIME/./} - start) / 1000 )) ms"
		if [ -n "$SKIP_REASON" ] && [ $RET -eq 0 ]; then
			ktap_skip "$desc" "$SKIP_REASON"
		elif [ $RET -eq 0 ]; then
			ktap_pass "$desc"
		else
			ktap_fail "$desc"
		fi
	done
	ktap_finish
}

# ------------------------------------------------------------ setup/cleanup --

require_root()
{
	[ "$(id -u)" -eq 0 ] || ktap_skip_all "must be run as root"
}

# require_cmd CMD...: skip the whole script unless every CMD exists.
require_cmd()
{
	local c

	for c in "$@"; do
		command -v "$c" >/dev/null 2>&1 || ktap_skip_all "$c not installed"
	done
}

lagx_loaded()
{
	grep -q '^lagx ' /proc/modules
}

# Load lagx.ko if it is not loaded: from $LAGX_KO, else with modprobe.
ensure_module()
{
	lagx_loaded && return 0
	if [ -n "${LAGX_KO:-}" ]; then
		insmod "$LAGX_KO"
	else
		modprobe lagx
	fi
}

# rmmod_lagx TIMEOUT: unload lagx; its messages in RMMOD_OUT.  An rmmod
# that hangs (in the kernel: it cannot be killed) is left behind and
# reported as status 124 after TIMEOUT seconds.
RMMOD_OUT=
rmmod_lagx()
{
	local pid out

	out=$(mktemp) || return 1
	rmmod lagx >"$out" 2>&1 &
	pid=$!
	if ! slowwait "$1" eval "! kill -0 $pid 2>/dev/null"; then
		RMMOD_OUT="still running after $1 s"
		rm -f "$out"
		return 124
	fi
	wait $pid
	set -- $?
	RMMOD_OUT=$(<"$out")
	rm -f "$out"
	return "$1"
}

# setup_ns VAR...: create a namespace with a random name for each VAR,
# store the name in VAR, bring its loopback up and turn IPv6 off (no
# autoconf chatter on ports and peers; lagx does not depend on IPv6).
#
# Each namespace gets an anchor process (a sleep inside it): the helpers
# below read /proc/<anchor>/net/... directly, without forking into the
# namespace, which costs ~0.2 s per command in User-Mode Linux.
declare -A NS_PID

setup_ns()
{
	local var name pid

	for var in "$@"; do
		name=lagx-$var-$RANDOM$RANDOM
		ip netns add "$name" || return 1
		NS_LIST+=("$name")
		ip netns exec "$name" sh -c '
			ip link set lo up
			echo 1 >/proc/sys/net/ipv6/conf/all/disable_ipv6
			echo 1 >/proc/sys/net/ipv6/conf/default/disable_ipv6
			exec sleep 1000000' 2>/dev/null &
		pid=$!
		NS_PID[$name]=$pid
		# Ready once the anchor runs in the namespace (same nsfs inode).
		slowwait 10 test /proc/$pid/ns/net -ef "/run/netns/$name" || return 1
		printf -v "$var" '%s' "$name"
	done
}

# ns_del NS...: delete namespaces now (the anchor goes first: it would keep
# the namespace alive).
ns_del()
{
	local ns pid

	for ns in "$@"; do
		pid=${NS_PID[$ns]:-}
		if [ -n "$pid" ]; then
			kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
			unset "NS_PID[$ns]"
		fi
		ip netns del "$ns" 2>/dev/null
	done
}

# ns_proc NS: /proc/<pid> of a process in NS ("" = this shell's namespace).
ns_proc()
{
	if [ -n "$1" ]; then
		REPLY=/proc/${NS_PID[$1]:-none}
	else
		REPLY=/proc/$$
	fi
}

# bg_track PID: kill that background job at the end of the case.
bg_track()
{
	BG_PIDS+=("$1")
}

# defer CMD: run the command line CMD (eval'ed) at cleanup time.
defer()
{
	CLEANUP_CMDS+=("$*")
}

# make_tmpdir VAR: a temporary directory, removed at exit.
make_tmpdir()
{
	local d

	d=$(mktemp -d "${TMPDIR:-/tmp}/lagx-selftest.XXXXXX") || return 1
	TMP_DIRS+=("$d")
	printf -v "$1" '%s' "$d"
}

# keep_ns: the namespaces created so far outlive the current test case (a
# script whose cases build on each other); they are deleted at exit.
keep_ns()
{
	NS_KEEP+=("${NS_LIST[@]}")
	NS_LIST=()
}

# proc_tree PID: PID and all its descendants, parents first, in REPLY
# (an array).  From /proc/<pid>/task/<tid>/children: no fork.
proc_tree()
{
	local -a todo=("$1") kids
	local pid f

	REPLY=()
	while [ ${#todo[@]} -gt 0 ]; do
		pid=${todo[0]}
		todo=("${todo[@]:1}")
		REPLY+=("$pid")
		for f in /proc/"$pid"/task/*/children; do
			[ -r "$f" ] || continue
			read -r -a kids <"$f" || true
			todo+=("${kids[@]}")
		done
	done
}

# stop_bg: kill the background jobs started so far (bg_track), each with
# every process it started: "in_ns NS ping -f ... &" is a subshell whose
# child (ip netns exec, then ping) would outlive it and keep flooding.
# The whole tree is collected before anything is killed (a killed parent's
# children are re-parented to init and could no longer be found).
stop_bg()
{
	local pid p
	local -a all=()

	for pid in "${BG_PIDS[@]}"; do
		proc_tree "$pid"
		all+=("${REPLY[@]}")
	done
	for p in "${all[@]}"; do
		kill "$p" 2>/dev/null
	done
	for pid in "${BG_PIDS[@]}"; do
		wait "$pid" 2>/dev/null
	done
	# The grandchildren are not ours to wait for: poll until they are gone.
	for p in "${all[@]}"; do
		slowwait 5 eval "[ ! -e /proc/$p ] || grep -q '^State:.*Z' /proc/$p/status 2>/dev/null" ||
			kill -9 "$p" 2>/dev/null
	done
	BG_PIDS=()
}

cleanup_test()
{
	local i ns

	stop_bg
	for ((i = ${#CLEANUP_CMDS[@]} - 1; i >= 0; i--)); do
		eval "${CLEANUP_CMDS[i]}" 2>/dev/null
	done
	CLEANUP_CMDS=()
	ns_del "${NS_LIST[@]}"
	NS_LIST=()
}

cleanup()
{
	cleanup_test
	ns_del "${NS_KEEP[@]}"
	NS_KEEP=()
	[ ${#TMP_DIRS[@]} -eq 0 ] || rm -rf "${TMP_DIRS[@]}"
	TMP_DIRS=()
	# A test that unloads lagx reloads it; make sure of it anyway, the
	# next script expects lagx to be loaded.
	ensure_module 2>/dev/null
}

trap cleanup EXIT
trap 'exit 143' TERM
trap 'exit 130' INT

# ---------------------------------------------------------------- polling --

# slowwait TIMEOUT CMD...: run CMD every 0.1 s until it succeeds or TIMEOUT
# seconds have passed.  Returns CMD's last status.
slowwait()
{
	local tmo=$1; shift
	local end=$((SECONDS + tmo))

	while :; do
		"$@" && return 0
		[ $SECONDS -lt $end ] || break
		sleep 0.1
	done
	"$@"
}

# ----------------------------------------------------------- /proc views --

# All helpers below take an optional leading "-n NS", like ip(8).  The
# /proc readers do not fork: they are cheap enough to poll.

# in_ns NS CMD...: run CMD in network namespace NS ("" = current one).
in_ns()
{
	local ns=$1; shift

	if [ -n "$ns" ]; then
		ip netns exec "$ns" "$@"
	else
		"$@"
	fi
}

PROC=			# text of the last proc_read

# proc_read [-n NS] DEV: read /proc/net/lagx/DEV as seen from NS into PROC.
proc_read()
{
	local ns=""
	[ "$1" = -n ] && { ns=$2; shift 2; }

	PROC=
	ns_proc "$ns"
	[ -e "$REPLY/net/lagx/$1" ] || return 1
	IFS= read -r -d '' PROC <"$REPLY/net/lagx/$1"
	return 0
}

# proc_exists [-n NS] DEV
proc_exists()
{
	local ns=""
	[ "$1" = -n ] && { ns=$2; shift 2; }

	ns_proc "$ns"
	[ -e "$REPLY/net/lagx/$1" ]
}

# proc_dir_exists [-n NS]: /proc/net/lagx itself.
proc_dir_exists()
{
	local ns=""
	[ "${1:-}" = -n ] && { ns=$2; shift 2; }

	ns_proc "$ns"
	[ -d "$REPLY/net/lagx" ]
}

# proc_entries [-n NS]: names in /proc/net/lagx, one a line.
proc_entries()
{
	local ns="" f
	[ "${1:-}" = -n ] && { ns=$2; shift 2; }

	ns_proc "$ns"
	for f in "$REPLY"/net/lagx/*; do
		[ -e "$f" ] && echo "${f##*/}"
	done
}

# _field KEY: value of the "KEY: value" line of PROC, in REPLY.
_field()
{
	local line

	REPLY=
	while IFS= read -r line; do
		if [[ "$line" == "$1: "* ]]; then
			REPLY=${line#"$1: "}
			return 0
		fi
	done <<<"$PROC"
	return 1
}

# _col PORT COLUMN: COLUMN of PORT's row of PROC's port table, in REPLY.
_col()
{
	local line i col=-1 f

	REPLY=
	while IFS= read -r line; do
		read -r -a f <<<"$line"
		if [ "${f[0]:-}" = PORT ]; then
			for ((i = 0; i < ${#f[@]}; i++)); do
				[ "${f[i]}" = "$2" ] && col=$i
			done
		elif [ $col -ge 0 ] && [ "${f[0]:-}" = "$1" ]; then
			REPLY=${f[col]}
			return 0
		fi
	done <<<"$PROC"
	return 1
}

# proc_field [-n NS] DEV KEY: print the value of the "KEY: value" line.
proc_field()
{
	local ns=""
	[ "$1" = -n ] && { ns=$2; shift 2; }

	proc_read ${ns:+-n "$ns"} "$1" && _field "$2" && echo "$REPLY"
}

# port_col [-n NS] DEV PORT COLUMN: print COLUMN (a header word: LINK,
# STATE, FAILS, RX, RX-DROPPED, ...) of PORT's row in the port table.
port_col()
{
	local ns=""
	[ "$1" = -n ] && { ns=$2; shift 2; }

	proc_read ${ns:+-n "$ns"} "$1" && _col "$2" "$3" && echo "$REPLY"
}

# proc_ports [-n NS] DEV: the port names, in table order, one a line.
proc_ports()
{
	local ns="" line seen=0
	[ "$1" = -n ] && { ns=$2; shift 2; }

	proc_read ${ns:+-n "$ns"} "$1" || return
	while read -r line; do
		[ -n "$line" ] || continue
		[ $seen = 1 ] && echo "${line%% *}"
		[ "${line%% *}" = PORT ] && seen=1
	done <<<"$PROC"
}

# proc_field_is [-n NS] DEV KEY VALUE
proc_field_is()
{
	local ns=""
	[ "$1" = -n ] && { ns=$2; shift 2; }

	proc_read ${ns:+-n "$ns"} "$1" && _field "$2" && [ "$REPLY" = "$3" ]
}

# port_col_is [-n NS] DEV PORT COLUMN VALUE
port_col_is()
{
	local ns=""
	[ "$1" = -n ] && { ns=$2; shift 2; }

	proc_read ${ns:+-n "$ns"} "$1" && _col "$2" "$3" && [ "$REPLY" = "$4" ]
}

# port_col_ge [-n NS] DEV PORT COLUMN MIN: for counters.
port_col_ge()
{
	local ns=""
	[ "$1" = -n ] && { ns=$2; shift 2; }

	proc_read ${ns:+-n "$ns"} "$1" && _col "$2" "$3" && [ "$REPLY" -ge "$4" ]
}

# check_proc [-n NS] DEV KEY VALUE: assert a "KEY: value" line.
check_proc()
{
	local ns=""
	[ "$1" = -n ] && { ns=$2; shift 2; }

	proc_read ${ns:+-n "$ns"} "$1"
	_field "$2"
	check_eq "$1 /proc $2" "$REPLY" "$3"
}

# check_port [-n NS] DEV PORT COLUMN VALUE: assert a port table cell.
check_port()
{
	local ns=""
	[ "$1" = -n ] && { ns=$2; shift 2; }

	proc_read ${ns:+-n "$ns"} "$1"
	_col "$2" "$3"
	check_eq "$1 /proc $2 $3" "$REPLY" "$4"
}

# ------------------------------------------------------------ link state --

# link_get [-n NS] DEV: one "ip -o link show" into LINK_FLAGS ("<A,B>"),
# LINK_MTU, LINK_MASTER ("" if none), LINK_ADDR.  Fails if DEV is absent.
link_get()
{
	local ns="" out i
	local -a w
	[ "$1" = -n ] && { ns=$2; shift 2; }

	LINK_FLAGS="" LINK_MTU="" LINK_MASTER="" LINK_ADDR=""
	out=$(ip ${ns:+-n "$ns"} -o link show dev "$1" 2>/dev/null) || return 1
	read -r -a w <<<"$out"
	LINK_FLAGS=${w[2]}
	for ((i = 3; i < ${#w[@]} - 1; i++)); do
		case ${w[i]} in
		mtu) LINK_MTU=${w[i + 1]} ;;
		master) LINK_MASTER=${w[i + 1]} ;;
		link/*) LINK_ADDR=${w[i + 1]} ;;
		esac
	done
	return 0
}

# link_attr [-n NS] DEV ATTR: print flags, mtu, master or mac.
link_attr()
{
	link_get "${@:1:$#-1}" || return
	case ${!#} in
	flags) echo "$LINK_FLAGS" ;;
	mtu) echo "$LINK_MTU" ;;
	master) echo "$LINK_MASTER" ;;
	mac) echo "$LINK_ADDR" ;;
	esac
}

# link_has_flag [-n NS] DEV FLAG: FLAG (UP, SLAVE, LOWER_UP, ...) is set.
link_has_flag()
{
	link_get "${@:1:$#-1}" && [[ "$LINK_FLAGS" =~ [\<,]${!#}[,\>] ]]
}

link_exists()
{
	local ns=""
	[ "$1" = -n ] && { ns=$2; shift 2; }

	ip ${ns:+-n "$ns"} link show dev "$1" >/dev/null 2>&1
}

# link_snapshot [-n NS] DEV: what a refused request must not change.
link_snapshot()
{
	link_get "$@" || return
	echo "flags=$LINK_FLAGS mtu=$LINK_MTU master=$LINK_MASTER addr=$LINK_ADDR"
}

# lagx_devices [-n NS]: names of the lagx devices in NS.
lagx_devices()
{
	local ns="" line name
	[ "${1:-}" = -n ] && { ns=$2; shift 2; }

	while read -r line; do
		[ -n "$line" ] || continue
		name=${line#*: }
		echo "${name%%[:@]*}"
	done <<<"$(ip ${ns:+-n "$ns"} -o link show type lagx 2>/dev/null)"
}

# veth_pair NS1 DEV1 NS2 DEV2: create a veth pair across namespaces.
veth_pair()
{
	ip -n "$1" link add "$2" type veth peer name "$4" netns "$3"
}

# ------------------------------------------------------------- kernel log --

KMSG_MARK=

# kmsg_mark: put a unique line in the kernel log; dmesg_since_mark prints
# what the kernel logged after it.
kmsg_mark()
{
	KMSG_MARK="lagx-selftest: $(basename "$0") mark $RANDOM$RANDOM"
	echo "$KMSG_MARK" >/dev/kmsg
}

dmesg_since_mark()
{
	dmesg | awk -v m="$KMSG_MARK" 'found { print } index($0, m) { found = 1 }'
}

LOG_START_MARK=

# The kernel log since the script started (the first call sets the mark).
kernel_log_start()
{
	kmsg_mark
	LOG_START_MARK=$KMSG_MARK
}

KERNEL_SPLAT='BUG:|WARNING:|KASAN|UBSAN|possible recursive locking|circular locking|INFO: |suspicious RCU usage|ODEBUG|Call Trace|general protection|Kernel panic|sleeping function called from invalid context|unregister_netdevice: waiting'

# Known false positive: User-Mode Linux without CONFIG_KASAN_VMALLOC keeps
# the KASAN redzones of an unloaded module's globals, so the next insmod
# that reuses the address trips over them in load_module().  Worse, KASAN's
# checked memset()/memcpy() then skip the copy: with kasan_multi_shot the
# reloaded module is corrupt (insmod fails).  The UML kernel needs
# CONFIG_KASAN_VMALLOC=y for module reloads.
KASAN_RELOAD_FP='BUG: KASAN: global-out-of-bounds in (load_module|add_kallsyms)'

# drop_known_fp: filter a kernel log, dropping the known false positive's
# reports and KCSAN's data-race reports that do not mention lagx
# (kernel_log.awk, shared with scripts/check.sh).
drop_known_fp()
{
	awk -v fp="$KASAN_RELOAD_FP" -f "$LAGX_LIB_DIR/kernel_log.awk"
}

# reload_diag: after a failed insmod, say if the known problem is why.
reload_diag()
{
	if dmesg | grep -Eq "$KASAN_RELOAD_FP"; then
		info "environment: module reload under UML KASAN without CONFIG_KASAN_VMALLOC"
		info "  (KASAN reports in load_module; the reloaded module is corrupt)"
	fi
}

# A test case for the end of every script: no splat in the kernel log.
test_kernel_log_clean()
{
	local log splats n

	log=$(dmesg | awk -v m="$LOG_START_MARK" 'found { print } index($0, m) { found = 1 }')
	n=$(grep -Ec "$KASAN_RELOAD_FP" <<<"$log")
	[ "$n" -eq 0 ] ||
		info "ignored $n known UML KASAN module-reload report(s) (no CONFIG_KASAN_VMALLOC)"
	splats=$(drop_known_fp <<<"$log" | grep -E "$KERNEL_SPLAT")
	if [ -n "$splats" ]; then
		fail "kernel log has splats since the script started:"
		head -n 20 <<<"$splats" | sed 's/^/#   /'
	fi
}

# ---------------------------------------------------------------- ping --

# ping_reach [-n NS] IP: IP answers: 2 echo replies within 3 s, a request
# every 0.2 s.  Under ping floods on an SMP kernel the first echo of a new
# raw-socket ping goes unanswered (bonding and a bare veth alike), so one
# lost echo is tolerated; a single "ping -c 1" is no connectivity test there.
ping_reach()
{
	local ns=""
	[ "$1" = -n ] && { ns=$2; shift 2; }

	in_ns "$ns" ping -c 2 -i 0.2 -w 3 -q "$1" >/dev/null 2>&1
}

# ping_stats FILE: "transmitted received" from a ping summary.
ping_stats()
{
	awk '/packets transmitted/ { print $1, $4 }' "$1"
}
