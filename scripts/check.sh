#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check: build everything, run every test in its guests, summarize.
#
#   install deps (and from then on, beside the rest, the debug kernel
#   build) -> UML kernel -> W=1 module build for UML -> compile
#   tests against Debian 6.1/6.12 headers -> the stages (LAGX_RIGS):
#     uml     KUnit + every selftest in the UML kernel (KASAN, lockdep)
#     vm612   every selftest but lagx_bench (whose rates mean nothing under
#             TCG) and lagx_stress (the debug stage's) on Debian's stock
#             6.12 under QEMU, LAGX_VM_CPUS CPUs, in two guests side by side
#     vm61    failover, rmmod_traffic, lacp (interop) and lagxctl (skips: no
#             genl family before 6.2) on Debian's stock 6.1
#     debug   the SMP stress test on the x86-64 debug kernel (KCSAN, lockdep,
#             kmemleak; built once, cached); LAGX_VM_FULL=1: + lagx_lacp
#   UML beside vm612, beside vm61 and then debug (LAGX_SERIAL=1: one after
#   the other).  A stage's selftests are shared out among its guests
#   (LAGX_GUESTS), longest first, by their measured durations.  What fits
#   CI's 90 minutes cold on 2 cores under TCG: README, "Measured".
#   -> per stage: parse KUnit JSON and selftest TAP, scan the kernel log
#   for splats; one summary line per stage (kernel, CPUs, accelerator,
#   passed, seconds).
#
# The last line is always "N passed, N failed"; the exit status is non-zero
# when anything failed.
#
# Environment:
#   LAGX_RIGS=uml,vm612,debug,vm61   the stages to run (default: all)
#   LAGX_RESULTS=DIR            results directory (default: a new
#                               $LAGX_CACHE/results/check-<time>), one
#                               subdirectory per stage
#   LAGX_ONLY=NAME[,NAME]       run only these selftests (and no KUnit,
#                               unless LAGX_KUNIT is set too), in every stage
#   LAGX_KUNIT=GLOB             run only the KUnit suites matching GLOB
#                               (suite or suite.test; no selftests, unless
#                               LAGX_ONLY is set too)
#   LAGX_SKIP_KUNIT=1, LAGX_SKIP_SELFTESTS=1, LAGX_SKIP_COMPILE_TEST=1,
#   LAGX_SKIP_DEMO=1
#   LAGX_SELFTEST_TIMEOUT=SECS  per selftest (default 300 in UML, 900 in QEMU)
#   LAGX_TIMEOUT=SECS           whole guest run of a stage (default 3600)
#   LAGX_VM_CPUS=N              CPUs of the QEMU guests (default 2)
#   LAGX_SERIAL=1               run the stages one after the other, not
#                               side by side
#   LAGX_GUESTS=STAGE:N[,...]   guests of a stage (default vm612:2, else 1)
#   LAGX_VM_FULL=1              the debug stage runs lagx_lacp too
#   LAGX_VM_QUICK=1             a developer's loop: vm612 only basic,
#                               failover, observe, rmmod_traffic; vm61 only
#                               failover, rmmod_traffic
set -euo pipefail
. "$(dirname "$0")/lib.sh"

results=${LAGX_RESULTS:-$LAGX_CACHE/results/check-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$results"
results=$(cd "$results" && pwd)
log "results in $results"
selftest_dir=$LAGX_TOP/tools/testing/selftests/drivers/net/lagx

npass=0 nfail=0 nskip=0
rows=()
stage_lines=()
# row STATUS NAME [DETAIL]: one line of the summary table (not a count).
row() { rows+=("$(printf '%-5s %-40s %s' "$1" "$2" "${3:-}")"); }
# test STATUS NAME [DETAIL]: a single test, counted and shown.
test_result() {
	case $1 in
	PASS) npass=$((npass + 1)) ;;
	FAIL) nfail=$((nfail + 1)) ;;
	SKIP) nskip=$((nskip + 1)) ;;
	esac
	row "$@"
}

finish() {
	[ -z "${debug_build_pid:-}" ] || kill -- -"$debug_build_pid" 2>/dev/null || true
	echo
	echo "==== lagx check summary ($results)"
	printf '%s\n' "${rows[@]}"
	if [ ${#stage_lines[@]} -gt 0 ]; then
		echo "---- stages"
		printf '%s\n' "${stage_lines[@]}"
	fi
	echo "---- $nskip skipped"
	echo "$npass passed, $nfail failed"
	exit $((nfail > 0))
}

# ------------------------------------------------------------ the plan --

rigs=${LAGX_RIGS:-uml,vm612,debug,vm61}
want() { [[ ",$rigs," == *",$1,"* ]]; }
for r in ${rigs//,/ }; do
	case $r in
	uml | vm612 | debug | vm61) ;;
	*) test_result FAIL "stage $r" "unknown (LAGX_RIGS: uml,vm612,debug,vm61)" ;;
	esac
done

only=${LAGX_ONLY:-}
kunit_glob=${LAGX_KUNIT:-}
skip_kunit=${LAGX_SKIP_KUNIT:-0}
skip_selftests=${LAGX_SKIP_SELFTESTS:-0}
[ -n "$only" ] && [ -z "$kunit_glob" ] && skip_kunit=1
[ -n "$kunit_glob" ] && [ -z "$only" ] && skip_selftests=1
cpus=${LAGX_VM_CPUS:-2}

all_selftests=()
for t in "$selftest_dir"/*.sh; do
	[ -f "$t" ] && [ -x "$t" ] && all_selftests+=("$(basename "$t" .sh)")
done

# stage_tests STAGE: the selftests of STAGE (blank-separated), LAGX_ONLY
# applied.
stage_tests() {
	local list=() n
	case $1 in
	uml) list=("${all_selftests[@]}") ;;
	vm612)
		if [ "${LAGX_VM_QUICK:-0}" = 1 ]; then
			list=(lagx_basic lagx_failover lagx_observe lagx_rmmod_traffic)
		else
			for n in "${all_selftests[@]}"; do
				case $n in lagx_bench | lagx_stress) ;; *) list+=("$n") ;; esac
			done
		fi ;;
	debug)
		list=(lagx_stress)
		[ "${LAGX_VM_FULL:-0}" = 1 ] && list+=(lagx_lacp) ;;
	vm61)
		list=(lagx_failover lagx_rmmod_traffic)
		[ "${LAGX_VM_QUICK:-0}" = 1 ] || list+=(lagx_lacp lagx_lagxctl) ;;
	esac
	if [ -n "$only" ]; then
		local sel=()
		for n in "${list[@]}"; do
			[[ ",$only," == *",$n,"* ]] || [[ ",$only," == *",$n.sh,"* ]] &&
				sel+=("$n")
		done
		list=("${sel[@]}")
	fi
	echo "${list[*]}"
}

# ------------------------------------------------------- host-side steps --

if ! "$LAGX_TOP/scripts/install-deps.sh"; then
	test_result FAIL "setup: install-deps.sh"
	finish
fi

# The debug kernel (~28 min of CPU, cached) builds from here on, beside
# the UML build and then beside the guests; its stage waits for it
# (vm-debug-build.sh's lock).  In a session of its own, so that finish
# can stop it; the scheduler's autogroups give that session about half of
# the machine whatever its nice value (measured: README).
debug_build_pid=
# Both kernels build from linux-source-6.12 (uml-build.sh fetches it once,
# under a lock); its path is needed below.
if ! ksrc=$("$LAGX_TOP/scripts/uml-build.sh" --source-only); then
	test_result FAIL "setup: linux-source-6.12"
	finish
fi
if want debug && [ -n "$(stage_tests debug)" ]; then
	mkdir -p "$results/debug"
	setsid nice -n 19 "$LAGX_TOP/scripts/vm-debug-build.sh" \
		>"$results/debug/kernel-build.log" 2>&1 </dev/null &
	debug_build_pid=$!
fi
if ! LAGX_UML=$("$LAGX_TOP/scripts/uml-build.sh"); then
	test_result FAIL "setup: UML kernel build"
	finish
fi
export LAGX_UML

built=0
if "$LAGX_TOP/scripts/build-modules.sh" "$results/build-uml.log"; then
	test_result PASS "build: UML W=1"
	built=1
else
	test_result FAIL "build: UML W=1" "see build-uml.log"
fi

# User-space tools the selftests use: the iproute2 plugin and lagxctl.
if make -C "$LAGX_TOP" plugin lagxctl >"$results/build-tools.log" 2>&1; then
	test_result PASS "build: iproute2 plugin, lagxctl"
else
	test_result FAIL "build: iproute2 plugin, lagxctl" "see build-tools.log"
fi

# The generated netlink code must be what the spec generates.
if "$LAGX_TOP/scripts/ynl-gen.sh" --check >"$results/ynl-gen.log" 2>&1; then
	test_result PASS "ynl: generated code matches the spec"
else
	test_result FAIL "ynl: generated code matches the spec" "see ynl-gen.log"
fi

# Kernel coding style on the hand-written C sources.
cp_files=$(cd "$LAGX_TOP" && git ls-files "drivers/net/lagx/*.[ch]" "drivers/net/lagx/tests/*.c" \
	   include/uapi/linux/if_lagx.h | grep -v '_gen\.[ch]$')
if (cd "$LAGX_TOP" && perl "$ksrc/scripts/checkpatch.pl" --no-tree --strict \
	--terse --show-types -f $cp_files) \
	>"$results/checkpatch.log" 2>&1; then
	test_result PASS "checkpatch --strict"
else
	test_result FAIL "checkpatch --strict" "see checkpatch.log"
fi

if [ "${LAGX_SKIP_COMPILE_TEST:-0}" = 1 ]; then
	row SKIP "compile tests" "LAGX_SKIP_COMPILE_TEST=1"
else
	LAGX_CT_LOGDIR=$results "$LAGX_TOP/scripts/compile-test.sh" |
		tee "$results/compile-test.out" || true
	n=0
	while read -r _ ver res; do
		ver=${ver%:}
		if [ "$res" = ok ]; then
			test_result PASS "compile-test $ver"
		else
			test_result FAIL "compile-test $ver" "${res#FAILED }"
		fi
		n=$((n + 1))
	done < <(grep '^compile-test ' "$results/compile-test.out")
	[ $n -gt 0 ] || test_result FAIL "compile-test" "no result"
fi

# ----------------------------------------------------------- the guests --

# stage_kernel STAGE: LAGX_KERNEL of a QEMU stage.
stage_kernel() {
	case $1 in vm612) echo 6.12 ;; vm61) echo 6.1 ;; debug) echo debug ;; esac
}

# selftest_weight NAME: the seconds NAME takes in a 6.12 guest under TCG
# with 2 CPUs (README, "Measured"), to share the selftests out among a
# stage's guests; UML's are about half, in the same proportions.
selftest_weight() {
	case $1 in
	lagx_lagxctl) echo 482 ;;
	lagx_slb) echo 348 ;;
	lagx_options) echo 331 ;;
	lagx_lacp) echo 283 ;;
	lagx_netlink) echo 148 ;;
	lagx_modes) echo 143 ;;
	lagx_ports) echo 121 ;;
	lagx_basic) echo 69 ;;
	lagx_observe) echo 52 ;;
	lagx_rmmod_traffic) echo 51 ;;
	lagx_failover) echo 50 ;;
	*) echo 100 ;;
	esac
}

# stage_guests STAGE: how many guests run STAGE's selftests side by side
# (LAGX_GUESTS=STAGE:N,...; default: vm612 2, the others 1).
stage_guests() {
	local n
	n=$(tr ',' '\n' <<<"${LAGX_GUESTS:-}" | sed -n "s/^$1:\([0-9][0-9]*\)$/\1/p" | tail -n1)
	[ -n "$n" ] || case $1 in vm612) n=2 ;; *) n=1 ;; esac
	[ "$n" -ge 1 ] || n=1
	echo "$n"
}

# stage_split N TEST...: at most N lines, the tests of each guest (comma-
# separated): longest first, each onto the guest with the least so far.
stage_split() {
	local n=$1 t a i best w
	shift
	local -a load=() set=()
	for ((i = 0; i < n; i++)); do load[i]=0 set[i]=''; done
	for t in $(for a in "$@"; do echo "$(selftest_weight "$a") $a"; done |
		   sort -k1,1rn -k2 | cut -d' ' -f2); do
		best=0
		for ((i = 1; i < n; i++)); do
			[ "${load[i]}" -lt "${load[best]}" ] && best=$i
		done
		w=$(selftest_weight "$t")
		load[best]=$((load[best] + w))
		set[best]+=${set[best]:+,}$t
	done
	for ((i = 0; i < n; i++)); do
		[ -z "${set[i]}" ] || echo "${set[i]}"
	done
}

# guest_run STAGE GDIR FIRST TESTS: boot one guest of STAGE, results in
# GDIR (the runner's status in run.rc, its output in run.log).  FIRST=1
# for the guest that also runs KUnit (UML); TESTS: its selftests, comma-
# separated, or "-" for all of them.
guest_run() {
	local st=$1 gdir=$2 first=$3 tests=$4 gargs=() skip= rc=0
	mkdir -p "$gdir"
	# KUnit stays in UML (no CONFIG_KUNIT in Debian's kernels), in its
	# first guest.
	if [ "$st" != uml ] || [ "$skip_kunit" = 1 ] || [ "$first" != 1 ]; then
		skip+=kunit,
	fi
	[ "$skip_selftests" = 1 ] && skip+=selftests,
	[ "$tests" = - ] || gargs+=(lagx.only="$tests")
	# TCG runs the tests 1.5-3x slower than UML (measured: lagx_lacp and
	# lagx_options need more than 300 s on 6.12 there).
	if [ "$st" = uml ]; then
		gargs+=(lagx.timeout="${LAGX_SELFTEST_TIMEOUT:-300}")
	else
		gargs+=(lagx.timeout="${LAGX_SELFTEST_TIMEOUT:-900}")
	fi
	[ -n "$kunit_glob" ] && gargs+=(lagx.kunit="$kunit_glob")
	[ -n "$skip" ] && gargs+=(lagx.skip="${skip%,}")
	if [ "$st" = uml ]; then
		"$LAGX_TOP/scripts/uml-run.sh" -t "${LAGX_TIMEOUT:-3600}" -r "$gdir" \
			check "${gargs[@]}" >"$gdir/run.log" 2>&1 || rc=$?
	else
		LAGX_VM_DIR=$(cat "$results/$st/kernel-dir") \
		LAGX_KERNEL=$(stage_kernel "$st") LAGX_VM_CPUS=$cpus \
			"$LAGX_TOP/scripts/vm-run.sh" -t "${LAGX_TIMEOUT:-3600}" -r "$gdir" \
			check "${gargs[@]}" >"$gdir/run.log" 2>&1 || rc=$?
	fi
	echo "$rc" >"$gdir/run.rc"
}

# stage_run STAGE: boot the stage's guests side by side, their selftests
# shared out by stage_split (results in $results/STAGE, or in its g1, g2,
# ... when there are several; $results/STAGE/guests lists them with their
# tests).  Returns 0 when there is nothing to run.
stage_run() {
	local st=$1 dir=$results/$1 tests groups=() start i gdir pids=() rc
	mkdir -p "$dir"
	: >"$dir/guests"
	tests=$(stage_tests "$st")
	start=$(date +%s)
	[ "$st" = uml ] || [ -n "$tests" ] || return 0
	if [ "$st" != uml ]; then
		# The kernel and lagx.ko once for all the stage's guests.
		rc=0
		"$LAGX_TOP/scripts/vm-kernel.sh" "$(stage_kernel "$st")" \
			>"$dir/kernel-dir" 2>"$dir/kernel.log" || rc=$?
		if [ $rc != 0 ]; then
			cp "$dir/kernel.log" "$dir/run.log"
			echo "$rc" >"$dir/run.rc"
			echo "$dir - -" >"$dir/guests"
			echo $(( $(date +%s) - start )) >"$dir/stage-seconds"
			return 0
		fi
	fi
	if [ "$skip_selftests" = 1 ] || [ "$(stage_guests "$st")" = 1 ]; then
		if [ "$st" = uml ] && [ -z "$only" ]; then
			groups=(-)
		else
			groups=("${tests// /,}")
		fi
	else
		# shellcheck disable=SC2086 # tests is a blank-separated list
		mapfile -t groups < <(stage_split "$(stage_guests "$st")" $tests)
	fi
	# LAGX_ONLY naming no selftest of UML's: one guest, which runs none.
	[ ${#groups[@]} -gt 0 ] && [ -n "${groups[0]}" ] || groups=("$only")
	for i in "${!groups[@]}"; do
		gdir=$dir
		[ ${#groups[@]} = 1 ] || gdir=$dir/g$((i + 1))
		echo "$gdir $((i == 0)) ${groups[i]}" >>"$dir/guests"
		guest_run "$st" "$gdir" $((i == 0)) "${groups[i]}" &
		pids+=($!)
	done
	wait "${pids[@]}" || true
	echo $(( $(date +%s) - start )) >"$dir/stage-seconds"
}

# TAP of one selftest log: prints "pass fail skip plan", then the names of
# the failed tests.  Only unindented lines count (no nested subtests).
tap_count() {
	awk '
	/^1\.\.[0-9]+/ { plan = substr($1, 4); if ($0 ~ /#[ \t]*[Ss][Kk][Ii][Pp]/) planskip = 1; next }
	/^(not )?ok( |$)/ {
		notok = ($1 == "not")
		dir = ""
		if (match($0, /#[ \t]*[A-Za-z]+/)) dir = toupper(substr($0, RSTART, RLENGTH))
		if (dir ~ /SKIP|TODO/) skip++
		else if (dir ~ /XFAIL/ || !notok) pass++
		else { fail++; bad[fail] = $0 }
	}
	END {
		if (plan == "") plan = -1
		print pass + 0, fail + 0, skip + 0, plan, planskip + 0
		for (i = 1; i <= fail; i++) print bad[i]
	}' "$1"
}

splat='BUG:|WARNING:|KASAN|possible recursive locking|circular locking|INFO: |suspicious RCU usage|ODEBUG|Call Trace|general protection|Kernel panic|sleeping function called from invalid context|unregister_netdevice: waiting for|refcount_t:|list_add corruption|list_del corruption|rcu_preempt detected stalls|self-detected stall'

# kernel_log FILE: the kernel log without KCSAN data-race reports that do
# not mention lagx (the selftests' kernel_log.awk, as lib.sh filters it).
kernel_log() {
	awk -f "$selftest_dir/kernel_log.awk" "$1"
}

# guest_label STAGE GDIR: how the rows name a guest of STAGE: "vm612", or
# "vm612/g2" when the stage has several.
guest_label() {
	if [ "$2" = "$results/$1" ]; then echo "$1"; else echo "$1/${2##*/}"; fi
}

# guest_parse STAGE GDIR: the rows of one guest that come before its
# selftests (did it complete, insmod).
guest_parse() {
	local st=$1 gdir=$2 lb urc rc why
	lb=$(guest_label "$st" "$gdir")
	urc=$(cat "$gdir/run.rc" 2>/dev/null || echo missing)
	if [ -f "$gdir/guest-done" ]; then
		test_result PASS "$lb: guest run completed" "$(cat "$gdir/boot-seconds") s"
	else
		case $urc in
		124) why="timed out after ${LAGX_TIMEOUT:-3600} s" ;;
		134) why="kernel panic (UML aborted)" ;;
		139) why="UML crashed (SIGSEGV)" ;;
		*) why="exit $urc: $(grep -a '^lagx: ' "$gdir/run.log" 2>/dev/null | tail -n1 | cut -c1-120)" ;;
		esac
		test_result FAIL "$lb: guest run completed" \
			"$why, see ${gdir#"$results"/}/run.log, console.log"
	fi

	rc=$(cat "$gdir/lagx-insmod.rc" 2>/dev/null || echo missing)
	if [ "$rc" = 0 ]; then
		test_result PASS "$lb: insmod lagx.ko"
	else
		test_result FAIL "$lb: insmod lagx.ko" "exit $rc: $(head -c 200 "$gdir/lagx-insmod.log" 2>/dev/null)"
	fi
}

# guest_rmmod STAGE GDIR: the row of the guest's final rmmod.
guest_rmmod() {
	local st=$1 gdir=$2 lb rc
	lb=$(guest_label "$st" "$gdir")
	rc=$(cat "$gdir/lagx-rmmod.rc" 2>/dev/null || echo missing)
	if [ "$rc" = 0 ]; then
		test_result PASS "$lb: rmmod lagx"
	elif [ "$rc" = not-loaded ]; then
		row SKIP "$lb: rmmod lagx" "lagx.ko was not loaded at the end"
	elif [ -f "$gdir/guest-done" ]; then
		test_result FAIL "$lb: rmmod lagx" "exit $rc: $(head -c 200 "$gdir/lagx-rmmod.log" 2>/dev/null)"
	fi
}

# guest_splats STAGE GDIR: the guest's kernel log; any splat fails it.
guest_splats() {
	local st=$1 gdir=$2 lb found=0 f during=()
	lb=$(guest_label "$st" "$gdir")
	for f in dmesg.log console.log demo/console.log; do
		[ -f "$gdir/$f" ] || continue
		# -a: a corrupted task name can put binary bytes in the log.
		if kernel_log "$gdir/$f" | grep -aEq "$splat"; then
			found=1
			echo "---- kernel splats in ${gdir#"$results"/}/$f:"
			kernel_log "$gdir/$f" | grep -aEn "$splat" | head -n 60
		fi
	done
	if [ $found = 0 ]; then
		test_result PASS "$lb: kernel log clean"
		return
	fi
	for f in boot.dmesg lagx-insmod.dmesg kunit.log "$gdir"/selftest-*.dmesg; do
		f=$(basename "$f")
		[ -f "$gdir/$f" ] && kernel_log "$gdir/$f" | grep -aEq "$splat" || continue
		case $f in
		boot.dmesg) during+=(boot) ;;
		lagx-insmod.dmesg) during+=("insmod lagx") ;;
		kunit.log) during+=(kunit) ;;
		*) f=${f#selftest-}; during+=("${f%.dmesg}") ;;
		esac
	done
	test_result FAIL "$lb: kernel log clean" \
		"splats${during[*]:+ during: $(IFS=,; echo "${during[*]}")}"
}

# selftest_parse STAGE GDIR NAME: the row of one selftest run in GDIR.
selftest_parse() {
	local st=$1 gdir=$2 name=$3 lf rc p f s plan planskip bad l detail st_
	lf=$gdir/selftest-$name.log
	rc=$(cat "$gdir/selftest-$name.rc" 2>/dev/null || echo missing)
	if [ "$rc" = missing ]; then
		if [ -f "$lf" ]; then
			test_result FAIL "$st: selftest $name" "interrupted: the guest died during it"
		else
			test_result FAIL "$st: selftest $name" "did not run: the guest stopped before"
		fi
		return
	fi
	{ read -r p f s plan planskip; mapfile -t bad; } < <(tap_count "$lf")
	npass=$((npass + p)) nfail=$((nfail + f)) nskip=$((nskip + s))
	detail="$p passed, $f failed, $s skipped, exit $rc"
	if [ -f "$gdir/selftest-$name.timeout" ]; then
		test_result FAIL "$st: selftest $name" "timed out; $detail"
	elif [ $((p + f + s)) -eq 0 ]; then
		if [ "$plan" = 0 ] && [ "$planskip" = 1 ]; then
			test_result SKIP "$st: selftest $name" \
				"$(sed -n 's/^1\.\.0 # SKIP //p' "$lf" | head -n1)"
		else
			test_result FAIL "$st: selftest $name" "no TAP test lines, exit $rc"
		fi
	elif [ "$rc" != 0 ] && [ "$rc" != 4 ] && [ "$f" -eq 0 ]; then
		test_result FAIL "$st: selftest $name" "non-zero exit without 'not ok'; $detail"
	elif [ "$plan" -ge 0 ] && [ $((p + f + s)) -lt "$plan" ]; then
		test_result FAIL "$st: selftest $name" "only $((p + f + s)) of plan 1..$plan; $detail"
	else
		st_=PASS
		[ "$f" -gt 0 ] && st_=FAIL
		row "$st_" "$st: selftest $name" "$detail"
	fi
	for l in "${bad[@]}"; do row "" "  $l"; done
}

# stage_parse STAGE: the rows and counts of a stage, and its summary line.
stage_parse() {
	local st=$1 dir=$results/$1 what rig kernel accel ncpu p0=$npass f0=$nfail
	local first=${#rows[@]} tests gdir kfirst gtests gdirs=() name g ng
	local -A where=()
	tests=$(stage_tests "$st")
	[ -f "$dir/guests" ] || : >"$dir/guests"
	while read -r gdir kfirst gtests; do
		gdirs+=("$gdir")
		[ "$kfirst" = 1 ] && [ "$st" = uml ] && where[:kunit]=$gdir
		if [ "$gtests" = - ] || [ -z "$gtests" ]; then
			for name in $tests; do where[$name]=$gdir; done
		else
			for name in ${gtests//,/ }; do where[$name]=$gdir; done
		fi
	done <"$dir/guests"
	ng=${#gdirs[@]}
	if [ "$st" = uml ]; then
		kernel="UML $(cat "$LAGX_UML/include/config/kernel.release" 2>/dev/null || echo "?")"
		ncpu=1 accel=uml
	else
		rig=$(cat "${gdirs[0]:-$dir}/rig" 2>/dev/null || true)
		kernel=$(sed -n 's/.*kernel=\([^ ]*\).*/\1/p' <<<"$rig")
		accel=$(sed -n 's/.*accel=\([^ ]*\).*/\1/p' <<<"$rig")
		ncpu=$cpus
		kernel=${kernel:-"$(stage_kernel "$st") (not booted)"}
		accel=${accel:-none}
	fi
	case $st in
	uml) what="KUnit + selftests" ;;
	debug) what="SMP stress" ;;
	*) what="selftests" ;;
	esac

	if [ "$st" != uml ] && [ -z "$tests" ]; then
		row SKIP "stage $st" "no selftest of this stage matches LAGX_ONLY"
		return
	fi
	[ "$ng" -gt 0 ] || { gdirs=("$dir"); ng=1; }

	for g in "${gdirs[@]}"; do guest_parse "$st" "$g"; done

	[ "$st" = uml ] && kunit_parse "${where[:kunit]:-${gdirs[0]}}"

	if [ "$skip_selftests" = 1 ]; then
		row SKIP "$st: selftests" "skipped"
	else
		[ -n "$tests" ] ||
			test_result FAIL "$st: selftests" "none found${only:+ matching '$only'}"
		for name in $tests; do
			selftest_parse "$st" "${where[$name]:-${gdirs[0]}}" "$name"
		done
	fi

	for g in "${gdirs[@]}"; do guest_rmmod "$st" "$g"; done

	if [ "$st" = uml ]; then
		if [ -f "$dir/demo.rows" ]; then
			local head detail
			while IFS=$'\t' read -r head detail; do
				test_result "${head%% *}" "uml: ${head#* }" "$detail"
			done <"$dir/demo.rows"
		else
			row SKIP "uml: demo" "LAGX_ONLY, LAGX_KUNIT or LAGX_SKIP_DEMO"
		fi
	fi

	for g in "${gdirs[@]}"; do guest_splats "$st" "$g"; done
	# The demo's guest, when the stage's own is in g1, g2, ...
	[ "${gdirs[0]}" = "$dir" ] || [ ! -f "$dir/demo/console.log" ] ||
		guest_splats "$st" "$dir/demo"

	# The stage's line, above its rows.
	local sp=$((npass - p0)) sf=$((nfail - f0)) line status=PASS
	[ $sf -gt 0 ] && status=FAIL
	line=$(printf '%-5s %-62s %4d passed %3d failed %6s s' "$status" \
		"$what on $kernel ($ncpu CPU$([ "$ncpu" = 1 ] || echo s), $accel$([ "$ng" = 1 ] || echo ", $ng guests"))" \
		"$sp" "$sf" "$(cat "$dir/stage-seconds" 2>/dev/null || echo "?")")
	stage_lines+=("$line")
	rows=("${rows[@]:0:$first}" "$line" "${rows[@]:$first}")
}

# kunit_parse DIR: the KUnit rows of the UML stage.
kunit_parse() {
	local dir=$1 st kind name p f s kp kf ks prc
	if [ "$skip_kunit" = 1 ]; then
		row SKIP "uml: kunit" "skipped"
	elif [ ! -s "$dir/kunit.log" ]; then
		test_result FAIL "uml: kunit" "no KUnit output (insmod lagx_kunit.ko: $(cat "$dir/kunit.rc" 2>/dev/null || echo missing))"
	else
		# kunit.py must run from a tree that contains tools/testing/kunit.
		prc=0
		(cd "$ksrc" && python3 tools/testing/kunit/kunit.py parse \
			--json="$dir/kunit.json" "$dir/kunit.log") \
			>"$dir/kunit-parse.log" 2>&1 || prc=$?
		cat "$dir/kunit-parse.log"
		kp=0 kf=0 ks=0
		if [ -s "$dir/kunit.json" ]; then
			while IFS=$'\t' read -r kind name p f s; do
				case $kind in
				suite)
					kp=$((kp + p)) kf=$((kf + f)) ks=$((ks + s))
					st=PASS
					[ "$f" -gt 0 ] && st=FAIL
					row "$st" "uml: kunit $name" "$p passed, $f failed, $s skipped" ;;
				case) row "" "  not ok: $name" "$p" ;;
				esac
			done < <(python3 - "$dir/kunit.json" <<'EOF'
import json, sys

def leaves(group, prefix):
    for case in group.get("test_cases", []):
        yield prefix + case["name"], case["status"]
    for sub in group.get("sub_groups", []):
        yield from leaves(sub, prefix + sub["name"] + ".")

top = json.load(open(sys.argv[1]))
for suite in top.get("sub_groups", []):
    counts = {"PASS": 0, "FAIL": 0, "SKIP": 0}
    bad = []
    for name, status in leaves(suite, ""):
        key = status if status in ("PASS", "SKIP") else "FAIL"
        counts[key] += 1
        if key == "FAIL":
            bad.append((name, status))
    print("suite\t%s\t%d\t%d\t%d" % (suite["name"], counts["PASS"],
                                     counts["FAIL"], counts["SKIP"]))
    for name, status in bad:
        print("case\t%s.%s\t%s" % (suite["name"], name, status))
EOF
			)
		fi
		npass=$((npass + kp)) nfail=$((nfail + kf)) nskip=$((nskip + ks))
		if [ $((kp + kf + ks)) -eq 0 ]; then
			test_result FAIL "uml: kunit" "no test cases found (kunit.py exit $prc)"
		elif [ "$prc" -ne 0 ] && [ "$kf" -eq 0 ]; then
			test_result FAIL "uml: kunit" "kunit.py parse exit $prc, see kunit-parse.log"
		fi
	fi
}

# -------------------------------------------------------------- stages --

stage_log() { log "stage $1: $2 ($(date +%H:%M:%S))"; }
run_uml() {
	if [ $built = 0 ]; then
		echo "not-built" >"$results/uml/run.rc"
		return
	fi
	stage_log uml "booting UML"
	stage_run uml
	# "make demo" shows the story only (scripts/check-demo.sh), in a
	# guest of its own; not with LAGX_ONLY/LAGX_KUNIT, nor LAGX_SKIP_DEMO=1.
	if [ -z "$only" ] && [ -z "$kunit_glob" ] && [ "${LAGX_SKIP_DEMO:-0}" != 1 ]; then
		stage_log uml "demo"
		"$LAGX_TOP/scripts/check-demo.sh" "$results/uml/demo" \
			>"$results/uml/demo.rows" 2>"$results/uml/demo.err" || true
	fi
	stage_log uml "done in $(cat "$results/uml/stage-seconds") s"
}
vm_stage() {
	local st=$1
	want "$st" || return 0
	stage_log "$st" "starting"
	stage_run "$st"
	stage_log "$st" "done in $(cat "$results/$st/stage-seconds" 2>/dev/null || echo "?") s"
}
# The QEMU stages: Debian's 6.12 beside 6.1 and then the debug kernel (the
# guests are niced; measured in the README), or one after the other.
run_vms() {
	if [ "${LAGX_SERIAL:-0}" = 1 ]; then
		vm_stage vm612
		vm_stage vm61
		vm_stage debug
		return
	fi
	vm_stage vm612 &
	local pid=$!
	vm_stage vm61
	vm_stage debug
	wait "$pid" || true
}
mkdir -p "$results/uml"
if [ "${LAGX_SERIAL:-0}" = 1 ] || ! want uml; then
	! want uml || run_uml
	run_vms
else
	# UML runs on one host CPU: the QEMU guests (and the debug kernel
	# build) take the rest of the machine meanwhile.
	run_uml &
	uml_pid=$!
	run_vms
	wait $uml_pid || true
fi
if [ -n "$debug_build_pid" ]; then
	wait "$debug_build_pid" || true
	debug_build_pid=
fi

for st in uml vm612 debug vm61; do
	want $st || continue
	if [ $st = uml ] && [ $built = 0 ]; then
		test_result FAIL "uml: guest run" "not booted: the module build failed"
		continue
	fi
	stage_parse $st
done

finish
