#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Boot the UML kernel with tools/testing/lagx/guest-init.sh as PID 1.
#
# Usage: scripts/uml-run.sh [-i | -q] [-t SECS] [-r DIR] JOB [KERNEL-ARG...]
#   JOB         check | shell | cmd (see guest-init.sh)
#   -i          interactive: the console reads the terminal (default: stdin
#               is /dev/null, so the guest can never wait for input)
#   -q          quiet: the console goes to console.log only
#   -t SECS     host-side timeout of the whole boot (default 3600, 0 = none)
#   -r DIR      results directory (default: $LAGX_RESULTS or a new
#               $LAGX_CACHE/results/<job>-<time>); console.log is saved there
#   KERNEL-ARG  more kernel arguments, e.g. lagx.only=foo lagx.cmd=/path
#
# Environment: LAGX_UML (UML build dir, default: scripts/uml-build.sh),
# LAGX_MEM (guest memory, 1G), LAGX_UML_ARGS (extra kernel arguments).
# Exits with UML's status, 124 on timeout, or for the cmd job with the
# command's exit status.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

interactive=0
quiet=0
tmo=3600
results=${LAGX_RESULTS:-}
while getopts iqt:r: o; do
	case $o in
	i) interactive=1 ;;
	q) quiet=1 ;;
	t) tmo=$OPTARG ;;
	r) results=$OPTARG ;;
	*) die "usage: $0 [-i | -q] [-t SECS] [-r DIR] JOB [KERNEL-ARG...]" ;;
	esac
done
shift $((OPTIND - 1))
[ $# -ge 1 ] || die "usage: $0 [-i | -q] [-t SECS] [-r DIR] JOB [KERNEL-ARG...]"
job=$1
shift

uml=${LAGX_UML:-$("$LAGX_TOP/scripts/uml-build.sh")}
[ -x "$uml/linux" ] || die "no UML kernel in $uml"

results=${results:-$LAGX_CACHE/results/$job-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$results"
results=$(cd "$results" && pwd)
# Paths travel on the kernel command line, which splits on blanks.
for p in "$LAGX_TOP" "$results"; do
	[[ "$p" != *[[:space:]]* ]] || die "path with blanks not supported: '$p'"
done

# UML backs guest memory with an unlinked file in $TMPDIR (else /dev/shm,
# else /tmp), mapped executable: it must be writable, not noexec, and best
# on tmpfs.  Prefer /dev/shm; fall back to the cache directory (on disk).
mem=${LAGX_MEM:-1G}
need_kb=$(( $(numfmt --from=iec "$mem") / 1024 ))
shm_ok() {
	local d=$1
	[ -d "$d" ] && [ -w "$d" ] || return 1
	findmnt -no OPTIONS -T "$d" | grep -qw noexec && return 1
	[ "$(df -Pk "$d" | awk 'NR==2 { print $4 }')" -gt "$need_kb" ]
}
if shm_ok /dev/shm; then
	umltmp=/dev/shm
else
	umltmp=$LAGX_CACHE/tmp
	mkdir -p "$umltmp"
	log "/dev/shm unusable, guest memory backed by $umltmp (slower)"
fi
# UML keeps its pid file and mconsole socket in uml_dir (default ~/.uml):
# use a private one that is removed afterwards.
umldir=$(mktemp -d "$umltmp/lagx-uml.XXXXXX")
trap 'rm -rf "$umldir"' EXIT

# What an earlier guest run left in a reused results directory.
(cd "$results" && rm -rf guest-started guest-done cmd.rc dmesg.log ./*.dmesg \
	selftest-* selftests.count kunit.log kunit.rc kunit.json kunit-parse.log \
	kunit-debugfs lagx-insmod.* lagx-rmmod.* console.log boot-seconds)

args=(mem="$mem" root=/dev/root rootfstype=hostfs rootflags=/ rw
      init="$LAGX_TOP/tools/testing/lagx/guest-init.sh"
      con=null ssl=null uml_dir="$umldir" umid=lagx
      log_buf_len=16M panic=-1 kasan_multi_shot
      bonding.max_bonds=0 dummy.numdummies=0
      lagx.job="$job" lagx.top="$LAGX_TOP" lagx.results="$results")
# The kernel source tree, for its tools (ynl cli.py) inside the guest.
ksrc=$("$LAGX_TOP/scripts/uml-build.sh" --source-only 2>/dev/null) &&
	args+=(lagx.ksrc="$ksrc")
# The console: the terminal when interactive; else output only (UML
# cannot poll /dev/null and never gets input anyway).
# shellcheck disable=SC2054 # commas belong to the argument
if [ $interactive = 1 ]; then
	args+=(con0=fd:0,fd:1)
else
	args+=(con0=null,fd:1)
fi
[ "$job" = shell ] && args+=(lagx.term="${TERM:-linux}")
# shellcheck disable=SC2206 # LAGX_UML_ARGS is a blank-separated list
args+=(${LAGX_UML_ARGS:-} "$@")

log "booting UML ($job), results in $results"
printf '%s\n' "$uml/linux ${args[*]}" >"$results/cmdline"

tmo_cmd=()
if [ "$tmo" != 0 ]; then
	if [ $interactive = 0 ]; then
		# SIGKILL the whole group (UML and its per-process helpers):
		# on SIGTERM UML splats "sleeping function called from
		# invalid context" on its way down.
		tmo_cmd=(timeout -s KILL "$tmo")
	else
		# --foreground keeps the terminal usable for the guest.
		tmo_cmd=(timeout -k 30 --foreground "$tmo")
	fi
elif [ $interactive = 0 ]; then
	tmo_cmd=(setsid -w)
fi

# A panicking UML SIGTERMs its whole process group (os_dump_core) and
# then aborts: timeout(1) gives it a group of its own, and no core file.
ulimit -c 0
stty_saved=
start=$(date +%s.%N)
set +e
if [ $interactive = 1 ] && [ -t 0 ]; then
	stty_saved=$(stty -g)
	TMPDIR=$umltmp "${tmo_cmd[@]}" "$uml/linux" "${args[@]}" 2>&1 |
		tee "$results/console.log"
	rc=${PIPESTATUS[0]}
	stty "$stty_saved"
elif [ $interactive = 1 ]; then
	TMPDIR=$umltmp "${tmo_cmd[@]}" "$uml/linux" "${args[@]}" 2>&1 |
		tee "$results/console.log"
	rc=${PIPESTATUS[0]}
elif [ $quiet = 1 ]; then
	TMPDIR=$umltmp "${tmo_cmd[@]}" "$uml/linux" "${args[@]}" </dev/null \
		>"$results/console.log" 2>&1
	rc=$?
else
	TMPDIR=$umltmp "${tmo_cmd[@]}" "$uml/linux" "${args[@]}" </dev/null 2>&1 |
		tee "$results/console.log"
	rc=${PIPESTATUS[0]}
fi
set -e
secs=$(echo "$(date +%s.%N) - $start" | bc)
printf '%.1f\n' "$secs" >"$results/boot-seconds"

if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
	log "guest timed out after $tmo s (results in $results)"
	exit 124
fi
[ -f "$results/guest-done" ] || log "guest did not finish its job (UML exit $rc)"
log "UML exited ($rc) after $(cat "$results/boot-seconds") s"
if [ "$job" = cmd ] && [ -f "$results/cmd.rc" ]; then
	exit "$(cat "$results/cmd.rc")"
fi
exit "$rc"
