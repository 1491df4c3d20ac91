#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Boot an x86-64 kernel under QEMU with tools/testing/lagx/guest-init.sh as
# PID 1: the job interface of scripts/uml-run.sh, on a real kernel with
# several CPUs.
#
# Usage: scripts/vm-run.sh [-i] [-t SECS] [-r DIR] JOB [KERNEL-ARG...]
#   JOB         check | shell | cmd (see guest-init.sh)
#   -i          interactive: the serial console is the terminal
#   -t SECS     host-side timeout of the whole boot (default 3600, 0 = none)
#   -r DIR      results directory (default: $LAGX_RESULTS or a new
#               $LAGX_CACHE/results/vm-<job>-<time>); console.log is saved
#   KERNEL-ARG  more kernel arguments, e.g. lagx.only=foo lagx.cmd=/path
#
# Environment:
#   LAGX_KERNEL=6.12|6.1|debug  the kernel (default 6.12), from
#                               scripts/vm-kernel.sh (cached, lagx.ko
#                               built for it)
#   LAGX_VM_CPUS=N              CPUs of the guest (default 2)
#   LAGX_VM_MEM=SIZE            guest memory (default 2G)
#   LAGX_VM_ACCEL=kvm|tcg       skip the probe (default: KVM if it really
#                               works here, else multi-threaded TCG)
#   LAGX_VM_ARGS                extra kernel arguments
#   LAGX_VM_DIR                 a kernel directory of vm-kernel.sh to use
#                               as is (lagx.ko not rebuilt)
#
# The root is the host's / over read-only virtio-9p; the repository, the
# results directory (and the directory of lagx.cmd) are writable 9p shares.
# A busybox-static initramfs (cached per kernel) loads the 9p modules and
# switches to guest-init.sh.  QEMU runs niced.  Writes "rig" (kernel, CPUs,
# accelerator) and boot-seconds into the results directory.  Exits with
# QEMU's status, 124 on timeout, or for the cmd job with the command's exit
# status.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

interactive=0
tmo=3600
results=${LAGX_RESULTS:-}
while getopts it:r: o; do
	case $o in
	i) interactive=1 ;;
	t) tmo=$OPTARG ;;
	r) results=$OPTARG ;;
	*) die "usage: $0 [-i] [-t SECS] [-r DIR] JOB [KERNEL-ARG...]" ;;
	esac
done
shift $((OPTIND - 1))
[ $# -ge 1 ] || die "usage: $0 [-i] [-t SECS] [-r DIR] JOB [KERNEL-ARG...]"
job=$1
shift

command -v qemu-system-x86_64 >/dev/null ||
	die "qemu-system-x86_64 not installed (scripts/install-deps.sh)"
[ -x /bin/busybox ] || die "busybox-static not installed (scripts/install-deps.sh)"

kernel=${LAGX_KERNEL:-6.12}
cpus=${LAGX_VM_CPUS:-2}
mem=${LAGX_VM_MEM:-2G}
kd=${LAGX_VM_DIR:-$("$LAGX_TOP/scripts/vm-kernel.sh" "$kernel")}
rel=$(cat "$kd/release")
ko=$kd/lagx/drivers/net/lagx/lagx.ko
[ -f "$ko" ] || die "no lagx.ko for $rel in $kd"

results=${results:-$LAGX_CACHE/results/vm-$job-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$results"
results=$(cd "$results" && pwd)
for p in "$LAGX_TOP" "$results" "$kd"; do
	[[ "$p" != *[[:space:]]* ]] || die "path with blanks not supported: '$p'"
done
case $kd in
/tmp/* | /run/* | /var/tmp/* | /var/log/*)
	die "the kernel directory $kd is hidden by the guest's tmpfs mounts (LAGX_CACHE)" ;;
esac

# ------------------------------------------------------------ initramfs --

# Busybox, the init script and the modules the 9p root needs, resolved
# with their dependencies from the kernel's modules.dep (none when they
# are built in), decompressed.  Cached per kernel, keyed by what goes in.
initramfs() {
	local list key out tmp m
	list=$(for m in virtio_pci 9pnet_virtio 9p; do
		modprobe -d "$kd/modroot" -S "$rel" --show-depends "$m" ||
			die "cannot resolve module $m of $rel"
	done | awk '$1 == "insmod" && !seen[$2]++ { print $2 }')
	key=$( { cat "$LAGX_TOP/tools/testing/lagx/vm-initramfs-init.sh"
		 echo "$list"; sha256sum /bin/busybox; } | sha256sum | cut -c1-12)
	out=$kd/initramfs-$key.cpio.gz
	if [ ! -f "$out" ]; then
		tmp=$(mktemp -d "$LAGX_CACHE/initramfs.XXXXXX")
		mkdir -p "$tmp/bin" "$tmp/modules"
		cp /bin/busybox "$tmp/bin/busybox"
		ln -s busybox "$tmp/bin/sh"
		install -m 0755 "$LAGX_TOP/tools/testing/lagx/vm-initramfs-init.sh" "$tmp/init"
		: >"$tmp/modules.list"
		for m in $list; do
			case $m in
			*.xz) xz -dc "$m" >"$tmp/modules/$(basename "$m" .xz)" ;;
			*.zst) zstd -qdc "$m" >"$tmp/modules/$(basename "$m" .zst)" ;;
			*) cp "$m" "$tmp/modules/" ;;
			esac
			m=$(basename "$m")
			echo "${m%.[xz][zs]*}" >>"$tmp/modules.list"
		done
		# The guests of a stage boot side by side: each writes its own
		# file, and the rename makes one of them the cached one.
		(cd "$tmp" && find . | cpio -o -H newc --quiet | gzip -1) >"$tmp.cpio.gz"
		mv "$tmp.cpio.gz" "$out"
		rm -rf "$tmp"
	fi
	echo "$out"
}
initrd=$(initramfs)

# --------------------------------------------------------- accelerator --

# KVM only where it really runs a stock kernel: hardware virtualisation in
# /proc/cpuinfo, kvm_intel or kvm_amd loaded, and a probe boot that prints
# its marker.  (A nested kvm_pvm answers on /dev/kvm but cannot run an
# unmodified kernel: it fails in its instruction emulator.)
ACCEL_WHY=
probe_kvm() {
	local out
	if ! grep -qwE 'vmx|svm' /proc/cpuinfo; then
		ACCEL_WHY="no vmx/svm in /proc/cpuinfo"
		return 1
	fi
	if [ ! -d /sys/module/kvm_intel ] && [ ! -d /sys/module/kvm_amd ]; then
		ACCEL_WHY="neither kvm_intel nor kvm_amd loaded"
		return 1
	fi
	if [ ! -w /dev/kvm ]; then
		ACCEL_WHY="/dev/kvm not writable"
		return 1
	fi
	out=$(timeout -k 5 60 qemu-system-x86_64 -accel kvm -cpu host -smp 1 -m 512M \
		-nographic -no-reboot -nic none -kernel "$kd/vmlinuz" -initrd "$initrd" \
		-append "console=ttyS0 panic=-1 lagx.probe=1" </dev/null 2>&1) || true
	if ! grep -q 'lagx-vm-probe: ok' <<<"$out"; then
		ACCEL_WHY="KVM probe boot failed: $(grep -m1 -iE 'error|fail' <<<"$out" | cut -c1-100)"
		return 1
	fi
}
accel=${LAGX_VM_ACCEL:-}
if [ -z "$accel" ]; then
	if probe_kvm; then accel=kvm; else accel=tcg; fi
fi
case $accel in
kvm) qaccel=(-accel kvm -cpu host) ;;
tcg) qaccel=(-accel tcg,thread=multi -cpu max) ;;
*) die "LAGX_VM_ACCEL must be kvm or tcg" ;;
esac
log "accelerator: $accel${ACCEL_WHY:+ ($ACCEL_WHY)}"

# ----------------------------------------------------------------- boot --

(cd "$results" && rm -rf guest-started guest-done cmd.rc dmesg.log ./*.dmesg \
	selftest-* selftests.count kunit.log kunit.rc kunit.json kunit-parse.log \
	kunit-debugfs lagx-insmod.* lagx-rmmod.* console.log boot-seconds rig)

args=(console=ttyS0 panic=-1 oops=panic log_buf_len=8M loglevel=5
      init="$LAGX_TOP/tools/testing/lagx/guest-init.sh"
      bonding.max_bonds=0 dummy.numdummies=0
      lagx.modroot="$kd/modroot" lagx.rig=vm lagx.tty=ttyS0
      lagx.job="$job" lagx.top="$LAGX_TOP" lagx.results="$results"
      lagx.ko="$ko")
ksrc=$("$LAGX_TOP/scripts/uml-build.sh" --source-only 2>/dev/null) &&
	args+=(lagx.ksrc="$ksrc")
[ "$job" = shell ] && args+=(lagx.term="${TERM:-linux}")
# shellcheck disable=SC2206 # LAGX_VM_ARGS is a blank-separated list
args+=(${LAGX_VM_ARGS:-} "$@")

share() {	# tag path [readonly]
	qshare+=(-fsdev "local,id=$1,path=$2,security_model=none,multidevs=remap${3:+,readonly=on}"
		 -device "virtio-9p-pci,fsdev=$1,mount_tag=$1")
}
qshare=()
share root / ro
share lagxtop "$LAGX_TOP"
share lagxres "$results"
for a in "${args[@]}"; do
	case $a in
	lagx.cmd=*) share lagxcmd "$(dirname "${a#lagx.cmd=}")" ro ;;
	esac
done

qemu=(nice qemu-system-x86_64 "${qaccel[@]}" -smp "$cpus" -m "$mem"
      -nographic -no-reboot -nic none
      -kernel "$kd/vmlinuz" -initrd "$initrd" -append "${args[*]}"
      "${qshare[@]}")
printf '%q ' "${qemu[@]}" >"$results/cmdline"
echo >>"$results/cmdline"
echo "kernel=$rel cpus=$cpus accel=$accel" >"$results/rig"

log "booting $rel under QEMU ($accel, $cpus CPUs, $job), results in $results"
tmo_cmd=()
if [ "$tmo" != 0 ]; then
	if [ $interactive = 1 ]; then
		tmo_cmd=(timeout -k 30 --foreground "$tmo")
	else
		tmo_cmd=(timeout -k 30 "$tmo")
	fi
fi
start=$(date +%s.%N)
set +e
if [ $interactive = 1 ]; then
	# -nographic: the serial console and QEMU's monitor (Ctrl-A c) on the
	# terminal; Ctrl-A x quits.
	"${tmo_cmd[@]}" "${qemu[@]}" 2>&1 | tee "$results/console.log"
	rc=${PIPESTATUS[0]}
else
	"${tmo_cmd[@]}" "${qemu[@]}" </dev/null 2>&1 | tee "$results/console.log"
	rc=${PIPESTATUS[0]}
fi
set -e
secs=$(echo "$(date +%s.%N) - $start" | bc)
printf '%.1f\n' "$secs" >"$results/boot-seconds"

if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
	log "guest timed out after $tmo s (results in $results)"
	exit 124
fi
[ -f "$results/guest-done" ] || log "guest did not finish its job (QEMU exit $rc)"
log "QEMU exited ($rc) after $(cat "$results/boot-seconds") s"
if [ "$job" = cmd ] && [ -f "$results/cmd.rc" ]; then
	exit "$(cat "$results/cmd.rc")"
fi
exit "$rc"
