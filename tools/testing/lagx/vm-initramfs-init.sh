#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# /init of the busybox initramfs of the QEMU guests (built and booted by
# scripts/vm-run.sh): load the modules the 9p root needs (/modules.list,
# in dependency order; none for a kernel with them built in), mount the
# host's / read-only over virtio-9p (tag "root"), put the guest kernel's
# own modules at /lib/modules/<release> (tmpfs over the host's, then a bind
# mount of lagx.modroot=DIR/lib/modules/<release>), move /dev /proc /sys
# and switch_root to init= (tools/testing/lagx/guest-init.sh).
#
# lagx.probe=1: print the marker line of scripts/vm-run.sh's KVM probe and
# power off at once.
/bin/busybox mkdir -p /proc /sys /dev /newroot /sbin /usr/bin /usr/sbin
/bin/busybox --install -s
export PATH=/bin:/sbin:/usr/bin:/usr/sbin

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev

rescue() {
	echo "lagx-initramfs: $*" >/dev/console
	echo "lagx-initramfs: FAILED, powering off" >/dev/console
	poweroff -f
}

init=
modroot=
for w in $(cat /proc/cmdline); do
	case $w in
	init=*) init=${w#init=} ;;
	lagx.modroot=*) modroot=${w#lagx.modroot=} ;;
	lagx.probe=1)
		echo "lagx-vm-probe: ok"
		poweroff -f ;;
	esac
done

while read -r m; do
	[ -n "$m" ] || continue
	insmod "/modules/$m" || rescue "insmod $m failed"
done </modules.list

mount -t 9p -o trans=virtio,version=9p2000.L,ro,msize=1048576,cache=loose \
	root /newroot || rescue "cannot mount the 9p root"
rel=$(uname -r)
if [ -n "$modroot" ] && [ -d "/newroot$modroot/lib/modules/$rel" ]; then
	mount -t tmpfs -o mode=0755 tmpfs /newroot/lib/modules &&
		mkdir "/newroot/lib/modules/$rel" &&
		mount --bind "/newroot$modroot/lib/modules/$rel" "/newroot/lib/modules/$rel" ||
		rescue "cannot mount the modules of $rel"
fi
[ -n "$init" ] && [ -x "/newroot$init" ] || rescue "no init= or not executable: '$init'"
for d in dev proc sys; do
	mount --move "/$d" "/newroot/$d" || rescue "cannot move /$d"
done
exec switch_root /newroot "$init"
