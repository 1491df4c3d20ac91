#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# PID 1 of the lagx guests: the User-Mode Linux one (scripts/uml-run.sh) and
# the QEMU ones (scripts/vm-run.sh, after its initramfs).
#
# The root filesystem is the host's / (UML: hostfs, read-write, so everything
# the guest writes outside the tmpfs mounts made here lands on the host; QEMU:
# virtio-9p, read-only, with the repository and the results directory as
# writable 9p shares of their own).  The job comes
# from the kernel command line: dotted "lagx.key=value" words are never passed
# to init (the kernel treats them as module parameters), so they are read back
# from /proc/cmdline.  Values cannot contain spaces; lagx.args is split on ','.
#
#   lagx.job=check|shell|cmd   what to do (default: check)
#   lagx.top=DIR               the lagx repository (host path)
#   lagx.results=DIR           host directory that receives the results
#   lagx.ksrc=DIR              the kernel source tree (exported as KSRC)
#   lagx.only=NAME[,NAME...]   check: run only these selftests (NAME(.sh))
#   lagx.kunit=GLOB            check: run only the KUnit suites matching GLOB
#                              (kunit.filter_glob syntax: suite[.test])
#   lagx.skip=kunit,selftests  check: skip these parts
#   lagx.timeout=SECS          check: timeout of each selftest (default 300;
#                              a "# lagx-timeout: SECS" line in a test
#                              raises its own)
#   lagx.cmd=PATH              cmd: script to run; lagx.args=a,b,c its args
#   lagx.ko=PATH               lagx.ko to load (default: the one in the tree;
#                              the benchmarks load one built for their kernel)
#   lagx.term=TERM             TERM for the shell job
#   lagx.rig=uml|vm            how host directories are mounted: hostfs (uml,
#                              the default) or the 9p shares of vm-run.sh
#                              (tags lagxtop, lagxres, lagxcmd)
#   lagx.tty=TTY               the console line of the shell job (tty0: UML's
#                              con0; vm-run.sh passes ttyS0)
#
# Whatever happens, the guest powers off at the end; PID 1 must never exit
# (the kernel would panic) nor wait on the console.  No "set -e" here for that
# reason: every step is checked explicitly and a failing step never prevents
# the power-off.
set -uo pipefail

export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export LANG=C.UTF-8 LC_ALL=C.UTF-8
export PYTHONDONTWRITEBYTECODE=1	# no root-owned __pycache__ in the repo
umask 022
cd /

say() { echo "lagx-init: $*"; }

RESULTS=

power_off() {
	trap - EXIT
	sync
	if [ -n "$RESULTS" ]; then
		# Flush hostfs: the host reads the results once UML has exited.
		umount "$RESULTS" 2>/dev/null || umount -l "$RESULTS" 2>/dev/null
	fi
	sync
	say "power off"
	echo o >/proc/sysrq-trigger
	# sysrq-o powers off from a workqueue; never return meanwhile.
	while :; do sleep 1; done
}
trap power_off EXIT

# ---------------------------------------------------------------- mounts --

is_mounted() { mountpoint -q "$1" 2>/dev/null; }

mount_fs() {	# type dir [options]
	is_mounted "$2" && return 0
	if [ ! -d "$2" ]; then
		# Never create directories on the host through hostfs.
		say "not mounting $1 on $2: no such directory"
		return 1
	fi
	mount -t "$1" ${3:+-o "$3"} "$1" "$2" || say "mounting $1 on $2 failed"
}

mount -t proc proc /proc 2>/dev/null || is_mounted /proc ||
	{ echo "lagx-init: cannot mount /proc" >&2; exec sleep infinity; }
mount_fs sysfs /sys
mount_fs debugfs /sys/kernel/debug

# /dev: devtmpfs (CONFIG_DEVTMPFS_MOUNT normally mounted it already).  The
# symlinks below are only created once /dev is surely the guest's devtmpfs,
# never in the host's /dev seen through hostfs.
grep -q '^devtmpfs /dev ' /proc/mounts || mount -t devtmpfs devtmpfs /dev
if grep -q '^devtmpfs /dev ' /proc/mounts; then
	[ -e /dev/fd ] || ln -s /proc/self/fd /dev/fd
	[ -e /dev/stdin ] || ln -s /proc/self/fd/0 /dev/stdin
	[ -e /dev/stdout ] || ln -s /proc/self/fd/1 /dev/stdout
	[ -e /dev/stderr ] || ln -s /proc/self/fd/2 /dev/stderr
	mkdir -p /dev/pts /dev/shm
	mount -t devpts -o gid=5,mode=620,ptmxmode=666 devpts /dev/pts
	mount -t tmpfs -o mode=1777 tmpfs /dev/shm
else
	say "WARNING: /dev is not a devtmpfs, not touching it"
fi

# Keep the guest's runtime state off the host (/var/run is a symlink to /run).
mount_fs tmpfs /run mode=0755
mount_fs tmpfs /tmp mode=1777
mount_fs tmpfs /var/tmp mode=1777
mount_fs tmpfs /var/log mode=0755
mount_fs tmpfs /var/lib/openvswitch mode=0755
mount_fs tmpfs /etc/openvswitch mode=0755
mkdir -p /run/netns /run/openvswitch /tmp/home
export HOME=/tmp/home

# ------------------------------------------------------ job description --

declare -A arg=([job]=check [timeout]=300 [rig]=uml [tty]=tty0)
read -r -a words </proc/cmdline
for w in "${words[@]}"; do
	case "$w" in
	lagx.*=*)
		k=${w%%=*}
		v=${w#*=}
		v=${v#\"}
		arg[${k#lagx.}]=${v%\"}
		;;
	esac
done

TOP=${arg[top]:-}
[ -n "$TOP" ] || { say "no lagx.top= on the command line"; exit 1; }

# Re-mount the repository and the results directory from the host: the tmpfs
# mounts above hide them when they live under /tmp (and friends), and the
# 9p root of a QEMU guest is read-only.  The results mount is also where
# everything gets flushed to the host.
host_mount() {	# path 9p-tag [ro]
	if [ "${arg[rig]}" = vm ]; then
		# mkdir only in a tmpfs: the 9p root is read-only anyway.
		[ -d "$1" ] || mkdir -p "$1"
		mount -t 9p -o "trans=virtio,version=9p2000.L,msize=1048576${3:+,$3}" \
			"$2" "$1" || say "cannot mount 9p share $2 on $1"
	else
		mkdir -p "$1" && mount -t hostfs -o "${3:+$3,}$1" none "$1" ||
			say "cannot mount host directory $1"
	fi
}
host_mount "$TOP" lagxtop
if [ -n "${arg[results]:-}" ]; then
	host_mount "${arg[results]}" lagxres
	RESULTS=${arg[results]}
	echo "start $(cut -d' ' -f1 /proc/uptime)" >"$RESULTS/guest-started"
else
	RESULTS=
fi
if [ -n "${arg[cmd]:-}" ] && [ ! -e "${arg[cmd]}" ]; then
	# Hidden by a tmpfs: make its directory visible elsewhere, read-only.
	mkdir -p /run/lagx-cmd
	host_mount /run/lagx-cmd lagxcmd ro &&
		arg[cmd]=/run/lagx-cmd/$(basename "${arg[cmd]}")
fi

hostname "lagx-${arg[rig]}"
ip link set lo up

export LAGX_TOP=$TOP
export LAGX_KO=${arg[ko]:-$TOP/drivers/net/lagx/lagx.ko}
export LAGX_KUNIT_KO=$TOP/drivers/net/lagx/lagx_kunit.ko
export LAGX_RESULTS=$RESULTS
# The kernel source tree (selftests use its tools/net/ynl/cli.py).
[ -n "${arg[ksrc]:-}" ] && export KSRC=${arg[ksrc]}

lagx_loaded() { grep -q '^lagx ' /proc/modules; }

load_lagx() {
	lagx_loaded && return 0
	insmod "$LAGX_KO"
}

# Append the kernel log to dmesg.log and clear it (dmesg -c), optionally
# keeping a copy of this slice in $1.
dmesg_slice() {
	dmesg -c >/tmp/dmesg.slice 2>&1
	cat /tmp/dmesg.slice >>"$RESULTS/dmesg.log"
	[ -z "${1:-}" ] || cp /tmp/dmesg.slice "$1"
}

# ----------------------------------------------------------------- jobs --

skip() { [[ ",${arg[skip]:-}," == *",$1,"* ]]; }

run_kunit() {
	local rc d
	[ -f "$LAGX_KUNIT_KO" ] || { say "missing $LAGX_KUNIT_KO"; echo missing >"$RESULTS/kunit.rc"; return; }
	if [ -n "${arg[kunit]:-}" ]; then
		# kunit.filter_glob is a runtime parameter of the KUnit core and
		# applies to test modules loaded afterwards.
		printf '%s' "${arg[kunit]}" >/sys/module/kunit/parameters/filter_glob
	fi
	dmesg_slice
	say "kunit: insmod lagx_kunit.ko"
	insmod "$LAGX_KUNIT_KO"
	rc=$?
	dmesg_slice "$RESULTS/kunit.log"
	echo "$rc" >"$RESULTS/kunit.rc"
	# Per-suite KTAP as a second source, gone once the module is removed.
	mkdir -p "$RESULTS/kunit-debugfs"
	for d in /sys/kernel/debug/kunit/*/; do
		[ -f "$d/results" ] && cat "$d/results" >"$RESULTS/kunit-debugfs/$(basename "$d").ktap"
	done
	rmmod lagx_kunit 2>/dev/null
	# "" would match nothing: restore "all".
	[ -z "${arg[kunit]:-}" ] || printf '*' >/sys/module/kunit/parameters/filter_glob
}

run_selftest() {	# path
	local t=$1 name rc ns tmo=${arg[timeout]} own
	name=$(basename "$t" .sh)
	# A test may need longer: a "# lagx-timeout: SECS" line raises it.
	own=$(sed -n 's/^# lagx-timeout: \([0-9]\+\)$/\1/p' "$t" | head -n1)
	[ -n "$own" ] && [ "$own" -gt "$tmo" ] && tmo=$own
	load_lagx >>"$RESULTS/selftest-$name.log" 2>&1
	dmesg_slice
	say "selftest $name"
	local start=$SECONDS
	(cd "$(dirname "$t")" && exec timeout -k 10 "$tmo" "$t") \
		</dev/null >>"$RESULTS/selftest-$name.log" 2>&1
	rc=$?
	echo "$rc" >"$RESULTS/selftest-$name.rc"
	say "selftest $name: exit $rc in $((SECONDS - start)) s"
	# timeout(1) exits 124, or 137 when the test ignored SIGTERM (-k).
	if [ $((SECONDS - start)) -ge "$tmo" ] && { [ $rc = 124 ] || [ $rc = 137 ]; }; then
		echo "# lagx-init: timed out after $tmo s" >>"$RESULTS/selftest-$name.log"
		touch "$RESULTS/selftest-$name.timeout"
	fi
	dmesg_slice "$RESULTS/selftest-$name.dmesg"
	# Isolate the next test from leftovers.
	ns=$(ip netns list 2>/dev/null | awk '{print $1}' | xargs)
	if [ -n "$ns" ]; then
		echo "# lagx-init: removing leftover netns: $ns" >>"$RESULTS/selftest-$name.log"
		ip -all netns delete 2>/dev/null
	fi
}

job_check() {
	local dir=$TOP/tools/testing/selftests/drivers/net/lagx t n=0
	local only=${arg[only]:-} kunit=${arg[kunit]:-}

	[ -n "$RESULTS" ] || { say "check needs lagx.results="; return 1; }
	# One of lagx.only / lagx.kunit alone narrows the run to that part.
	[ -n "$only" ] && [ -z "$kunit" ] && arg[skip]+=,kunit
	[ -n "$kunit" ] && [ -z "$only" ] && arg[skip]+=,selftests

	dmesg_slice "$RESULTS/boot.dmesg"
	say "insmod lagx.ko"
	insmod "$LAGX_KO" >"$RESULTS/lagx-insmod.log" 2>&1
	echo $? >"$RESULTS/lagx-insmod.rc"
	dmesg_slice "$RESULTS/lagx-insmod.dmesg"

	skip kunit || run_kunit

	if ! skip selftests; then
		for t in "$dir"/*.sh; do
			[ -f "$t" ] || continue
			if [ ! -x "$t" ]; then
				say "not executable, not a test: ${t#"$TOP"/}"
				continue
			fi
			[ -z "$only" ] || [[ ",$only," == *",$(basename "$t"),"* ]] ||
				[[ ",$only," == *",$(basename "$t" .sh),"* ]] || continue
			run_selftest "$t"
			n=$((n + 1))
		done
		echo "$n" >"$RESULTS/selftests.count"
	fi

	# Unloading catches leaks and teardown bugs (refcounts, timers, ...).
	if lagx_loaded; then
		say "rmmod lagx"
		rmmod lagx >"$RESULTS/lagx-rmmod.log" 2>&1
		echo $? >"$RESULTS/lagx-rmmod.rc"
	else
		echo not-loaded >"$RESULTS/lagx-rmmod.rc"
	fi
	dmesg_slice
}

job_shell() {
	load_lagx || say "insmod lagx.ko failed"
	export TERM=${arg[term]:-linux}
	export PS1="lagx-${arg[rig]}:\\w# "
	say "lagx.ko loaded; LAGX_KO=$LAGX_KO; exit the shell to power off"
	cd "$TOP" || cd /
	# A controlling terminal (for job control and ^C) needs a real tty:
	# /dev/console cannot be one; the UML console line con0 is /dev/tty0,
	# QEMU's serial console /dev/ttyS0.
	setsid -c -w bash --norc -i <"/dev/${arg[tty]}" >"/dev/${arg[tty]}" 2>&1
}

run_story_cmd() {
	local cmd=$1; shift
	if [ -x "$cmd" ]; then "$cmd" "$@"; else bash "$cmd" "$@"; fi
}

job_cmd() {
	local cmd=${arg[cmd]:-} rc a=()
	[ -n "$cmd" ] || { say "cmd job needs lagx.cmd=PATH"; return 1; }
	[ -n "${arg[args]:-}" ] && IFS=, read -r -a a <<<"${arg[args]}"
	load_lagx || say "insmod lagx.ko failed"
	cd "$(dirname "$cmd")" || return 1
	if [ "${arg[story]:-0}" = 1 ] && [ -n "$RESULTS" ]; then
		# The story: the command's output and, as they come, lagx's
		# own kernel messages; the console keeps everything else.
		: >"$RESULTS/story.log"
		dmesg -W -k --notime 2>/dev/null |
			grep --line-buffered -E '^lagx[0-9]*[: ]' |
			sed -u 's/^/kernel: /' >>"$RESULTS/story.log" &
		local kmsg=$!
		run_story_cmd "$cmd" "${a[@]}" >>"$RESULTS/story.log" 2>&1
		rc=$?
		sleep 0.2
		kill "$kmsg" 2>/dev/null
		pkill -x dmesg 2>/dev/null
	else
		run_story_cmd "$cmd" "${a[@]}"
		rc=$?
	fi
	say "$cmd: exit $rc"
	[ -n "$RESULTS" ] && echo "$rc" >"$RESULTS/cmd.rc"
}

say "job ${arg[job]} (uptime $(cut -d' ' -f1 /proc/uptime) s)"
case "${arg[job]}" in
check) job_check ;;
shell) job_shell ;;
cmd) job_cmd ;;
*) say "unknown job '${arg[job]}'" ;;
esac

if [ -n "$RESULTS" ]; then
	[ -f "$RESULTS/dmesg.log" ] || dmesg >"$RESULTS/dmesg.log"
	echo "done $(cut -d' ' -f1 /proc/uptime)" >"$RESULTS/guest-done"
fi
exit 0
