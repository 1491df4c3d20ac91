#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check: build everything, run every test in its guests, summarize.
#
#   install deps -> UML kernel -> W=1 module build for UML -> compile tests
#   against Debian 6.1/6.12 headers -> the stages (LAGX_RIGS):
#     uml     KUnit + every selftest in the UML kernel (KASAN, lockdep)
#     vm612   selftests on Debian's stock 6.12 under QEMU, LAGX_VM_CPUS CPUs:
#             basic, failover, observe, rmmod_traffic (LAGX_VM_FULL=1: all
#             but lagx_bench, whose rates mean nothing under TCG, and
#             lagx_stress, the debug stage's)
#     debug   the SMP stress test on the x86-64 debug kernel (KCSAN, lockdep,
#             kmemleak; built once, cached); LAGX_VM_FULL=1: + lagx_lacp
#     vm61    failover, rmmod_traffic and lagxctl (skips: no genl family
#             before 6.2) on Debian's stock 6.1; LAGX_VM_FULL=1: + lagx_lacp
#   The default QEMU stage contents are what fits CI's 90 minutes cold on
#   2 cores under TCG (see README, "Measured").
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
#   LAGX_SERIAL=1               run the QEMU stages after the UML one, not
#                               beside it
#   LAGX_VM_FULL=1              the full selftest lists of the QEMU stages
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

# ------------------------------------------------------- host-side steps --

if ! "$LAGX_TOP/scripts/install-deps.sh"; then
	test_result FAIL "setup: install-deps.sh"
	finish
fi
if ! LAGX_UML=$("$LAGX_TOP/scripts/uml-build.sh"); then
	test_result FAIL "setup: UML kernel build"
	finish
fi
export LAGX_UML
ksrc=$("$LAGX_TOP/scripts/uml-build.sh" --source-only)

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
		if [ "${LAGX_VM_FULL:-0}" = 1 ]; then
			for n in "${all_selftests[@]}"; do
				case $n in lagx_bench | lagx_stress) ;; *) list+=("$n") ;; esac
			done
		else
			list=(lagx_basic lagx_failover lagx_observe lagx_rmmod_traffic)
		fi ;;
	debug)
		list=(lagx_stress)
		[ "${LAGX_VM_FULL:-0}" = 1 ] && list+=(lagx_lacp) ;;
	vm61)
		list=(lagx_failover lagx_rmmod_traffic lagx_lagxctl)
		[ "${LAGX_VM_FULL:-0}" = 1 ] && list+=(lagx_lacp) ;;
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

# stage_kernel STAGE: LAGX_KERNEL of a QEMU stage.
stage_kernel() {
	case $1 in vm612) echo 6.12 ;; vm61) echo 6.1 ;; debug) echo debug ;; esac
}

# stage_run STAGE: boot the stage's guest (its results in $results/STAGE,
# the runner's status in rc, its output in run.log).  Returns 0 when there
# is nothing to run.
stage_run() {
	local st=$1 dir=$results/$1 tests gargs=() skip= start
	mkdir -p "$dir"
	tests=$(stage_tests "$st")
	start=$(date +%s)
	if [ "$st" = uml ]; then
		[ "$skip_kunit" = 1 ] && skip+=kunit,
		[ "$skip_selftests" = 1 ] && skip+=selftests,
		[ -n "$only" ] && gargs+=(lagx.only="$only")
	else
		# KUnit stays in UML (no CONFIG_KUNIT in Debian's kernels).
		skip=kunit,
		[ "$skip_selftests" = 1 ] && skip+=selftests,
		[ -n "$tests" ] || { echo 0 >"$dir/run.rc"; return 0; }
		gargs+=(lagx.only="${tests// /,}")
	fi
	# TCG runs the tests 1.5-3x slower than UML (measured: lagx_lacp and
	# lagx_options need more than 300 s on 6.12 there).
	if [ "$st" = uml ]; then
		gargs+=(lagx.timeout="${LAGX_SELFTEST_TIMEOUT:-300}")
	else
		gargs+=(lagx.timeout="${LAGX_SELFTEST_TIMEOUT:-900}")
	fi
	[ -n "$kunit_glob" ] && gargs+=(lagx.kunit="$kunit_glob")
	[ -n "$skip" ] && gargs+=(lagx.skip="${skip%,}")
	local rc=0
	if [ "$st" = uml ]; then
		"$LAGX_TOP/scripts/uml-run.sh" -t "${LAGX_TIMEOUT:-3600}" -r "$dir" \
			check "${gargs[@]}" >"$dir/run.log" 2>&1 || rc=$?
	else
		LAGX_KERNEL=$(stage_kernel "$st") LAGX_VM_CPUS=$cpus \
			"$LAGX_TOP/scripts/vm-run.sh" -t "${LAGX_TIMEOUT:-3600}" -r "$dir" \
			check "${gargs[@]}" >"$dir/run.log" 2>&1 || rc=$?
	fi
	echo "$rc" >"$dir/run.rc"
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

# stage_parse STAGE: the rows and counts of a stage, and its summary line.
stage_parse() {
	local st=$1 dir=$results/$1 urc what rig kernel accel ncpu p0=$npass f0=$nfail
	local first=${#rows[@]} tests
	urc=$(cat "$dir/run.rc" 2>/dev/null || echo missing)
	tests=$(stage_tests "$st")
	if [ "$st" = uml ]; then
		kernel="UML $(cat "$LAGX_UML/include/config/kernel.release" 2>/dev/null || echo "?")"
		ncpu=1 accel=uml
	else
		rig=$(cat "$dir/rig" 2>/dev/null || true)
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
	if [ -f "$dir/guest-done" ]; then
		test_result PASS "$st: guest run completed" "$(cat "$dir/boot-seconds") s"
	else
		local why
		case $urc in
		124) why="timed out after ${LAGX_TIMEOUT:-3600} s" ;;
		134) why="kernel panic (UML aborted)" ;;
		139) why="UML crashed (SIGSEGV)" ;;
		*) why="exit $urc: $(grep -a '^lagx: ' "$dir/run.log" 2>/dev/null | tail -n1 | cut -c1-120)" ;;
		esac
		test_result FAIL "$st: guest run completed" "$why, see $st/run.log, console.log"
	fi

	rc=$(rcfile "$st/lagx-insmod.rc")
	if [ "$rc" = 0 ]; then
		test_result PASS "$st: insmod lagx.ko"
	else
		test_result FAIL "$st: insmod lagx.ko" "exit $rc: $(head -c 200 "$dir/lagx-insmod.log" 2>/dev/null)"
	fi

	if [ "$st" = uml ]; then
		kunit_parse "$dir"
	fi

	if [ "$skip_selftests" = 1 ]; then
		row SKIP "$st: selftests" "skipped"
	else
		local expected=() name lf
		read -r -a expected <<<"$tests"
		[ ${#expected[@]} -gt 0 ] ||
			test_result FAIL "$st: selftests" "none found${only:+ matching '$only'}"
		for name in "${expected[@]}"; do
			lf=$dir/selftest-$name.log
			rc=$(rcfile "$st/selftest-$name.rc")
			if [ "$rc" = missing ]; then
				if [ -f "$lf" ]; then
					test_result FAIL "$st: selftest $name" "interrupted: the guest died during it"
				else
					test_result FAIL "$st: selftest $name" "did not run: the guest stopped before"
				fi
				continue
			fi
			{ read -r p f s plan planskip; mapfile -t bad; } < <(tap_count "$lf")
			npass=$((npass + p)) nfail=$((nfail + f)) nskip=$((nskip + s))
			detail="$p passed, $f failed, $s skipped, exit $rc"
			if [ -f "$dir/selftest-$name.timeout" ]; then
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
		done
	fi

	rc=$(rcfile "$st/lagx-rmmod.rc")
	if [ "$rc" = 0 ]; then
		test_result PASS "$st: rmmod lagx"
	elif [ "$rc" = not-loaded ]; then
		row SKIP "$st: rmmod lagx" "lagx.ko was not loaded at the end"
	elif [ -f "$dir/guest-done" ]; then
		test_result FAIL "$st: rmmod lagx" "exit $rc: $(head -c 200 "$dir/lagx-rmmod.log" 2>/dev/null)"
	fi

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

	# The kernel log: any splat fails the stage.
	local found=0 f
	for f in dmesg.log console.log demo/console.log; do
		[ -f "$dir/$f" ] || continue
		# -a: a corrupted task name can put binary bytes in the log.
		if kernel_log "$dir/$f" | grep -aEq "$splat"; then
			found=1
			echo "---- kernel splats in $st/$f:"
			kernel_log "$dir/$f" | grep -aEn "$splat" | head -n 60
		fi
	done
	if [ $found = 0 ]; then
		test_result PASS "$st: kernel log clean"
	else
		local during=()
		for f in boot.dmesg lagx-insmod.dmesg kunit.log "$dir"/selftest-*.dmesg; do
			f=$(basename "$f")
			[ -f "$dir/$f" ] && kernel_log "$dir/$f" | grep -aEq "$splat" || continue
			case $f in
			boot.dmesg) during+=(boot) ;;
			lagx-insmod.dmesg) during+=("insmod lagx") ;;
			kunit.log) during+=(kunit) ;;
			*) f=${f#selftest-}; during+=("${f%.dmesg}") ;;
			esac
		done
		test_result FAIL "$st: kernel log clean" \
			"splats${during[*]:+ during: $(IFS=,; echo "${during[*]}")}"
	fi

	# The stage's line, above its rows.
	local sp=$((npass - p0)) sf=$((nfail - f0)) line status=PASS
	[ $sf -gt 0 ] && status=FAIL
	line=$(printf '%-5s %-52s %4d passed %3d failed %6s s' "$status" \
		"$what on $kernel ($ncpu CPU$([ "$ncpu" = 1 ] || echo s), $accel)" \
		"$sp" "$sf" "$(cat "$dir/stage-seconds" 2>/dev/null || echo "?")")
	stage_lines+=("$line")
	rows=("${rows[@]:0:$first}" "$line" "${rows[@]:$first}")
}

rcfile() { cat "$results/$1" 2>/dev/null || echo missing; }

# kunit_parse DIR: the KUnit rows of the UML stage.
kunit_parse() {
	local dir=$1 st kind name p f s kp kf ks prc
	if [ "$skip_kunit" = 1 ]; then
		row SKIP "uml: kunit" "skipped"
	elif [ ! -s "$dir/kunit.log" ]; then
		test_result FAIL "uml: kunit" "no KUnit output (insmod lagx_kunit.ko: $(rcfile kunit.rc))"
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
run_vms() {
	local st
	for st in vm612 debug vm61; do
		want $st || continue
		stage_log $st "starting"
		stage_run $st
		stage_log $st "done in $(cat "$results/$st/stage-seconds") s"
	done
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

for st in uml vm612 debug vm61; do
	want $st || continue
	if [ $st = uml ] && [ $built = 0 ]; then
		test_result FAIL "uml: guest run" "not booted: the module build failed"
		continue
	fi
	stage_parse $st
done

finish
