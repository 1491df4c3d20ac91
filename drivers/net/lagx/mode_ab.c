// SPDX-License-Identifier: GPL-2.0
/*
 * lagx: active-backup mode.
 *
 * One port carries all traffic in both directions; the others stand by.
 * The active port is the first usable port in enslave order and stays
 * active as long as it is usable (no fail-back): a port coming back does
 * not cause a second interruption.  Failover is driven by the netdevice
 * notifier (carrier loss, admin down, removal), never by polling, and is
 * announced to the network with NETDEV_NOTIFY_PEERS (gratuitous ARP,
 * unsolicited NA, IGMP/MLD reports) and to user space with an
 * RTM_NEWLINK event.
 */
#include <linux/netdevice.h>
#include <linux/ethtool.h>
#include <linux/seq_file.h>
#include <net/netlink.h>
#include <kunit/visibility.h>

#include "lagx.h"
#include "mode.h"

struct ab_priv {
	struct lagx_port __rcu *active;		/* RTNL writers, RCU readers */
	struct lagx_port *forced;		/* RTNL: set by port-set-active */
};

static_assert(sizeof(struct ab_priv) <= LAGX_MODE_PRIV_SIZE);

static struct ab_priv *ab_priv(struct lagx *lagx)
{
	return lagx_mode_priv(lagx);
}

static const struct ab_priv *ab_priv_const(const struct lagx *lagx)
{
	return lagx_mode_priv_const(lagx);
}

static struct lagx_port *ab_active_rtnl(struct lagx *lagx)
{
	return rcu_dereference_protected(ab_priv(lagx)->active,
					 lockdep_rtnl_is_held());
}

/**
 * lagx_ab_outranks - is @a preferred over @b as the active port?
 * @a: a candidate
 * @b: another candidate
 *
 * The primary port outranks every other; then the higher prio wins.
 * Equal ranks return false, so that among equals the port found first
 * (enslave order) is kept.
 */
VISIBLE_IF_KUNIT bool lagx_ab_outranks(const struct lagx_ab_candidate *a,
				       const struct lagx_ab_candidate *b)
{
	if (a->primary != b->primary)
		return a->primary;
	return a->prio > b->prio;
}
EXPORT_SYMBOL_IF_KUNIT(lagx_ab_outranks);

/**
 * lagx_ab_should_move - should traffic move from @cur to @best?
 * @cur: the active port, or NULL if there is none
 * @best: the best usable port, or NULL if none is usable
 * @reselect: enum lagx_primary_reselect
 *
 * An active port that is no longer usable is always replaced (by @best,
 * possibly by nothing).  A usable one is kept unless @best outranks it
 * and the primary_reselect policy allows taking traffic away from a
 * working port: "always", "better" (only to a faster port), or never
 * ("failure").  Ports of equal rank never take traffic back.
 */
VISIBLE_IF_KUNIT bool lagx_ab_should_move(const struct lagx_ab_candidate *cur,
					  const struct lagx_ab_candidate *best,
					  u32 reselect)
{
	if (!cur || !cur->usable)
		return true;
	if (!best || !lagx_ab_outranks(best, cur))
		return false;
	switch (reselect) {
	case LAGX_PRIMARY_RESELECT_ALWAYS:
		return true;
	case LAGX_PRIMARY_RESELECT_BETTER:
		return best->speed > cur->speed;
	default:
		return false;
	}
}
EXPORT_SYMBOL_IF_KUNIT(lagx_ab_should_move);

static void ab_candidate(const struct lagx *lagx, const struct lagx_port *port,
			 struct lagx_ab_candidate *c)
{
	c->usable = port->link_up;
	c->primary = lagx->cfg.primary &&
		     port->dev->ifindex == lagx->cfg.primary;
	c->prio = port->cfg.prio;
	c->speed = port->speed == SPEED_UNKNOWN ? 0 : port->speed;
}

static void ab_set_active(struct lagx *lagx, struct lagx_port *new,
			  const char *reason)
{
	struct ab_priv *ab = ab_priv(lagx);
	struct lagx_port *old = ab_active_rtnl(lagx);
	struct lagx_port *port;

	lagx_for_each_port(lagx, port) {
		port->tx_enabled = port == new;
		port->rx_enabled = port == new;
	}

	if (old == new)
		return;

	rcu_assign_pointer(ab->active, new);

	/* The device is being deleted: its ports go one by one, quietly. */
	if (lagx->dev->reg_state != NETREG_REGISTERED) {
		lagx_refresh(lagx);
		return;
	}

	lagx_trace_active_port(lagx, old, new, reason);
	if (old && new)
		WRITE_ONCE(lagx->failovers, lagx->failovers + 1);

	if (new)
		netdev_info(lagx->dev, "active port %s -> %s (%s)\n",
			    old ? netdev_name(old->dev) : "none",
			    netdev_name(new->dev), reason);
	else
		netdev_warn(lagx->dev, "no usable port, %s was active (%s)\n",
			    old ? netdev_name(old->dev) : "none", reason);

	/* Apply before announcing: peers must learn the new path only once
	 * traffic can take it.
	 */
	lagx_refresh(lagx);
	if (new && netif_running(lagx->dev))
		__netdev_notify_peers(lagx->dev);
	call_netdevice_notifiers(NETDEV_CHANGEINFODATA, lagx->dev);
}

/* @gone: a port that just left the list, or NULL. */
static void ab_reselect(struct lagx *lagx, const struct lagx_port *gone,
			const char *reason)
{
	struct lagx_port *active = ab_active_rtnl(lagx);
	struct lagx_ab_candidate c, best_c, cur_c;
	struct lagx_port *port, *best = NULL;
	struct ab_priv *ab = ab_priv(lagx);

	/* A port the operator made active stays so while it is usable. */
	if (ab->forced && (ab->forced == gone || !ab->forced->link_up))
		ab->forced = NULL;
	if (ab->forced) {
		ab_set_active(lagx, ab->forced, reason);
		return;
	}

	lagx_for_each_port(lagx, port) {
		ab_candidate(lagx, port, &c);
		if (c.usable && (!best || lagx_ab_outranks(&c, &best_c))) {
			best = port;
			best_c = c;
		}
	}
	if (active == gone)
		active = NULL;
	if (active)
		ab_candidate(lagx, active, &cur_c);

	if (lagx_ab_should_move(active ? &cur_c : NULL, best ? &best_c : NULL,
				lagx->cfg.primary_reselect))
		ab_set_active(lagx, best, reason);
	else
		ab_set_active(lagx, active, reason);
}

static void ab_port_enter(struct lagx *lagx, struct lagx_port *port)
{
	ab_reselect(lagx, NULL, "port added");
}

static void ab_port_leave(struct lagx *lagx, struct lagx_port *port)
{
	ab_reselect(lagx, port, "active port removed");
}

static void ab_port_link_changed(struct lagx *lagx, struct lagx_port *port)
{
	ab_reselect(lagx, NULL, port->link_up ? "link up" :
		    netif_running(port->dev) ? "carrier lost" : "admin down");
}

static void ab_config_changed(struct lagx *lagx, struct lagx_port *port)
{
	ab_reselect(lagx, NULL, "configuration changed");
}

static struct lagx_port *ab_active_port(struct lagx *lagx)
{
	return ab_active_rtnl(lagx);
}

static int ab_set_active_op(struct lagx *lagx, struct lagx_port *port,
			    struct netlink_ext_ack *extack)
{
	if (!port->link_up) {
		NL_SET_ERR_MSG_FMT_MOD(extack, "%s has no link: cannot carry traffic",
				       netdev_name(port->dev));
		return -ENETDOWN;
	}
	ab_priv(lagx)->forced = port;
	ab_set_active(lagx, port, "set by administrator");
	return 0;
}

static void ab_port_reason(struct lagx *lagx, const struct lagx_port *port,
			   char *buf, size_t len)
{
	struct lagx_port *active = ab_active_rtnl(lagx);

	if (port->tx_enabled)
		strscpy(buf, "carrying traffic", len);
	else
		snprintf(buf, len, "standby, %s is active",
			 active ? netdev_name(active->dev) : "no port");
}

static struct lagx_port *ab_tx_port(struct lagx *lagx,
				    const struct lagx_port_array *arr,
				    struct sk_buff *skb)
{
	return arr->ports[0];
}

static void ab_seq_show(struct seq_file *seq, struct lagx *lagx)
{
	const struct ab_priv *ab = ab_priv_const(lagx);
	struct lagx_port *active = rcu_dereference(ab->active);

	seq_printf(seq, "Active port: %s\n",
		   active ? netdev_name(active->dev) : "none");
}

static size_t ab_get_size(const struct lagx *lagx)
{
	return nla_total_size(sizeof(u32));	/* IFLA_LAGX_ACTIVE_PORT */
}

static int ab_fill_info(struct sk_buff *skb, struct lagx *lagx)
{
	const struct ab_priv *ab = ab_priv_const(lagx);
	struct lagx_port *active;

	active = rcu_dereference_protected(ab->active, lockdep_rtnl_is_held());
	if (active && nla_put_u32(skb, IFLA_LAGX_ACTIVE_PORT,
				  active->dev->ifindex))
		return -EMSGSIZE;
	return 0;
}

static const struct lagx_mode_ops ab_ops = {
	.port_enter		= ab_port_enter,
	.port_leave		= ab_port_leave,
	.port_link_changed	= ab_port_link_changed,
	.config_changed		= ab_config_changed,
	.active_port		= ab_active_port,
	.set_active		= ab_set_active_op,
	.port_reason		= ab_port_reason,
	.tx_port		= ab_tx_port,
	.seq_show		= ab_seq_show,
	.get_size		= ab_get_size,
	.fill_info		= ab_fill_info,
};

const struct lagx_mode lagx_mode_ab = {
	.id		= LAGX_MODE_ACTIVE_BACKUP,
	.name		= "active-backup",
	.lag_tx_type	= NETDEV_LAG_TX_TYPE_ACTIVEBACKUP,
	.ops		= &ab_ops,
};
