// SPDX-License-Identifier: GPL-2.0
/*
 * lagx: balance-slb mode (source load balancing).
 *
 * Every usable port transmits and receives.  Frames are spread by their
 * hash bucket (bucket.c; by default source MAC and VLAN, so that one MAC
 * stays on one port and the switch sees each MAC on one port only), and
 * buckets are rebalanced by load.  Nothing is needed from the switch,
 * which is why the receive side follows Open vSwitch's SLB rules:
 *
 *  - broadcast and multicast are taken from one port only (the first
 *    usable port, kept as long as it is usable), else a frame the switch
 *    floods to every port would be delivered once per port;
 *  - a frame coming back with one of our own source MACs is a reflection
 *    and is dropped;
 *  - when buckets move (a port lost, rebalancing), their MACs are
 *    announced on the new port so that the switch learns it at once.
 */
#include <linux/etherdevice.h>
#include <linux/netdevice.h>
#include <linux/seq_file.h>
#include <kunit/visibility.h>

#include "lagx.h"
#include "mode.h"

/**
 * lagx_slb_update - every usable port carries traffic, balance-slb style
 * @lagx: the device
 * @gone: a port that has just left, or NULL
 * @reason: why, for the log
 *
 * Sets the port states, keeps or picks the multicast RX port (the port
 * with rx_mcast), places the buckets and announces what moved.  Also the
 * balance-slb fallback of the lacp mode.  RTNL.
 */
void lagx_slb_update(struct lagx *lagx, struct lagx_port *gone,
		     const char *reason)
{
	struct lagx_port *port, *old = NULL, *mcast;

	lagx_for_each_port(lagx, port)
		if (port->rx_mcast)
			old = port;
	mcast = old && old->link_up ? old : NULL;
	if (gone && gone->rx_mcast) {
		WRITE_ONCE(gone->rx_mcast, false);
		old = gone;
	}

	lagx_for_each_port(lagx, port) {
		port->tx_enabled = port->link_up;
		port->rx_enabled = port->link_up;
		if (!mcast && port->link_up)
			mcast = port;
	}
	lagx_for_each_port(lagx, port)
		WRITE_ONCE(port->rx_mcast, port == mcast);

	if (mcast != old && lagx->dev->reg_state == NETREG_REGISTERED) {
		lagx_trace_active_port(lagx, old, mcast, reason);
		netdev_info(lagx->dev, "multicast RX port %s -> %s (%s)\n",
			    old ? netdev_name(old->dev) : "none",
			    mcast ? netdev_name(mcast->dev) : "none", reason);
	}

	lagx_buckets_update(lagx, false, gone);

	/* IGMP/MLD snooping switches must send multicast to the new port. */
	if (mcast && mcast != old && netif_running(lagx->dev) &&
	    lagx->dev->reg_state == NETREG_REGISTERED)
		__netdev_notify_peers(lagx->dev);
}
EXPORT_SYMBOL_IF_KUNIT(lagx_slb_update);

static void slb_port_enter(struct lagx *lagx, struct lagx_port *port)
{
	lagx_slb_update(lagx, NULL, "port added");
}

static void slb_port_leave(struct lagx *lagx, struct lagx_port *port)
{
	lagx_slb_update(lagx, port, "port removed");
}

static void slb_port_link_changed(struct lagx *lagx, struct lagx_port *port)
{
	lagx_slb_update(lagx, NULL, port->link_up ? "link up" :
		   netif_running(port->dev) ? "carrier lost" : "admin down");
}

static void slb_config_changed(struct lagx *lagx, struct lagx_port *port)
{
	lagx_slb_update(lagx, NULL, "configuration changed");
}

static void slb_rebalance(struct lagx *lagx)
{
	lagx_buckets_update(lagx, true, NULL);
}

/* Transmit by bucket under @policy, remembering the source MAC. */
struct lagx_port *lagx_slb_tx_port(struct lagx *lagx,
				   const struct lagx_port_array *arr,
				   struct sk_buff *skb, u32 policy)
{
	const struct ethhdr *eth = (const struct ethhdr *)skb->data;
	u32 hash, mac_hash;
	u16 vid;

	if (unlikely(skb_headlen(skb) < ETH_HLEN))
		return lagx_bucket_tx_port(lagx, arr, skb,
					   lagx_xmit_hash(skb, policy));

	/* Remember the source MAC, for reflections and announcements. */
	vid = lagx_skb_vid(skb);
	mac_hash = lagx_mac_hash(eth->h_source, vid);
	lagx_local_mac_learn(lagx, eth->h_source, vid, mac_hash);
	hash = policy == LAGX_XMIT_HASH_VLAN_SRCMAC ? mac_hash :
	       lagx_xmit_hash(skb, policy);
	return lagx_bucket_tx_port(lagx, arr, skb, hash);
}

static struct lagx_port *slb_tx_port(struct lagx *lagx,
				     const struct lagx_port_array *arr,
				     struct sk_buff *skb)
{
	return lagx_slb_tx_port(lagx, arr, skb,
				READ_ONCE(lagx->cfg.xmit_hash_policy));
}

/* Open vSwitch's SLB receive rules, see the top of the file. */
enum lagx_rx_verdict lagx_slb_rx(struct lagx *lagx, struct lagx_port *port,
				 struct sk_buff *skb)
{
	if (is_multicast_ether_addr(eth_hdr(skb)->h_dest) &&
	    !READ_ONCE(port->rx_mcast))
		return LAGX_RX_DROP_MCAST;
	if (lagx_local_mac_reflected(lagx, skb))
		return LAGX_RX_DROP_LOOP;
	return LAGX_RX_DELIVER;
}

static void slb_seq_show(struct seq_file *seq, struct lagx *lagx)
{
	const struct lagx_buckets *bk = lagx->buckets;
	struct lagx_port *port, *mcast = NULL;

	lagx_for_each_port_rcu(lagx, port)
		if (READ_ONCE(port->rx_mcast))
			mcast = port;
	seq_printf(seq, "Multicast RX port: %s\n",
		   mcast ? netdev_name(mcast->dev) : "none");
	seq_printf(seq, "Rebalance runs: %llu\n", READ_ONCE(bk->runs));
	seq_printf(seq, "Bucket moves: %llu\n", READ_ONCE(bk->moves));
}

static const struct lagx_mode_ops slb_ops = {
	.port_enter		= slb_port_enter,
	.port_leave		= slb_port_leave,
	.port_link_changed	= slb_port_link_changed,
	.config_changed		= slb_config_changed,
	.tx_port		= slb_tx_port,
	.rx			= lagx_slb_rx,
	.rebalance		= slb_rebalance,
	.seq_show		= slb_seq_show,
};

const struct lagx_mode lagx_mode_slb = {
	.id		= LAGX_MODE_BALANCE_SLB,
	.name		= "balance-slb",
	.lag_tx_type	= NETDEV_LAG_TX_TYPE_HASH,
	.uses_buckets	= true,
	.ops		= &slb_ops,
};
