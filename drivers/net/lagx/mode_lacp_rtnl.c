// SPDX-License-Identifier: GPL-2.0
/*
 * lagx: the lacp mode's rtnetlink attributes (IFLA_LAGX_* of "ip -d link
 * show"): mode ops get_size, fill_info, get_port_size, fill_port_info,
 * under RTNL.
 */
#include <linux/etherdevice.h>
#include <linux/netdevice.h>
#include <net/netlink.h>

#include "lagx.h"
#include "mode.h"

size_t lagx_lacp_get_size(const struct lagx *lagx)
{
	return nla_total_size(sizeof(u8)) +		/* IFLA_LAGX_OPERATING_MODE */
	       nla_total_size_64bit(sizeof(u64));	/* IFLA_LAGX_FALLBACKS */
}

/* How a lacp device operates. */
int lagx_lacp_fill_info(struct sk_buff *skb, struct lagx *lagx)
{
	if (nla_put_u8(skb, IFLA_LAGX_OPERATING_MODE,
		       lagx_lacp_operating(lagx)) ||
	    nla_put_u64_64bit(skb, IFLA_LAGX_FALLBACKS,
			      READ_ONCE(lagx->fallbacks), IFLA_LAGX_PAD))
		return -EMSGSIZE;
	return 0;
}

size_t lagx_lacp_get_port_size(const struct lagx *lagx)
{
	return 2 * nla_total_size(sizeof(u8)) +	/* IFLA_LAGX_PORT_LACP_*_STATE */
	       nla_total_size(ETH_ALEN);		/* IFLA_LAGX_PORT_LACP_PARTNER_SYSTEM */
}

/* The LACP state of a port; nothing before it is initialised. */
int lagx_lacp_fill_port_info(struct sk_buff *skb, struct lagx *lagx,
			     struct lagx_port *port)
{
	unsigned long since;
	struct lacp_port p;
	u8 reason;

	if (!lagx_lacp_port_snapshot(lagx, port, &p, &reason, &since))
		return 0;
	if (nla_put_u8(skb, IFLA_LAGX_PORT_LACP_ACTOR_STATE, p.actor.state) ||
	    nla_put_u8(skb, IFLA_LAGX_PORT_LACP_PARTNER_STATE,
		       p.partner.state) ||
	    nla_put(skb, IFLA_LAGX_PORT_LACP_PARTNER_SYSTEM, ETH_ALEN,
		    p.partner.sys))
		return -EMSGSIZE;
	return 0;
}
