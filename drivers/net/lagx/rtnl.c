// SPDX-License-Identifier: GPL-2.0
/*
 * lagx: rtnetlink link ops ("ip link add ... type lagx", "ip link set
 * ... type lagx_slave").  Every settable attribute is an option of the
 * option table; a request is validated whole, then committed.
 */
#include <linux/netdevice.h>
#include <linux/etherdevice.h>
#include <linux/rtnetlink.h>
#include <net/netlink.h>
#include <net/rtnetlink.h>
#include <kunit/visibility.h>

#include "lagx.h"
#include "mode.h"

/*
 * Every attribute is parsed strictly (exact lengths): lagx has no old
 * user whose sloppy requests must keep working.
 */
static const struct nla_policy lagx_policy[IFLA_LAGX_MAX + 1] = {
	[IFLA_LAGX_UNSPEC]		= { .strict_start_type = IFLA_LAGX_MODE },
	[IFLA_LAGX_MODE]		= { .type = NLA_U8 },
	[IFLA_LAGX_ACTIVE_PORT]		= { .type = NLA_REJECT,
					    .reject_message = "active port is read-only" },
	[IFLA_LAGX_PORT_COUNT]		= { .type = NLA_REJECT,
					    .reject_message = "port count is read-only" },
	[IFLA_LAGX_XMIT_HASH_POLICY]	= { .type = NLA_U8 },
	[IFLA_LAGX_PRIMARY]		= { .type = NLA_U32 },
	[IFLA_LAGX_PRIMARY_RESELECT]	= { .type = NLA_U8 },
	[IFLA_LAGX_UPDELAY]		= { .type = NLA_U32 },
	[IFLA_LAGX_DOWNDELAY]		= { .type = NLA_U32 },
	[IFLA_LAGX_MIN_LINKS]		= { .type = NLA_U32 },
	[IFLA_LAGX_MAX_PORTS]		= { .type = NLA_U32 },
	[IFLA_LAGX_REBALANCE_INTERVAL]	= { .type = NLA_U32 },
	[IFLA_LAGX_LACP_RATE]		= { .type = NLA_U8 },
	[IFLA_LAGX_LACP_ACTIVE]		= { .type = NLA_U8 },
	[IFLA_LAGX_LACP_SYS_PRIO]	= { .type = NLA_U16 },
	[IFLA_LAGX_LACP_SYS_MAC]	= NLA_POLICY_ETH_ADDR,
	[IFLA_LAGX_AD_SELECT]		= { .type = NLA_U8 },
	[IFLA_LAGX_LACP_FALLBACK]	= { .type = NLA_U8 },
	[IFLA_LAGX_FAILOVERS]		= { .type = NLA_REJECT,
					    .reject_message = "failover count is read-only" },
	[IFLA_LAGX_PAD]			= { .type = NLA_REJECT },
	[IFLA_LAGX_BUCKET_MOVES]	= { .type = NLA_REJECT,
					    .reject_message = "bucket move count is read-only" },
	[IFLA_LAGX_OPERATING_MODE]	= { .type = NLA_REJECT,
					    .reject_message = "operating mode is read-only" },
	[IFLA_LAGX_FALLBACKS]		= { .type = NLA_REJECT,
					    .reject_message = "fallback count is read-only" },
};

static const struct nla_policy lagx_port_policy[IFLA_LAGX_PORT_MAX + 1] = {
	[IFLA_LAGX_PORT_UNSPEC]		= { .strict_start_type = IFLA_LAGX_PORT_STATE },
	[IFLA_LAGX_PORT_STATE]		= { .type = NLA_REJECT,
					    .reject_message = "port state is read-only" },
	[IFLA_LAGX_PORT_LINK_FAILURES]	= { .type = NLA_REJECT,
					    .reject_message = "link failure count is read-only" },
	[IFLA_LAGX_PORT_PERM_HWADDR]	= { .type = NLA_REJECT,
					    .reject_message = "permanent address is read-only" },
	[IFLA_LAGX_PORT_PRIO]		= { .type = NLA_S32 },
	[IFLA_LAGX_PORT_LACP_PRIO]	= { .type = NLA_U16 },
	[IFLA_LAGX_PORT_LACP_KEY]	= { .type = NLA_U16 },
	[IFLA_LAGX_PORT_REASON]		= { .type = NLA_REJECT,
					    .reject_message = "port reason is read-only" },
	[IFLA_LAGX_PORT_BUCKETS]	= { .type = NLA_REJECT,
					    .reject_message = "port bucket count is read-only" },
	[IFLA_LAGX_PORT_LOAD]		= { .type = NLA_REJECT,
					    .reject_message = "port load is read-only" },
	[IFLA_LAGX_PORT_PAD]		= { .type = NLA_REJECT },
	[IFLA_LAGX_PORT_LACP_ACTOR_STATE] = { .type = NLA_REJECT,
					      .reject_message = "actor state is read-only" },
	[IFLA_LAGX_PORT_LACP_PARTNER_STATE] = { .type = NLA_REJECT,
						.reject_message = "partner state is read-only" },
	[IFLA_LAGX_PORT_LACP_PARTNER_SYSTEM] = { .type = NLA_REJECT,
						 .reject_message = "partner system is read-only" },
};

/*
 * rtnetlink parses IFLA_INFO_DATA and IFLA_INFO_SLAVE_DATA leniently and
 * drops an attribute beyond maxtype without a word.  Refuse it instead: a
 * request lagx does not understand (from a newer tool) changes nothing.
 */
static int lagx_check_unknown(struct nlattr *tb[], int which, int maxtype,
			      struct netlink_ext_ack *extack)
{
	struct nlattr *linkinfo[IFLA_INFO_MAX + 1];
	struct nlattr *nla;
	int rem;

	if (!tb || !tb[IFLA_LINKINFO] ||
	    nla_parse_nested_deprecated(linkinfo, IFLA_INFO_MAX,
					tb[IFLA_LINKINFO], NULL, NULL) ||
	    !linkinfo[which])
		return 0;
	nla_for_each_nested(nla, linkinfo[which], rem) {
		if (nla_type(nla) > maxtype) {
			NL_SET_ERR_MSG_FMT_MOD(extack, "unknown attribute %d",
					       nla_type(nla));
			NL_SET_BAD_ATTR(extack, nla);
			return -EINVAL;
		}
	}
	return 0;
}

/* Before newlink and changelink of a lagx device. */
static int lagx_validate(struct nlattr *tb[], struct nlattr *data[],
			 struct netlink_ext_ack *extack)
{
	return lagx_check_unknown(tb, IFLA_INFO_DATA, IFLA_LAGX_MAX, extack);
}

static s64 lagx_nla_value(const struct lagx_option *opt,
			  const struct nlattr *nla)
{
	switch (opt->type) {
	case LAGX_OPT_U8:
		return nla_get_u8(nla);
	case LAGX_OPT_U16:
		return nla_get_u16(nla);
	case LAGX_OPT_U32:
		return nla_get_u32(nla);
	case LAGX_OPT_S32:
		return nla_get_s32(nla);
	case LAGX_OPT_MAC:
		break;
	}
	return 0;
}

/* Turn the attributes of a request into a list of option changes. */
static unsigned int lagx_parse_changes(struct nlattr *data[], u16 maxattr,
				       bool port, struct lagx_opt_change *changes,
				       struct nlattr **attrs)
{
	unsigned int n = 0;
	u16 attr;

	for (attr = 1; attr <= maxattr; attr++) {
		const struct lagx_option *opt;

		if (!data[attr])
			continue;
		opt = lagx_option_by_attr(attr, port);
		if (!opt)
			continue;	/* read-only: refused by the policy */
		changes[n].opt = opt;
		changes[n].val = lagx_nla_value(opt, data[attr]);
		changes[n].mac = opt->type == LAGX_OPT_MAC ?
				 nla_data(data[attr]) : NULL;
		attrs[n++] = data[attr];
	}
	return n;
}

/* A device request, too big for the stack of a netlink handler. */
struct lagx_dev_request {
	struct lagx_opt_change changes[IFLA_LAGX_MAX];
	struct nlattr *attrs[IFLA_LAGX_MAX];
};

static int lagx_changelink(struct net_device *dev, struct nlattr *tb[],
			   struct nlattr *data[], struct netlink_ext_ack *extack)
{
	struct lagx *lagx = netdev_priv(dev);
	struct lagx_dev_request *req;
	unsigned int n, bad;
	int err;

	ASSERT_RTNL();

	if (!data)
		return 0;
	req = kzalloc(sizeof(*req), GFP_KERNEL);
	if (!req)
		return -ENOMEM;
	n = lagx_parse_changes(data, IFLA_LAGX_MAX, false, req->changes,
			       req->attrs);
	err = lagx_config_change(lagx, req->changes, n, &bad, extack);
	if (err)
		NL_SET_BAD_ATTR(extack, req->attrs[bad]);
	kfree(req);
	return err;
}

static int lagx_newlink(struct net *src_net, struct net_device *dev,
			struct nlattr *tb[], struct nlattr *data[],
			struct netlink_ext_ack *extack)
{
	int err;

	err = lagx_changelink(dev, tb, data, extack);
	if (err)
		return err;
	err = register_netdevice(dev);
	/* A name taken in the target netns fails before ndo_init, so
	 * ndo_uninit does not undo what the options did.
	 */
	if (err)
		lagx_primary_forget(netdev_priv(dev));
	return err;
}

static int lagx_port_changelink(struct net_device *dev,
				struct net_device *port_dev,
				struct nlattr *tb[], struct nlattr *data[],
				struct netlink_ext_ack *extack)
{
	struct lagx_opt_change changes[IFLA_LAGX_PORT_MAX];
	struct nlattr *attrs[IFLA_LAGX_PORT_MAX];
	struct lagx_port *port;
	unsigned int n, bad;
	int err;

	ASSERT_RTNL();

	port = lagx_port_get_rtnl(port_dev);
	if (!port)
		return 0;
	err = lagx_check_unknown(tb, IFLA_INFO_SLAVE_DATA, IFLA_LAGX_PORT_MAX,
				 extack);
	if (err || !data)
		return err;
	n = lagx_parse_changes(data, IFLA_LAGX_PORT_MAX, true, changes, attrs);
	err = lagx_port_config_change(port, changes, n, &bad, extack);
	if (err)
		NL_SET_BAD_ATTR(extack, attrs[bad]);
	return err;
}

static size_t lagx_option_size(const struct lagx_option *opt)
{
	switch (opt->type) {
	case LAGX_OPT_U8:
		return nla_total_size(sizeof(u8));
	case LAGX_OPT_U16:
		return nla_total_size(sizeof(u16));
	case LAGX_OPT_U32:
	case LAGX_OPT_S32:
		return nla_total_size(sizeof(u32));
	case LAGX_OPT_MAC:
		return nla_total_size(ETH_ALEN);
	}
	return 0;
}

static int lagx_option_put(struct sk_buff *skb, const struct lagx_option *opt,
			   const void *cfg)
{
	s64 val = lagx_option_get(opt, cfg);

	switch (opt->type) {
	case LAGX_OPT_U8:
		return nla_put_u8(skb, opt->attr, val);
	case LAGX_OPT_U16:
		return nla_put_u16(skb, opt->attr, val);
	case LAGX_OPT_U32:
		return nla_put_u32(skb, opt->attr, val);
	case LAGX_OPT_S32:
		return nla_put_s32(skb, opt->attr, val);
	case LAGX_OPT_MAC:
		return nla_put(skb, opt->attr, ETH_ALEN, cfg + opt->offset);
	}
	return 0;
}

static size_t lagx_options_size(bool port)
{
	size_t size = 0;
	unsigned int i;

	for (i = 0; i < lagx_options_count; i++)
		if (lagx_options[i].port == port)
			size += lagx_option_size(&lagx_options[i]);
	return size;
}

static int lagx_options_put(struct sk_buff *skb, bool port, const void *cfg)
{
	unsigned int i;

	for (i = 0; i < lagx_options_count; i++)
		if (lagx_options[i].port == port &&
		    lagx_option_put(skb, &lagx_options[i], cfg))
			return -EMSGSIZE;
	return 0;
}

/* The hash buckets, in a mode that transmits through them; else NULL. */
static const struct lagx_buckets *lagx_rtnl_buckets(const struct lagx *lagx)
{
	return lagx->mode->uses_buckets ? lagx->buckets : NULL;
}

static size_t lagx_get_size(const struct net_device *dev)
{
	const struct lagx *lagx = netdev_priv(dev);
	size_t size = lagx_options_size(false) +
		      nla_total_size(sizeof(u32)) +	/* IFLA_LAGX_PORT_COUNT */
		      nla_total_size_64bit(sizeof(u64)) + /* IFLA_LAGX_FAILOVERS */
		      nla_total_size_64bit(sizeof(u64)); /* IFLA_LAGX_BUCKET_MOVES */

	if (lagx->mode->ops->get_size)
		size += lagx->mode->ops->get_size(lagx);
	return size;
}

static int lagx_fill_info(struct sk_buff *skb, const struct net_device *dev)
{
	struct lagx *lagx = netdev_priv(dev);
	const struct lagx_buckets *bk = lagx_rtnl_buckets(lagx);
	struct lagx_stats_view st;

	lagx_stats_view(lagx, &st);
	if (lagx_options_put(skb, false, &lagx->cfg) ||
	    nla_put_u32(skb, IFLA_LAGX_PORT_COUNT, lagx->port_count) ||
	    nla_put_u64_64bit(skb, IFLA_LAGX_FAILOVERS, st.failovers,
			      IFLA_LAGX_PAD) ||
	    (bk && nla_put_u64_64bit(skb, IFLA_LAGX_BUCKET_MOVES,
				     READ_ONCE(bk->moves), IFLA_LAGX_PAD)))
		return -EMSGSIZE;
	if (lagx->mode->ops->fill_info)
		return lagx->mode->ops->fill_info(skb, lagx);
	return 0;
}

static size_t lagx_get_port_size(const struct net_device *dev,
				 const struct net_device *port_dev)
{
	const struct lagx *lagx = netdev_priv(dev);
	size_t size = lagx_options_size(true) +
		      nla_total_size(sizeof(u8)) +	/* IFLA_LAGX_PORT_STATE */
		      nla_total_size(sizeof(u32)) +	/* IFLA_LAGX_PORT_LINK_FAILURES */
		      nla_total_size(ETH_ALEN) +	/* IFLA_LAGX_PORT_PERM_HWADDR */
		      nla_total_size(LAGX_REASON_LEN) + /* IFLA_LAGX_PORT_REASON */
		      nla_total_size(sizeof(u32)) +	/* IFLA_LAGX_PORT_BUCKETS */
		      nla_total_size_64bit(sizeof(u64)); /* IFLA_LAGX_PORT_LOAD */

	if (lagx->mode->ops->get_port_size)
		size += lagx->mode->ops->get_port_size(lagx);
	return size;
}

static int lagx_fill_port_info(struct sk_buff *skb,
			       const struct net_device *dev,
			       const struct net_device *port_dev)
{
	struct lagx_port *port = lagx_port_get_rtnl(port_dev);
	char reason[LAGX_REASON_LEN];
	struct lagx *lagx;

	if (!port)
		return 0;
	lagx = port->lagx;
	lagx_port_reason(port, reason, sizeof(reason));
	if (lagx_options_put(skb, true, &port->cfg) ||
	    nla_put_string(skb, IFLA_LAGX_PORT_REASON, reason) ||
	    nla_put_u8(skb, IFLA_LAGX_PORT_STATE, lagx_port_state(port)) ||
	    nla_put_u32(skb, IFLA_LAGX_PORT_LINK_FAILURES, port->link_failures) ||
	    nla_put(skb, IFLA_LAGX_PORT_PERM_HWADDR, ETH_ALEN, port->perm_addr))
		return -EMSGSIZE;
	if (lagx_rtnl_buckets(lagx) &&
	    (nla_put_u32(skb, IFLA_LAGX_PORT_BUCKETS,
			 atomic_read(&port->buckets)) ||
	     nla_put_u64_64bit(skb, IFLA_LAGX_PORT_LOAD, READ_ONCE(port->load),
			       IFLA_LAGX_PORT_PAD)))
		return -EMSGSIZE;
	if (lagx->mode->ops->fill_port_info)
		return lagx->mode->ops->fill_port_info(skb, lagx, port);
	return 0;
}

struct rtnl_link_ops lagx_link_ops __read_mostly = {
	.kind			= LAGX_DRV_NAME,
	.priv_size		= sizeof(struct lagx),
	.setup			= lagx_setup,
	.maxtype		= IFLA_LAGX_MAX,
	.policy			= lagx_policy,
	.validate		= lagx_validate,
	.newlink		= lagx_newlink,
	.changelink		= lagx_changelink,
	.get_size		= lagx_get_size,
	.fill_info		= lagx_fill_info,
	.slave_maxtype		= IFLA_LAGX_PORT_MAX,
	.slave_policy		= lagx_port_policy,
	.slave_changelink	= lagx_port_changelink,
	.get_slave_size		= lagx_get_port_size,
	.fill_slave_info	= lagx_fill_port_info,
};
EXPORT_SYMBOL_IF_KUNIT(lagx_link_ops);

int lagx_rtnl_init(void)
{
	return rtnl_link_register(&lagx_link_ops);
}

void lagx_rtnl_exit(void)
{
	rtnl_link_unregister(&lagx_link_ops);
}
