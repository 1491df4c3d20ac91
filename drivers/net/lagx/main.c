// SPDX-License-Identifier: GPL-2.0
/*
 * lagx: link aggregation driver.  Module registration only.
 */
#include <linux/module.h>
#include <net/rtnetlink.h>

#include "lagx.h"

static int __init lagx_module_init(void)
{
	int err;

	err = lagx_procfs_init();
	if (err)
		return err;

	err = lagx_notifier_init();
	if (err)
		goto err_procfs_exit;

	err = lagx_rtnl_init();
	if (err)
		goto err_notifier_exit;

	return 0;

err_notifier_exit:
	lagx_notifier_exit();
err_procfs_exit:
	lagx_procfs_exit();
	return err;
}

static void __exit lagx_module_exit(void)
{
	/* Deletes every lagx device, releasing its ports. */
	lagx_rtnl_exit();
	lagx_notifier_exit();
	lagx_procfs_exit();
}

module_init(lagx_module_init);
module_exit(lagx_module_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("lagx: link aggregation (active-backup, balance-slb, LACP)");
MODULE_ALIAS_RTNL_LINK(LAGX_DRV_NAME);
