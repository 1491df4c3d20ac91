// SPDX-License-Identifier: GPL-2.0
/*
 * lagx: the "lagx" generic netlink family: state, events and actions.
 * Policies and the ops table are generated from
 * Documentation/netlink/specs/lagx.yaml into netlink_gen.[ch].
 *
 * Every handler runs under RTNL, taken by the pre_doit hooks (do) or by
 * the dump itself, and resolves devices in the requester's netns.
 */
#include <linux/netdevice.h>
#include <linux/ethtool.h>
#include <linux/rtnetlink.h>
#include <net/genetlink.h>
#include <net/netlink.h>
#include <net/sock.h>

#include "lagx.h"
#include "mode.h"
#include "netlink_gen.h"

/* The lagx device of @net whose ifindex @attr holds; NULL, with the
 * message, when there is none.  RTNL.
 */
static struct lagx *lagx_nl_dev_get(struct net *net, struct nlattr *attr,
				    struct netlink_ext_ack *extack)
{
	struct net_device *dev;

	ASSERT_RTNL();

	dev = __dev_get_by_index(net, nla_get_u32(attr));
	if (!dev || !netif_is_lagx(dev)) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "not a lagx device");
		return NULL;
	}
	return netdev_priv(dev);
}

/* pre_doit: the lagx device named by LAGX_A_DEV_IFINDEX, RTNL held. */
int lagx_nl_pre_doit(const struct genl_split_ops *ops, struct sk_buff *skb,
		     struct genl_info *info)
{
	struct lagx *lagx;

	if (GENL_REQ_ATTR_CHECK(info, LAGX_A_DEV_IFINDEX))
		return -EINVAL;

	rtnl_lock();
	lagx = lagx_nl_dev_get(genl_info_net(info),
			       info->attrs[LAGX_A_DEV_IFINDEX], info->extack);
	if (!lagx) {
		rtnl_unlock();
		return -ENODEV;
	}
	info->user_ptr[0] = lagx;
	return 0;
}

/* pre_doit: the lagx port named by LAGX_A_PORT_IFINDEX, RTNL held. */
int lagx_nl_pre_doit_port(const struct genl_split_ops *ops,
			  struct sk_buff *skb, struct genl_info *info)
{
	struct lagx_port *port = NULL;
	struct net_device *dev;

	if (GENL_REQ_ATTR_CHECK(info, LAGX_A_PORT_IFINDEX))
		return -EINVAL;

	rtnl_lock();
	dev = __dev_get_by_index(genl_info_net(info),
				 nla_get_u32(info->attrs[LAGX_A_PORT_IFINDEX]));
	if (dev)
		port = lagx_port_get_rtnl(dev);
	if (!port) {
		rtnl_unlock();
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[LAGX_A_PORT_IFINDEX],
				    "not a lagx port");
		return -ENODEV;
	}
	info->user_ptr[0] = port->lagx;
	info->user_ptr[1] = port;
	return 0;
}

/*
 * The actions need CAP_NET_ADMIN in the user namespace that owns the
 * device's netns, as "ip link set" over rtnetlink does: a container's root
 * acts on its own devices.  This is GENL_UNS_ADMIN_PERM, checked here
 * because the genetlink schema of ynl (6.12) has only admin-perm.
 */
static int lagx_nl_ns_capable(struct sk_buff *skb, struct genl_info *info)
{
	if (netlink_ns_capable(skb, genl_info_net(info)->user_ns,
			       CAP_NET_ADMIN))
		return 0;
	NL_SET_ERR_MSG(info->extack,
		       "needs CAP_NET_ADMIN in the device's network namespace");
	return -EPERM;
}

/* pre_doit of the actions on a device: permission, then the device. */
int lagx_nl_pre_doit_admin(const struct genl_split_ops *ops,
			   struct sk_buff *skb, struct genl_info *info)
{
	return lagx_nl_ns_capable(skb, info) ?: lagx_nl_pre_doit(ops, skb, info);
}

/* pre_doit of the actions on a port: permission, then the port. */
int lagx_nl_pre_doit_port_admin(const struct genl_split_ops *ops,
				struct sk_buff *skb, struct genl_info *info)
{
	return lagx_nl_ns_capable(skb, info) ?:
	       lagx_nl_pre_doit_port(ops, skb, info);
}

void lagx_nl_post_doit(const struct genl_split_ops *ops, struct sk_buff *skb,
		       struct genl_info *info)
{
	rtnl_unlock();
}

/* The bucket table, in a mode that transmits through it; else NULL. */
static const struct lagx_buckets *lagx_nl_buckets(const struct lagx *lagx)
{
	return lagx->mode->uses_buckets ? lagx->buckets : NULL;
}

/* The attributes of the hash buckets, in a mode that has them. */
static int lagx_nl_put_dev_buckets(struct sk_buff *skb, struct lagx *lagx)
{
	const struct lagx_buckets *bk = lagx_nl_buckets(lagx);
	struct lagx_port *port, *mcast = NULL;

	if (!bk)
		return 0;

	lagx_for_each_port(lagx, port) {
		if (READ_ONCE(port->rx_mcast)) {
			mcast = port;
			break;
		}
	}

	if (nla_put_u32(skb, LAGX_A_DEV_XMIT_HASH_POLICY,
			lagx->cfg.xmit_hash_policy) ||
	    nla_put_u32(skb, LAGX_A_DEV_REBALANCE_INTERVAL,
			lagx->cfg.rebalance_interval) ||
	    nla_put_uint(skb, LAGX_A_DEV_REBALANCE_RUNS, READ_ONCE(bk->runs)) ||
	    nla_put_uint(skb, LAGX_A_DEV_BUCKET_MOVES, READ_ONCE(bk->moves)) ||
	    (mcast && nla_put_u32(skb, LAGX_A_DEV_MCAST_PORT,
				  mcast->dev->ifindex)))
		return -EMSGSIZE;
	return 0;
}

/* The command is the request's, or the notification's (genl_info_init_ntf()). */
static int lagx_nl_fill_dev(struct sk_buff *skb, struct lagx *lagx,
			    const struct genl_info *info)
{
	const struct lagx_mode *mode = lagx->mode;
	struct lagx_port *active = NULL;
	struct lagx_stats_view st;
	void *hdr;

	ASSERT_RTNL();

	hdr = genlmsg_iput(skb, info);
	if (!hdr)
		return -EMSGSIZE;

	if (mode->ops->active_port)
		active = mode->ops->active_port(lagx);
	lagx_stats_view(lagx, &st);

	if (nla_put_u32(skb, LAGX_A_DEV_IFINDEX, lagx->dev->ifindex) ||
	    nla_put_string(skb, LAGX_A_DEV_IFNAME, lagx->dev->name) ||
	    nla_put_u32(skb, LAGX_A_DEV_MODE, mode->id) ||
	    nla_put_u8(skb, LAGX_A_DEV_CARRIER, netif_carrier_ok(lagx->dev)) ||
	    (active && nla_put_u32(skb, LAGX_A_DEV_ACTIVE_PORT,
				   active->dev->ifindex)) ||
	    nla_put_u32(skb, LAGX_A_DEV_PORT_COUNT, lagx->port_count) ||
	    nla_put_u32(skb, LAGX_A_DEV_USABLE_PORTS, lagx_usable_ports(lagx)) ||
	    nla_put_uint(skb, LAGX_A_DEV_FAILOVERS, st.failovers) ||
	    nla_put_uint(skb, LAGX_A_DEV_TX_DROPPED, st.tx_dropped) ||
	    lagx_nl_put_dev_buckets(skb, lagx) ||
	    (mode->ops->nl_fill_dev && mode->ops->nl_fill_dev(skb, lagx)))
		goto err_cancel;

	genlmsg_end(skb, hdr);
	return 0;

err_cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

/* @cb: the dump this message is part of, or NULL. */
static int lagx_nl_fill_port(struct sk_buff *skb, struct lagx_port *port,
			     const struct genl_info *info,
			     struct netlink_callback *cb)
{
	struct lagx *lagx = port->lagx;
	const struct lagx_mode *mode = lagx->mode;
	struct lagx_port_stats st;
	char reason[LAGX_REASON_LEN];
	void *hdr;

	ASSERT_RTNL();

	hdr = genlmsg_iput(skb, info);
	if (!hdr)
		return -EMSGSIZE;
	if (cb)
		genl_dump_check_consistent(cb, hdr);

	lagx_port_stats_view(port, &st);
	lagx_port_reason(port, reason, sizeof(reason));

	if (nla_put_u32(skb, LAGX_A_PORT_IFINDEX, port->dev->ifindex) ||
	    nla_put_string(skb, LAGX_A_PORT_IFNAME, port->dev->name) ||
	    nla_put_u32(skb, LAGX_A_PORT_MASTER, lagx->dev->ifindex) ||
	    nla_put_u32(skb, LAGX_A_PORT_STATE, lagx_port_state(port)) ||
	    nla_put_string(skb, LAGX_A_PORT_REASON, reason) ||
	    nla_put_u8(skb, LAGX_A_PORT_LINK, port->link_up) ||
	    nla_put_u8(skb, LAGX_A_PORT_LINK_PENDING, port->link_pending) ||
	    nla_put_u32(skb, LAGX_A_PORT_SPEED,
			port->speed == SPEED_UNKNOWN ? 0 : port->speed) ||
	    nla_put_u8(skb, LAGX_A_PORT_DUPLEX, port->duplex) ||
	    nla_put_u32(skb, LAGX_A_PORT_LINK_FAILURES, port->link_failures) ||
	    nla_put_s32(skb, LAGX_A_PORT_PRIO, port->cfg.prio) ||
	    nla_put_uint(skb, LAGX_A_PORT_RX_PACKETS, st.rx_packets) ||
	    nla_put_uint(skb, LAGX_A_PORT_RX_DROPPED, st.rx_dropped_inactive) ||
	    nla_put_uint(skb, LAGX_A_PORT_TX_PACKETS, st.tx_packets) ||
	    nla_put_uint(skb, LAGX_A_PORT_RX_DROPPED_MCAST,
			 st.rx_dropped_mcast) ||
	    nla_put_uint(skb, LAGX_A_PORT_RX_DROPPED_LOOP, st.rx_dropped_loop))
		goto err_cancel;

	if (lagx_nl_buckets(lagx) &&
	    (nla_put_u32(skb, LAGX_A_PORT_BUCKETS,
			 atomic_read(&port->buckets)) ||
	     nla_put_uint(skb, LAGX_A_PORT_LOAD, READ_ONCE(port->load)) ||
	     nla_put_uint(skb, LAGX_A_PORT_LEARN_TX, READ_ONCE(port->learn_tx))))
		goto err_cancel;
	if (mode->ops->nl_fill_port && mode->ops->nl_fill_port(skb, lagx, port))
		goto err_cancel;

	genlmsg_end(skb, hdr);
	return 0;

err_cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

/* A message about @port, or about @lagx when @port is NULL. */
static struct sk_buff *lagx_nl_msg(struct lagx *lagx, struct lagx_port *port,
				   const struct genl_info *info)
{
	struct sk_buff *msg;
	int err;

	msg = genlmsg_new(GENLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return ERR_PTR(-ENOMEM);
	err = port ? lagx_nl_fill_port(msg, port, info, NULL) :
		     lagx_nl_fill_dev(msg, lagx, info);
	if (err) {
		nlmsg_free(msg);
		return ERR_PTR(err);
	}
	return msg;
}

int lagx_nl_dev_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *msg = lagx_nl_msg(info->user_ptr[0], NULL, info);

	if (IS_ERR(msg))
		return PTR_ERR(msg);
	return genlmsg_reply(msg, info);
}

struct lagx_nl_dump_ctx {
	unsigned long ifindex;		/* next lagx device to dump */
	unsigned int port;		/* next port of it (port-get) */
	unsigned int bucket;		/* next bucket (bucket-get) */
};

static struct lagx_nl_dump_ctx *lagx_nl_dump_ctx(struct netlink_callback *cb)
{
	NL_ASSERT_DUMP_CTX_FITS(struct lagx_nl_dump_ctx);
	return (struct lagx_nl_dump_ctx *)cb->ctx;
}

int lagx_nl_dev_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct lagx_nl_dump_ctx *ctx = lagx_nl_dump_ctx(cb);
	struct net *net = sock_net(skb->sk);
	struct net_device *dev;
	int err = 0;

	rtnl_lock();
	for_each_netdev_dump(net, dev, ctx->ifindex) {
		if (!netif_is_lagx(dev))
			continue;
		err = lagx_nl_fill_dev(skb, netdev_priv(dev),
				       genl_info_dump(cb));
		if (err < 0)
			break;
	}
	rtnl_unlock();
	return err;
}

int lagx_nl_port_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *msg = lagx_nl_msg(info->user_ptr[0], info->user_ptr[1],
					  info);

	if (IS_ERR(msg))
		return PTR_ERR(msg);
	return genlmsg_reply(msg, info);
}

/*
 * Dump the ports of every lagx device, or of the one named by master.  A
 * dump resumes at a position in a device's port list: if any port came
 * or went since the dump began, its next message carries NLM_F_DUMP_INTR
 * and the reader knows a port may have been skipped or repeated.
 */
int lagx_nl_port_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	const struct genl_info *info = genl_info_dump(cb);
	struct lagx_nl_dump_ctx *ctx = lagx_nl_dump_ctx(cb);
	struct net *net = sock_net(skb->sk);
	struct nlattr *master = info->attrs[LAGX_A_PORT_MASTER];
	struct net_device *dev;
	int err = 0;

	rtnl_lock();
	cb->seq = lagx_ports_gen;
	if (master) {
		struct lagx *only = lagx_nl_dev_get(net, master, cb->extack);

		if (!only) {
			err = -ENODEV;
			goto out;
		}
		if (ctx->ifindex < only->dev->ifindex)
			ctx->ifindex = only->dev->ifindex;
	}
	for_each_netdev_dump(net, dev, ctx->ifindex) {
		struct lagx *lagx = netdev_priv(dev);
		struct lagx_port *port;
		unsigned int i = 0;

		if (master && dev->ifindex != nla_get_u32(master))
			break;
		if (!netif_is_lagx(dev))
			continue;
		lagx_for_each_port(lagx, port) {
			if (i++ < ctx->port)
				continue;
			err = lagx_nl_fill_port(skb, port, info, cb);
			if (err < 0)
				goto out;
			ctx->port = i;
		}
		ctx->port = 0;
	}
out:
	rtnl_unlock();
	return err;
}

/* The port a bucket is bound to: NULL for LAGX_NO_PORT or a stale id. */
static struct lagx_port *lagx_nl_bucket_port(struct lagx *lagx, u32 id)
{
	struct lagx_port *port;

	ASSERT_RTNL();

	if (id >= LAGX_MAX_PORTS_LIMIT || !(lagx->port_ids & BIT_ULL(id)))
		return NULL;
	lagx_for_each_port(lagx, port)
		if (port->id == id)
			return port;
	return NULL;
}

/* One message for bucket @b if it is bound to a port, else nothing. */
static int lagx_nl_fill_bucket(struct sk_buff *skb, struct lagx *lagx,
			       const struct lagx_buckets *bk, unsigned int b,
			       const struct genl_info *info)
{
	struct lagx_bucket_stats st;
	struct lagx_port *port;
	void *hdr;

	port = lagx_nl_bucket_port(lagx, READ_ONCE(bk->port[b]));
	if (!port)
		return 0;

	hdr = genlmsg_iput(skb, info);
	if (!hdr)
		return -EMSGSIZE;

	lagx_bucket_read(lagx, b, &st);
	if (nla_put_u32(skb, LAGX_A_BUCKET_DEV_IFINDEX, lagx->dev->ifindex) ||
	    nla_put_u32(skb, LAGX_A_BUCKET_INDEX, b) ||
	    nla_put_u32(skb, LAGX_A_BUCKET_PORT_IFINDEX, port->dev->ifindex) ||
	    nla_put_uint(skb, LAGX_A_BUCKET_BYTES, st.bytes) ||
	    nla_put_uint(skb, LAGX_A_BUCKET_PACKETS, st.packets) ||
	    nla_put_uint(skb, LAGX_A_BUCKET_LOAD, bk->load[b])) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/* Dump the buckets of the device named by dev-ifindex that have a port. */
int lagx_nl_bucket_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	const struct genl_info *info = genl_info_dump(cb);
	struct lagx_nl_dump_ctx *ctx = lagx_nl_dump_ctx(cb);
	struct nlattr *attr = info->attrs[LAGX_A_BUCKET_DEV_IFINDEX];
	const struct lagx_buckets *bk;
	struct lagx *lagx;
	int err = 0;

	if (GENL_REQ_ATTR_CHECK(info, LAGX_A_BUCKET_DEV_IFINDEX))
		return -EINVAL;

	rtnl_lock();
	lagx = lagx_nl_dev_get(sock_net(skb->sk), attr, cb->extack);
	if (!lagx) {
		err = -ENODEV;
		goto out;
	}
	bk = lagx_nl_buckets(lagx);
	if (!bk) {
		NL_SET_ERR_MSG_FMT_MOD(cb->extack, "mode %s has no hash buckets",
				       lagx->mode->name);
		err = -EOPNOTSUPP;
		goto out;
	}
	for (; ctx->bucket < LAGX_BUCKETS; ctx->bucket++) {
		err = lagx_nl_fill_bucket(skb, lagx, bk, ctx->bucket, info);
		if (err < 0)
			break;
	}
out:
	rtnl_unlock();
	return err;
}

int lagx_nl_port_set_active_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct lagx_port *port = info->user_ptr[1];
	struct lagx *lagx = info->user_ptr[0];

	if (!lagx->mode->ops->set_active) {
		NL_SET_ERR_MSG_FMT_MOD(info->extack,
				       "mode %s has no active port to set",
				       lagx->mode->name);
		return -EOPNOTSUPP;
	}
	return lagx->mode->ops->set_active(lagx, port, info->extack);
}

int lagx_nl_rebalance_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct lagx *lagx = info->user_ptr[0];

	if (!lagx->mode->ops->rebalance) {
		NL_SET_ERR_MSG_FMT_MOD(info->extack,
				       "mode %s does not balance load",
				       lagx->mode->name);
		return -EOPNOTSUPP;
	}
	lagx->mode->ops->rebalance(lagx);
	return 0;
}

int lagx_nl_stats_clear_doit(struct sk_buff *skb, struct genl_info *info)
{
	lagx_stats_clear(info->user_ptr[0]);
	return 0;
}

static void lagx_nl_notify(struct lagx *lagx, struct lagx_port *port, u8 cmd)
{
	struct net *net = dev_net(lagx->dev);
	struct genl_info info;
	struct sk_buff *msg;

	if (!genl_has_listeners(&lagx_nl_family, net, LAGX_NLGRP_MONITOR))
		return;

	genl_info_init_ntf(&info, &lagx_nl_family, cmd);
	msg = lagx_nl_msg(lagx, port, &info);
	if (IS_ERR(msg))
		return;
	genlmsg_multicast_netns(&lagx_nl_family, net, msg, 0,
				LAGX_NLGRP_MONITOR, GFP_KERNEL);
}

/* Monitors get the device's or a port's state: lagx_report_changes(). */
void lagx_nl_notify_dev(struct lagx *lagx)
{
	lagx_nl_notify(lagx, NULL, LAGX_CMD_DEV_CHANGE_NTF);
}

void lagx_nl_notify_port(struct lagx_port *port)
{
	lagx_nl_notify(port->lagx, port, LAGX_CMD_PORT_CHANGE_NTF);
}

int lagx_nl_init(void)
{
	return genl_register_family(&lagx_nl_family);
}

void lagx_nl_exit(void)
{
	genl_unregister_family(&lagx_nl_family);
}
