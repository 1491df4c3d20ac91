// SPDX-License-Identifier: GPL-2.0
/*
 * lagx: a port's link state, as modes see it.
 *
 * A port is usable (port->link_up) when it is administratively up and has
 * carrier.  Carrier changes arrive through the netdevice notifier; with
 * updelay/downdelay set, a change is committed only once it has lasted
 * that long, so a flapping link does not move traffic back and forth.
 * Pending changes are committed by one delayed work item per device that
 * takes RTNL outright: it holds a reference to the device while queued,
 * so teardown never has to wait for it under RTNL.
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

static void lagx_link_work_schedule(struct lagx *lagx, unsigned long delay)
{
	/* One reference per queued instance, dropped by the work. */
	dev_hold(lagx->dev);
	if (mod_delayed_work(lagx_wq, &lagx->link_work, delay))
		dev_put(lagx->dev);	/* was already queued */
}

static void lagx_link_work(struct work_struct *work)
{
	struct lagx *lagx = container_of(to_delayed_work(work), struct lagx,
					 link_work);
	unsigned long next = 0;
	struct lagx_port *port;
	bool again = false;

	rtnl_lock();
	if (lagx->dev->reg_state != NETREG_REGISTERED)
		goto out;

	lagx_for_each_port(lagx, port)
		if (test_and_clear_bit(0, &port->link_check))
			lagx_port_link_event(port);

	lagx_for_each_port(lagx, port) {
		if (!port->link_pending)
			continue;
		if (time_after_eq(jiffies, port->link_pending_until)) {
			netdev_info(lagx->dev, "port %s: link %s for %s, committed\n",
				    netdev_name(port->dev),
				    port->link_up ? "down" : "up",
				    port->link_up ? "downdelay" : "updelay");
			lagx_port_link_commit(port, !port->link_up);
		} else if (!again || time_before(port->link_pending_until, next)) {
			next = port->link_pending_until;
			again = true;
		}
	}
	lagx_refresh(lagx);
	if (again)
		lagx_link_work_schedule(lagx, next - jiffies);
out:
	rtnl_unlock();
	dev_put(lagx->dev);
}

void lagx_link_init(struct lagx *lagx)
{
	INIT_DELAYED_WORK(&lagx->link_work, lagx_link_work);
}

/* Device teardown, under RTNL: drop a queued run (a running one sees the
 * device unregistered and only drops its reference).
 */
void lagx_link_stop(struct lagx *lagx)
{
	ASSERT_RTNL();

	if (cancel_delayed_work(&lagx->link_work))
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
	if (!test_and_set_bit(0, &port->link_check))
		lagx_link_work_schedule(port->lagx, 0);
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
		lagx_link_work_schedule(lagx, msecs_to_jiffies(delay));
	}
refresh:
	lagx_refresh(lagx);
}
EXPORT_SYMBOL_IF_KUNIT(lagx_port_link_event);
