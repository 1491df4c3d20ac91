// SPDX-License-Identifier: GPL-2.0
/*
 * lagx: the mode table and mode changes.  The only place that knows the
 * list of modes.
 */
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <linux/workqueue.h>
#include <kunit/visibility.h>

#include "lagx.h"
#include "mode.h"

static const struct lagx_mode *const lagx_modes[] = {
	[LAGX_MODE_ACTIVE_BACKUP] = &lagx_mode_ab,
	[LAGX_MODE_BALANCE_SLB] = &lagx_mode_slb,
	[LAGX_MODE_LACP] = &lagx_mode_lacp,
};

static_assert(ARRAY_SIZE(lagx_modes) <= __LAGX_MODE_MAX);

const struct lagx_mode *lagx_mode_get(enum lagx_mode_id id)
{
	if ((unsigned int)id >= ARRAY_SIZE(lagx_modes))
		return NULL;
	return lagx_modes[id];
}
EXPORT_SYMBOL_IF_KUNIT(lagx_mode_get);

/* The modes that exist (a BIT() each); the others are not written yet. */
u32 lagx_modes_built(void)
{
	u32 mask = 0;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(lagx_modes); i++)
		if (lagx_modes[i])
			mask |= BIT(i);
	return mask;
}

/*
 * Switch to @mode.  The option table has validated the request (the mode
 * exists and no port is attached); this only commits it.  On a running
 * device the old mode is stopped and the new one opened, so that a mode
 * behaves the same whether it was chosen before or after "up".
 */
void lagx_mode_set(struct lagx *lagx, const struct lagx_mode *mode)
{
	const struct lagx_mode *old = lagx->mode;
	bool running = netif_running(lagx->dev);

	ASSERT_RTNL();

	if (mode == old || WARN_ON_ONCE(lagx->port_count))
		return;

	if (running && old->ops->stop)
		old->ops->stop(lagx);
	if (old->ops->uninit)
		old->ops->uninit(lagx);

	/* /proc readers use mode_priv under mode_lock, never while it is
	 * cleared and set up again for the new mode.
	 */
	mutex_lock(&lagx->mode_lock);
	memset(lagx->mode_priv, 0, sizeof(lagx->mode_priv));
	WRITE_ONCE(lagx->mode, mode);
	if (lagx->buckets)
		lagx_buckets_reset(lagx);
	if (mode->ops->init)
		mode->ops->init(lagx);
	mutex_unlock(&lagx->mode_lock);

	if (running && mode->ops->open)
		mode->ops->open(lagx);
	lagx_rebalance_schedule(lagx);
}

static void lagx_mode_work(struct work_struct *work)
{
	struct lagx *lagx = container_of(work, struct lagx, mode_work);

	rtnl_lock();
	if (lagx->dev->reg_state == NETREG_REGISTERED && lagx->mode->ops->work)
		lagx->mode->ops->work(lagx);
	rtnl_unlock();
	dev_put(lagx->dev);
}

void lagx_mode_work_init(struct lagx *lagx)
{
	INIT_WORK(&lagx->mode_work, lagx_mode_work);
}

/* Run the mode's work op under RTNL soon; any context. */
void lagx_mode_work_queue(struct lagx *lagx)
{
	/* One reference per queued instance, dropped by the work. */
	dev_hold(lagx->dev);
	if (!queue_work(lagx_wq, &lagx->mode_work))
		dev_put(lagx->dev);
}

/* Device teardown, RTNL: a running instance sees it unregistered. */
void lagx_mode_work_stop(struct lagx *lagx)
{
	ASSERT_RTNL();

	if (cancel_work(&lagx->mode_work))
		dev_put(lagx->dev);
}
