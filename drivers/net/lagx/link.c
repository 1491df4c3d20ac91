// SPDX-License-Identifier: GPL-2.0
/*
 * lagx: a port's link state, as modes see it.
 *
 * A port is usable (port->link_up) when it is administratively up and has
 * carrier.  Carrier changes arrive through the netdevice notifier; with
 * updelay/downdelay set, a change is committed only if it still holds at
 * its deadline (the carrier is read again then: the event that reverted
 * it may not have arrived yet), so a flapping link does not move traffic
 * back and forth.  Each port has its own deadline; one delayed work item
 * per device commits those that are due and is re-armed for the earliest
 * one left, never later than a deadline already waited for.  Transmit
 * finding a port without carrier queues a second work item that reads
 * the port's link at once.  Both take RTNL outright and hold a reference
 * to the device while queued, so teardown never waits for them under
 * RTNL.
 */
#include <linux/netdevice.h>
#include <linux/ethtool.h>
#include <linux/jiffies.h>
#include <linux/rtnetlink.h>
#include <linux/workqueue.h>
#include <kunit/visibility.h>

#include "lagx.h"
#include "mode.h"

struct workqueue_struct *lagx_wq;
EXPORT_SYMBOL_IF_KUNIT(lagx_wq);

/* Read carrier and admin state, speed and duplex. */
static bool lagx_port_link_read(struct lagx_port *port)
{
	struct net_device *dev = port->dev;
	struct ethtool_link_ksettings ks;
	bool up = netif_running(dev) && netif_carrier_ok(dev);

	ASSERT_RTNL();

	WRITE_ONCE(port->speed, SPEED_UNKNOWN);
	WRITE_ONCE(port->duplex, DUPLEX_UNKNOWN);
	if (up && !__ethtool_get_link_ksettings(dev, &ks)) {
		WRITE_ONCE(port->speed, ks.base.speed);
		WRITE_ONCE(port->duplex, ks.base.duplex);
	}
	return up;
}

static void lagx_port_link_commit(struct lagx_port *port, bool up)
{
	struct lagx *lagx = port->lagx;

	if (!up)
		WRITE_ONCE(port->link_failures, port->link_failures + 1);
	WRITE_ONCE(port->link_up, up);
	WRITE_ONCE(port->link_pending, false);
	lagx->mode->ops->port_link_changed(lagx, port);
}

/*
 * Have the link work run by @due (jiffies), RTNL.  A run already due at
 * or before @due is kept: another port's deadline is never postponed.
 */
static void lagx_link_work_schedule(struct lagx *lagx, unsigned long due)
{
	unsigned long now = jiffies;

	ASSERT_RTNL();

	if (delayed_work_pending(&lagx->link_work) &&
	    time_before_eq(lagx->link_work_due, due))
		return;
	lagx->link_work_due = due;
	/* One reference per queued instance, dropped by the work. */
	dev_hold(lagx->dev);
	if (mod_delayed_work(lagx_wq, &lagx->link_work,
			     time_after(due, now) ? due - now : 0))
		dev_put(lagx->dev);	/* was already queued */
}

/* Commit or cancel the pending changes that are due; re-arm for the rest. */
static void lagx_link_commit_due(struct lagx *lagx)
{
	unsigned long next = 0, now = jiffies;
	struct lagx_port *port;
	bool again = false;

	lagx_for_each_port(lagx, port) {
		bool up;

		if (!port->link_pending)
			continue;
		if (time_before(now, port->link_pending_until)) {
			if (!again || time_before(port->link_pending_until, next))
				next = port->link_pending_until;
			again = true;
			continue;
		}
		/* What the port says now, not what the last event said. */
		up = lagx_port_link_read(port);
		if (up == port->link_up) {
			WRITE_ONCE(port->link_pending, false);
			netdev_info(lagx->dev, "port %s: link %s again at the end of %s, cancelled\n",
				    netdev_name(port->dev), up ? "up" : "down",
				    up ? "downdelay" : "updelay");
			continue;
		}
		netdev_info(lagx->dev, "port %s: link %s for %s, committed\n",
			    netdev_name(port->dev), up ? "up" : "down",
			    up ? "updelay" : "downdelay");
		lagx_port_link_commit(port, up);
	}
	lagx_refresh(lagx);
	if (again)
		lagx_link_work_schedule(lagx, next);
}

static void lagx_link_work(struct work_struct *work)
{
	struct lagx *lagx = container_of(to_delayed_work(work), struct lagx,
					 link_work);

	rtnl_lock();
	if (lagx->dev->reg_state == NETREG_REGISTERED)
		lagx_link_commit_due(lagx);
	rtnl_unlock();
	dev_put(lagx->dev);
}

/* Transmit found ports without carrier: read their link now. */
static void lagx_link_check_work(struct work_struct *work)
{
	struct lagx *lagx = container_of(work, struct lagx, link_check_work);
	struct lagx_port *port;

	rtnl_lock();
	if (lagx->dev->reg_state == NETREG_REGISTERED)
		lagx_for_each_port(lagx, port)
			if (test_and_clear_bit(0, &port->link_check))
				lagx_port_link_event(port);
	rtnl_unlock();
	dev_put(lagx->dev);
}

void lagx_link_init(struct lagx *lagx)
{
	INIT_DELAYED_WORK(&lagx->link_work, lagx_link_work);
	INIT_WORK(&lagx->link_check_work, lagx_link_check_work);
}

/* Device teardown, under RTNL: drop queued runs (a running one sees the
 * device unregistered and only drops its reference).
 */
void lagx_link_stop(struct lagx *lagx)
{
	ASSERT_RTNL();

	if (cancel_delayed_work(&lagx->link_work))
		dev_put(lagx->dev);
	if (cancel_work(&lagx->link_check_work))
		dev_put(lagx->dev);
}

/* A new port: its link state counts at once, without delays. */
void lagx_port_link_init(struct lagx_port *port)
{
	port->link_up = lagx_port_link_read(port);
	port->link_pending = false;
}

/**
 * lagx_port_no_carrier - transmit found a usable port without carrier
 * @port: the port
 *
 * Data path.  linkwatch delivers a carrier change at once only for
 * bonding and team ports (and stacked devices); for any other port it
 * holds the event until a second after its previous run, system-wide, so
 * an unrelated link change can delay a failover by up to a second.
 * netif_carrier_ok() changes at once: the first frame that meets the lost
 * carrier has the link work read the port now, once.
 */
void lagx_port_no_carrier(struct lagx_port *port)
{
	struct lagx *lagx = port->lagx;

	if (test_bit(0, &port->link_check) ||
	    test_and_set_bit(0, &port->link_check))
		return;
	/* One reference per queued instance, dropped by the work. */
	dev_hold(lagx->dev);
	if (!queue_work(lagx_wq, &lagx->link_check_work))
		dev_put(lagx->dev);
}

/**
 * lagx_port_link_event - the port's carrier or admin state may have changed
 * @port: the port
 *
 * Called from the netdevice notifier under RTNL.  Admin down counts at
 * once; carrier changes wait updelay/downdelay if set.  A change that
 * reverts before its delay is over is forgotten.
 */
void lagx_port_link_event(struct lagx_port *port)
{
	struct lagx *lagx = port->lagx;
	unsigned int delay;
	bool up;

	ASSERT_RTNL();

	if (port->dev == lagx->port_reopening)
		return;

	up = lagx_port_link_read(port);
	if (up == port->link_up) {
		if (port->link_pending) {
			WRITE_ONCE(port->link_pending, false);
			netdev_info(lagx->dev, "port %s: link %s again, %s cancelled\n",
				    netdev_name(port->dev), up ? "up" : "down",
				    up ? "downdelay" : "updelay");
		}
		goto refresh;
	}

	delay = !netif_running(port->dev) ? 0 :
		up ? lagx->cfg.updelay : lagx->cfg.downdelay;
	if (!delay) {
		lagx_port_link_commit(port, up);
	} else if (!port->link_pending) {
		port->link_pending_until = jiffies + msecs_to_jiffies(delay);
		WRITE_ONCE(port->link_pending, true);
		netdev_info(lagx->dev, "port %s: link %s, waiting %s %u ms\n",
			    netdev_name(port->dev), up ? "up" : "down",
			    up ? "updelay" : "downdelay", delay);
		lagx_link_work_schedule(lagx, port->link_pending_until);
	}
refresh:
	lagx_refresh(lagx);
}
EXPORT_SYMBOL_IF_KUNIT(lagx_port_link_event);
