// SPDX-License-Identifier: GPL-2.0
/*
 * lagx: lacp mode (IEEE 802.1AX), with fallback.
 *
 * The protocol itself is pure code (lacp.c, lacp_pdu.c).  This file runs
 * it: a 100 ms timer per device, in softirq context, runs every port's
 * state machines under the device's lacp lock and sends the LACPDUs that
 * are due; received LACPDUs and markers are handled in the rx handler
 * under the same lock.  Neither ever needs RTNL.  When the set of ports
 * that may collect or distribute changes, or a port's reason does, the
 * timer queues a work item that applies it under RTNL (the TX array,
 * carrier, notifications).
 *
 * Fallback: when no LACPDU has arrived on any port for the timeout since
 * link-up (every port with link DEFAULTED), the device carries traffic as
 * lacp_fallback says (balance-slb by default, with its receive rules and a
 * MAC-based hash, or active-backup; "none" carries nothing), keeps sending
 * LACPDUs and listening, and returns to LACP as soon as a port
 * distributes.
 *
 * Locking: lacp_priv.lock (a spinlock, taken in softirq and with
 * spin_lock_bh() elsewhere) protects lacp_priv.sys and the lacp state of
 * every port (port->lacp, port->lacp_*).  It nests inside RTNL and is
 * never held while sending.
 */
#include <linux/etherdevice.h>
#include <linux/ethtool.h>
#include <linux/if_vlan.h>
#include <linux/jiffies.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/netdevice.h>
#include <linux/pkt_sched.h>
#include <linux/seq_file.h>
#include <linux/skbuff.h>
#include <linux/spinlock.h>
#include <linux/timer.h>
#include <linux/workqueue.h>
#include <uapi/linux/lagx.h>
#include <kunit/visibility.h>

#include "lagx.h"
#include "mode.h"
#include "lacp.h"

#define LACP_TICK_MS		100

/* How the device operates: lacp_priv.applied. */
enum lacp_operating {
	LACP_OP_LACP,
	LACP_OP_FALLBACK_SLB,
	LACP_OP_FALLBACK_AB,
	LACP_OP_FALLBACK_NONE,
};

static const char *const lacp_op_names[] = {
	[LACP_OP_LACP]		= "lacp",
	[LACP_OP_FALLBACK_SLB]	= "fallback balance-slb",
	[LACP_OP_FALLBACK_AB]	= "fallback active-backup",
	[LACP_OP_FALLBACK_NONE]	= "fallback none (no traffic)",
};

struct lacp_priv {
	struct lagx *lagx;
	spinlock_t lock;			/* see the top of the file */
	struct lacp_system sys;			/* lock */
	bool fallback;				/* lock: no partner anywhere */
	u64 fallbacks;				/* lock: times it fell back */
	u64 tick_runs;				/* lock: timer runs */
	u64 tick_ns;				/* lock: time spent in them */
	struct lacp_port *scratch[LAGX_MAX_PORTS_LIMIT];	/* lock */
	struct timer_list tick;
	bool running;				/* RTNL writers, READ_ONCE() */
	/* enum lacp_operating: RTNL writers, READ_ONCE() on the data path. */
	u32 applied;
};

static_assert(sizeof(struct lacp_priv) <= LAGX_MODE_PRIV_SIZE);

static const u8 lacp_slow_proto_addr[ETH_ALEN] __aligned(2) = {
	0x01, 0x80, 0xc2, 0x00, 0x00, 0x02
};

static struct lacp_priv *lacp_priv(struct lagx *lagx)
{
	return lagx_mode_priv(lagx);
}

static u64 lacp_now(void)
{
	return jiffies64_to_msecs(get_jiffies_64());
}

/* The system parameters from the configuration.  Lock held. */
static void lacp_sys_refresh(struct lagx *lagx, struct lacp_system *sys)
{
	const u8 *mac = lagx->cfg.lacp_sys_mac;

	sys->sys_prio = READ_ONCE(lagx->cfg.lacp_sys_prio);
	ether_addr_copy(sys->sys, is_zero_ether_addr(mac) ?
			lagx->dev->dev_addr : mac);
	sys->active = READ_ONCE(lagx->cfg.lacp_active);
	sys->fast = READ_ONCE(lagx->cfg.lacp_rate) == LAGX_LACP_RATE_FAST;
	sys->ad_select = READ_ONCE(lagx->cfg.ad_select);
}

/* A port's key: configured, else from its speed and duplex.  */
static u16 lacp_port_key(const struct lagx_port *port)
{
	u32 speed = READ_ONCE(port->speed);
	u16 key = READ_ONCE(port->cfg.lacp_key);

	if (key)
		return key;
	if (speed == SPEED_UNKNOWN)
		speed = 0;
	return min_t(u32, speed / 100 + 1, 0x3fff) << 1 |
	       (READ_ONCE(port->duplex) == DUPLEX_FULL);
}

/* The port's identity and link, as the machines see them.  Lock held. */
static void lacp_port_refresh(struct lagx *lagx, struct lagx_port *port,
			      const struct lacp_system *sys, u64 now)
{
	struct lacp_port *p = &port->lacp;
	u32 speed = READ_ONCE(port->speed);

	p->actor.sys_prio = sys->sys_prio;
	ether_addr_copy(p->actor.sys, sys->sys);
	/* A port without link keeps the key of its last known speed. */
	if (speed != SPEED_UNKNOWN || !p->actor.key)
		p->actor.key = lacp_port_key(port);
	p->actor.port_prio = READ_ONCE(port->cfg.lacp_prio);
	p->actor.port = port->id + 1;
	p->individual = READ_ONCE(port->duplex) == DUPLEX_HALF;
	p->speed = speed == SPEED_UNKNOWN ? 0 : speed;
	lacp_port_set_enabled(p, sys, READ_ONCE(port->link_up) &&
			      READ_ONCE(lacp_priv(lagx)->running), now);
}

static struct sk_buff *lacp_frame(struct lagx_port *port, const void *pdu,
				  gfp_t gfp)
{
	struct net_device *dev = port->dev;
	struct sk_buff *skb;

	skb = alloc_skb(LL_RESERVED_SPACE(dev) + sizeof(struct lacpdu), gfp);
	if (!skb)
		return NULL;
	skb_reserve(skb, LL_RESERVED_SPACE(dev));
	skb_reset_network_header(skb);
	skb_put_data(skb, pdu, sizeof(struct lacpdu));
	skb->dev = dev;
	skb->protocol = htons(ETH_P_SLOW);
	skb->priority = TC_PRIO_CONTROL;
	if (dev_hard_header(skb, dev, ETH_P_SLOW, lacp_slow_proto_addr,
			    port->perm_addr, skb->len) < 0) {
		kfree_skb(skb);
		return NULL;
	}
	return skb;
}

/* A LACPDU with the port's current state.  Lock held. */
static struct sk_buff *lacp_pdu_frame(struct lagx_port *port, gfp_t gfp)
{
	struct lacpdu pdu;

	lacp_build(&pdu, &port->lacp.actor, &port->lacp.partner);
	return lacp_frame(port, &pdu, gfp);
}

/* Has any port a reason or a collecting/distributing state to apply? */
static bool lacp_port_changed(struct lagx_port *port,
			      const struct lacp_system *sys)
{
	const struct lacp_port *p = &port->lacp;
	enum lacp_reason reason = lacp_port_reason(p, sys);
	bool changed = false;

	if (reason != port->lacp_reason) {
		port->lacp_reason = reason;
		port->lacp_reason_since = jiffies;
		changed = true;
	}
	return changed || lacp_port_distributing(p) != port->lacp_dist ||
	       lacp_port_collecting(p) != port->lacp_coll;
}

/*
 * One run of every port's machines and of the fallback decision.  Lock
 * held, under rcu_read_lock().  Queues the LACPDUs due on @q; returns
 * whether anything must be applied under RTNL.
 */
static bool lacp_run(struct lagx *lagx, struct lacp_priv *lp, u64 now,
		     struct sk_buff_head *q)
{
	bool changed = false, any_link = false, any_partner = false;
	bool any_dist = false;
	struct lagx_port *port;
	unsigned int n = 0, i;
	struct sk_buff *skb;

	lacp_sys_refresh(lagx, &lp->sys);
	lagx_for_each_port_rcu(lagx, port) {
		if (!port->lacp_ready || n == ARRAY_SIZE(lp->scratch))
			continue;
		lacp_port_refresh(lagx, port, &lp->sys, now);
		lp->scratch[n++] = &port->lacp;
	}
	lacp_select(&lp->sys, lp->scratch, n);

	lagx_for_each_port_rcu(lagx, port) {
		struct lacp_port *p = &port->lacp;

		if (!port->lacp_ready)
			continue;
		lacp_port_run(p, &lp->sys, now);
		if (lacp_tx_due(p, &lp->sys, now)) {
			skb = lacp_pdu_frame(port, GFP_ATOMIC);
			if (skb)
				__skb_queue_tail(q, skb);
		}
		any_link |= p->enabled;
		any_partner |= p->rx == LACP_RX_CURRENT ||
			       p->rx == LACP_RX_EXPIRED;
		any_dist |= lacp_port_distributing(p);
		changed |= lacp_port_changed(port, &lp->sys);
	}

	/* Fall back when nobody speaks LACP; return when LACP carries. */
	if (!lp->fallback && any_link && !any_partner) {
		lp->fallback = true;
		lp->fallbacks++;
		changed = true;
	} else if (lp->fallback && any_dist) {
		lp->fallback = false;
		changed = true;
	}
	for (i = 0; i < n; i++)
		lp->scratch[i] = NULL;
	return changed;
}

static void lacp_tick(struct timer_list *t)
{
	struct lacp_priv *lp = from_timer(lp, t, tick);
	struct lagx *lagx = lp->lagx;
	u64 start = ktime_get_ns();
	struct sk_buff_head q;
	struct sk_buff *skb;
	bool changed;

	__skb_queue_head_init(&q);
	rcu_read_lock();
	spin_lock(&lp->lock);
	changed = lacp_run(lagx, lp, lacp_now(), &q);
	spin_unlock(&lp->lock);
	/* The ports stay until a grace period after they left the list. */
	while ((skb = __skb_dequeue(&q)))
		dev_queue_xmit(skb);
	rcu_read_unlock();

	if (changed)
		lagx_mode_work_queue(lagx);

	/* What the control plane costs, for /proc (and the benchmarks). */
	spin_lock(&lp->lock);
	lp->tick_runs++;
	lp->tick_ns += ktime_get_ns() - start;
	spin_unlock(&lp->lock);
	if (READ_ONCE(lp->running))
		mod_timer(&lp->tick, jiffies + msecs_to_jiffies(LACP_TICK_MS));
}

/* ------------------------------------------------------- applying, RTNL */

static u32 lacp_fallback_op(const struct lagx *lagx)
{
	switch (lagx->cfg.lacp_fallback) {
	case LAGX_LACP_FALLBACK_BALANCE_SLB:
		return LACP_OP_FALLBACK_SLB;
	case LAGX_LACP_FALLBACK_ACTIVE_BACKUP:
		return LACP_OP_FALLBACK_AB;
	default:
		return LACP_OP_FALLBACK_NONE;
	}
}

/* active-backup fallback: the first usable port carries everything. */
static void lacp_apply_ab(struct lagx *lagx)
{
	struct lagx_port *port, *active = NULL;

	lagx_for_each_port(lagx, port)
		if (port->rx_mcast && port->link_up)
			active = port;
	lagx_for_each_port(lagx, port)
		if (!active && port->link_up)
			active = port;
	lagx_for_each_port(lagx, port) {
		port->tx_enabled = port == active;
		port->rx_enabled = port == active;
		WRITE_ONCE(port->rx_mcast, port == active);
	}
}

/* LACP proper: distributing ports transmit, collecting ports receive. */
static void lacp_apply_lacp(struct lagx *lagx)
{
	unsigned int dist = 0;
	struct lagx_port *port;

	/* A port that lost its link stops at once, not at the next tick. */
	lagx_for_each_port(lagx, port)
		dist += port->lacp_dist && port->link_up;
	lagx_for_each_port(lagx, port) {
		port->tx_enabled = port->lacp_dist && port->link_up &&
				   dist >= lagx->cfg.min_links;
		port->rx_enabled = port->lacp_coll;
		WRITE_ONCE(port->rx_mcast, false);
	}
}

/*
 * Apply what the machines decided: the operating mode, then each port's
 * TX/RX state, the buckets, the carrier, and the notifications.
 */
static void lacp_apply(struct lagx *lagx, struct lagx_port *gone,
		       const char *reason)
{
	struct lacp_priv *lp = lacp_priv(lagx);
	DECLARE_BITMAP(ntf, LAGX_MAX_PORTS_LIMIT);
	struct lagx_port *port;
	u32 op, old = lp->applied;
	u64 fallbacks;
	bool fallback;

	ASSERT_RTNL();

	bitmap_zero(ntf, LAGX_MAX_PORTS_LIMIT);
	spin_lock_bh(&lp->lock);
	fallback = lp->fallback;
	fallbacks = lp->fallbacks;
	lagx_for_each_port(lagx, port) {
		if (port->lacp_ntf_reason != port->lacp_reason)
			__set_bit(port->id, ntf);
		port->lacp_ntf_reason = port->lacp_reason;
		port->lacp_dist = lacp_port_distributing(&port->lacp);
		port->lacp_coll = lacp_port_collecting(&port->lacp);
	}
	spin_unlock_bh(&lp->lock);

	op = fallback ? lacp_fallback_op(lagx) : LACP_OP_LACP;
	WRITE_ONCE(lp->applied, op);
	if (op != old && lagx->dev->reg_state == NETREG_REGISTERED) {
		netdev_info(lagx->dev, "operating mode %s -> %s (%s)\n",
			    lacp_op_names[old], lacp_op_names[op],
			    op == LACP_OP_LACP ? "LACP partner in sync" :
			    "no LACPDU on any port");
		WRITE_ONCE(lagx->fallbacks, fallbacks);
		lagx_trace_operating_mode(lagx, lacp_op_names[op]);
	}

	switch (op) {
	case LACP_OP_FALLBACK_SLB:
		lagx_slb_update(lagx, gone, reason);
		break;
	case LACP_OP_FALLBACK_AB:
		lacp_apply_ab(lagx);
		lagx_buckets_update(lagx, false, gone);
		break;
	case LACP_OP_LACP:
		lacp_apply_lacp(lagx);
		lagx_buckets_update(lagx, false, gone);
		break;
	default:
		lagx_for_each_port(lagx, port) {
			port->tx_enabled = false;
			port->rx_enabled = false;
		}
		lagx_buckets_update(lagx, false, gone);
		break;
	}

	if (lagx->dev->reg_state != NETREG_REGISTERED)
		return;
	lagx_for_each_port(lagx, port)
		if (test_bit(port->id, ntf))
			lagx_port_notify_reason(port);
	if (op != old)
		lagx_nl_notify_dev(lagx);
}

static void lacp_work(struct lagx *lagx)
{
	lacp_apply(lagx, NULL, "LACP state changed");
}

/* ------------------------------------------------------------ mode ops */

static void lacp_init(struct lagx *lagx)
{
	struct lacp_priv *lp = lacp_priv(lagx);

	lp->lagx = lagx;
	spin_lock_init(&lp->lock);
	timer_setup(&lp->tick, lacp_tick, 0);
	lp->applied = LACP_OP_LACP;
}

/* Send every port's last LACPDU (sync cleared) and stop, RTNL. */
static void lacp_stop(struct lagx *lagx)
{
	struct lacp_priv *lp = lacp_priv(lagx);
	struct sk_buff_head q;
	struct lagx_port *port;
	struct sk_buff *skb;

	ASSERT_RTNL();

	WRITE_ONCE(lp->running, false);
	timer_delete_sync(&lp->tick);

	__skb_queue_head_init(&q);
	spin_lock_bh(&lp->lock);
	lagx_for_each_port(lagx, port) {
		if (!port->lacp_ready || !port->lacp.enabled)
			continue;
		lacp_port_detach(&port->lacp, &lp->sys);
		skb = lacp_pdu_frame(port, GFP_ATOMIC);
		if (skb)
			__skb_queue_tail(&q, skb);
		lacp_port_set_enabled(&port->lacp, &lp->sys, false,
				      lacp_now());
	}
	/* Up again, LACP starts from scratch, fallback included. */
	lp->fallback = false;
	spin_unlock_bh(&lp->lock);
	while ((skb = __skb_dequeue(&q)))
		dev_queue_xmit(skb);
	/* No port carries traffic any more: say so now, not at the next
	 * tick, which will not come.
	 */
	lacp_apply(lagx, NULL, "device down");
}

static void lacp_open(struct lagx *lagx)
{
	struct lacp_priv *lp = lacp_priv(lagx);

	WRITE_ONCE(lp->running, true);
	mod_timer(&lp->tick, jiffies + 1);
}

static void lacp_uninit(struct lagx *lagx)
{
	struct lacp_priv *lp = lacp_priv(lagx);

	if (READ_ONCE(lp->running))
		lacp_stop(lagx);
	timer_delete_sync(&lp->tick);
}

static void lacp_port_enter(struct lagx *lagx, struct lagx_port *port)
{
	struct lacp_priv *lp = lacp_priv(lagx);

	dev_mc_add(port->dev, lacp_slow_proto_addr);
	spin_lock_bh(&lp->lock);
	memset(&port->lacp, 0, sizeof(port->lacp));
	lacp_sys_refresh(lagx, &lp->sys);
	lacp_port_init(&port->lacp, &lp->sys, lacp_now());
	lacp_port_refresh(lagx, port, &lp->sys, lacp_now());
	port->lacp_reason = lacp_port_reason(&port->lacp, &lp->sys);
	port->lacp_reason_since = jiffies;
	port->lacp_ready = true;
	spin_unlock_bh(&lp->lock);
	lacp_apply(lagx, NULL, "port added");
}

static void lacp_port_leave(struct lagx *lagx, struct lagx_port *port)
{
	struct lacp_priv *lp = lacp_priv(lagx);
	struct sk_buff *skb = NULL;

	spin_lock_bh(&lp->lock);
	port->lacp_ready = false;
	if (port->lacp.enabled) {
		lacp_port_detach(&port->lacp, &lp->sys);
		skb = lacp_pdu_frame(port, GFP_ATOMIC);
	}
	spin_unlock_bh(&lp->lock);
	/* Graceful detach: the partner drops the link from its aggregate. */
	if (skb)
		dev_queue_xmit(skb);
	dev_mc_del(port->dev, lacp_slow_proto_addr);
	lacp_apply(lagx, port, "port removed");
}

static void lacp_port_link_changed(struct lagx *lagx, struct lagx_port *port)
{
	struct lacp_priv *lp = lacp_priv(lagx);

	spin_lock_bh(&lp->lock);
	if (port->lacp_ready) {
		lacp_port_refresh(lagx, port, &lp->sys, lacp_now());
		/* The reason now, not at the next tick. */
		lacp_port_changed(port, &lp->sys);
	}
	spin_unlock_bh(&lp->lock);
	lacp_apply(lagx, NULL, port->link_up ? "link up" : "link down");
}

static void lacp_config_changed(struct lagx *lagx, struct lagx_port *port)
{
	lacp_apply(lagx, NULL, "configuration changed");
}

static struct lagx_port *lacp_tx_port(struct lagx *lagx,
				      const struct lagx_port_array *arr,
				      struct sk_buff *skb)
{
	switch (READ_ONCE(lacp_priv(lagx)->applied)) {
	case LACP_OP_FALLBACK_SLB:
		/* The switch is no aggregate: one MAC, one port. */
		return lagx_slb_tx_port(lagx, arr, skb,
					LAGX_XMIT_HASH_VLAN_SRCMAC);
	case LACP_OP_FALLBACK_AB:
		return arr->ports[0];
	default:
		return lagx_bucket_tx_port(lagx, arr, skb,
					   lagx_xmit_hash(skb,
							  READ_ONCE(lagx->cfg.xmit_hash_policy)));
	}
}

/* A slow-protocols frame: LACPDU, marker, or another protocol. */
static enum lagx_rx_verdict lacp_rx_slow(struct lagx *lagx,
					 struct lagx_port *port,
					 struct sk_buff *skb)
{
	struct lacp_priv *lp = lacp_priv(lagx);
	struct lacp_info actor, partner;
	enum lacp_parse_result res;
	struct sk_buff *resp = NULL;
	struct lacpdu buf;
	unsigned int len;
	const void *data;
	const char *why;

	len = min_t(unsigned int, skb->len, sizeof(buf));
	data = skb_header_pointer(skb, 0, len, &buf);
	res = data ? lacp_parse(data, len, &actor, &partner, &why) :
		     LACP_PARSE_ILLEGAL;

	spin_lock(&lp->lock);
	switch (res) {
	case LACP_PARSE_LACPDU:
		if (port->lacp_ready)
			lacp_rx_lacpdu(&port->lacp, &lp->sys, &actor, &partner,
				       lacp_now());
		break;
	case LACP_PARSE_MARKER:
		port->lacp.markers_rx++;
		if (port->lacp_ready) {
			struct lacp_marker m;

			lacp_build_marker_resp(&m, data);
			resp = lacp_frame(port, &m, GFP_ATOMIC);
			if (resp)
				port->lacp.marker_resps_tx++;
		}
		break;
	case LACP_PARSE_MARKER_RESP:
		port->lacp.marker_resps_rx++;
		break;
	case LACP_PARSE_UNKNOWN:
		port->lacp.unknown_rx++;
		break;
	case LACP_PARSE_ILLEGAL:
		port->lacp.illegal_rx++;
		break;
	}
	spin_unlock(&lp->lock);

	if (res == LACP_PARSE_ILLEGAL)
		net_dbg_ratelimited("%s: port %s: illegal slow-protocols PDU dropped (%s)\n",
				    netdev_name(lagx->dev),
				    netdev_name(port->dev), why ?: "?");
	if (resp)
		dev_queue_xmit(resp);
	/* Another slow protocol (OAM...) goes up like any frame. */
	return res == LACP_PARSE_UNKNOWN ? LAGX_RX_DELIVER : LAGX_RX_CONSUMED;
}

/*
 * Is a slow-protocols frame for this link?  802.1AX (6.4.2.2) and 802.3
 * Annex 57A: LACPDUs and markers go to the Slow_Protocols_Multicast
 * address, untagged.  Anything else (a host on a trunked VLAN, a frame a
 * bridge floods) must not inject a partner or churn the aggregate.
 */
static bool lacp_rx_for_link(const struct sk_buff *skb)
{
	return !skb_vlan_tag_present(skb) &&
	       ether_addr_equal(eth_hdr(skb)->h_dest, lacp_slow_proto_addr);
}

static enum lagx_rx_verdict lacp_rx(struct lagx *lagx, struct lagx_port *port,
				    struct sk_buff *skb)
{
	if (unlikely(skb->protocol == htons(ETH_P_SLOW))) {
		struct lacp_priv *lp = lacp_priv(lagx);

		if (likely(lacp_rx_for_link(skb)))
			return lacp_rx_slow(lagx, port, skb);
		spin_lock(&lp->lock);
		port->lacp.stray_rx++;
		spin_unlock(&lp->lock);
		/* Up the stack like any frame of the port. */
	}
	if (READ_ONCE(lacp_priv(lagx)->applied) == LACP_OP_FALLBACK_SLB)
		return lagx_slb_rx(lagx, port, skb);
	return LAGX_RX_DELIVER;
}

static void lacp_port_reason_op(struct lagx *lagx,
				const struct lagx_port *port,
				char *buf, size_t len)
{
	struct lacp_priv *lp = lacp_priv(lagx);
	u32 op = lp->applied;
	unsigned long since;
	enum lacp_reason r;
	const char *churn;

	spin_lock_bh(&lp->lock);
	r = port->lacp_reason;
	since = port->lacp_reason_since;
	churn = port->lacp.actor_churn == LACP_CHURN ? ", actor churn" :
		port->lacp.partner_churn == LACP_CHURN ? ", partner churn" : "";
	spin_unlock_bh(&lp->lock);

	if (op != LACP_OP_LACP)
		snprintf(buf, len, "%s%s: %s", port->tx_enabled ?
			 "carrying traffic, " : "", lacp_op_names[op],
			 lacp_reason_text(r));
	else if (r == LACP_REASON_NONE && !port->tx_enabled)
		snprintf(buf, len, "min_links not met (%u needed)",
			 lagx->cfg.min_links);
	else if (r == LACP_REASON_NONE)
		strscpy(buf, "carrying traffic", len);
	else
		snprintf(buf, len, "%s (for %us%s)", lacp_reason_text(r),
			 jiffies_to_msecs(jiffies - since) / 1000, churn);
}

static void lacp_seq_show(struct seq_file *seq, struct lagx *lagx)
{
	struct lacp_priv *lp = lacp_priv(lagx);
	const struct lacp_system *sys = &lp->sys;
	u64 runs, ns;

	spin_lock_bh(&lp->lock);
	runs = lp->tick_runs;
	ns = lp->tick_ns;
	spin_unlock_bh(&lp->lock);

	seq_printf(seq, "Operating mode: %s\n",
		   lacp_op_names[READ_ONCE(lp->applied)]);
	seq_printf(seq, "Fallbacks: %llu\n", READ_ONCE(lagx->fallbacks));
	seq_printf(seq, "LACP timer: %llu runs, %llu us\n", runs,
		   div_u64(ns, NSEC_PER_USEC));
	seq_printf(seq, "LACP system: %u,%pM\n", READ_ONCE(sys->sys_prio),
		   sys->sys);
	seq_printf(seq, "Active aggregator: %u ports, partner %u,%pM key %u\n",
		   READ_ONCE(sys->agg_ports), READ_ONCE(sys->agg_partner.sys_prio),
		   sys->agg_partner.sys, READ_ONCE(sys->agg_partner.key));
}

static const char *const lacp_mux_names[] = {
	"detached", "waiting", "attached", "collecting", "distributing",
};

static const char *const lacp_rx_names[] = {
	"initialize", "port-disabled", "expired", "defaulted", "current",
};

static const char *const lacp_sel_names[] = {
	"unselected", "selected", "standby",
};

static const char *const lacp_churn_names[] = {
	"no-churn", "monitor", "churn",
};

static void lacp_seq_info(struct seq_file *seq, const char *who,
			  const struct lacp_info *info)
{
	char state[96];

	lacp_state_str(info->state, state, sizeof(state));
	seq_printf(seq, "  %-8s system %u,%pM key %u port %u,%u state %s\n",
		   who, info->sys_prio, info->sys, info->key, info->port_prio,
		   info->port, state);
}

/* Per port: machines, actor and partner, 802.1AX counters.  RCU. */
static void lacp_seq_show_tail(struct seq_file *seq, struct lagx *lagx)
{
	struct lacp_priv *lp = lacp_priv(lagx);
	struct lagx_port *port;

	lagx_for_each_port_rcu(lagx, port) {
		struct lacp_port p;
		unsigned long since;
		enum lacp_reason r;

		spin_lock_bh(&lp->lock);
		p = port->lacp;
		r = port->lacp_reason;
		since = port->lacp_reason_since;
		spin_unlock_bh(&lp->lock);

		seq_printf(seq, "\nLACP port %s: mux %s, rx %s, %s, %s (since %us)\n",
			   netdev_name(port->dev), lacp_mux_names[p.mux],
			   lacp_rx_names[p.rx], lacp_sel_names[p.selected],
			   lacp_reason_text(r),
			   jiffies_to_msecs(jiffies - since) / 1000);
		lacp_seq_info(seq, "actor", &p.actor);
		lacp_seq_info(seq, "partner", &p.partner);
		seq_printf(seq, "  LACPDUsRx %llu LACPDUsTx %llu MarkerPDUsRx %llu MarkerResponsePDUsTx %llu MarkerResponsePDUsRx %llu UnknownRx %llu IllegalRx %llu StrayRx %llu\n",
			   p.lacpdus_rx, p.lacpdus_tx, p.markers_rx,
			   p.marker_resps_tx, p.marker_resps_rx, p.unknown_rx,
			   p.illegal_rx, p.stray_rx);
		seq_printf(seq, "  churn actor %s (%u) partner %s (%u)\n",
			   lacp_churn_names[p.actor_churn], p.actor_churn_count,
			   lacp_churn_names[p.partner_churn],
			   p.partner_churn_count);
	}
}

/* --------------------------------------------- management plane, RTNL */

/**
 * lagx_lacp_port_snapshot - a consistent copy of a port's LACP state
 * @lagx: the lagx device
 * @port: one of its ports
 * @out: the port's protocol state
 * @reason: its enum lacp_reason
 * @since: jiffies when @reason last changed
 *
 * Return: false, leaving the outputs alone, if @lagx is not in lacp mode
 * or @port's LACP state is not initialised.
 */
bool lagx_lacp_port_snapshot(struct lagx *lagx, const struct lagx_port *port,
			     struct lacp_port *out, u8 *reason,
			     unsigned long *since)
{
	struct lacp_priv *lp = lacp_priv(lagx);
	bool ready;

	if (lagx->mode != &lagx_mode_lacp)
		return false;
	spin_lock_bh(&lp->lock);
	ready = port->lacp_ready;
	if (ready) {
		*out = port->lacp;
		*reason = port->lacp_reason;
		*since = port->lacp_reason_since;
	}
	spin_unlock_bh(&lp->lock);
	return ready;
}
EXPORT_SYMBOL_IF_KUNIT(lagx_lacp_port_snapshot);

/* lagx_lacp_operating() returns the uapi's values. */
static_assert((int)LACP_OP_LACP == LAGX_OPERATING_MODE_LACP);
static_assert((int)LACP_OP_FALLBACK_SLB == LAGX_OPERATING_MODE_FALLBACK_BALANCE_SLB);
static_assert((int)LACP_OP_FALLBACK_AB == LAGX_OPERATING_MODE_FALLBACK_ACTIVE_BACKUP);
static_assert((int)LACP_OP_FALLBACK_NONE == LAGX_OPERATING_MODE_FALLBACK_NONE);

/**
 * lagx_lacp_operating - how a lacp device carries traffic
 * @lagx: a lagx device in lacp mode
 *
 * Return: 0 lacp, 1 fallback balance-slb, 2 fallback active-backup,
 * 3 fallback none: enum lagx_operating_mode of <uapi/linux/lagx.h>.
 */
u32 lagx_lacp_operating(struct lagx *lagx)
{
	struct lacp_priv *lp = lacp_priv(lagx);
	u32 op;

	spin_lock_bh(&lp->lock);
	op = READ_ONCE(lp->applied);
	spin_unlock_bh(&lp->lock);
	return op;
}

static const struct lagx_mode_ops lacp_ops = {
	.init			= lacp_init,
	.uninit			= lacp_uninit,
	.work			= lacp_work,
	.open			= lacp_open,
	.stop			= lacp_stop,
	.port_enter		= lacp_port_enter,
	.port_leave		= lacp_port_leave,
	.port_link_changed	= lacp_port_link_changed,
	.config_changed		= lacp_config_changed,
	.tx_port		= lacp_tx_port,
	.rx			= lacp_rx,
	.port_reason		= lacp_port_reason_op,
	.seq_show		= lacp_seq_show,
	.seq_show_tail		= lacp_seq_show_tail,
	.get_size		= lagx_lacp_get_size,
	.fill_info		= lagx_lacp_fill_info,
	.get_port_size		= lagx_lacp_get_port_size,
	.fill_port_info		= lagx_lacp_fill_port_info,
	.nl_fill_dev		= LAGX_NL_OP(lagx_lacp_nl_fill_dev),
	.nl_fill_port		= LAGX_NL_OP(lagx_lacp_nl_fill_port),
};

const struct lagx_mode lagx_mode_lacp = {
	.id		= LAGX_MODE_LACP,
	.name		= "lacp",
	.lag_tx_type	= NETDEV_LAG_TX_TYPE_HASH,
	.uses_buckets	= true,
	.ops		= &lacp_ops,
};
