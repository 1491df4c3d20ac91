# SPDX-License-Identifier: GPL-2.0
#
# A kernel log without the reports the lagx rig does not judge: KCSAN
# data races that do not mention lagx (KCSAN finds races all over a
# debug kernel; lagx's are what the rig is after), and, when the variable
# fp is set (awk -v fp=REGEX), the reports of that known false positive,
# each up to its closing ===== line.  Used by lib.sh (in the guest) and
# by scripts/check.sh (on the host).
fp != "" && $0 ~ fp { skip = 1; next }
skip && /=====/ { skip = 0; next }
skip { next }
/BUG: KCSAN: / { kcsan = 1; block = ""; lagx = 0 }
kcsan {
	block = block $0 "\n"
	if ($0 ~ /lagx/) lagx = 1
	if ($0 ~ /=====/) { if (lagx) printf "%s", block; kcsan = 0 }
	next
}
{ print }
END { if (kcsan && lagx) printf "%s", block }
