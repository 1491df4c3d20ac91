// SPDX-License-Identifier: GPL-2.0
/*
 * lagx: applying configuration to a device.
 *
 * A request (a list of option changes, from rtnetlink today) is validated
 * whole by the option table against a copy of the configuration, then
 * committed here: the mode change, the primary bookkeeping, the new
 * configuration, and the reactions of the mode and of the core.  Nothing
 * in the commit can fail, so a refused request changes nothing.
 */
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <net/netlink.h>
#include <kunit/visibility.h>

#include "lagx.h"
#include "mode.h"

static void lagx_opt_ctx_init(const struct lagx *lagx,
			      struct lagx_opt_ctx *ctx)
{
	ctx->devname = lagx->dev->name;
	ctx->mode = lagx->cfg.mode;
	ctx->built_modes = lagx_modes_built();
	ctx->port_count = lagx->port_count;
	ctx->running = netif_running(lagx->dev);
}

/* lagx devices with a primary set: RTNL.  Saves a walk of every device
 * of the netns at each unregistration when no primary is configured.
 */
static unsigned int lagx_primaries;

#if IS_ENABLED(CONFIG_KUNIT)
unsigned int lagx_primaries_count(void)
{
	ASSERT_RTNL();
	return lagx_primaries;
}
EXPORT_SYMBOL_IF_KUNIT(lagx_primaries_count);
#endif

static void lagx_primary_set(struct lagx *lagx, u32 ifindex)
{
	lagx_primaries += !!ifindex - !!lagx->cfg.primary;
	lagx->cfg.primary = ifindex;
}

/* The lagx device goes away: its primary no longer counts. */
void lagx_primary_forget(struct lagx *lagx)
{
	ASSERT_RTNL();
	lagx_primary_set(lagx, 0);
}

/**
 * lagx_primary_gone - @dev leaves its network namespace or is destroyed
 * @dev: any device
 *
 * A lagx device whose primary it was forgets it, so that a device that
 * later gets the same ifindex does not become primary by accident.
 */
void lagx_primary_gone(struct net_device *dev)
{
	struct net_device *d;

	ASSERT_RTNL();

	if (!lagx_primaries)
		return;
	for_each_netdev(dev_net(dev), d) {
		struct lagx *lagx;

		if (!netif_is_lagx(d))
			continue;
		lagx = netdev_priv(d);
		if (lagx->cfg.primary != dev->ifindex)
			continue;
		netdev_info(d, "primary %s is gone, no primary now\n",
			    netdev_name(dev));
		lagx_primary_set(lagx, 0);
		if (lagx->mode->ops->config_changed)
			lagx->mode->ops->config_changed(lagx, NULL);
		lagx_refresh(lagx);
	}
}

/*
 * Commit a validated configuration: nothing here can fail.  A new mode
 * re-arms rebalancing itself; a new interval re-arms it here, and no
 * other option touches it (a change of updelay must not postpone it).
 */
static void lagx_config_commit(struct lagx *lagx,
			       const struct lagx_config *new)
{
	bool rebalance = new->rebalance_interval !=
			 lagx->cfg.rebalance_interval;

	lagx_mode_set(lagx, lagx_mode_get(new->mode));
	lagx_primary_set(lagx, new->primary);
	lagx->cfg = *new;
	if (rebalance)
		lagx_rebalance_schedule(lagx);
	if (lagx->mode->ops->config_changed)
		lagx->mode->ops->config_changed(lagx, NULL);
	lagx_refresh(lagx);
}

/**
 * lagx_config_change - validate a device request whole, then commit it
 * @lagx: the device
 * @changes: the request, one entry per option it sets
 * @n: entries in @changes
 * @bad: set to the index of the refused change
 * @extack: says which option was refused and why
 *
 * RTNL.  Return: 0, or a negative errno with @bad and @extack set and
 * nothing changed.
 */
int lagx_config_change(struct lagx *lagx, const struct lagx_opt_change *changes,
		       unsigned int n, unsigned int *bad,
		       struct netlink_ext_ack *extack)
{
	struct lagx_opt_ctx ctx;
	struct lagx_config new;
	int err;

	ASSERT_RTNL();

	if (!n)
		return 0;
	new = lagx->cfg;
	lagx_opt_ctx_init(lagx, &ctx);
	err = lagx_options_apply(&ctx, &lagx->cfg, &new, changes, n, bad,
				 extack);
	if (err)
		return err;
	if (new.primary != lagx->cfg.primary && new.primary &&
	    !__dev_get_by_index(dev_net(lagx->dev), new.primary)) {
		NL_SET_ERR_MSG_MOD(extack, "primary: no such device");
		*bad = 0;
		while (changes[*bad].opt->attr != IFLA_LAGX_PRIMARY)
			(*bad)++;
		return -ENODEV;
	}
	lagx_config_commit(lagx, &new);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(lagx_config_change);

/**
 * lagx_port_config_change - validate a port request whole, then commit it
 * @port: the port
 * @changes: the request, one entry per option it sets
 * @n: entries in @changes
 * @bad: set to the index of the refused change
 * @extack: says which option was refused and why
 *
 * RTNL.  Return: 0, or a negative errno with @bad and @extack set and
 * nothing changed.
 */
int lagx_port_config_change(struct lagx_port *port,
			    const struct lagx_opt_change *changes,
			    unsigned int n, unsigned int *bad,
			    struct netlink_ext_ack *extack)
{
	struct lagx *lagx = port->lagx;
	struct lagx_port_config new;
	struct lagx_opt_ctx ctx;
	int err;

	ASSERT_RTNL();

	if (!n)
		return 0;
	new = port->cfg;
	lagx_opt_ctx_init(lagx, &ctx);
	err = lagx_options_apply(&ctx, &port->cfg, &new, changes, n, bad,
				 extack);
	if (err)
		return err;
	port->cfg = new;
	if (lagx->mode->ops->config_changed)
		lagx->mode->ops->config_changed(lagx, port);
	lagx_refresh(lagx);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(lagx_port_config_change);
