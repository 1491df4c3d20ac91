#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make shell: build what is needed, boot the UML guest with lagx.ko loaded
# and an interactive bash on the console.  Leaving the shell powers it off.
# Warnings do not prevent the shell (LAGX_ALLOW_WARNINGS=1).
#
# Usage: scripts/uml-shell.sh [KERNEL-ARG...]
set -euo pipefail
. "$(dirname "$0")/lib.sh"

# LAGX_KERNEL=6.12|6.1|debug: a shell in that QEMU guest instead (Ctrl-A x
# quits QEMU; "exit" powers the guest off).
if [ -n "${LAGX_KERNEL:-}" ]; then
	[ -t 0 ] || log "stdin is not a terminal: the guest shell reads it as a script"
	exec "$LAGX_TOP/scripts/vm-run.sh" -i -t 0 shell "$@"
fi

LAGX_UML=$("$LAGX_TOP/scripts/uml-build.sh")
export LAGX_UML
LAGX_ALLOW_WARNINGS=1 "$LAGX_TOP/scripts/build-modules.sh" >/dev/null
[ -t 0 ] || log "stdin is not a terminal: the guest shell reads it as a script"
exec "$LAGX_TOP/scripts/uml-run.sh" -i -t 0 shell "$@"
