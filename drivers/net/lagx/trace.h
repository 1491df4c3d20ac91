/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lagx: tracepoints.  perf list 'lagx:*'
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM lagx

#if !defined(_LAGX_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _LAGX_TRACE_H

#include <linux/netdevice.h>
#include <linux/tracepoint.h>

TRACE_EVENT(lagx_port_state,
	    TP_PROTO(const struct net_device *dev,
		     const struct net_device *port, u32 state, bool link,
		     bool pending),
	    TP_ARGS(dev, port, state, link, pending),
	    TP_STRUCT__entry(__array(char, dev, IFNAMSIZ)
			     __array(char, port, IFNAMSIZ)
			     __field(u32, state)
			     __field(bool, link)
			     __field(bool, pending)),
	    TP_fast_assign(strscpy(__entry->dev, dev->name, IFNAMSIZ);
			   strscpy(__entry->port, port->name, IFNAMSIZ);
			   __entry->state = state;
			   __entry->link = link;
			   __entry->pending = pending;),
	    TP_printk("%s: port %s state %s link %s%s", __entry->dev,
		      __entry->port,
		      __print_symbolic(__entry->state, { 0, "down" },
				       { 1, "backup" }, { 2, "active" }),
		      __entry->link ? "up" : "down",
		      __entry->pending ? " (delay running)" : "")
);

TRACE_EVENT(lagx_dev_state,
	    TP_PROTO(const struct net_device *dev, bool carrier, u32 ports,
		     u32 active_ifindex),
	    TP_ARGS(dev, carrier, ports, active_ifindex),
	    TP_STRUCT__entry(__array(char, dev, IFNAMSIZ)
			     __field(bool, carrier)
			     __field(u32, ports)
			     __field(u32, active)),
	    TP_fast_assign(strscpy(__entry->dev, dev->name, IFNAMSIZ);
			   __entry->carrier = carrier;
			   __entry->ports = ports;
			   __entry->active = active_ifindex;),
	    TP_printk("%s: carrier %s, %u ports, active ifindex %u",
		      __entry->dev, __entry->carrier ? "up" : "down",
		      __entry->ports, __entry->active)
);

TRACE_EVENT(lagx_active_port,
	    TP_PROTO(const struct net_device *dev,
		     const struct net_device *old,
		     const struct net_device *new, const char *reason),
	    TP_ARGS(dev, old, new, reason),
	    TP_STRUCT__entry(__array(char, dev, IFNAMSIZ)
			     __array(char, old, IFNAMSIZ)
			     __array(char, new, IFNAMSIZ)
			     __array(char, reason, 32)),
	    TP_fast_assign(strscpy(__entry->dev, dev->name, IFNAMSIZ);
			   strscpy(__entry->old, old ? old->name : "none",
				   IFNAMSIZ);
			   strscpy(__entry->new, new ? new->name : "none",
				   IFNAMSIZ);
			   strscpy(__entry->reason, reason,
				   sizeof(__entry->reason));),
	    TP_printk("%s: active port %s -> %s (%s)", __entry->dev,
		      __entry->old, __entry->new, __entry->reason)
);

#endif /* _LAGX_TRACE_H */

/* Out of tree, the header is found beside this file. */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
