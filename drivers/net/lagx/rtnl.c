// SPDX-License-Identifier: GPL-2.0
/*
 * lagx: rtnetlink link ops ("ip link add ... type lagx").
 */
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <net/netlink.h>
#include <net/rtnetlink.h>

#include "lagx.h"
#include "mode.h"

static const struct nla_policy lagx_policy[IFLA_LAGX_MAX + 1] = {
	[IFLA_LAGX_MODE]	= NLA_POLICY_MAX(NLA_U8, LAGX_MODE_MAX),
	[IFLA_LAGX_ACTIVE_PORT]	= { .type = NLA_REJECT,
				    .reject_message = "The active port is read-only" },
	[IFLA_LAGX_PORT_COUNT]	= { .type = NLA_REJECT,
				    .reject_message = "The port count is read-only" },
};

static int lagx_changelink(struct net_device *dev, struct nlattr *tb[],
			   struct nlattr *data[], struct netlink_ext_ack *extack)
{
	struct lagx *lagx = netdev_priv(dev);
	int err;

	if (!data)
		return 0;

	if (data[IFLA_LAGX_MODE]) {
		err = lagx_mode_set(lagx, nla_get_u8(data[IFLA_LAGX_MODE]), extack);
		if (err) {
			NL_SET_BAD_ATTR(extack, data[IFLA_LAGX_MODE]);
			return err;
		}
	}
	return 0;
}

static int lagx_newlink(struct net *src_net, struct net_device *dev,
			struct nlattr *tb[], struct nlattr *data[],
			struct netlink_ext_ack *extack)
{
	int err;

	err = lagx_changelink(dev, tb, data, extack);
	if (err)
		return err;
	return register_netdevice(dev);
}

static size_t lagx_get_size(const struct net_device *dev)
{
	const struct lagx *lagx = netdev_priv(dev);
	size_t size = nla_total_size(sizeof(u8)) +	/* IFLA_LAGX_MODE */
		      nla_total_size(sizeof(u32));	/* IFLA_LAGX_PORT_COUNT */

	if (lagx->mode->ops->get_size)
		size += lagx->mode->ops->get_size(lagx);
	return size;
}

static int lagx_fill_info(struct sk_buff *skb, const struct net_device *dev)
{
	const struct lagx *lagx = netdev_priv(dev);

	if (nla_put_u8(skb, IFLA_LAGX_MODE, lagx->mode->id) ||
	    nla_put_u32(skb, IFLA_LAGX_PORT_COUNT, lagx->port_count))
		return -EMSGSIZE;
	if (lagx->mode->ops->fill_info)
		return lagx->mode->ops->fill_info(skb, lagx);
	return 0;
}

static size_t lagx_get_port_size(const struct net_device *dev,
				 const struct net_device *port_dev)
{
	return nla_total_size(sizeof(u8)) +		/* IFLA_LAGX_PORT_STATE */
	       nla_total_size(sizeof(u32)) +		/* IFLA_LAGX_PORT_LINK_FAILURES */
	       nla_total_size(ETH_ALEN);		/* IFLA_LAGX_PORT_PERM_HWADDR */
}

static int lagx_fill_port_info(struct sk_buff *skb,
			       const struct net_device *dev,
			       const struct net_device *port_dev)
{
	const struct lagx_port *port = lagx_port_get_rtnl(port_dev);

	if (!port)
		return 0;
	if (nla_put_u8(skb, IFLA_LAGX_PORT_STATE, lagx_port_state(port)) ||
	    nla_put_u32(skb, IFLA_LAGX_PORT_LINK_FAILURES, port->link_failures) ||
	    nla_put(skb, IFLA_LAGX_PORT_PERM_HWADDR, ETH_ALEN, port->perm_addr))
		return -EMSGSIZE;
	return 0;
}

struct rtnl_link_ops lagx_link_ops __read_mostly = {
	.kind			= LAGX_DRV_NAME,
	.priv_size		= sizeof(struct lagx),
	.setup			= lagx_setup,
	.maxtype		= IFLA_LAGX_MAX,
	.policy			= lagx_policy,
	.newlink		= lagx_newlink,
	.changelink		= lagx_changelink,
	.get_size		= lagx_get_size,
	.fill_info		= lagx_fill_info,
	.slave_maxtype		= IFLA_LAGX_PORT_MAX,
	.get_slave_size		= lagx_get_port_size,
	.fill_slave_info	= lagx_fill_port_info,
};

int lagx_rtnl_init(void)
{
	return rtnl_link_register(&lagx_link_ops);
}

void lagx_rtnl_exit(void)
{
	rtnl_link_unregister(&lagx_link_ops);
}
