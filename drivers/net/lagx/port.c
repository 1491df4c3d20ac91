// SPDX-License-Identifier: GPL-2.0
/*
 * lagx: adding and removing ports, the receive handler, and reacting to
 * port events through the netdevice notifier.
 */
#include <linux/netdevice.h>
#include <linux/etherdevice.h>
#include <linux/ethtool.h>
#include <linux/if_arp.h>
#include <linux/if_vlan.h>
#include <linux/rtnetlink.h>
#include <net/netlink.h>
#include <kunit/visibility.h>

#include "lagx.h"
#include "mode.h"

VISIBLE_IF_KUNIT rx_handler_result_t lagx_handle_frame(struct sk_buff **pskb);

/*
 * Changes with every port attached or released, on any device (RTNL): a
 * genl port dump that sees it change flags its next message
 * NLM_F_DUMP_INTR, as the list it resumes in by position changed.
 * Never 0: netlink takes a zero sequence as "no dump yet".
 */
unsigned int lagx_ports_gen = 1;

static void lagx_ports_changed(void)
{
	if (!++lagx_ports_gen)
		lagx_ports_gen = 1;
}

/* The port behind @dev, or NULL if @dev is not a lagx port.  RTNL. */
struct lagx_port *lagx_port_get_rtnl(const struct net_device *dev)
{
	if (rcu_access_pointer(dev->rx_handler) != lagx_handle_frame)
		return NULL;
	return rtnl_dereference(dev->rx_handler_data);
}
EXPORT_SYMBOL_IF_KUNIT(lagx_port_get_rtnl);

static void lagx_port_stats_add(struct lagx_port *port, u64_stats_t *counter)
{
	struct lagx_port_pcpu_stats *s = this_cpu_ptr(port->stats);

	u64_stats_update_begin(&s->syncp);
	u64_stats_inc(counter);
	u64_stats_update_end(&s->syncp);
}

/* Count a frame the stack above lagx does not get; the port's own packet
 * sockets still see it.
 */
static rx_handler_result_t lagx_rx_drop(struct lagx_port *port,
					enum lagx_rx_verdict verdict)
{
	struct lagx_port_pcpu_stats *s = this_cpu_ptr(port->stats);

	switch (verdict) {
	case LAGX_RX_DROP_MCAST:
		lagx_port_stats_add(port, &s->rx_dropped_mcast);
		break;
	case LAGX_RX_DROP_LOOP:
		lagx_port_stats_add(port, &s->rx_dropped_loop);
		break;
	default:
		lagx_port_stats_add(port, &s->rx_dropped_inactive);
		break;
	}
	return RX_HANDLER_EXACT;
}

VISIBLE_IF_KUNIT rx_handler_result_t lagx_handle_frame(struct sk_buff **pskb)
{
	struct sk_buff *skb = *pskb;
	enum lagx_rx_verdict (*rx)(struct lagx *lagx, struct lagx_port *port,
				   struct sk_buff *skb);
	enum lagx_rx_verdict verdict;
	struct lagx_pcpu_stats *stats;
	struct lagx_port *port;
	struct lagx *lagx;

	if (unlikely(skb->pkt_type == PACKET_LOOPBACK))
		return RX_HANDLER_PASS;

	port = rcu_dereference(skb->dev->rx_handler_data);
	lagx = port->lagx;
	rx = READ_ONCE(lagx->mode)->ops->rx;
	verdict = rx ? rx(lagx, port, skb) : LAGX_RX_DELIVER;
	if (unlikely(verdict == LAGX_RX_CONSUMED)) {
		consume_skb(skb);
		return RX_HANDLER_CONSUMED;
	}
	if (verdict == LAGX_RX_DELIVER && unlikely(!READ_ONCE(port->rx_enabled)))
		verdict = LAGX_RX_DROP_INACTIVE;
	if (verdict != LAGX_RX_DELIVER)
		return lagx_rx_drop(port, verdict);

	skb = skb_share_check(skb, GFP_ATOMIC);
	if (unlikely(!skb))
		return RX_HANDLER_CONSUMED;
	*pskb = skb;

	lagx_port_stats_add(port, &this_cpu_ptr(port->stats)->rx_packets);
	stats = this_cpu_ptr(lagx->stats);
	u64_stats_update_begin(&stats->syncp);
	u64_stats_inc(&stats->rx_packets);
	u64_stats_add(&stats->rx_bytes, skb->len);
	u64_stats_update_end(&stats->syncp);

	skb->dev = lagx->dev;
	return RX_HANDLER_ANOTHER;
}
EXPORT_SYMBOL_IF_KUNIT(lagx_handle_frame);

void lagx_port_get_stats(const struct lagx_port *port,
			 struct lagx_port_stats *stats)
{
	int cpu;

	memset(stats, 0, sizeof(*stats));
	for_each_possible_cpu(cpu) {
		const struct lagx_port_pcpu_stats *s = per_cpu_ptr(port->stats, cpu);
		u64 rx, drop, mcast, loop, tx;
		unsigned int start;

		do {
			start = u64_stats_fetch_begin(&s->syncp);
			rx = u64_stats_read(&s->rx_packets);
			drop = u64_stats_read(&s->rx_dropped_inactive);
			mcast = u64_stats_read(&s->rx_dropped_mcast);
			loop = u64_stats_read(&s->rx_dropped_loop);
			tx = u64_stats_read(&s->tx_packets);
		} while (u64_stats_fetch_retry(&s->syncp, start));
		stats->rx_packets += rx;
		stats->rx_dropped_inactive += drop;
		stats->rx_dropped_mcast += mcast;
		stats->rx_dropped_loop += loop;
		stats->tx_packets += tx;
	}
}
EXPORT_SYMBOL_IF_KUNIT(lagx_port_get_stats);

void lagx_port_stats_view(const struct lagx_port *port,
			  struct lagx_port_stats *stats)
{
	lagx_port_get_stats(port, stats);
	stats->rx_packets -= port->stats_base.rx_packets;
	stats->rx_dropped_inactive -= port->stats_base.rx_dropped_inactive;
	stats->rx_dropped_mcast -= port->stats_base.rx_dropped_mcast;
	stats->rx_dropped_loop -= port->stats_base.rx_dropped_loop;
	stats->tx_packets -= port->stats_base.tx_packets;
}

/* Why the port is in its state, for a person troubleshooting.  RTNL. */
void lagx_port_reason(const struct lagx_port *port, char *buf, size_t len)
{
	struct lagx *lagx = port->lagx;

	if (!netif_running(port->dev))
		strscpy(buf, "admin down", len);
	else if (!netif_carrier_ok(port->dev))
		strscpy(buf, port->link_up ? "no carrier, waiting downdelay" :
			"no carrier", len);
	else if (port->link_pending)
		strscpy(buf, "carrier back, waiting updelay", len);
	else if (lagx->mode->ops->port_reason)
		lagx->mode->ops->port_reason(lagx, port, buf, len);
	else if (port->tx_enabled)
		strscpy(buf, "carrying traffic", len);
	else
		strscpy(buf, "standby", len);
}

enum lagx_port_state lagx_port_state(const struct lagx_port *port)
{
	if (READ_ONCE(port->tx_enabled))
		return LAGX_PORT_STATE_ACTIVE;
	if (READ_ONCE(port->link_up))
		return LAGX_PORT_STATE_BACKUP;
	return LAGX_PORT_STATE_DOWN;
}
EXPORT_SYMBOL_IF_KUNIT(lagx_port_state);

const char *lagx_port_state_name(enum lagx_port_state state)
{
	switch (state) {
	case LAGX_PORT_STATE_ACTIVE:
		return "active";
	case LAGX_PORT_STATE_BACKUP:
		return "backup";
	case LAGX_PORT_STATE_DOWN:
		return "down";
	}
	return "unknown";
}
EXPORT_SYMBOL_IF_KUNIT(lagx_port_state_name);

static int lagx_port_check(struct lagx *lagx, struct net_device *port_dev,
			   struct netlink_ext_ack *extack)
{
	if (port_dev == lagx->dev) {
		NL_SET_ERR_MSG_MOD(extack, "Cannot enslave a lagx device to itself");
		return -EINVAL;
	}
	if (netif_is_lagx(port_dev)) {
		NL_SET_ERR_MSG_MOD(extack, "lagx devices cannot be stacked");
		return -EINVAL;
	}
	if (port_dev->flags & IFF_LOOPBACK) {
		NL_SET_ERR_MSG_MOD(extack, "Cannot enslave a loopback device");
		return -EINVAL;
	}
	if (port_dev->type != ARPHRD_ETHER || port_dev->addr_len != ETH_ALEN) {
		NL_SET_ERR_MSG_MOD(extack, "Only Ethernet devices can be lagx ports");
		return -EINVAL;
	}
	if (netif_is_lag_master(port_dev)) {
		NL_SET_ERR_MSG_MOD(extack, "Cannot enslave a bonding or team device");
		return -EINVAL;
	}
	if (netdev_master_upper_dev_get(port_dev)) {
		NL_SET_ERR_MSG_MOD(extack, "Device already has a master device");
		return -EBUSY;
	}
	if (netdev_has_upper_dev(port_dev, lagx->dev) ||
	    netdev_has_upper_dev(lagx->dev, port_dev)) {
		NL_SET_ERR_MSG_MOD(extack, "Device is stacked on this lagx device");
		return -ELOOP;
	}
	if (rcu_access_pointer(port_dev->rx_handler)) {
		NL_SET_ERR_MSG_MOD(extack,
				   "Device is in use by another driver (bridge, macvlan, ...)");
		return -EBUSY;
	}
	if (!port_dev->netdev_ops->ndo_set_mac_address) {
		NL_SET_ERR_MSG_MOD(extack, "Device cannot change its MAC address");
		return -EOPNOTSUPP;
	}
	if (lagx->port_count >= lagx->cfg.max_ports) {
		NL_SET_ERR_MSG_FMT_MOD(extack, "Too many ports (max_ports is %u)",
				       lagx->cfg.max_ports);
		return -ENOSPC;
	}
	return 0;
}

static int lagx_port_set_mtu(struct lagx *lagx, struct net_device *port_dev,
			     unsigned int mtu)
{
	int err;

	if (port_dev->mtu == mtu)
		return 0;
	lagx->port_mtu_change_allowed = true;
	err = dev_set_mtu(port_dev, mtu);
	lagx->port_mtu_change_allowed = false;
	return err;
}

/* Set a port's MAC address live.  With @may_reopen (enslave and release,
 * when the port does not carry lagx traffic), a port that can only take a
 * new address while down is closed around the change; the link events of
 * that close and reopen are not a link failure: they are ignored, and the
 * port's link state is read again once the address is set.
 */
int lagx_port_set_mac(struct lagx *lagx, struct net_device *port_dev,
		      const u8 *addr, bool may_reopen,
		      struct netlink_ext_ack *extack)
{
	struct sockaddr_storage ss = { .ss_family = port_dev->type };
	struct lagx_port *port;
	int err;

	ASSERT_RTNL();

	if (ether_addr_equal(port_dev->dev_addr, addr))
		return 0;

	memcpy(ss.__data, addr, ETH_ALEN);
	err = dev_set_mac_address(port_dev, (struct sockaddr *)&ss, extack);
	if (err != -EBUSY || !may_reopen || !netif_running(port_dev))
		return err;

	lagx->port_reopening = port_dev;
	dev_close(port_dev);
	err = dev_set_mac_address(port_dev, (struct sockaddr *)&ss, extack);
	dev_open(port_dev, NULL);
	lagx->port_reopening = NULL;

	port = lagx_port_get_rtnl(port_dev);
	if (port)
		lagx_port_link_event(port);
	return err;
}

static int lagx_port_sync_flags(struct lagx *lagx, struct net_device *port_dev,
				int inc)
{
	int err = 0;

	if (lagx->dev->flags & IFF_PROMISC) {
		err = dev_set_promiscuity(port_dev, inc);
		if (err)
			return err;
	}
	if (lagx->dev->flags & IFF_ALLMULTI) {
		err = dev_set_allmulti(port_dev, inc);
		if (err && (lagx->dev->flags & IFF_PROMISC))
			dev_set_promiscuity(port_dev, -inc);
	}
	return err;
}

static void lagx_port_report_lower(struct lagx_port *port)
{
	struct netdev_lag_lower_state_info info = {
		.link_up = port->link_up,
		.tx_enabled = port->tx_enabled,
	};

	if (info.link_up == port->lower_link_up &&
	    info.tx_enabled == port->lower_tx_enabled)
		return;
	port->lower_link_up = info.link_up;
	port->lower_tx_enabled = info.tx_enabled;
	netdev_lower_state_changed(port->dev, &info);
}

/* Report every port's lower state that changed.  Called by lagx_refresh(). */
void lagx_port_report_all(struct lagx *lagx)
{
	struct lagx_port *port;

	lagx_for_each_port(lagx, port)
		lagx_port_report_lower(port);
}

int lagx_port_add(struct lagx *lagx, struct net_device *port_dev,
		  struct netlink_ext_ack *extack)
{
	struct netdev_lag_upper_info lag_info = {
		.tx_type = lagx->mode->lag_tx_type,
		.hash_type = lagx->mode->uses_buckets ?
			     lagx_lag_hash_type(lagx->cfg.xmit_hash_policy) :
			     NETDEV_LAG_HASH_NONE,
	};
	struct lagx_port *port;
	int err;

	ASSERT_RTNL();

	err = lagx_port_check(lagx, port_dev, extack);
	if (err)
		return err;

	port = kzalloc(sizeof(*port), GFP_KERNEL);
	if (!port)
		return -ENOMEM;
	port->stats = netdev_alloc_pcpu_stats(struct lagx_port_pcpu_stats);
	if (!port->stats) {
		err = -ENOMEM;
		goto err_free_port;
	}
	port->dev = port_dev;
	port->lagx = lagx;
	port->orig_mtu = port_dev->mtu;
	ether_addr_copy(port->perm_addr, port_dev->dev_addr);
	port->was_up = port_dev->flags & IFF_UP;

	err = lagx_port_set_mtu(lagx, port_dev, lagx->dev->mtu);
	if (err) {
		NL_SET_ERR_MSG_MOD(extack,
				   "Device cannot take the MTU of the lagx device");
		goto err_free_stats;
	}

	err = lagx_port_set_mac(lagx, port_dev, lagx->dev->dev_addr, true,
				extack);
	if (err) {
		if (!extack || !extack->_msg)
			NL_SET_ERR_MSG_MOD(extack, "Device refused the lagx MAC address");
		goto err_restore_mtu;
	}

	err = dev_open(port_dev, extack);
	if (err)
		goto err_restore_mac;

	err = netdev_rx_handler_register(port_dev, lagx_handle_frame, port);
	if (err) {
		NL_SET_ERR_MSG_MOD(extack, "Device is in use by another driver");
		goto err_close;
	}

	err = netdev_master_upper_dev_link(port_dev, lagx->dev, port,
					   &lag_info, extack);
	if (err)
		goto err_unregister_rx_handler;

	err = vlan_vids_add_by_dev(port_dev, lagx->dev);
	if (err) {
		NL_SET_ERR_MSG_MOD(extack, "Device refused the lagx VLAN filters");
		goto err_upper_unlink;
	}

	err = lagx_port_sync_flags(lagx, port_dev, 1);
	if (err) {
		NL_SET_ERR_MSG_MOD(extack, "Device refused promiscuous or allmulti mode");
		goto err_del_vids;
	}

	netif_addr_lock_bh(lagx->dev);
	dev_uc_sync_multiple(port_dev, lagx->dev);
	dev_mc_sync_multiple(port_dev, lagx->dev);
	netif_addr_unlock_bh(lagx->dev);

	lagx_compat_port_flags(port_dev, true);
	lagx_port_config_init(&port->cfg);
	lagx_port_link_init(port);
	/* Force the first lower-state report and notification. */
	port->lower_link_up = !port->link_up;
	port->ntf.state = U32_MAX;

	/* lagx_port_check() keeps port_count below max_ports <= 64. */
	port->id = __ffs64(~lagx->port_ids);
	lagx->port_ids |= BIT_ULL(port->id);
	list_add_tail_rcu(&port->list, &lagx->port_list);
	lagx->port_count++;
	lagx_ports_changed();
	lagx_compute_features(lagx);

	lagx->mode->ops->port_enter(lagx, port);
	lagx_refresh(lagx);

	netdev_info(lagx->dev, "port %s added (link %s)\n",
		    netdev_name(port_dev), port->link_up ? "up" : "down");
	return 0;

err_del_vids:
	vlan_vids_del_by_dev(port_dev, lagx->dev);
err_upper_unlink:
	netdev_upper_dev_unlink(port_dev, lagx->dev);
err_unregister_rx_handler:
	netdev_rx_handler_unregister(port_dev);
err_close:
	if (!port->was_up)
		dev_close(port_dev);
err_restore_mac:
	lagx_port_set_mac(lagx, port_dev, port->perm_addr, true, NULL);
err_restore_mtu:
	lagx_port_set_mtu(lagx, port_dev, port->orig_mtu);
err_free_stats:
	free_percpu(port->stats);
err_free_port:
	kfree(port);
	return err;
}
EXPORT_SYMBOL_IF_KUNIT(lagx_port_add);

/*
 * @unregistering: NETDEV_UNREGISTER, the port is being destroyed or moved
 * to another network namespace.  It is already closed; its MTU is restored
 * without notifiers, which must not see it again in this namespace.
 */
static void lagx_port_release(struct lagx *lagx, struct lagx_port *port,
			      bool unregistering)
{
	struct net_device *port_dev = port->dev;

	ASSERT_RTNL();

	list_del_rcu(&port->list);
	lagx->port_count--;
	lagx_ports_changed();
	port->tx_enabled = false;
	port->rx_enabled = false;
	lagx->mode->ops->port_leave(lagx, port);
	lagx_refresh(lagx);
	lagx->port_ids &= ~BIT_ULL(port->id);

	dev_uc_unsync(port_dev, lagx->dev);	/* takes the address locks */
	dev_mc_unsync(port_dev, lagx->dev);
	lagx_port_sync_flags(lagx, port_dev, -1);
	vlan_vids_del_by_dev(port_dev, lagx->dev);
	lagx_compat_port_flags(port_dev, false);
	netdev_upper_dev_unlink(port_dev, lagx->dev);
	/* Waits for a grace period: no reader sees @port after this. */
	netdev_rx_handler_unregister(port_dev);

	if (!port->was_up && !unregistering)
		dev_close(port_dev);
	if (lagx_port_set_mac(lagx, port_dev, port->perm_addr, true, NULL))
		netdev_warn(lagx->dev, "could not restore the MAC address of %s\n",
			    netdev_name(port_dev));
	if (unregistering)
		__dev_set_mtu(port_dev, port->orig_mtu);
	else if (lagx_port_set_mtu(lagx, port_dev, port->orig_mtu))
		netdev_warn(lagx->dev, "could not restore the MTU of %s\n",
			    netdev_name(port_dev));

	lagx_compute_features(lagx);
	netdev_info(lagx->dev, "port %s removed\n", netdev_name(port_dev));

	free_percpu(port->stats);
	kfree(port);
}

int lagx_port_del(struct lagx *lagx, struct net_device *port_dev,
		  struct netlink_ext_ack *extack)
{
	struct lagx_port *port = lagx_port_get_rtnl(port_dev);

	if (!port || port->lagx != lagx) {
		NL_SET_ERR_MSG_MOD(extack, "Device is not a port of this lagx device");
		return -ENOENT;
	}
	lagx_port_release(lagx, port, false);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(lagx_port_del);

void lagx_port_del_all(struct lagx *lagx)
{
	struct lagx_port *port, *tmp;

	list_for_each_entry_safe(port, tmp, &lagx->port_list, list)
		lagx_port_release(lagx, port, false);
}

static int lagx_port_event(struct lagx_port *port, unsigned long event,
			   struct netdev_notifier_info *info)
{
	struct lagx *lagx = port->lagx;

	switch (event) {
	case NETDEV_UP:
	case NETDEV_DOWN:
	case NETDEV_CHANGE:
		lagx_port_link_event(port);
		break;
	case NETDEV_UNREGISTER:
		lagx_port_release(lagx, port, true);
		break;
	case NETDEV_PRECHANGEMTU:
		/* The core passes no extack with this event: say it here. */
		if (!lagx->port_mtu_change_allowed) {
			netdev_warn(lagx->dev, "refused MTU change on port %s: set the MTU on %s\n",
				    netdev_name(port->dev), netdev_name(lagx->dev));
			return notifier_from_errno(-EBUSY);
		}
		break;
	case NETDEV_PRE_CHANGEADDR:
		if (!lagx->port_mac_change_allowed) {
			NL_SET_ERR_MSG_MOD(info->extack,
					   "The MAC address of a lagx port is set on its lagx device");
			return notifier_from_errno(-EBUSY);
		}
		break;
	case NETDEV_FEAT_CHANGE:
		lagx_compute_features(lagx);
		break;
	case NETDEV_PRE_TYPE_CHANGE:
		/* Only Ethernet ports. */
		return notifier_from_errno(-EBUSY);
	case NETDEV_RESEND_IGMP:
		call_netdevice_notifiers(event, lagx->dev);
		break;
	}
	return NOTIFY_DONE;
}

static int lagx_master_event(struct lagx *lagx, unsigned long event)
{
	if (event == NETDEV_CHANGENAME) {
		lagx_procfs_del(lagx);
		lagx_procfs_add(lagx);
	}
	return NOTIFY_DONE;
}

static int lagx_netdev_event(struct notifier_block *nb, unsigned long event,
			     void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);
	struct lagx_port *port;

	if (netif_is_lagx(dev))
		return lagx_master_event(netdev_priv(dev), event);

	if (event == NETDEV_UNREGISTER)
		lagx_primary_gone(dev);

	port = lagx_port_get_rtnl(dev);
	if (!port)
		return NOTIFY_DONE;
	return lagx_port_event(port, event, ptr);
}

static struct notifier_block lagx_notifier_block = {
	.notifier_call = lagx_netdev_event,
};

int lagx_notifier_init(void)
{
	return register_netdevice_notifier(&lagx_notifier_block);
}

void lagx_notifier_exit(void)
{
	unregister_netdevice_notifier(&lagx_notifier_block);
}
