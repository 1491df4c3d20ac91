// SPDX-License-Identifier: GPL-2.0
/*
 * lagx: the transmit path and the RCU-published array of TX ports.
 *
 * Transmit takes no lock: it reads the array published by lagx_refresh()
 * and lets the mode pick one of its ports.  Everything that decides which
 * ports may transmit runs under RTNL, outside the data path.
 */
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <kunit/visibility.h>

#include "lagx.h"
#include "mode.h"

static void lagx_tx_stats(struct lagx *lagx, struct lagx_port *port,
			  unsigned int len, bool sent)
{
	struct lagx_pcpu_stats *stats = this_cpu_ptr(lagx->stats);

	u64_stats_update_begin(&stats->syncp);
	if (sent) {
		u64_stats_inc(&stats->tx_packets);
		u64_stats_add(&stats->tx_bytes, len);
	} else {
		u64_stats_inc(&stats->tx_dropped);
	}
	u64_stats_update_end(&stats->syncp);

	if (sent && port) {
		struct lagx_port_pcpu_stats *ps = this_cpu_ptr(port->stats);

		u64_stats_update_begin(&ps->syncp);
		u64_stats_inc(&ps->tx_packets);
		u64_stats_update_end(&ps->syncp);
	}
}

netdev_tx_t lagx_start_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct lagx *lagx = netdev_priv(dev);
	const struct lagx_port_array *arr;
	unsigned int len = skb->len;
	struct lagx_port *port;
	int ret;

	arr = rcu_dereference_bh(lagx->tx_ports);
	if (unlikely(!arr)) {
		lagx_tx_stats(lagx, NULL, 0, false);
		dev_kfree_skb_any(skb);
		return NETDEV_TX_OK;
	}

	port = READ_ONCE(lagx->mode)->ops->tx_port(lagx, arr, skb);
	if (unlikely(!netif_carrier_ok(port->dev)) &&
	    READ_ONCE(port->link_up) && !READ_ONCE(port->link_pending))
		lagx_port_no_carrier(port);
	skb->dev = port->dev;
	ret = dev_queue_xmit(skb);
	lagx_tx_stats(lagx, port, len,
		      ret == NET_XMIT_SUCCESS || ret == NET_XMIT_CN);
	return NETDEV_TX_OK;
}

static bool lagx_tx_ports_unchanged(struct lagx *lagx,
				    const struct lagx_port_array *arr,
				    unsigned int count)
{
	struct lagx_port *port;
	unsigned int i = 0;

	if (!arr || arr->count != count)
		return false;
	lagx_for_each_port(lagx, port)
		if (port->tx_enabled && arr->ports[i++] != port)
			return false;
	return true;
}

/**
 * lagx_refresh - apply the mode's decisions
 * @lagx: the lagx device
 *
 * Publishes the array of ports with tx_enabled (in enslave order) if it
 * changed, sets the carrier ("at least one port can transmit and at
 * least min_links ports are usable") and
 * reports every changed lower state.  Cheap when nothing changed, so
 * callers use it after any event.
 *
 * If the array cannot be allocated, transmit drops (and counts) packets
 * until the next successful refresh rather than use a stale array.
 */
void lagx_refresh(struct lagx *lagx)
{
	struct lagx_port_array *old = lagx_tx_ports_rtnl(lagx);
	struct lagx_port_array *arr = NULL;
	unsigned int count = 0, usable = 0;
	struct lagx_port *port;

	ASSERT_RTNL();

	lagx_for_each_port(lagx, port) {
		count += port->tx_enabled;
		usable += port->link_up;
	}

	if (count ? !lagx_tx_ports_unchanged(lagx, old, count) : !!old) {
		if (count) {
			arr = kzalloc(struct_size(arr, ports, count), GFP_KERNEL);
			if (arr) {
				arr->count = count;
				count = 0;
				lagx_for_each_port(lagx, port) {
					if (!port->tx_enabled)
						continue;
					arr->ports[count++] = port;
					arr->by_id[port->id] = port;
				}
			} else {
				netdev_err(lagx->dev, "out of memory for the TX port array, dropping\n");
			}
		}
		rcu_assign_pointer(lagx->tx_ports, arr);
		if (old)
			kfree_rcu(old, rcu);
	}

	/* Carrier: some port can transmit, and min_links ports are usable. */
	if (count && usable >= lagx->cfg.min_links) {
		if (!netif_carrier_ok(lagx->dev))
			netif_carrier_on(lagx->dev);
	} else if (netif_carrier_ok(lagx->dev)) {
		netif_carrier_off(lagx->dev);
	}

	lagx_port_report_all(lagx);
	lagx_report_changes(lagx, usable);
}
EXPORT_SYMBOL_IF_KUNIT(lagx_refresh);
