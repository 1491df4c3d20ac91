// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit harness: real lagx devices over fake Ethernet NICs, see
 * kunit_dev.h.
 */
#include <kunit/test.h>
#include <linux/etherdevice.h>
#include <linux/ethtool.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <linux/skbuff.h>

#include "../lagx.h"
#include "../mode.h"
#include "kunit_dev.h"

#define LAGX_KD_TX_MAX	256

struct lagx_kd_nic {
	u32 speed;
	atomic_t opens;
	atomic_t stops;
	struct sk_buff_head tx;
};

static struct lagx_kd_nic *kd_nic(struct net_device *dev)
{
	return netdev_priv(dev);
}

static int kd_open(struct net_device *dev)
{
	atomic_inc(&kd_nic(dev)->opens);
	return 0;
}

static int kd_stop(struct net_device *dev)
{
	atomic_inc(&kd_nic(dev)->stops);
	return 0;
}

static netdev_tx_t kd_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct lagx_kd_nic *nic = kd_nic(dev);

	if (skb_queue_len(&nic->tx) >= LAGX_KD_TX_MAX)
		dev_kfree_skb_any(skb);
	else
		skb_queue_tail(&nic->tx, skb);
	return NETDEV_TX_OK;
}

static const struct net_device_ops kd_netdev_ops = {
	.ndo_open		= kd_open,
	.ndo_stop		= kd_stop,
	.ndo_start_xmit		= kd_xmit,
	.ndo_set_mac_address	= eth_mac_addr,
	.ndo_validate_addr	= eth_validate_addr,
};

static int kd_get_link_ksettings(struct net_device *dev,
				 struct ethtool_link_ksettings *cmd)
{
	cmd->base.speed = kd_nic(dev)->speed;
	cmd->base.duplex = DUPLEX_FULL;
	cmd->base.port = PORT_OTHER;
	return 0;
}

static const struct ethtool_ops kd_ethtool_ops = {
	.get_link		= ethtool_op_get_link,
	.get_link_ksettings	= kd_get_link_ksettings,
};

static void kd_destructor(struct net_device *dev)
{
	skb_queue_purge(&kd_nic(dev)->tx);
}

static void kd_setup(struct net_device *dev)
{
	ether_setup(dev);
	dev->netdev_ops = &kd_netdev_ops;
	dev->ethtool_ops = &kd_ethtool_ops;
	dev->needs_free_netdev = true;
	dev->priv_destructor = kd_destructor;
	dev->priv_flags |= IFF_NO_QUEUE | IFF_LIVE_ADDR_CHANGE;
	eth_hw_addr_random(dev);
}

static void kd_unregister(void *dev)
{
	rtnl_lock();
	unregister_netdevice(dev);
	rtnl_unlock();
}

struct net_device *lagx_kd_nic(struct kunit *test, u32 speed)
{
	struct net_device *dev;
	int err;

	dev = alloc_netdev(sizeof(struct lagx_kd_nic), "lagxkn%d",
			   NET_NAME_ENUM, kd_setup);
	KUNIT_ASSERT_NOT_NULL(test, dev);
	kd_nic(dev)->speed = speed;
	skb_queue_head_init(&kd_nic(dev)->tx);

	rtnl_lock();
	err = register_netdevice(dev);
	if (!err) {
		err = dev_open(dev, NULL);
		if (err)
			unregister_netdevice(dev);
	} else {
		free_netdev(dev);
	}
	rtnl_unlock();
	KUNIT_ASSERT_EQ(test, err, 0);
	err = kunit_add_action_or_reset(test, kd_unregister, dev);
	KUNIT_ASSERT_EQ(test, err, 0);
	return dev;
}

void lagx_kd_nic_no_live_mac(struct net_device *nic)
{
	nic->priv_flags &= ~IFF_LIVE_ADDR_CHANGE;
}

void lagx_kd_carrier(struct net_device *nic, bool on)
{
	if (on)
		clear_bit(__LINK_STATE_NOCARRIER, &nic->state);
	else
		set_bit(__LINK_STATE_NOCARRIER, &nic->state);
}

void lagx_kd_link_event(struct net_device *nic)
{
	struct lagx_port *port;

	rtnl_lock();
	port = lagx_port_get_rtnl(nic);
	if (port)
		lagx_port_link_event(port);
	rtnl_unlock();
}

unsigned int lagx_kd_tx_count(struct net_device *nic)
{
	return skb_queue_len(&kd_nic(nic)->tx);
}

struct sk_buff *lagx_kd_tx_pop(struct net_device *nic)
{
	return skb_dequeue(&kd_nic(nic)->tx);
}

unsigned int lagx_kd_opens(struct net_device *nic)
{
	return atomic_read(&kd_nic(nic)->opens);
}

unsigned int lagx_kd_stops(struct net_device *nic)
{
	return atomic_read(&kd_nic(nic)->stops);
}

static int kd_change(struct lagx *lagx, struct lagx_port *port, u16 attr,
		     s64 val)
{
	struct lagx_opt_change c = {
		.opt = lagx_option_by_attr(attr, !!port),
		.val = val,
	};
	unsigned int bad;
	int err;

	if (!c.opt)
		return -ENOENT;
	rtnl_lock();
	if (port)
		err = lagx_port_config_change(port, &c, 1, &bad, NULL);
	else
		err = lagx_config_change(lagx, &c, 1, &bad, NULL);
	rtnl_unlock();
	return err;
}

int lagx_kd_set(struct lagx *lagx, u16 attr, s64 val)
{
	return kd_change(lagx, NULL, attr, val);
}

int lagx_kd_set_port(struct lagx_port *port, u16 attr, s64 val)
{
	return kd_change(port->lagx, port, attr, val);
}

struct lagx *lagx_kd_lagx(struct kunit *test, u32 mode)
{
	struct net_device *dev;
	struct lagx *lagx;
	int err;

	dev = alloc_netdev(sizeof(struct lagx), "lagxk%d", NET_NAME_ENUM,
			   lagx_setup);
	KUNIT_ASSERT_NOT_NULL(test, dev);
	dev->rtnl_link_ops = &lagx_link_ops;
	lagx = netdev_priv(dev);

	rtnl_lock();
	err = register_netdevice(dev);
	if (err)
		free_netdev(dev);
	rtnl_unlock();
	KUNIT_ASSERT_EQ(test, err, 0);
	err = kunit_add_action_or_reset(test, kd_unregister, dev);
	KUNIT_ASSERT_EQ(test, err, 0);
	if (mode != lagx->cfg.mode)
		KUNIT_ASSERT_EQ(test, lagx_kd_set(lagx, IFLA_LAGX_MODE, mode), 0);
	return lagx;
}

void lagx_kd_up(struct kunit *test, struct lagx *lagx)
{
	int err;

	rtnl_lock();
	err = dev_open(lagx->dev, NULL);
	rtnl_unlock();
	KUNIT_ASSERT_EQ(test, err, 0);
}

struct lagx_port *lagx_kd_enslave(struct kunit *test, struct lagx *lagx,
				  struct net_device *nic)
{
	struct netlink_ext_ack extack = {};
	struct lagx_port *port = NULL;
	int err;

	rtnl_lock();
	err = lagx_port_add(lagx, nic, &extack);
	if (!err)
		port = lagx_port_get_rtnl(nic);
	rtnl_unlock();
	KUNIT_ASSERT_EQ_MSG(test, err, 0, "enslaving %s: %s", nic->name,
			    extack._msg ?: "");
	KUNIT_ASSERT_NOT_NULL(test, port);
	return port;
}

struct lagx_port *lagx_kd_port(struct net_device *nic)
{
	struct lagx_port *port;

	rtnl_lock();
	port = lagx_port_get_rtnl(nic);
	rtnl_unlock();
	return port;
}

void lagx_kd_release(struct kunit *test, struct lagx *lagx,
		     struct net_device *nic)
{
	int err;

	rtnl_lock();
	err = lagx_port_del(lagx, nic, NULL);
	rtnl_unlock();
	KUNIT_ASSERT_EQ(test, err, 0);
}

void lagx_kd_flush(void)
{
	flush_workqueue(lagx_wq);
}

const struct lagx_port_array *lagx_kd_tx_ports(struct lagx *lagx)
{
	ASSERT_RTNL();
	return lagx_tx_ports_rtnl(lagx);
}

struct sk_buff *lagx_kd_frame(struct kunit *test, struct net_device *nic,
			      const u8 *dst, const u8 *src, u16 proto,
			      const void *payload, unsigned int len)
{
	struct sk_buff *skb;
	struct ethhdr *eth;

	skb = alloc_skb(NET_IP_ALIGN + ETH_HLEN + len, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	skb_reserve(skb, NET_IP_ALIGN);
	eth = skb_put(skb, ETH_HLEN);
	ether_addr_copy(eth->h_dest, dst);
	ether_addr_copy(eth->h_source, src);
	eth->h_proto = htons(proto);
	if (len)
		skb_put_data(skb, payload, len);
	skb->protocol = eth_type_trans(skb, nic);
	return skb;
}
