// SPDX-License-Identifier: GPL-2.0
/*
 * lagx: the LACP state machines of IEEE 802.1AX-2014 clause 6.4.
 *
 * Receive (6.4.12), Periodic Transmission (6.4.13), Selection (6.4.14),
 * Mux with independent control (6.4.15, Figure 6-21), Transmit (6.4.16)
 * and Churn Detection (6.4.17), as pure functions of a struct lacp_port
 * and a millisecond clock.  The caller (mode_lacp.c) runs them from a
 * timer, feeds them received LACPDUs and applies their outputs; KUnit
 * drives them with a fake clock.
 *
 * Deviations, all on the safe side:
 *  - A port whose partner never spoke, or went silent (DEFAULTED), is not
 *    selected: lagx falls back (mode_lacp.c) rather than aggregate with
 *    administrative defaults.
 *  - Ready (6.4.8) is per port: each port waits its own wait_while.
 *  - Churn timers stop while the port has no link.
 */
#include <linux/kernel.h>
#include <linux/etherdevice.h>
#include <linux/string.h>
#include <kunit/visibility.h>
#include <uapi/linux/if_lagx.h>

#include "lacp.h"

static bool lacp_expired(u64 deadline, u64 now)
{
	return deadline && now >= deadline;
}

static u64 lacp_timeout_ms(u8 state)
{
	return state & LACP_STATE_LACP_TIMEOUT ? LACP_SHORT_TIMEOUT_MS :
					    LACP_LONG_TIMEOUT_MS;
}

static void lacp_set(struct lacp_port *p, u8 bits, bool on)
{
	if (on)
		p->actor.state |= bits;
	else
		p->actor.state &= ~bits;
}

/*
 * 6.4.9 recordDefault: administrative partner defaults.  No partner is
 * known; its timeout is taken to be ours, so that a fast-rate port keeps
 * sending every second while it waits for a partner (fallback).
 */
static void lacp_record_default(struct lacp_port *p,
				const struct lacp_system *sys)
{
	memset(&p->partner, 0, sizeof(p->partner));
	if (sys->fast)
		p->partner.state = LACP_STATE_LACP_TIMEOUT;
	lacp_set(p, LACP_STATE_DEFAULTED, true);
}

/*
 * The state bits the system and port configuration decide.  A change is
 * news for the partner (6.4.7: Actor_Oper_Port_State changed, NTT): it
 * hears of a new rate or activity now, not up to 30 s later.
 */
static void lacp_actor_admin(struct lacp_port *p,
			     const struct lacp_system *sys)
{
	u8 old = p->actor.state;

	lacp_set(p, LACP_STATE_LACP_ACTIVITY, sys->active);
	lacp_set(p, LACP_STATE_LACP_TIMEOUT, sys->fast);
	lacp_set(p, LACP_STATE_AGGREGATION, !p->individual);
	if (p->actor.state != old)
		p->ntt = true;
}

/* Receive machine: PORT_DISABLED (6.4.12). */
static void lacp_rx_port_disabled(struct lacp_port *p)
{
	p->rx = LACP_RX_PORT_DISABLED;
	p->partner.state &= ~LACP_STATE_SYNCHRONIZATION;
	p->current_while = 0;
	p->pdu_seen = false;
	p->looped = false;
}

/* Receive machine: EXPIRED (6.4.12). */
static void lacp_rx_expired(struct lacp_port *p, u64 now)
{
	p->rx = LACP_RX_EXPIRED;
	p->partner.state &= ~LACP_STATE_SYNCHRONIZATION;
	p->partner.state |= LACP_STATE_LACP_TIMEOUT;
	p->current_while = now + LACP_SHORT_TIMEOUT_MS;
	lacp_set(p, LACP_STATE_EXPIRED, true);
}

/* Receive machine: DEFAULTED (6.4.12), with update_Default_Selected. */
static void lacp_rx_defaulted(struct lacp_port *p,
			      const struct lacp_system *sys)
{
	p->rx = LACP_RX_DEFAULTED;
	p->selected = LACP_UNSELECTED;
	lacp_record_default(p, sys);
	p->current_while = 0;
	lacp_set(p, LACP_STATE_EXPIRED, false);
}

/**
 * lacp_port_init - a port joins: Receive machine INITIALIZE (6.4.12)
 * @p: the port, zeroed but for actor identity, enabled, individual, speed
 * @sys: the system
 * @now: the clock
 */
void lacp_port_init(struct lacp_port *p,
		    const struct lacp_system *sys, u64 now)
{
	bool enabled = p->enabled;

	p->actor.state = 0;
	lacp_actor_admin(p, sys);
	lacp_record_default(p, sys);
	p->selected = LACP_UNSELECTED;
	p->mux = LACP_MUX_DETACHED;
	p->actor_churn = LACP_CHURN_MONITOR;
	p->partner_churn = LACP_CHURN_MONITOR;
	p->enabled = false;
	lacp_rx_port_disabled(p);
	lacp_port_set_enabled(p, sys, enabled, now);
}
EXPORT_SYMBOL_IF_KUNIT(lacp_port_init);

/**
 * lacp_port_set_enabled - Port_Enabled changed (link up or down)
 * @p: the port
 * @sys: the system
 * @enabled: the new value
 * @now: the clock
 *
 * Link up enters EXPIRED: the partner is asked for fast LACPDUs and has
 * a short timeout to answer before the port is DEFAULTED.
 */
void lacp_port_set_enabled(struct lacp_port *p,
			   const struct lacp_system *sys,
			   bool enabled, u64 now)
{
	if (p->enabled == enabled)
		return;
	p->enabled = enabled;
	lacp_actor_admin(p, sys);
	if (!enabled) {
		lacp_rx_port_disabled(p);
		p->selected = LACP_UNSELECTED;
		p->periodic = 0;
		p->wait_while = 0;
		p->actor_churn_timer = 0;
		p->partner_churn_timer = 0;
		return;
	}
	lacp_rx_expired(p, now);
	p->ntt = true;
	p->actor_churn = LACP_CHURN_MONITOR;
	p->actor_churn_timer = now + LACP_CHURN_DETECTION_MS;
	p->partner_churn = LACP_CHURN_MONITOR;
	p->partner_churn_timer = now + LACP_CHURN_DETECTION_MS;
}
EXPORT_SYMBOL_IF_KUNIT(lacp_port_set_enabled);

/* 6.4.9 update_Selected: the partner is not the one we selected with. */
static bool lacp_partner_changed(const struct lacp_info *old,
				 const struct lacp_info *new)
{
	return old->port != new->port || old->port_prio != new->port_prio ||
	       !ether_addr_equal(old->sys, new->sys) ||
	       old->sys_prio != new->sys_prio || old->key != new->key ||
	       (old->state & LACP_STATE_AGGREGATION) !=
	       (new->state & LACP_STATE_AGGREGATION);
}

/* Does the partner's view of us match what we are (6.4.9 recordPDU)? */
static bool lacp_view_matches(const struct lacp_info *view,
			      const struct lacp_info *actor)
{
	return view->port == actor->port &&
	       view->port_prio == actor->port_prio &&
	       ether_addr_equal(view->sys, actor->sys) &&
	       view->sys_prio == actor->sys_prio && view->key == actor->key &&
	       (view->state & LACP_STATE_AGGREGATION) ==
	       (actor->state & LACP_STATE_AGGREGATION);
}

/* 6.4.9 update_NTT: the partner has stale information about us. */
static bool lacp_view_stale(const struct lacp_info *view,
			    const struct lacp_info *actor)
{
	const u8 bits = LACP_STATE_LACP_ACTIVITY | LACP_STATE_LACP_TIMEOUT |
			LACP_STATE_SYNCHRONIZATION | LACP_STATE_AGGREGATION;

	return !lacp_view_matches(view, actor) ||
	       (view->state & bits) != (actor->state & bits);
}

/**
 * lacp_rx_lacpdu - Receive machine: an LACPDU arrived (CURRENT, 6.4.12)
 * @p: the port it arrived on
 * @sys: the system
 * @actor: the sender's actor information
 * @partner: the sender's view of us
 * @now: the clock
 *
 * An LACPDU whose actor is our own system is our own, looped back
 * (cabling to ourselves, or a switch reflecting slow protocols): it is
 * counted and remembered for the port's reason, and otherwise ignored.
 */
void lacp_rx_lacpdu(struct lacp_port *p,
		    const struct lacp_system *sys,
		    const struct lacp_info *actor,
		    const struct lacp_info *partner, u64 now)
{
	bool sync;

	p->lacpdus_rx++;
	if (!p->enabled)
		return;
	if (ether_addr_equal(actor->sys, sys->sys) &&
	    actor->sys_prio == sys->sys_prio) {
		p->looped = true;
		return;
	}
	p->looped = false;
	p->pdu_seen = true;

	if (lacp_partner_changed(&p->partner, actor))
		p->selected = LACP_UNSELECTED;
	if (lacp_view_stale(partner, &p->actor))
		p->ntt = true;

	/* recordPDU */
	sync = (lacp_view_matches(partner, &p->actor) &&
		(actor->state & LACP_STATE_SYNCHRONIZATION)) ||
	       (!(actor->state & LACP_STATE_AGGREGATION) &&
		(actor->state & LACP_STATE_SYNCHRONIZATION));
	p->partner = *actor;
	if (sync)
		p->partner.state |= LACP_STATE_SYNCHRONIZATION;
	else
		p->partner.state &= ~LACP_STATE_SYNCHRONIZATION;
	lacp_set(p, LACP_STATE_DEFAULTED, false);

	p->rx = LACP_RX_CURRENT;
	p->current_while = now + lacp_timeout_ms(p->actor.state);
	lacp_set(p, LACP_STATE_EXPIRED, false);
}
EXPORT_SYMBOL_IF_KUNIT(lacp_rx_lacpdu);

/* Receive machine timers: CURRENT -> EXPIRED -> DEFAULTED. */
static void lacp_rx_run(struct lacp_port *p, const struct lacp_system *sys,
			u64 now)
{
	if (!lacp_expired(p->current_while, now))
		return;
	if (p->rx == LACP_RX_CURRENT)
		lacp_rx_expired(p, now);
	else if (p->rx == LACP_RX_EXPIRED)
		lacp_rx_defaulted(p, sys);
}

/* Periodic Transmission machine (6.4.13). */
static void lacp_periodic_run(struct lacp_port *p, u64 now)
{
	bool fast = p->partner.state & LACP_STATE_LACP_TIMEOUT;
	u64 interval = fast ? LACP_FAST_PERIODIC_MS : LACP_SLOW_PERIODIC_MS;

	if (!p->enabled || (!(p->actor.state & LACP_STATE_LACP_ACTIVITY) &&
			    !(p->partner.state & LACP_STATE_LACP_ACTIVITY))) {
		p->periodic = 0;		/* NO_PERIODIC */
		return;
	}
	if (!p->periodic) {			/* from NO_PERIODIC */
		p->periodic_fast = fast;
		p->periodic = now + interval;
		return;
	}
	/* SLOW_PERIODIC -> PERIODIC_TX when the partner wants short. */
	if (fast && !p->periodic_fast) {
		p->ntt = true;
		p->periodic_fast = true;
		p->periodic = now + interval;
		return;
	}
	if (now >= p->periodic) {		/* PERIODIC_TX */
		p->ntt = true;
		p->periodic_fast = fast;
		p->periodic = now + interval;
	}
}

static void lacp_mux_enter(struct lacp_port *p, enum lacp_mux_state state,
			   u64 now)
{
	p->mux = state;
	switch (state) {
	case LACP_MUX_DETACHED:
		lacp_set(p, LACP_STATE_SYNCHRONIZATION | LACP_STATE_COLLECTING |
			 LACP_STATE_DISTRIBUTING, false);
		p->wait_while = 0;
		p->ready = false;
		p->ntt = true;
		break;
	case LACP_MUX_WAITING:
		p->wait_while = now + LACP_AGGREGATE_WAIT_MS;
		p->ready = false;
		break;
	case LACP_MUX_ATTACHED:
		lacp_set(p, LACP_STATE_SYNCHRONIZATION, true);
		lacp_set(p, LACP_STATE_COLLECTING | LACP_STATE_DISTRIBUTING,
			 false);
		p->ntt = true;
		break;
	case LACP_MUX_COLLECTING:
		lacp_set(p, LACP_STATE_COLLECTING, true);
		lacp_set(p, LACP_STATE_DISTRIBUTING, false);
		p->ntt = true;
		break;
	case LACP_MUX_DISTRIBUTING:
		lacp_set(p, LACP_STATE_DISTRIBUTING, true);
		p->ntt = true;
		p->sync_transitions++;
		break;
	}
}

/* Mux machine, independent control (6.4.15): one step, or none. */
static bool lacp_mux_step(struct lacp_port *p, u64 now)
{
	bool selected = p->selected == LACP_SELECTED;
	bool psync = p->partner.state & LACP_STATE_SYNCHRONIZATION;
	bool pcoll = p->partner.state & LACP_STATE_COLLECTING;

	switch (p->mux) {
	case LACP_MUX_DETACHED:
		if (p->selected == LACP_UNSELECTED)
			return false;
		lacp_mux_enter(p, LACP_MUX_WAITING, now);
		return true;
	case LACP_MUX_WAITING:
		if (p->selected == LACP_UNSELECTED) {
			lacp_mux_enter(p, LACP_MUX_DETACHED, now);
			return true;
		}
		if (lacp_expired(p->wait_while, now)) {
			p->wait_while = 0;
			p->ready = true;	/* Ready_N (6.4.8) */
		}
		if (!selected || !p->ready)
			return false;
		lacp_mux_enter(p, LACP_MUX_ATTACHED, now);
		return true;
	case LACP_MUX_ATTACHED:
		if (!selected) {
			lacp_mux_enter(p, LACP_MUX_DETACHED, now);
			return true;
		}
		if (!psync)
			return false;
		lacp_mux_enter(p, LACP_MUX_COLLECTING, now);
		return true;
	case LACP_MUX_COLLECTING:
		if (!selected || !psync) {
			lacp_mux_enter(p, LACP_MUX_ATTACHED, now);
			return true;
		}
		if (!pcoll)
			return false;
		lacp_mux_enter(p, LACP_MUX_DISTRIBUTING, now);
		return true;
	case LACP_MUX_DISTRIBUTING:
		if (selected && psync && pcoll)
			return false;
		lacp_mux_enter(p, LACP_MUX_COLLECTING, now);
		return true;
	}
	return false;
}

/* One churn detection machine (6.4.17). */
static void lacp_churn_run(enum lacp_churn_state *state, u64 *timer,
			   u32 *count, bool in_sync, bool enabled, u64 now)
{
	if (!enabled)
		return;
	if (in_sync) {
		*state = LACP_NO_CHURN;
		*timer = 0;
		return;
	}
	if (*state == LACP_NO_CHURN) {
		*state = LACP_CHURN_MONITOR;
		*timer = now + LACP_CHURN_DETECTION_MS;
	} else if (*state == LACP_CHURN_MONITOR && lacp_expired(*timer, now)) {
		*state = LACP_CHURN;
		*timer = 0;
		(*count)++;
	}
}

/**
 * lacp_port_run - run a port's machines up to @now
 * @p: the port
 * @sys: the system
 * @now: the clock
 *
 * Call after lacp_select(), at least every 100 ms or so; a LACPDU that
 * becomes due sets p->ntt, sent when lacp_tx_due() says so.
 */
void lacp_port_run(struct lacp_port *p,
		   const struct lacp_system *sys, u64 now)
{
	unsigned int steps = 0;

	lacp_actor_admin(p, sys);
	lacp_rx_run(p, sys, now);
	lacp_periodic_run(p, now);
	/* At most one pass through every state: no livelock possible. */
	while (steps++ < 5 && lacp_mux_step(p, now))
		;
	lacp_churn_run(&p->actor_churn, &p->actor_churn_timer,
		       &p->actor_churn_count,
		       p->actor.state & LACP_STATE_SYNCHRONIZATION, p->enabled, now);
	lacp_churn_run(&p->partner_churn, &p->partner_churn_timer,
		       &p->partner_churn_count,
		       p->partner.state & LACP_STATE_SYNCHRONIZATION, p->enabled, now);
}
EXPORT_SYMBOL_IF_KUNIT(lacp_port_run);

/**
 * lacp_tx_due - Transmit machine (6.4.16): send a LACPDU now?
 * @p: the port
 * @sys: the system
 * @now: the clock
 *
 * True at most LACP_TX_LIMIT times per fast_periodic_time; a LACPDU held
 * back stays due.  Nothing is sent while the Periodic machine is in
 * NO_PERIODIC (both sides passive, or no link).
 */
bool lacp_tx_due(struct lacp_port *p,
		 const struct lacp_system *sys, u64 now)
{
	if (!p->ntt)
		return false;
	if (!p->enabled || (!(p->actor.state & LACP_STATE_LACP_ACTIVITY) &&
			    !(p->partner.state & LACP_STATE_LACP_ACTIVITY))) {
		p->ntt = false;		/* NO_PERIODIC */
		return false;
	}
	if (p->tx_times[0] && now < p->tx_times[0] + LACP_FAST_PERIODIC_MS)
		return false;
	memmove(&p->tx_times[0], &p->tx_times[1],
		sizeof(p->tx_times) - sizeof(p->tx_times[0]));
	p->tx_times[LACP_TX_LIMIT - 1] = now;
	p->ntt = false;
	p->lacpdus_tx++;
	return true;
}
EXPORT_SYMBOL_IF_KUNIT(lacp_tx_due);

/*
 * The port leaves the aggregate (released, or the mode stops): the
 * caller sends one last LACPDU with this state, so that the partner takes
 * the link out of its aggregate at once instead of after its timeout.
 */
void lacp_port_detach(struct lacp_port *p,
		      const struct lacp_system *sys)
{
	p->selected = LACP_UNSELECTED;
	p->mux = LACP_MUX_DETACHED;
	lacp_set(p, LACP_STATE_SYNCHRONIZATION | LACP_STATE_COLLECTING |
		 LACP_STATE_DISTRIBUTING, false);
	p->lacpdus_tx++;
}
EXPORT_SYMBOL_IF_KUNIT(lacp_port_detach);

#if IS_ENABLED(CONFIG_KUNIT)
/* The earliest running timer, 0 if none. */
VISIBLE_IF_KUNIT u64 lacp_next_event(const struct lacp_port *p)
{
	const u64 t[] = { p->current_while, p->periodic, p->wait_while,
			  p->actor_churn_timer, p->partner_churn_timer };
	u64 next = 0;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(t); i++)
		if (t[i] && (!next || t[i] < next))
			next = t[i];
	return next;
}
EXPORT_SYMBOL_IF_KUNIT(lacp_next_event);
#endif

/* ------------------------------------------------------------ selection */

static bool lacp_aggregatable(const struct lacp_port *p)
{
	return !p->individual && (p->actor.state & LACP_STATE_AGGREGATION) &&
	       (p->partner.state & LACP_STATE_AGGREGATION);
}

/* May the port be selected: it has a partner that speaks LACP. */
static bool lacp_candidate(const struct lacp_port *p)
{
	return p->enabled && !p->looped && p->pdu_seen &&
	       (p->rx == LACP_RX_CURRENT || p->rx == LACP_RX_EXPIRED);
}

/* 6.4.14: same LAG ID (our key, the partner's system and key). */
static bool lacp_same_lag(const struct lacp_port *a, const struct lacp_port *b)
{
	if (!lacp_aggregatable(a) || !lacp_aggregatable(b))
		return a == b;
	return a->actor.key == b->actor.key &&
	       a->partner.key == b->partner.key &&
	       a->partner.sys_prio == b->partner.sys_prio &&
	       ether_addr_equal(a->partner.sys, b->partner.sys);
}

struct lacp_agg {
	const struct lacp_port *lead;	/* lowest port number */
	unsigned int count;
	u64 bandwidth;
	bool was_active;		/* holds a port selected before */
};

/* Is aggregator @a preferred over @b as the active one? */
static bool lacp_agg_better(const struct lacp_agg *a, const struct lacp_agg *b,
			    u32 ad_select)
{
	/* "stable": the active aggregator stays while it has ports. */
	if (ad_select == LAGX_AD_SELECT_STABLE && a->was_active != b->was_active)
		return a->was_active;
	if (ad_select == LAGX_AD_SELECT_COUNT && a->count != b->count)
		return a->count > b->count;
	if (a->bandwidth != b->bandwidth)
		return a->bandwidth > b->bandwidth;
	if (a->count != b->count)
		return a->count > b->count;
	return a->lead->actor.port < b->lead->actor.port;
}

/**
 * lacp_select - Selection Logic (6.4.14): pick the active aggregator
 * @sys: the system; active_agg and agg_* are updated
 * @ports: the ports of the device
 * @n: how many
 *
 * Ports with the same LAG ID form an aggregator, identified by its port
 * with the lowest number; one aggregator is active (ad_select: "stable"
 * keeps the current one while it has ports, "bandwidth" and "count"
 * prefer the most bandwidth or ports).  Its ports are SELECTED, the
 * ports of other aggregators STANDBY (never mixed into it), ports without
 * a partner UNSELECTED.  A port the Receive machine has just unselected
 * (its partner changed) stays so until its Mux machine has detached.
 */
void lacp_select(struct lacp_system *sys,
		 struct lacp_port *const *ports,
		 unsigned int n)
{
	struct lacp_agg best = {}, cur;
	unsigned int i, j;

	for (i = 0; i < n; i++) {
		const struct lacp_port *p = ports[i];
		bool lead = true;

		if (!lacp_candidate(p))
			continue;
		memset(&cur, 0, sizeof(cur));
		for (j = 0; j < n; j++) {
			const struct lacp_port *q = ports[j];

			if (!lacp_candidate(q) || !lacp_same_lag(p, q))
				continue;
			if (q->actor.port < p->actor.port)
				lead = false;
			cur.count++;
			cur.bandwidth += q->speed;
			if (q->selected == LACP_SELECTED &&
			    q->agg == sys->active_agg)
				cur.was_active = true;
		}
		if (!lead)
			continue;
		cur.lead = p;
		if (!best.lead || lacp_agg_better(&cur, &best, sys->ad_select))
			best = cur;
	}

	sys->active_agg = best.lead ? best.lead->actor.port : 0;
	sys->agg_ports = 0;
	sys->agg_key = best.lead ? best.lead->actor.key : 0;
	if (best.lead)
		sys->agg_partner = best.lead->partner;
	else
		memset(&sys->agg_partner, 0, sizeof(sys->agg_partner));

	for (i = 0; i < n; i++) {
		struct lacp_port *p = ports[i];

		if (!lacp_candidate(p)) {
			p->selected = LACP_UNSELECTED;
			continue;
		}
		if (p->selected == LACP_UNSELECTED &&
		    p->mux != LACP_MUX_DETACHED)
			continue;
		if (best.lead && lacp_same_lag(p, best.lead)) {
			p->selected = LACP_SELECTED;
			p->agg = sys->active_agg;
			sys->agg_ports++;
		} else {
			p->selected = LACP_STANDBY;
			p->agg = 0;
		}
	}
}
EXPORT_SYMBOL_IF_KUNIT(lacp_select);

/* --------------------------------------------------------------- reasons */

/**
 * lacp_port_reason - why a port is not distributing
 * @p: the port
 * @sys: the system, after lacp_select()
 */
enum lacp_reason lacp_port_reason(const struct lacp_port *p,
				  const struct lacp_system *sys)
{
	if (!p->enabled)
		return LACP_REASON_PORT_DISABLED;
	if (p->mux == LACP_MUX_DISTRIBUTING)
		return LACP_REASON_NONE;
	if (p->looped)
		return LACP_REASON_LOOPED;
	/* Passive: we wait to be spoken to, and nobody speaks. */
	if (!sys->active && (!p->pdu_seen || p->rx == LACP_RX_DEFAULTED))
		return LACP_REASON_PASSIVE;
	if (!p->pdu_seen)
		return LACP_REASON_NO_LACPDU;
	if (p->rx == LACP_RX_EXPIRED)
		return LACP_REASON_EXPIRED;
	if (p->rx == LACP_RX_DEFAULTED)
		return LACP_REASON_DEFAULTED;
	if (p->selected == LACP_STANDBY) {
		if (!lacp_aggregatable(p))
			return LACP_REASON_NOT_AGGREGATABLE;
		if (p->actor.key != sys->agg_key)
			return LACP_REASON_KEY_MISMATCH;
		if (p->partner.key != sys->agg_partner.key ||
		    p->partner.sys_prio != sys->agg_partner.sys_prio ||
		    !ether_addr_equal(p->partner.sys, sys->agg_partner.sys))
			return LACP_REASON_PARTNER_MISMATCH;
		return LACP_REASON_NOT_SELECTED;
	}
	if (p->selected == LACP_UNSELECTED)
		return LACP_REASON_NOT_SELECTED;
	if (p->mux <= LACP_MUX_WAITING)
		return LACP_REASON_WAITING;
	if (p->mux == LACP_MUX_ATTACHED)
		return LACP_REASON_PARTNER_NOT_SYNC;
	return LACP_REASON_PARTNER_NOT_COLLECTING;
}
EXPORT_SYMBOL_IF_KUNIT(lacp_port_reason);

static const char *const lacp_reason_texts[] = {
	[LACP_REASON_NONE]		= "distributing",
	[LACP_REASON_PORT_DISABLED]	= "link down",
	[LACP_REASON_NO_LACPDU]		= "no LACPDU received (partner silent or frames filtered)",
	[LACP_REASON_PASSIVE]		= "no LACPDU received, and lacp_active is off",
	[LACP_REASON_LOOPED]		= "own LACPDU looped back",
	[LACP_REASON_EXPIRED]		= "partner expired (LACPDUs stopped)",
	[LACP_REASON_DEFAULTED]		= "partner defaulted (LACPDUs stopped)",
	[LACP_REASON_NOT_AGGREGATABLE]	= "individual link (not aggregatable)",
	[LACP_REASON_KEY_MISMATCH]	= "key mismatch (speed/duplex or lacp_key)",
	[LACP_REASON_PARTNER_MISMATCH]	= "partner system or key differs from the aggregator's",
	[LACP_REASON_NOT_SELECTED]	= "aggregator not selected",
	[LACP_REASON_WAITING]		= "waiting (wait_while)",
	[LACP_REASON_PARTNER_NOT_SYNC]	= "partner not in sync",
	[LACP_REASON_PARTNER_NOT_COLLECTING] = "partner not collecting",
};

static_assert(ARRAY_SIZE(lacp_reason_texts) == __LACP_REASON_MAX);

const char *lacp_reason_text(enum lacp_reason reason)
{
	if ((unsigned int)reason >= ARRAY_SIZE(lacp_reason_texts))
		return "unknown";
	return lacp_reason_texts[reason];
}
EXPORT_SYMBOL_IF_KUNIT(lacp_reason_text);

/* "ACTIVITY,AGGREGATION,SYNC,..." (bit order), or "-" for none. */
void lacp_state_str(u8 state, char *buf, size_t len)
{
	static const char *const names[] = {
		"ACTIVITY", "TIMEOUT", "AGGREGATION", "SYNC", "COLLECTING",
		"DISTRIBUTING", "DEFAULTED", "EXPIRED",
	};
	size_t off = 0;
	unsigned int i;

	if (!len)
		return;
	buf[0] = '\0';
	for (i = 0; i < ARRAY_SIZE(names); i++) {
		if (!(state & BIT(i)))
			continue;
		off += scnprintf(buf + off, len - off, "%s%s", off ? "," : "",
				 names[i]);
	}
	if (!off)
		strscpy(buf, "-", len);
}
EXPORT_SYMBOL_IF_KUNIT(lacp_state_str);
