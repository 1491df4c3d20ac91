# SPDX-License-Identifier: GPL-2.0
#
# lagx: build the module out of tree against an installed kernel.
#
#   make                     build drivers/net/lagx/lagx.ko for the running kernel
#   make KDIR=/path/to/build build against another kernel build tree
#   make check               run every test in a User-Mode Linux guest
#   make demo                narrated demo in a UML guest
#   make shell               shell in a UML guest with lagx loaded
#
KDIR ?= /lib/modules/$(shell uname -r)/build

all: modules

modules:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean

check:
	scripts/check.sh

demo:
	scripts/demo.sh

shell:
	scripts/uml-shell.sh

.PHONY: all modules clean check demo shell
