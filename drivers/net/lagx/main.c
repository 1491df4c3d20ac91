// SPDX-License-Identifier: GPL-2.0
/*
 * lagx: link aggregation driver.  Module registration only.
 */
#include <linux/module.h>
#include <linux/workqueue.h>
#include <net/genetlink.h>
#include <net/rtnetlink.h>

#include "lagx.h"

static int __init lagx_module_init(void)
{
	int err;

	lagx_wq = alloc_workqueue(LAGX_DRV_NAME, 0, 0);
	if (!lagx_wq)
		return -ENOMEM;

	lagx_hash_init();

	err = lagx_procfs_init();
	if (err)
		goto err_destroy_wq;

	err = lagx_notifier_init();
	if (err)
		goto err_procfs_exit;

	err = lagx_rtnl_init();
	if (err)
		goto err_notifier_exit;

	err = lagx_nl_init();
	if (err)
		goto err_rtnl_exit;

	return 0;

err_rtnl_exit:
	lagx_rtnl_exit();
err_notifier_exit:
	lagx_notifier_exit();
err_procfs_exit:
	lagx_procfs_exit();
err_destroy_wq:
	destroy_workqueue(lagx_wq);
	return err;
}

static void __exit lagx_module_exit(void)
{
	lagx_nl_exit();
	/* Deletes every lagx device, releasing its ports. */
	lagx_rtnl_exit();
	lagx_notifier_exit();
	lagx_procfs_exit();
	/* Waits for link work still returning from its last run. */
	destroy_workqueue(lagx_wq);
}

module_init(lagx_module_init);
module_exit(lagx_module_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("lagx: link aggregation (active-backup, balance-slb, LACP)");
MODULE_VERSION(LAGX_DRV_VERSION);
MODULE_ALIAS_RTNL_LINK(LAGX_DRV_NAME);
#ifdef LAGX_HAVE_GENL
MODULE_ALIAS_GENL_FAMILY("lagx");
#endif
