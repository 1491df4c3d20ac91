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

TRACE_EVENT(lagx_bucket_move,
	    TP_PROTO(const struct net_device *dev, u32 bucket,
		     const char *from, const char *to, u64 load,
		     const char *reason),
	    TP_ARGS(dev, bucket, from, to, load, reason),
	    TP_STRUCT__entry(__array(char, dev, IFNAMSIZ)
			     __field(u32, bucket)
			     __array(char, from, IFNAMSIZ)
			     __array(char, to, IFNAMSIZ)
			     __field(u64, load)
			     __array(char, reason, 16)),
	    TP_fast_assign(strscpy(__entry->dev, dev->name, IFNAMSIZ);
			   __entry->bucket = bucket;
			   strscpy(__entry->from, from, IFNAMSIZ);
			   strscpy(__entry->to, to, IFNAMSIZ);
			   __entry->load = load;
			   strscpy(__entry->reason, reason, 16);),
	    TP_printk("%s: bucket %u from %s to %s, load %llu (%s)",
		      __entry->dev, __entry->bucket, __entry->from,
		      __entry->to, __entry->load, __entry->reason)
);

TRACE_EVENT(lagx_operating_mode,
	    TP_PROTO(const struct net_device *dev, const char *mode),
	    TP_ARGS(dev, mode),
	    TP_STRUCT__entry(__array(char, dev, IFNAMSIZ)
			     __array(char, mode, 32)),
	    TP_fast_assign(strscpy(__entry->dev, dev->name, IFNAMSIZ);
			   strscpy(__entry->mode, mode, 32);),
	    TP_printk("%s: operating mode %s", __entry->dev, __entry->mode)
);

TRACE_EVENT(lagx_port_reason,
	    TP_PROTO(const struct net_device *dev,
		     const struct net_device *port, const char *reason),
	    TP_ARGS(dev, port, reason),
	    TP_STRUCT__entry(__array(char, dev, IFNAMSIZ)
			     __array(char, port, IFNAMSIZ)
			     __array(char, reason, 128)),
	    TP_fast_assign(strscpy(__entry->dev, dev->name, IFNAMSIZ);
			   strscpy(__entry->port, port->name, IFNAMSIZ);
			   strscpy(__entry->reason, reason, 128);),
	    TP_printk("%s: port %s: %s", __entry->dev, __entry->port,
		      __entry->reason)
);

#endif /* _LAGX_TRACE_H */

/* Out of tree, the header is found beside this file. */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
