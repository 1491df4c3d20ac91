// SPDX-License-Identifier: GPL-2.0
/*
 * lagx: the lacp mode's attributes in the generic netlink family's device
 * and port messages (mode ops nl_fill_dev, nl_fill_port), under RTNL.
 * Built with the family only (kernels >= 6.2).
 */
#include <linux/etherdevice.h>
#include <linux/jiffies.h>
#include <linux/netdevice.h>
#include <net/genetlink.h>
#include <net/netlink.h>

#include "lagx.h"
#include "mode.h"
#include "netlink_gen.h"

/* The lacp mode's enums are the spec's, so that the values go out as is. */
static_assert(LAGX_LACP_STATE_ACTIVITY == LACP_STATE_LACP_ACTIVITY);
static_assert(LAGX_LACP_STATE_TIMEOUT == LACP_STATE_LACP_TIMEOUT);
static_assert(LAGX_LACP_STATE_AGGREGATION == LACP_STATE_AGGREGATION);
static_assert(LAGX_LACP_STATE_SYNC == LACP_STATE_SYNCHRONIZATION);
static_assert(LAGX_LACP_STATE_COLLECTING == LACP_STATE_COLLECTING);
static_assert(LAGX_LACP_STATE_DISTRIBUTING == LACP_STATE_DISTRIBUTING);
static_assert(LAGX_LACP_STATE_DEFAULTED == LACP_STATE_DEFAULTED);
static_assert(LAGX_LACP_STATE_EXPIRED == LACP_STATE_EXPIRED);
static_assert((int)LAGX_LACP_MUX_DISTRIBUTING == LACP_MUX_DISTRIBUTING);
static_assert((int)LAGX_LACP_RX_CURRENT == LACP_RX_CURRENT);
static_assert((int)LAGX_LACP_SELECTED_STANDBY == LACP_STANDBY);
static_assert((int)LAGX_LACP_CHURN_CHURN == LACP_CHURN);
static_assert((int)LAGX_LACP_REASON_PARTNER_NOT_COLLECTING + 1 == __LACP_REASON_MAX);

/* How a lacp device operates, and its LACP system identity. */
int lagx_lacp_nl_fill_dev(struct sk_buff *skb, struct lagx *lagx)
{
	const u8 *mac = lagx->cfg.lacp_sys_mac;

	if (is_zero_ether_addr(mac))
		mac = lagx->dev->dev_addr;

	if (nla_put_u32(skb, LAGX_A_DEV_OPERATING_MODE,
			lagx_lacp_operating(lagx)) ||
	    nla_put_uint(skb, LAGX_A_DEV_FALLBACKS, READ_ONCE(lagx->fallbacks)) ||
	    nla_put_u16(skb, LAGX_A_DEV_LACP_SYSTEM_PRIO,
			lagx->cfg.lacp_sys_prio) ||
	    nla_put(skb, LAGX_A_DEV_LACP_SYSTEM, ETH_ALEN, mac))
		return -EMSGSIZE;
	return 0;
}

/* The attributes of the actor's or of the partner's parameters. */
struct lacp_nl_info_attrs {
	u16 sys_prio, sys, key, port_prio, port, state;
};

static const struct lacp_nl_info_attrs lacp_nl_actor_attrs = {
	.sys_prio	= LAGX_A_LACP_PORT_ACTOR_SYSTEM_PRIO,
	.sys		= LAGX_A_LACP_PORT_ACTOR_SYSTEM,
	.key		= LAGX_A_LACP_PORT_ACTOR_KEY,
	.port_prio	= LAGX_A_LACP_PORT_ACTOR_PORT_PRIO,
	.port		= LAGX_A_LACP_PORT_ACTOR_PORT,
	.state		= LAGX_A_LACP_PORT_ACTOR_STATE,
};

static const struct lacp_nl_info_attrs lacp_nl_partner_attrs = {
	.sys_prio	= LAGX_A_LACP_PORT_PARTNER_SYSTEM_PRIO,
	.sys		= LAGX_A_LACP_PORT_PARTNER_SYSTEM,
	.key		= LAGX_A_LACP_PORT_PARTNER_KEY,
	.port_prio	= LAGX_A_LACP_PORT_PARTNER_PORT_PRIO,
	.port		= LAGX_A_LACP_PORT_PARTNER_PORT,
	.state		= LAGX_A_LACP_PORT_PARTNER_STATE,
};

static int lacp_nl_put_info(struct sk_buff *skb,
			    const struct lacp_nl_info_attrs *a,
			    const struct lacp_info *info)
{
	if (nla_put_u16(skb, a->sys_prio, info->sys_prio) ||
	    nla_put(skb, a->sys, ETH_ALEN, info->sys) ||
	    nla_put_u16(skb, a->key, info->key) ||
	    nla_put_u16(skb, a->port_prio, info->port_prio) ||
	    nla_put_u16(skb, a->port, info->port) ||
	    nla_put_u8(skb, a->state, info->state))
		return -EMSGSIZE;
	return 0;
}

/* The LACP state of a port, nested; nothing before it is initialised. */
int lagx_lacp_nl_fill_port(struct sk_buff *skb, struct lagx *lagx,
			   struct lagx_port *port)
{
	unsigned long since;
	struct lacp_port p;
	struct nlattr *nest;
	u8 reason;

	if (!lagx_lacp_port_snapshot(lagx, port, &p, &reason, &since))
		return 0;

	nest = nla_nest_start(skb, LAGX_A_PORT_LACP);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u32(skb, LAGX_A_LACP_PORT_MUX_STATE, p.mux) ||
	    nla_put_u32(skb, LAGX_A_LACP_PORT_RX_STATE, p.rx) ||
	    nla_put_u32(skb, LAGX_A_LACP_PORT_SELECTED, p.selected) ||
	    nla_put_u32(skb, LAGX_A_LACP_PORT_REASON_CODE, reason) ||
	    nla_put_uint(skb, LAGX_A_LACP_PORT_REASON_SINCE_MS,
			 jiffies_to_msecs(jiffies - since)) ||
	    lacp_nl_put_info(skb, &lacp_nl_actor_attrs, &p.actor) ||
	    lacp_nl_put_info(skb, &lacp_nl_partner_attrs, &p.partner) ||
	    nla_put_uint(skb, LAGX_A_LACP_PORT_LACPDUS_RX, p.lacpdus_rx) ||
	    nla_put_uint(skb, LAGX_A_LACP_PORT_LACPDUS_TX, p.lacpdus_tx) ||
	    nla_put_uint(skb, LAGX_A_LACP_PORT_MARKERS_RX, p.markers_rx) ||
	    nla_put_uint(skb, LAGX_A_LACP_PORT_MARKER_RESPS_TX,
			 p.marker_resps_tx) ||
	    nla_put_uint(skb, LAGX_A_LACP_PORT_MARKER_RESPS_RX,
			 p.marker_resps_rx) ||
	    nla_put_uint(skb, LAGX_A_LACP_PORT_UNKNOWN_RX, p.unknown_rx) ||
	    nla_put_uint(skb, LAGX_A_LACP_PORT_ILLEGAL_RX, p.illegal_rx) ||
	    nla_put_u32(skb, LAGX_A_LACP_PORT_ACTOR_CHURN, p.actor_churn) ||
	    nla_put_u32(skb, LAGX_A_LACP_PORT_PARTNER_CHURN, p.partner_churn) ||
	    nla_put_u32(skb, LAGX_A_LACP_PORT_ACTOR_CHURN_COUNT,
			p.actor_churn_count) ||
	    nla_put_u32(skb, LAGX_A_LACP_PORT_PARTNER_CHURN_COUNT,
			p.partner_churn_count) ||
	    nla_put_uint(skb, LAGX_A_LACP_PORT_STRAY_RX, p.stray_rx)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}
