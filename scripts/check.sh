#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check: build everything, run every test in a UML guest, summarize.
#
#   install deps -> UML kernel -> W=1 module build for UML -> compile tests
#   against Debian 6.1/6.12 headers -> boot job=check (KUnit + selftests)
#   -> parse KUnit JSON and selftest TAP, scan the kernel log for splats.
#
# The last line is always "N passed, N failed"; the exit status is non-zero
# when anything failed.
#
# Environment:
#   LAGX_RESULTS=DIR            results directory (default: a new
#                               $LAGX_CACHE/results/check-<time>)
#   LAGX_ONLY=NAME[,NAME...]    run only these selftests (and no KUnit, unless
#                               LAGX_KUNIT is set too)
#   LAGX_KUNIT=GLOB             run only the KUnit suites matching GLOB
#                               (suite or suite.test; no selftests, unless
#                               LAGX_ONLY is set too)
#   LAGX_SKIP_KUNIT=1, LAGX_SKIP_SELFTESTS=1, LAGX_SKIP_COMPILE_TEST=1,
#   LAGX_SKIP_DEMO=1
#   LAGX_SELFTEST_TIMEOUT=SECS  per selftest (default 300)
#   LAGX_TIMEOUT=SECS           whole guest run (default 3600)
set -euo pipefail
. "$(dirname "$0")/lib.sh"

results=${LAGX_RESULTS:-$LAGX_CACHE/results/check-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$results"
results=$(cd "$results" && pwd)
log "results in $results"
selftest_dir=$LAGX_TOP/tools/testing/selftests/drivers/net/lagx

npass=0 nfail=0 nskip=0
rows=()
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

# ----------------------------------------------------------- the guest --

if [ $built = 0 ]; then
	test_result FAIL "guest run" "not booted: the module build failed"
	finish
fi

only=${LAGX_ONLY:-}
kunit_glob=${LAGX_KUNIT:-}
skip_kunit=${LAGX_SKIP_KUNIT:-0}
skip_selftests=${LAGX_SKIP_SELFTESTS:-0}
[ -n "$only" ] && [ -z "$kunit_glob" ] && skip_kunit=1
[ -n "$kunit_glob" ] && [ -z "$only" ] && skip_selftests=1
skip=
[ "$skip_kunit" = 1 ] && skip+=kunit,
[ "$skip_selftests" = 1 ] && skip+=selftests,
gargs=(lagx.timeout="${LAGX_SELFTEST_TIMEOUT:-300}")
[ -n "$only" ] && gargs+=(lagx.only="$only")
[ -n "$kunit_glob" ] && gargs+=(lagx.kunit="$kunit_glob")
[ -n "$skip" ] && gargs+=(lagx.skip="${skip%,}")

urc=0
"$LAGX_TOP/scripts/uml-run.sh" -t "${LAGX_TIMEOUT:-3600}" -r "$results" \
	check "${gargs[@]}" || urc=$?

rcfile() { cat "$results/$1" 2>/dev/null || echo missing; }

if [ -f "$results/guest-done" ]; then
	test_result PASS "guest run completed" "$(cat "$results/boot-seconds") s"
else
	case $urc in
	124) why="timed out after ${LAGX_TIMEOUT:-3600} s" ;;
	134) why="kernel panic (UML aborted)" ;;
	139) why="UML crashed (SIGSEGV)" ;;
	*) why="UML exit $urc" ;;
	esac
	test_result FAIL "guest run completed" "$why, see console.log"
fi

rc=$(rcfile lagx-insmod.rc)
if [ "$rc" = 0 ]; then
	test_result PASS "insmod lagx.ko"
else
	test_result FAIL "insmod lagx.ko" "exit $rc: $(head -c 200 "$results/lagx-insmod.log" 2>/dev/null)"
fi

# ---------------------------------------------------------------- KUnit --

if [ "$skip_kunit" = 1 ]; then
	row SKIP "kunit" "skipped"
elif [ ! -s "$results/kunit.log" ]; then
	test_result FAIL "kunit" "no KUnit output (insmod lagx_kunit.ko: $(rcfile kunit.rc))"
else
	# kunit.py must run from a tree that contains tools/testing/kunit.
	prc=0
	(cd "$ksrc" && python3 tools/testing/kunit/kunit.py parse \
		--json="$results/kunit.json" "$results/kunit.log") \
		>"$results/kunit-parse.log" 2>&1 || prc=$?
	cat "$results/kunit-parse.log"
	kp=0 kf=0 ks=0
	if [ -s "$results/kunit.json" ]; then
		while IFS=$'\t' read -r kind name p f s; do
			case $kind in
			suite)
				kp=$((kp + p)) kf=$((kf + f)) ks=$((ks + s))
				st=PASS
				[ "$f" -gt 0 ] && st=FAIL
				row "$st" "kunit $name" "$p passed, $f failed, $s skipped" ;;
			case) row "" "  not ok: $name" "$p" ;;
			esac
		done < <(python3 - "$results/kunit.json" <<'EOF'
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
		test_result FAIL "kunit" "no test cases found (kunit.py exit $prc)"
	elif [ "$prc" -ne 0 ] && [ "$kf" -eq 0 ]; then
		test_result FAIL "kunit" "kunit.py parse exit $prc, see kunit-parse.log"
	fi
fi

# ------------------------------------------------------------ selftests --

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

if [ "$skip_selftests" = 1 ]; then
	row SKIP "selftests" "skipped"
else
	expected=()
	for t in "$selftest_dir"/*.sh; do
		[ -f "$t" ] && [ -x "$t" ] || continue
		name=$(basename "$t" .sh)
		[ -z "$only" ] || [[ ",$only," == *",$name,"* ]] || [[ ",$only," == *",$name.sh,"* ]] ||
			continue
		expected+=("$name")
	done
	[ ${#expected[@]} -gt 0 ] ||
		test_result FAIL "selftests" "none found${only:+ matching '$only'}"
	for name in "${expected[@]}"; do
		lf=$results/selftest-$name.log
		rc=$(rcfile "selftest-$name.rc")
		if [ "$rc" = missing ]; then
			if [ -f "$lf" ]; then
				test_result FAIL "selftest $name" "interrupted: the guest died during it"
			else
				test_result FAIL "selftest $name" "did not run: the guest stopped before"
			fi
			continue
		fi
		{ read -r p f s plan planskip; mapfile -t bad; } < <(tap_count "$lf")
		npass=$((npass + p)) nfail=$((nfail + f)) nskip=$((nskip + s))
		detail="$p passed, $f failed, $s skipped, exit $rc"
		if [ -f "$results/selftest-$name.timeout" ]; then
			test_result FAIL "selftest $name" "timed out; $detail"
		elif [ $((p + f + s)) -eq 0 ]; then
			if [ "$plan" = 0 ] && [ "$planskip" = 1 ]; then
				test_result SKIP "selftest $name" "1..0 # SKIP"
			else
				test_result FAIL "selftest $name" "no TAP test lines, exit $rc"
			fi
		elif [ "$rc" != 0 ] && [ "$rc" != 4 ] && [ "$f" -eq 0 ]; then
			test_result FAIL "selftest $name" "non-zero exit without 'not ok'; $detail"
		elif [ "$plan" -ge 0 ] && [ $((p + f + s)) -lt "$plan" ]; then
			test_result FAIL "selftest $name" "only $((p + f + s)) of plan 1..$plan; $detail"
		else
			st=PASS
			[ "$f" -gt 0 ] && st=FAIL
			row "$st" "selftest $name" "$detail"
		fi
		for l in "${bad[@]}"; do row "" "  $l"; done
	done
fi

rc=$(rcfile lagx-rmmod.rc)
if [ "$rc" = 0 ]; then
	test_result PASS "rmmod lagx"
elif [ "$rc" = not-loaded ]; then
	row SKIP "rmmod lagx" "lagx.ko was not loaded at the end"
elif [ -f "$results/guest-done" ]; then
	test_result FAIL "rmmod lagx" "exit $rc: $(head -c 200 "$results/lagx-rmmod.log" 2>/dev/null)"
fi

# ----------------------------------------------------------------- demo --

# "make demo" shows the story only (scripts/check-demo.sh), in a guest of
# its own; not with LAGX_ONLY/LAGX_KUNIT, nor with LAGX_SKIP_DEMO=1.
if [ -n "$only" ] || [ -n "$kunit_glob" ] || [ "${LAGX_SKIP_DEMO:-0}" = 1 ]; then
	row SKIP "demo" "LAGX_ONLY, LAGX_KUNIT or LAGX_SKIP_DEMO"
else
	while IFS=$'\t' read -r head detail; do
		test_result "${head%% *}" "${head#* }" "$detail"
	done < <("$LAGX_TOP/scripts/check-demo.sh" "$results/demo")
fi

# ------------------------------------------------------ kernel log scan --

splat='BUG:|WARNING:|KASAN|possible recursive locking|circular locking|INFO: |suspicious RCU usage|ODEBUG|Call Trace|general protection|Kernel panic|sleeping function called from invalid context|unregister_netdevice: waiting for'
found=0
for f in dmesg.log console.log demo/console.log; do
	[ -f "$results/$f" ] || continue
	# -a: a corrupted task name can put binary bytes in the log.
	if grep -aEq "$splat" "$results/$f"; then
		found=1
		echo "---- kernel splats in $f:"
		grep -aEn "$splat" "$results/$f" | head -n 60
	fi
done
if [ $found = 0 ]; then
	test_result PASS "kernel log clean"
else
	# Which step of the guest run printed them (its slice of dmesg).
	during=()
	for f in boot.dmesg lagx-insmod.dmesg kunit.log "$results"/selftest-*.dmesg; do
		f=$(basename "$f")
		[ -f "$results/$f" ] && grep -aEq "$splat" "$results/$f" || continue
		case $f in
		boot.dmesg) during+=(boot) ;;
		lagx-insmod.dmesg) during+=("insmod lagx") ;;
		kunit.log) during+=(kunit) ;;
		*) f=${f#selftest-}; during+=("${f%.dmesg}") ;;
		esac
	done
	test_result FAIL "kernel log clean" \
		"splats${during[*]:+ during: $(IFS=,; echo "${during[*]}")}"
fi

finish
