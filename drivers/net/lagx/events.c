// SPDX-License-Identifier: GPL-2.0
/*
 * lagx: telling the world what changed: tracepoints and netlink
 * notifications, from one comparison after every event.
 */
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>

#include "lagx.h"
#include "mode.h"

#define CREATE_TRACE_POINTS
#include "trace.h"

#if IS_ENABLED(CONFIG_KUNIT)
/* The bucket tests watch moves as they happen. */
EXPORT_TRACEPOINT_SYMBOL_GPL(lagx_bucket_move);
#endif

/**
 * lagx_report_changes - report what changed since the last call
 * @lagx: the lagx device
 * @usable: its ports with link, as lagx_refresh() counted them
 *
 * Called by lagx_refresh() after every event, under RTNL.  Compares what
 * a monitor sees of each port and of the device with what was last
 * reported, and emits a tracepoint and a netlink notification for each
 * that changed.
 */
void lagx_report_changes(struct lagx *lagx, unsigned int usable)
{
	struct lagx_port *port, *active = NULL;
	struct lagx_ntf_state now;

	ASSERT_RTNL();

	lagx_for_each_port(lagx, port) {
		memset(&now, 0, sizeof(now));
		now.state = lagx_port_state(port);
		now.link = port->link_up;
		now.pending = port->link_pending;
		if (!memcmp(&now, &port->ntf, sizeof(now)))
			continue;
		port->ntf = now;
		trace_lagx_port_state(lagx->dev, port->dev, now.state,
				      now.link, now.pending);
		lagx_nl_notify_port(port);
	}

	if (lagx->mode->ops->active_port)
		active = lagx->mode->ops->active_port(lagx);
	memset(&now, 0, sizeof(now));
	now.state = netif_carrier_ok(lagx->dev);
	now.ports = lagx->port_count;
	now.usable = usable;
	now.active = active ? active->dev->ifindex : 0;
	if (!memcmp(&now, &lagx->ntf, sizeof(now)))
		return;
	lagx->ntf = now;
	trace_lagx_dev_state(lagx->dev, now.state, now.ports, now.active);
	lagx_nl_notify_dev(lagx);
}

void lagx_trace_active_port(struct lagx *lagx, struct lagx_port *old,
			    struct lagx_port *new, const char *reason)
{
	trace_lagx_active_port(lagx->dev, old ? old->dev : NULL,
			       new ? new->dev : NULL, reason);
}

void lagx_trace_bucket_move(struct lagx *lagx, unsigned int bucket,
			    const char *from, const char *to, u64 load,
			    const char *reason)
{
	trace_lagx_bucket_move(lagx->dev, bucket, from, to, load, reason);
}

void lagx_trace_operating_mode(struct lagx *lagx, const char *mode)
{
	trace_lagx_operating_mode(lagx->dev, mode);
}

/* A port's reason changed while its state did not: tell monitors. */
void lagx_port_notify_reason(struct lagx_port *port)
{
	char reason[LAGX_REASON_LEN];

	lagx_port_reason(port, reason, sizeof(reason));
	trace_lagx_port_reason(port->lagx->dev, port->dev, reason);
	lagx_nl_notify_port(port);
}
