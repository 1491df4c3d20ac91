#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Generate the lagx generic netlink code from its YNL spec with the kernel
# tree's ynl-gen-c.py.  Usage: scripts/ynl-gen.sh [--check]
#   --check  regenerate into a temporary directory and fail if the
#            committed files differ.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

src=$("$LAGX_TOP"/scripts/uml-build.sh --source-only)
gen=$src/tools/net/ynl/ynl-gen-c.py
spec=$LAGX_TOP/Documentation/netlink/specs/lagx.yaml

# ynl-gen-c.py wants a MAINTAINERS file above the spec and the schema at
# <spec dir>/../genetlink.yaml: stage both beside a copy of the spec.
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/Documentation/netlink/specs" "$stage/out"
touch "$stage/MAINTAINERS"
cp "$src/Documentation/netlink/genetlink.yaml" "$stage/Documentation/netlink/"
cp "$spec" "$stage/Documentation/netlink/specs/lagx.yaml"

run() { (cd "$stage" && python3 "$gen" --spec Documentation/netlink/specs/lagx.yaml "$@"); }
run --mode kernel --header -o "$stage/out/netlink_gen.h"
run --mode kernel --source -o "$stage/out/netlink_gen.c"
run --mode uapi --header -o "$stage/out/lagx.h"

targets=("drivers/net/lagx/netlink_gen.h" "drivers/net/lagx/netlink_gen.c"
	 "include/uapi/linux/lagx.h")
outs=(netlink_gen.h netlink_gen.c lagx.h)
status=0
for i in "${!targets[@]}"; do
	if [ "${1:-}" = --check ]; then
		if ! diff -u "$LAGX_TOP/${targets[$i]}" "$stage/out/${outs[$i]}"; then
			log "${targets[$i]} differs from what the spec generates (run scripts/ynl-gen.sh)"
			status=1
		fi
	else
		cp "$stage/out/${outs[$i]}" "$LAGX_TOP/${targets[$i]}"
	fi
done
exit $status
