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
#include <linux/seq_file.h>
#include <net/netlink.h>
#include <kunit/visibility.h>

#include "lagx.h"
#include "mode.h"

struct ab_priv {
	struct lagx_port __rcu *active;		/* RTNL writers, RCU readers */
	u64 failovers;				/* RTNL writers, READ_ONCE() */
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
 * lagx_ab_choose - pick the active port
 * @cand: the ports in enslave order
 * @n: number of entries in @cand
 * @current_idx: index of the active port, or -1 if there is none
 *
 * The current active port stays active while it is usable; otherwise the
 * first usable port in enslave order takes over.
 *
 * Return: the index of the port to make active, or -1 if none is usable.
 */
VISIBLE_IF_KUNIT int lagx_ab_choose(const struct lagx_ab_candidate *cand,
				    unsigned int n, int current_idx)
{
	unsigned int i;

	if (current_idx >= 0 && current_idx < n && cand[current_idx].usable)
		return current_idx;

	for (i = 0; i < n; i++)
		if (cand[i].usable)
			return i;
	return -1;
}
EXPORT_SYMBOL_IF_KUNIT(lagx_ab_choose);

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
	if (old && new)
		WRITE_ONCE(ab->failovers, ab->failovers + 1);

	/* The device is being deleted: its ports go one by one, quietly. */
	if (lagx->dev->reg_state != NETREG_REGISTERED) {
		lagx_refresh(lagx);
		return;
	}

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

static void ab_reselect(struct lagx *lagx, const char *reason)
{
	struct lagx_ab_candidate cand[LAGX_MAX_PORTS];
	struct lagx_port *active = ab_active_rtnl(lagx);
	struct lagx_port *port, *chosen = NULL;
	unsigned int n = 0;
	int cur = -1, idx;

	lagx_for_each_port(lagx, port) {
		if (port == active)
			cur = n;
		cand[n++].usable = port->link_up;
	}

	idx = lagx_ab_choose(cand, n, cur);
	if (idx >= 0) {
		lagx_for_each_port(lagx, port)
			if (idx-- == 0) {
				chosen = port;
				break;
			}
	}
	ab_set_active(lagx, chosen, reason);
}

static void ab_port_enter(struct lagx *lagx, struct lagx_port *port)
{
	ab_reselect(lagx, "port added");
}

static void ab_port_leave(struct lagx *lagx, struct lagx_port *port)
{
	ab_reselect(lagx, "active port removed");
}

static void ab_port_link_changed(struct lagx *lagx, struct lagx_port *port)
{
	ab_reselect(lagx, port->link_up ? "link up" :
		    netif_running(port->dev) ? "carrier lost" : "admin down");
}

static struct lagx_port *ab_tx_port(const struct lagx *lagx,
				    const struct lagx_port_array *arr,
				    struct sk_buff *skb)
{
	return arr->ports[0];
}

static void ab_seq_show(struct seq_file *seq, const struct lagx *lagx)
{
	const struct ab_priv *ab = ab_priv_const(lagx);
	struct lagx_port *active = rcu_dereference(ab->active);

	seq_printf(seq, "Active port: %s\n",
		   active ? netdev_name(active->dev) : "none");
	seq_printf(seq, "Failovers: %llu\n", READ_ONCE(ab->failovers));
}

static size_t ab_get_size(const struct lagx *lagx)
{
	return nla_total_size(sizeof(u32));	/* IFLA_LAGX_ACTIVE_PORT */
}

static int ab_fill_info(struct sk_buff *skb, const struct lagx *lagx)
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
