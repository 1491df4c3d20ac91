# SPDX-License-Identifier: GPL-2.0
#
# lagx: build the module out of tree against an installed kernel.
#
#   make                     build drivers/net/lagx/lagx.ko for the running kernel
#   make KDIR=/path/to/build build against another kernel build tree
#   make plugin              build the iproute2 plugin tools/iproute2/link_lagx.so
#                            ("make" builds it too, after the module)
#   make install             install the plugin into $(DESTDIR)$(IP_LIB_DIR)
#                            (default /usr/lib/<multiarch>/ip, where ip looks)
#   make lagxctl             build tools/lagxctl/lagxctl (needs libmnl-dev)
#   make netlink-gen         regenerate the genl code from its YNL spec
#   make check               run every test in a User-Mode Linux guest
#   make bench               benchmarks against bonding, team and the bare
#                            port in a non-debug UML guest: bench/results.md
#   make demo                narrated demo in a UML guest
#   make shell               shell in a UML guest with lagx loaded
#                            (LAGX_KERNEL=6.12|6.1|debug: in a QEMU guest)
#
KDIR ?= /lib/modules/$(shell uname -r)/build

all: modules plugin

modules:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

# The plugin needs only a C compiler and the uapi headers, no kernel tree.
plugin:
	$(MAKE) -C tools/iproute2

install: plugin
	$(MAKE) -C tools/iproute2 install

clean:
	$(MAKE) -C tools/iproute2 clean
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean

# lagxctl, the command-line tool (needs libmnl-dev): tools/lagxctl/lagxctl
lagxctl:
	$(MAKE) -C tools/lagxctl

.PHONY: lagxctl

# Regenerate the generic netlink code from Documentation/netlink/specs/lagx.yaml
# with the kernel tree's ynl-gen-c.py (make check fails if it is stale).
netlink-gen:
	scripts/ynl-gen.sh

check:
	scripts/check.sh

bench:
	scripts/bench.sh

demo:
	scripts/demo.sh

shell:
	scripts/uml-shell.sh

.PHONY: all modules plugin install clean netlink-gen check bench demo shell
