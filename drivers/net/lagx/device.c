// SPDX-License-Identifier: GPL-2.0
/*
 * lagx: the lagx net_device: netdev and ethtool ops, MTU, MAC address,
 * offload features computed from the ports, statistics.
 */
#include <linux/netdevice.h>
#include <linux/etherdevice.h>
#include <linux/ethtool.h>
#include <linux/if_vlan.h>
#include <linux/rtnetlink.h>
#include <net/netlink.h>
#include <kunit/visibility.h>

#include "lagx.h"
#include "mode.h"

#define LAGX_VLAN_FEATURES	(NETIF_F_HW_CSUM | NETIF_F_SG | \
				 NETIF_F_FRAGLIST | NETIF_F_GSO_SOFTWARE | \
				 NETIF_F_GSO_ENCAP_ALL | \
				 NETIF_F_HIGHDMA | NETIF_F_LRO)

#define LAGX_ENC_FEATURES	(NETIF_F_HW_CSUM | NETIF_F_SG | \
				 NETIF_F_RXCSUM | NETIF_F_GSO_SOFTWARE)

#define LAGX_MPLS_FEATURES	(NETIF_F_HW_CSUM | NETIF_F_SG | \
				 NETIF_F_GSO_SOFTWARE)

static int lagx_init(struct net_device *dev)
{
	struct lagx *lagx = netdev_priv(dev);

	int err;

	lagx->stats = netdev_alloc_pcpu_stats(struct lagx_pcpu_stats);
	if (!lagx->stats)
		return -ENOMEM;
	err = lagx_buckets_init(lagx);
	if (err)
		goto err_free_stats;
	netdev_lockdep_set_classes(dev);
	netif_carrier_off(dev);
	lagx_procfs_add(lagx);
	return 0;

err_free_stats:
	free_percpu(lagx->stats);
	lagx->stats = NULL;
	return err;
}

/* Last call before unregistering, with RTNL: release every port. */
static void lagx_uninit(struct net_device *dev)
{
	struct lagx *lagx = netdev_priv(dev);

	lagx_link_stop(lagx);
	lagx_rebalance_stop(lagx);
	lagx_mode_work_stop(lagx);
	lagx_primary_forget(lagx);
	lagx_procfs_del(lagx);
	lagx_port_del_all(lagx);
	if (lagx->mode->ops->uninit)
		lagx->mode->ops->uninit(lagx);
}

static void lagx_destructor(struct net_device *dev)
{
	struct lagx *lagx = netdev_priv(dev);

	lagx_buckets_free(lagx);
	free_percpu(lagx->stats);
	mutex_destroy(&lagx->mode_lock);
}

static int lagx_open(struct net_device *dev)
{
	struct lagx *lagx = netdev_priv(dev);

	lagx_rebalance_schedule(lagx);
	if (lagx->mode->ops->open)
		lagx->mode->ops->open(lagx);
	return 0;
}

static int lagx_stop(struct net_device *dev)
{
	struct lagx *lagx = netdev_priv(dev);

	lagx_rebalance_stop(lagx);
	if (lagx->mode->ops->stop)
		lagx->mode->ops->stop(lagx);
	return 0;
}

static u64 lagx_tx_dropped(const struct lagx *lagx)
{
	u64 sum = 0;
	int cpu;

	for_each_possible_cpu(cpu) {
		const struct lagx_pcpu_stats *s = per_cpu_ptr(lagx->stats, cpu);
		unsigned int start;
		u64 v;

		do {
			start = u64_stats_fetch_begin(&s->syncp);
			v = u64_stats_read(&s->tx_dropped);
		} while (u64_stats_fetch_retry(&s->syncp, start));
		sum += v;
	}
	return sum;
}

/* Counters as /proc, genl and rtnetlink report them: since stats-clear. */
void lagx_stats_view(const struct lagx *lagx, struct lagx_stats_view *st)
{
	st->failovers = READ_ONCE(lagx->failovers) - lagx->stats_base.failovers;
	st->tx_dropped = lagx_tx_dropped(lagx) - lagx->stats_base.tx_dropped;
}

/* Restart the reported counters (the interface's own stay monotonic). */
void lagx_stats_clear(struct lagx *lagx)
{
	struct lagx_port *port;

	ASSERT_RTNL();

	lagx->stats_base.failovers = READ_ONCE(lagx->failovers);
	lagx->stats_base.tx_dropped = lagx_tx_dropped(lagx);
	lagx_for_each_port(lagx, port) {
		lagx_port_get_stats(port, &port->stats_base);
		port->link_failures = 0;
	}
}

unsigned int lagx_usable_ports(const struct lagx *lagx)
{
	const struct lagx_port *port;
	unsigned int n = 0;

	lagx_for_each_port(lagx, port)
		n += port->link_up;
	return n;
}

static void lagx_get_stats64(struct net_device *dev,
			     struct rtnl_link_stats64 *stats)
{
	struct lagx *lagx = netdev_priv(dev);
	int cpu;

	for_each_possible_cpu(cpu) {
		const struct lagx_pcpu_stats *s = per_cpu_ptr(lagx->stats, cpu);
		u64 rx_packets, rx_bytes, tx_packets, tx_bytes, tx_dropped;
		unsigned int start;

		do {
			start = u64_stats_fetch_begin(&s->syncp);
			rx_packets = u64_stats_read(&s->rx_packets);
			rx_bytes = u64_stats_read(&s->rx_bytes);
			tx_packets = u64_stats_read(&s->tx_packets);
			tx_bytes = u64_stats_read(&s->tx_bytes);
			tx_dropped = u64_stats_read(&s->tx_dropped);
		} while (u64_stats_fetch_retry(&s->syncp, start));

		stats->rx_packets += rx_packets;
		stats->rx_bytes += rx_bytes;
		stats->tx_packets += tx_packets;
		stats->tx_bytes += tx_bytes;
		stats->tx_dropped += tx_dropped;
	}
}

/* Apply @new_mtu to every port, or to none. */
static int lagx_change_mtu(struct net_device *dev, int new_mtu)
{
	struct lagx *lagx = netdev_priv(dev);
	struct lagx_port *port, *failed = NULL;
	int err = 0;

	ASSERT_RTNL();

	lagx->port_mtu_change_allowed = true;
	lagx_for_each_port(lagx, port) {
		err = dev_set_mtu(port->dev, new_mtu);
		if (err) {
			failed = port;
			break;
		}
	}
	if (failed) {
		netdev_err(dev, "port %s cannot take MTU %d (%d), MTU unchanged\n",
			   netdev_name(failed->dev), new_mtu, err);
		lagx_for_each_port(lagx, port) {
			if (port == failed)
				break;
			dev_set_mtu(port->dev, dev->mtu);
		}
	}
	lagx->port_mtu_change_allowed = false;
	if (err)
		return err;

	WRITE_ONCE(dev->mtu, new_mtu);
	return 0;
}

/*
 * Apply a new MAC address to every port, live, or to none: a port that
 * cannot change its address while up refuses, and the change is undone
 * (closing and reopening ports would flap the whole aggregate).
 */
static int lagx_set_mac_address(struct net_device *dev, void *addr)
{
	struct lagx *lagx = netdev_priv(dev);
	struct sockaddr *sa = addr;
	struct lagx_port *port, *failed = NULL;
	int err = 0;

	ASSERT_RTNL();

	if (!is_valid_ether_addr(sa->sa_data))
		return -EADDRNOTAVAIL;

	lagx->port_mac_change_allowed = true;
	lagx_for_each_port(lagx, port) {
		err = lagx_port_set_mac(lagx, port->dev, sa->sa_data, false,
					NULL);
		if (err) {
			failed = port;
			break;
		}
	}
	if (failed) {
		netdev_err(dev, "port %s cannot take MAC address %pM %s(%pe): MAC unchanged; set the port down or release it first\n",
			   netdev_name(failed->dev), sa->sa_data,
			   netif_running(failed->dev) ? "while up " : "",
			   ERR_PTR(err));
		lagx_for_each_port(lagx, port) {
			if (port == failed)
				break;
			lagx_port_set_mac(lagx, port->dev, dev->dev_addr, false,
					  NULL);
		}
	}
	lagx->port_mac_change_allowed = false;
	if (err)
		return err;

	eth_hw_addr_set(dev, sa->sa_data);
	return 0;
}

static void lagx_change_rx_flags(struct net_device *dev, int change)
{
	struct lagx *lagx = netdev_priv(dev);
	struct lagx_port *port;

	ASSERT_RTNL();

	lagx_for_each_port(lagx, port) {
		if (change & IFF_PROMISC)
			dev_set_promiscuity(port->dev,
					    dev->flags & IFF_PROMISC ? 1 : -1);
		if (change & IFF_ALLMULTI)
			dev_set_allmulti(port->dev,
					 dev->flags & IFF_ALLMULTI ? 1 : -1);
	}
}

/* Called under the lagx address lock, with RCU or RTNL. */
static void lagx_set_rx_mode(struct net_device *dev)
{
	struct lagx *lagx = netdev_priv(dev);
	struct lagx_port *port;

	rcu_read_lock();
	lagx_for_each_port_rcu(lagx, port) {
		dev_uc_sync_multiple(port->dev, dev);
		dev_mc_sync_multiple(port->dev, dev);
	}
	rcu_read_unlock();
}

static int lagx_vlan_rx_add_vid(struct net_device *dev, __be16 proto, u16 vid)
{
	struct lagx *lagx = netdev_priv(dev);
	struct lagx_port *port;
	int err;

	ASSERT_RTNL();

	lagx_for_each_port(lagx, port) {
		err = vlan_vid_add(port->dev, proto, vid);
		if (err)
			goto err_undo;
	}
	return 0;

err_undo:
	list_for_each_entry_continue_reverse(port, &lagx->port_list, list)
		vlan_vid_del(port->dev, proto, vid);
	return err;
}

static int lagx_vlan_rx_kill_vid(struct net_device *dev, __be16 proto, u16 vid)
{
	struct lagx *lagx = netdev_priv(dev);
	struct lagx_port *port;

	ASSERT_RTNL();

	lagx_for_each_port(lagx, port)
		vlan_vid_del(port->dev, proto, vid);
	return 0;
}

static int lagx_add_port(struct net_device *dev, struct net_device *port_dev,
			 struct netlink_ext_ack *extack)
{
	return lagx_port_add(netdev_priv(dev), port_dev, extack);
}

static int lagx_del_port(struct net_device *dev, struct net_device *port_dev)
{
	return lagx_port_del(netdev_priv(dev), port_dev, NULL);
}

/* The features lagx offers are those every port offers. */
static netdev_features_t lagx_fix_features(struct net_device *dev,
					   netdev_features_t features)
{
	struct lagx *lagx = netdev_priv(dev);
	netdev_features_t mask = features;
	struct lagx_port *port;

	ASSERT_RTNL();

	features &= ~NETIF_F_ONE_FOR_ALL;
	features |= NETIF_F_ALL_FOR_ALL;
	lagx_for_each_port(lagx, port)
		features = netdev_increment_features(features,
						     port->dev->features, mask);
	return netdev_add_tso_features(features, mask);
}

/**
 * lagx_compute_features - derive offloads, header room and MTU range
 * @lagx: the lagx device
 *
 * Called whenever a port joins, leaves or changes its features, so that
 * traffic through lagx keeps the offloads every port has (as bonding's
 * bond_compute_features()), and an MTU no port can take is refused by
 * the core's range check, with an extack message, before anything
 * changes.
 */
void lagx_compute_features(struct lagx *lagx)
{
	unsigned int dst_release_flag = IFF_XMIT_DST_RELEASE |
					IFF_XMIT_DST_RELEASE_PERM;
	netdev_features_t vlan_features = LAGX_VLAN_FEATURES;
	netdev_features_t enc_features = LAGX_ENC_FEATURES;
	netdev_features_t mpls_features = LAGX_MPLS_FEATURES;
	struct net_device *dev = lagx->dev;
	unsigned short max_header_len = ETH_HLEN;
	unsigned int tso_max_size = TSO_MAX_SIZE;
	unsigned short max_headroom = 0;
	unsigned short max_tailroom = 0;
	u16 tso_max_segs = TSO_MAX_SEGS;
	unsigned int min_mtu = ETH_MIN_MTU;
	unsigned int max_mtu = ETH_MAX_MTU;
	struct lagx_port *port;

	ASSERT_RTNL();

	if (list_empty(&lagx->port_list))
		goto done;

	vlan_features &= NETIF_F_ALL_FOR_ALL;
	mpls_features &= NETIF_F_ALL_FOR_ALL;
	lagx_for_each_port(lagx, port) {
		struct net_device *pdev = port->dev;

		vlan_features = netdev_increment_features(vlan_features,
							  pdev->vlan_features,
							  LAGX_VLAN_FEATURES);
		enc_features = netdev_increment_features(enc_features,
							 pdev->hw_enc_features,
							 LAGX_ENC_FEATURES);
		mpls_features = netdev_increment_features(mpls_features,
							  pdev->mpls_features,
							  LAGX_MPLS_FEATURES);
		dst_release_flag &= pdev->priv_flags;
		max_header_len = max(max_header_len, pdev->hard_header_len);
		max_headroom = max(max_headroom, pdev->needed_headroom);
		max_tailroom = max(max_tailroom, pdev->needed_tailroom);
		tso_max_size = min(tso_max_size, pdev->tso_max_size);
		tso_max_segs = min(tso_max_segs, pdev->tso_max_segs);
		min_mtu = max(min_mtu, pdev->min_mtu);
		if (pdev->max_mtu)	/* 0: no limit (dummy) */
			max_mtu = min(max_mtu, pdev->max_mtu);
	}
	dev->hard_header_len = max_header_len;
	dev->needed_headroom = max_headroom;
	dev->needed_tailroom = max_tailroom;

done:
	dev->min_mtu = min_mtu;
	dev->max_mtu = max_mtu;
	dev->vlan_features = vlan_features;
	dev->hw_enc_features = enc_features | NETIF_F_GSO_ENCAP_ALL |
			       NETIF_F_HW_VLAN_CTAG_TX | NETIF_F_HW_VLAN_STAG_TX;
	dev->mpls_features = mpls_features;
	netif_set_tso_max_segs(dev, tso_max_segs);
	netif_set_tso_max_size(dev, tso_max_size);

	dev->priv_flags &= ~IFF_XMIT_DST_RELEASE;
	if ((dev->priv_flags & IFF_XMIT_DST_RELEASE_PERM) &&
	    dst_release_flag == (IFF_XMIT_DST_RELEASE | IFF_XMIT_DST_RELEASE_PERM))
		dev->priv_flags |= IFF_XMIT_DST_RELEASE;

	netdev_change_features(dev);
}

const struct net_device_ops lagx_netdev_ops = {
	.ndo_init		= lagx_init,
	.ndo_uninit		= lagx_uninit,
	.ndo_open		= lagx_open,
	.ndo_stop		= lagx_stop,
	.ndo_start_xmit		= lagx_start_xmit,
	.ndo_get_stats64	= lagx_get_stats64,
	.ndo_change_mtu		= lagx_change_mtu,
	.ndo_set_mac_address	= lagx_set_mac_address,
	.ndo_change_rx_flags	= lagx_change_rx_flags,
	.ndo_set_rx_mode	= lagx_set_rx_mode,
	.ndo_validate_addr	= eth_validate_addr,
	.ndo_vlan_rx_add_vid	= lagx_vlan_rx_add_vid,
	.ndo_vlan_rx_kill_vid	= lagx_vlan_rx_kill_vid,
	.ndo_add_slave		= lagx_add_port,
	.ndo_del_slave		= lagx_del_port,
	.ndo_fix_features	= lagx_fix_features,
	.ndo_features_check	= passthru_features_check,
};

static void lagx_ethtool_get_drvinfo(struct net_device *dev,
				     struct ethtool_drvinfo *info)
{
	strscpy(info->driver, LAGX_DRV_NAME, sizeof(info->driver));
	strscpy(info->version, LAGX_DRV_VERSION, sizeof(info->version));
}

/* Speed: the sum over ports that can transmit; duplex full if any is. */
static int lagx_ethtool_get_link_ksettings(struct net_device *dev,
					   struct ethtool_link_ksettings *cmd)
{
	struct lagx *lagx = netdev_priv(dev);
	const struct lagx_port_array *arr;
	unsigned long speed = 0;
	unsigned int i;

	ASSERT_RTNL();

	cmd->base.duplex = DUPLEX_UNKNOWN;
	cmd->base.port = PORT_OTHER;

	arr = lagx_tx_ports_rtnl(lagx);
	for (i = 0; arr && i < arr->count; i++) {
		struct lagx_port *port = arr->ports[i];

		if (port->speed != SPEED_UNKNOWN)
			speed += port->speed;
		if (cmd->base.duplex == DUPLEX_UNKNOWN &&
		    port->duplex != DUPLEX_UNKNOWN)
			cmd->base.duplex = port->duplex;
	}
	cmd->base.speed = speed ? : SPEED_UNKNOWN;
	return 0;
}

/*
 * ethtool -S: the device counters, then each port's, prefixed with its
 * name.  The port set may change between the strings and the stats
 * requests; the values of a port that left are reported as 0.
 */
static const char lagx_dev_stat_names[][ETH_GSTRING_LEN] = {
	"failovers", "tx_dropped", "bucket_moves", "rebalance_runs",
};

/* Short enough for "<port name>_<stat>" to fit ETH_GSTRING_LEN. */
static const char lagx_port_stat_names[][ETH_GSTRING_LEN - IFNAMSIZ] = {
	"rx_packets", "rx_inactive", "tx_packets", "link_failures",
	"rx_mcast_drop", "rx_loop_drop", "learn_tx",
};

#define LAGX_DEV_STATS		ARRAY_SIZE(lagx_dev_stat_names)
#define LAGX_PORT_STATS		ARRAY_SIZE(lagx_port_stat_names)

static int lagx_ethtool_get_sset_count(struct net_device *dev, int sset)
{
	struct lagx *lagx = netdev_priv(dev);

	if (sset != ETH_SS_STATS)
		return -EOPNOTSUPP;
	return LAGX_DEV_STATS + lagx->port_count * LAGX_PORT_STATS;
}

static void lagx_ethtool_get_strings(struct net_device *dev, u32 sset, u8 *buf)
{
	struct lagx *lagx = netdev_priv(dev);
	struct lagx_port *port;
	unsigned int i;

	if (sset != ETH_SS_STATS)
		return;
	for (i = 0; i < LAGX_DEV_STATS; i++, buf += ETH_GSTRING_LEN)
		strscpy(buf, lagx_dev_stat_names[i], ETH_GSTRING_LEN);
	lagx_for_each_port(lagx, port)
		for (i = 0; i < LAGX_PORT_STATS; i++)
			ethtool_sprintf(&buf, "%s_%s", port->dev->name,
					lagx_port_stat_names[i]);
}

static void lagx_ethtool_get_stats(struct net_device *dev,
				   struct ethtool_stats *stats, u64 *data)
{
	struct lagx *lagx = netdev_priv(dev);
	unsigned int n = stats->n_stats, i = 0;
	struct lagx_stats_view view;
	struct lagx_port *port;

	ASSERT_RTNL();

	memset(data, 0, n * sizeof(*data));
	lagx_stats_view(lagx, &view);
	if (n >= LAGX_DEV_STATS) {
		data[i++] = view.failovers;
		data[i++] = view.tx_dropped;
		data[i++] = READ_ONCE(lagx->buckets->moves);
		data[i++] = READ_ONCE(lagx->buckets->runs);
	}
	lagx_for_each_port(lagx, port) {
		struct lagx_port_stats st;

		if (i + LAGX_PORT_STATS > n)
			break;
		lagx_port_stats_view(port, &st);
		data[i++] = st.rx_packets;
		data[i++] = st.rx_dropped_inactive;
		data[i++] = st.tx_packets;
		data[i++] = port->link_failures;
		data[i++] = st.rx_dropped_mcast;
		data[i++] = st.rx_dropped_loop;
		data[i++] = port->learn_tx;
	}
}

static const struct ethtool_ops lagx_ethtool_ops = {
	.get_drvinfo		= lagx_ethtool_get_drvinfo,
	.get_link		= ethtool_op_get_link,
	.get_link_ksettings	= lagx_ethtool_get_link_ksettings,
	.get_sset_count		= lagx_ethtool_get_sset_count,
	.get_strings		= lagx_ethtool_get_strings,
	.get_ethtool_stats	= lagx_ethtool_get_stats,
};

void lagx_setup(struct net_device *dev)
{
	struct lagx *lagx = netdev_priv(dev);

	ether_setup(dev);
	lagx->dev = dev;
	mutex_init(&lagx->mode_lock);
	INIT_LIST_HEAD(&lagx->port_list);
	lagx_config_init(&lagx->cfg);
	lagx->mode = lagx_mode_get(lagx->cfg.mode);
	lagx_link_init(lagx);
	lagx_rebalance_init(lagx);
	lagx_mode_work_init(lagx);

	dev->netdev_ops = &lagx_netdev_ops;
	dev->ethtool_ops = &lagx_ethtool_ops;
	dev->needs_free_netdev = true;
	dev->priv_destructor = lagx_destructor;

	dev->flags |= IFF_MASTER;
	dev->priv_flags |= IFF_NO_QUEUE | IFF_UNICAST_FLT;
	dev->priv_flags &= ~(IFF_XMIT_DST_RELEASE | IFF_TX_SKB_SHARING);
	lagx_compat_setup(dev);

	dev->min_mtu = ETH_MIN_MTU;
	dev->max_mtu = ETH_MAX_MTU;

	dev->hw_features = LAGX_VLAN_FEATURES | NETIF_F_HW_VLAN_CTAG_RX |
			   NETIF_F_HW_VLAN_CTAG_FILTER |
			   NETIF_F_HW_VLAN_STAG_RX | NETIF_F_HW_VLAN_STAG_FILTER;
	dev->features |= dev->hw_features | NETIF_F_HW_VLAN_CTAG_TX |
			 NETIF_F_HW_VLAN_STAG_TX;
	dev->vlan_features = LAGX_VLAN_FEATURES;
	dev->hw_enc_features = LAGX_ENC_FEATURES;
	dev->mpls_features = LAGX_MPLS_FEATURES;

	eth_hw_addr_random(dev);
}
EXPORT_SYMBOL_IF_KUNIT(lagx_setup);
