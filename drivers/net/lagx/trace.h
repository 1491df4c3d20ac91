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

#include "compat.h"

/*
 * Names are recorded as __string: only their bytes reach the ring buffer,
 * never what a fixed-size array would carry past the terminating NUL.
 */
TRACE_EVENT(lagx_port_state,
	    TP_PROTO(const struct net_device *dev,
		     const struct net_device *port, u32 state, bool link,
		     bool pending),
	    TP_ARGS(dev, port, state, link, pending),
	    TP_STRUCT__entry(__string(dev, dev->name)
			     __string(port, port->name)
			     __field(u32, state)
			     __field(bool, link)
			     __field(bool, pending)),
	    TP_fast_assign(lagx_assign_str(dev, dev->name);
			   lagx_assign_str(port, port->name);
			   __entry->state = state;
			   __entry->link = link;
			   __entry->pending = pending;),
	    TP_printk("%s: port %s state %s link %s%s", __get_str(dev),
		      __get_str(port),
		      __print_symbolic(__entry->state, { 0, "down" },
				       { 1, "backup" }, { 2, "active" }),
		      __entry->link ? "up" : "down",
		      __entry->pending ? " (delay running)" : "")
);

TRACE_EVENT(lagx_dev_state,
	    TP_PROTO(const struct net_device *dev, bool carrier, u32 ports,
		     u32 active_ifindex),
	    TP_ARGS(dev, carrier, ports, active_ifindex),
	    TP_STRUCT__entry(__string(dev, dev->name)
			     __field(bool, carrier)
			     __field(u32, ports)
			     __field(u32, active)),
	    TP_fast_assign(lagx_assign_str(dev, dev->name);
			   __entry->carrier = carrier;
			   __entry->ports = ports;
			   __entry->active = active_ifindex;),
	    TP_printk("%s: carrier %s, %u ports, active ifindex %u",
		      __get_str(dev), __entry->carrier ? "up" : "down",
		      __entry->ports, __entry->active)
);

TRACE_EVENT(lagx_active_port,
	    TP_PROTO(const struct net_device *dev,
		     const struct net_device *old,
		     const struct net_device *new, const char *reason),
	    TP_ARGS(dev, old, new, reason),
	    TP_STRUCT__entry(__string(dev, dev->name)
			     __string(old, old ? old->name : "none")
			     __string(new, new ? new->name : "none")
			     __string(reason, reason)),
	    TP_fast_assign(lagx_assign_str(dev, dev->name);
			   lagx_assign_str(old, old ? old->name : "none");
			   lagx_assign_str(new, new ? new->name : "none");
			   lagx_assign_str(reason, reason);),
	    TP_printk("%s: active port %s -> %s (%s)", __get_str(dev),
		      __get_str(old), __get_str(new), __get_str(reason))
);

TRACE_EVENT(lagx_bucket_move,
	    TP_PROTO(const struct net_device *dev, u32 bucket,
		     const char *from, const char *to, u64 load,
		     const char *reason),
	    TP_ARGS(dev, bucket, from, to, load, reason),
	    TP_STRUCT__entry(__string(dev, dev->name)
			     __field(u32, bucket)
			     __string(from, from)
			     __string(to, to)
			     __field(u64, load)
			     __string(reason, reason)),
	    TP_fast_assign(lagx_assign_str(dev, dev->name);
			   __entry->bucket = bucket;
			   lagx_assign_str(from, from);
			   lagx_assign_str(to, to);
			   __entry->load = load;
			   lagx_assign_str(reason, reason);),
	    TP_printk("%s: bucket %u from %s to %s, load %llu (%s)",
		      __get_str(dev), __entry->bucket, __get_str(from),
		      __get_str(to), __entry->load, __get_str(reason))
);

TRACE_EVENT(lagx_operating_mode,
	    TP_PROTO(const struct net_device *dev, const char *mode),
	    TP_ARGS(dev, mode),
	    TP_STRUCT__entry(__string(dev, dev->name)
			     __string(mode, mode)),
	    TP_fast_assign(lagx_assign_str(dev, dev->name);
			   lagx_assign_str(mode, mode);),
	    TP_printk("%s: operating mode %s", __get_str(dev), __get_str(mode))
);

TRACE_EVENT(lagx_port_reason,
	    TP_PROTO(const struct net_device *dev,
		     const struct net_device *port, const char *reason),
	    TP_ARGS(dev, port, reason),
	    TP_STRUCT__entry(__string(dev, dev->name)
			     __string(port, port->name)
			     __string(reason, reason)),
	    TP_fast_assign(lagx_assign_str(dev, dev->name);
			   lagx_assign_str(port, port->name);
			   lagx_assign_str(reason, reason);),
	    TP_printk("%s: port %s: %s", __get_str(dev), __get_str(port),
		      __get_str(reason))
);

#endif /* _LAGX_TRACE_H */

/* Out of tree, the header is found beside this file. */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
