/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lagx: link aggregation driver, core data structures.
 *
 * Locking rules
 * =============
 *
 * Every lock of lagx, what it protects, where it is taken, how it nests.
 * Change this block in the same commit as the locking.
 *
 * RTNL (process context)
 *	Serialises every configuration change and every reaction to a port
 *	event: adding and removing ports, mode changes, MTU/MAC/feature
 *	changes, the netdevice notifier, genl and rtnetlink handlers,
 *	ethtool, and everything a mode does in its ops other than tx_port,
 *	rx and the lacp timer.  Writers of every field marked "RTNL" below
 *	hold it; assert with ASSERT_RTNL() or rtnl_dereference().  Periodic
 *	and deferred work never polls for it: the work items below
 *	(link_work, link_check_work, rebalance_work, mode_work) run on
 *	lagx_wq and take rtnl_lock() outright, each holding a reference to
 *	the device while queued, so teardown cancels them under RTNL and
 *	never waits for them.
 *
 * lagx->mode_lock (mutex, process context)
 *	Held by lagx_mode_set() while mode_priv is cleared and set up for
 *	the new mode, and by /proc readers for their whole read, so that no
 *	reader sees a mode's private area (its lacp lock, say) while it is
 *	re-initialised.  Nests inside RTNL; readers take it without RTNL.
 *	Never taken on the data path; proc_remove() (under RTNL, it waits
 *	for readers) is never called with it held.
 *
 * lacp_priv.lock (spinlock, mode_lacp.c)
 *	Protects the LACP protocol state: lacp_priv.sys, the fallback
 *	decision and its counters, and every port's lacp area (port->lacp,
 *	port->lacp_reason*, port->lacp_ready).  Taken with spin_lock() in
 *	softirq (the 100 ms lacp timer, the rx handler for LACPDUs) and
 *	with spin_lock_bh() in process context (mode ops under RTNL, /proc
 *	under mode_lock).  Nests inside RTNL and mode_lock; nothing is taken
 *	under it, nothing sleeps under it, and no frame is sent under it
 *	(LACPDUs are queued and sent after unlocking).  The timer never
 *	takes RTNL: what must be applied under RTNL goes to mode_work.
 *
 * RCU (BH flavour on the data path)
 *	The transmit path (ndo_start_xmit, called with rcu_read_lock_bh())
 *	reads lagx->tx_ports without any lock.  The receive handler runs
 *	under rcu_read_lock() and reads port->rx_enabled with READ_ONCE().
 *	A new lagx_port_array is built under RTNL and published with
 *	rcu_assign_pointer(); the old one is freed with kfree_rcu().
 *	The port list is an RCU list (list_add_tail_rcu()/list_del_rcu()
 *	under RTNL, which also bumps lagx_ports_gen for genl dumps) so
 *	/proc readers and the lacp timer walk it under rcu_read_lock()
 *	without taking RTNL.  A removed port is freed only
 *	after netdev_rx_handler_unregister() has waited for a grace period,
 *	which happens after the array without it was published.  The mode
 *	(lagx->mode) changes only with no port attached, so the data path
 *	never meets a mode change.
 *
 * Per-CPU statistics
 *	Updated with u64_stats_update_begin()/end() on the local CPU from
 *	the data path; readers sum over all CPUs with the fetch/retry loop.
 *
 * Hash buckets (bucket.h)
 *	The one structure the data path writes besides statistics.  A
 *	bucket's port id is written under RTNL (moves, rebalancing, from
 *	the rebalance work which takes RTNL) with WRITE_ONCE(), and by
 *	transmit only with cmpxchg() from an id that is not in the published
 *	array (first sight, or a port that left).  Transmit dereferences
 *	ids only through the published array's by_id[], so a stale id is
 *	harmless; moves are applied only after the array holding their
 *	target ports is published.  The local MAC table is written by
 *	transmit with WRITE_ONCE() of whole 64-bit words; a torn or lost
 *	entry costs at most a missed reflection or announcement, never
 *	memory safety.
 *
 * Atomic bits
 *	port->link_check (bit 0): set by transmit when a usable port has no
 *	carrier, cleared by link_check_work under RTNL.
 *
 * No spinlock is taken per packet (the lacp lock is taken per LACPDU,
 * not per frame).
 */
#ifndef _LAGX_H
#define _LAGX_H

#include <linux/netdevice.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/rtnetlink.h>
#include <linux/u64_stats_sync.h>
#include <linux/workqueue.h>
#include <linux/if_ether.h>
#include <linux/if_lagx.h>

#include "compat.h"
#include "options.h"
#include "bucket.h"
#include "lacp.h"

#define LAGX_DRV_NAME		"lagx"
#define LAGX_DRV_VERSION	"0.2"

struct lagx;
struct lagx_mode;
struct seq_file;

/* Per-CPU counters of the lagx device. */
struct lagx_pcpu_stats {
	u64_stats_t rx_packets;
	u64_stats_t rx_bytes;
	u64_stats_t tx_packets;
	u64_stats_t tx_bytes;
	u64_stats_t tx_dropped;
	struct u64_stats_sync syncp;
};

/* Per-CPU counters of one port. */
struct lagx_port_pcpu_stats {
	u64_stats_t rx_packets;
	u64_stats_t rx_dropped_inactive;	/* arrived while rx disabled */
	u64_stats_t rx_dropped_mcast;	/* bcast/mcast, not this port's to take */
	u64_stats_t rx_dropped_loop;	/* our own frame, reflected back */
	u64_stats_t tx_packets;
	struct u64_stats_sync syncp;
};

/* What monitors were last told of a device or port (netlink.c). */
struct lagx_ntf_state {
	u32 state;			/* port state, or device carrier */
	u32 ports;			/* device: port count */
	u32 usable;			/* device: ports with link */
	u32 active;			/* device: active port ifindex */
	u32 link;			/* port: link_up */
	u32 pending;			/* port: link_pending */
};

/* Device counters as user space sees them: since the last stats-clear. */
struct lagx_stats_view {
	u64 failovers;
	u64 tx_dropped;
};

#define LAGX_REASON_LEN		128

/* Summed snapshot of lagx_port_pcpu_stats. */
struct lagx_port_stats {
	u64 rx_packets;
	u64 rx_dropped_inactive;
	u64 rx_dropped_mcast;
	u64 rx_dropped_loop;
	u64 tx_packets;
};

struct lagx_port {
	struct net_device *dev;
	struct lagx *lagx;
	struct list_head list;		/* lagx->port_list: RTNL, RCU readers */

	/* Decided by the mode, RTNL; applied by lagx_refresh(). */
	bool tx_enabled;		/* member of lagx->tx_ports */
	bool rx_enabled;		/* READ_ONCE() in the rx handler */
	bool rx_mcast;			/* takes bcast/mcast: READ_ONCE() */

	/* Hash buckets (bucket.c). */
	u8 id;				/* index in lagx_port_array.by_id */
	atomic_t buckets;		/* buckets bound to the port */
	u64 load;			/* RTNL writers: decayed bytes */
	u64 learn_tx;			/* RTNL writers: learning frames sent */

	/* lacp mode (mode_lacp.c): under its lacp lock, except as noted. */
	struct lacp_port lacp;
	bool lacp_ready;		/* lacp is initialised */
	u8 lacp_reason;			/* enum lacp_reason */
	unsigned long lacp_reason_since;	/* jiffies */
	u8 lacp_ntf_reason;		/* RTNL: as last notified */
	bool lacp_dist;			/* RTNL: distributing, as applied */
	bool lacp_coll;			/* RTNL: collecting, as applied */

	/* Link state (link.c): RTNL writers, READ_ONCE() readers. */
	bool link_up;			/* usable, after up/down delays */
	bool link_pending;		/* link_up flips at link_pending_until */
	/* Bit 0: transmit found no carrier before the notifier did. */
	unsigned long link_check;
	unsigned long link_pending_until;	/* jiffies */
	u32 speed;			/* SPEED_UNKNOWN when unknown */
	u8 duplex;			/* DUPLEX_UNKNOWN when unknown */
	u32 link_failures;		/* up -> down transitions */

	/* Reported lower state, to notify only on change: RTNL. */
	bool lower_link_up;
	bool lower_tx_enabled;

	/* What to restore on release: set once at enslave. */
	unsigned int orig_mtu;
	u8 perm_addr[ETH_ALEN];
	bool was_up;

	struct lagx_port_config cfg;		/* RTNL writers */
	struct lagx_ntf_state ntf;		/* RTNL */
	struct lagx_port_pcpu_stats __percpu *stats;
	struct lagx_port_stats stats_base;	/* RTNL: at the last stats-clear */
};

/* The ports allowed to transmit, in enslave order.  Published by RCU. */
struct lagx_port_array {
	struct rcu_head rcu;
	struct lagx_port *by_id[LAGX_MAX_PORTS_LIMIT];	/* NULL: not in array */
	unsigned int count;
	struct lagx_port *ports[] __counted_by(count);
};

/* Room for the active mode's private state, see lagx_mode_priv(). */
#define LAGX_MODE_PRIV_SIZE	1024

struct lagx {
	struct net_device *dev;
	/* RTNL and mode_lock writers; changes only with no ports. */
	const struct lagx_mode *mode;
	struct mutex mode_lock;			/* see the locking rules */
	struct list_head port_list;		/* RTNL writers, RCU readers */
	unsigned int port_count;		/* RTNL */
	u64 port_ids;				/* RTNL: BIT(port->id) in use */
	struct lagx_port_array __rcu *tx_ports;	/* RTNL writers, RCU-bh readers */
	bool port_mtu_change_allowed;		/* RTNL */
	bool port_mac_change_allowed;		/* RTNL */
	struct net_device *port_reopening;	/* RTNL: its link events are ignored */
	struct lagx_config cfg;			/* RTNL writers, see options.h */
	u64 failovers;				/* RTNL writers, READ_ONCE() */
	u64 fallbacks;				/* lacp: RTNL writers, READ_ONCE() */
	struct lagx_stats_view stats_base;	/* RTNL: at the last stats-clear */
	struct lagx_ntf_state ntf;		/* RTNL */
	struct delayed_work link_work;		/* link.c: delays due */
	unsigned long link_work_due;		/* RTNL: when link_work runs */
	struct work_struct link_check_work;	/* link.c: no carrier on TX */
	struct delayed_work rebalance_work;	/* bucket.c */
	struct work_struct mode_work;		/* mode.c: ops->work under RTNL */
	struct lagx_buckets *buckets;		/* bucket.c, see bucket.h */
	struct lagx_pcpu_stats __percpu *stats;
	struct proc_dir_entry *proc_entry;	/* RTNL */

	/* Mode private area, typed by each mode's accessor: RTNL writers. */
	unsigned long mode_priv[LAGX_MODE_PRIV_SIZE / sizeof(unsigned long)];
};

static inline void *lagx_mode_priv(struct lagx *lagx)
{
	return lagx->mode_priv;
}

static inline const void *lagx_mode_priv_const(const struct lagx *lagx)
{
	return lagx->mode_priv;
}

static inline struct lagx_port_array *lagx_tx_ports_rtnl(struct lagx *lagx)
{
	return rcu_dereference_protected(lagx->tx_ports, lockdep_rtnl_is_held());
}

#define lagx_for_each_port(lagx, port) \
	list_for_each_entry(port, &(lagx)->port_list, list)

#define lagx_for_each_port_rcu(lagx, port) \
	list_for_each_entry_rcu(port, &(lagx)->port_list, list)

/* device.c */
extern const struct net_device_ops lagx_netdev_ops;
void lagx_setup(struct net_device *dev);
void lagx_compute_features(struct lagx *lagx);

static inline bool netif_is_lagx(const struct net_device *dev)
{
	return dev->netdev_ops == &lagx_netdev_ops;
}

/* rtnl.c */
extern struct rtnl_link_ops lagx_link_ops;
extern unsigned int lagx_ports_gen;	/* RTNL, see port.c */
int lagx_rtnl_init(void);
void lagx_rtnl_exit(void);

/* config.c */
int lagx_config_change(struct lagx *lagx, const struct lagx_opt_change *changes,
		       unsigned int n, unsigned int *bad,
		       struct netlink_ext_ack *extack);
int lagx_port_config_change(struct lagx_port *port,
			    const struct lagx_opt_change *changes,
			    unsigned int n, unsigned int *bad,
			    struct netlink_ext_ack *extack);
void lagx_primary_forget(struct lagx *lagx);
void lagx_primary_gone(struct net_device *dev);
#if IS_ENABLED(CONFIG_KUNIT)
unsigned int lagx_primaries_count(void);
#endif

/* port.c */
int lagx_port_add(struct lagx *lagx, struct net_device *port_dev,
		  struct netlink_ext_ack *extack);
int lagx_port_del(struct lagx *lagx, struct net_device *port_dev,
		  struct netlink_ext_ack *extack);
void lagx_port_del_all(struct lagx *lagx);
int lagx_port_set_mac(struct lagx *lagx, struct net_device *port_dev,
		      const u8 *addr, bool may_reopen,
		      struct netlink_ext_ack *extack);
void lagx_port_get_stats(const struct lagx_port *port,
			 struct lagx_port_stats *stats);
void lagx_port_stats_view(const struct lagx_port *port,
			  struct lagx_port_stats *stats);
void lagx_port_reason(const struct lagx_port *port, char *buf, size_t len);
enum lagx_port_state lagx_port_state(const struct lagx_port *port);
const char *lagx_port_state_name(enum lagx_port_state state);
void lagx_port_report_all(struct lagx *lagx);
struct lagx_port *lagx_port_get_rtnl(const struct net_device *dev);
#if IS_ENABLED(CONFIG_KUNIT)
rx_handler_result_t lagx_handle_frame(struct sk_buff **pskb);
#endif
int lagx_notifier_init(void);
void lagx_notifier_exit(void);

/* link.c */
extern struct workqueue_struct *lagx_wq;
void lagx_link_init(struct lagx *lagx);
void lagx_link_stop(struct lagx *lagx);
void lagx_port_link_init(struct lagx_port *port);
void lagx_port_link_event(struct lagx_port *port);
void lagx_port_no_carrier(struct lagx_port *port);

/* device.c */
void lagx_stats_view(const struct lagx *lagx, struct lagx_stats_view *st);
void lagx_stats_clear(struct lagx *lagx);
unsigned int lagx_usable_ports(const struct lagx *lagx);

/* netlink.c: the generic netlink family needs genl_split_ops (6.2+). */
#ifdef LAGX_HAVE_GENL
int lagx_nl_init(void);
void lagx_nl_exit(void);
void lagx_nl_notify_dev(struct lagx *lagx);
void lagx_nl_notify_port(struct lagx_port *port);
#else
static inline int lagx_nl_init(void) { return 0; }
static inline void lagx_nl_exit(void) { }
static inline void lagx_nl_notify_dev(struct lagx *lagx) { }
static inline void lagx_nl_notify_port(struct lagx_port *port) { }
#endif

/* events.c */
void lagx_report_changes(struct lagx *lagx, unsigned int usable);
void lagx_trace_active_port(struct lagx *lagx, struct lagx_port *old,
			    struct lagx_port *new, const char *reason);
void lagx_trace_operating_mode(struct lagx *lagx, const char *mode);
void lagx_port_notify_reason(struct lagx_port *port);
void lagx_trace_bucket_move(struct lagx *lagx, unsigned int bucket,
			    const char *from, const char *to, u64 load,
			    const char *reason);

/* xmit.c */
netdev_tx_t lagx_start_xmit(struct sk_buff *skb, struct net_device *dev);
void lagx_refresh(struct lagx *lagx);

/* procfs.c */
int lagx_procfs_init(void);
void lagx_procfs_exit(void);
void lagx_procfs_add(struct lagx *lagx);
void lagx_procfs_del(struct lagx *lagx);

#endif /* _LAGX_H */
