/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lagx: aggregation modes as ops tables.
 *
 * A mode decides which ports may transmit and receive (port->tx_enabled,
 * port->rx_enabled) in reaction to port events, and picks the TX port for
 * a packet among the published array.  The core applies the decisions
 * (lagx_refresh()) and never branches on which mode is running.
 */
#ifndef _LAGX_MODE_H
#define _LAGX_MODE_H

#include "lagx.h"

/* What the rx handler does with a frame on a port that receives. */
enum lagx_rx_verdict {
	LAGX_RX_DELIVER,		/* up to the lagx device */
	LAGX_RX_DROP_MCAST,		/* bcast/mcast another port takes */
	LAGX_RX_DROP_LOOP,		/* our own frame, reflected */
	LAGX_RX_DROP_INACTIVE,		/* the port does not receive */
	LAGX_RX_CONSUMED,		/* taken by the mode (LACPDU, marker) */
};

struct lagx_mode_ops {
	/* Mode becomes the device's mode (no ports attached). */
	void (*init)(struct lagx *lagx);
	/* Optional: the mode stops being the device's mode, or the device
	 * goes away (no ports attached).  RTNL.
	 */
	void (*uninit)(struct lagx *lagx);
	/* Optional: run under RTNL after lagx_mode_work_queue(). */
	void (*work)(struct lagx *lagx);
	/* Optional: the device opens or stops.  RTNL. */
	void (*open)(struct lagx *lagx);
	void (*stop)(struct lagx *lagx);
	/* A port joined (already on the port list) or left (already off). */
	void (*port_enter)(struct lagx *lagx, struct lagx_port *port);
	void (*port_leave)(struct lagx *lagx, struct lagx_port *port);
	/* port->link_up changed. */
	void (*port_link_changed)(struct lagx *lagx, struct lagx_port *port);
	/* Optional: lagx->cfg or a port's cfg changed (port NULL: device). */
	void (*config_changed)(struct lagx *lagx, struct lagx_port *port);
	/* Data path: choose among @arr (count > 0), under rcu_read_lock_bh().
	 * May write lock-free data path state (the bucket table).
	 */
	struct lagx_port *(*tx_port)(struct lagx *lagx,
				     const struct lagx_port_array *arr,
				     struct sk_buff *skb);
	/* Optional: the port carrying all traffic, if the mode has one. RTNL. */
	struct lagx_port *(*active_port)(struct lagx *lagx);
	/* Optional, data path under rcu_read_lock(): what to do with a
	 * frame received on a port, whether or not it has rx_enabled (a
	 * DELIVER verdict on a port without rx_enabled drops the frame).
	 */
	enum lagx_rx_verdict (*rx)(struct lagx *lagx, struct lagx_port *port,
				   struct sk_buff *skb);
	/* Optional: an operator forces the active port. */
	int (*set_active)(struct lagx *lagx, struct lagx_port *port,
			  struct netlink_ext_ack *extack);
	/* Optional: rebalance the load now. */
	void (*rebalance)(struct lagx *lagx);
	/* Optional: what a usable port is doing, and why. RTNL. */
	void (*port_reason)(struct lagx *lagx, const struct lagx_port *port,
			    char *buf, size_t len);
	/* Optional: mode-specific lines in /proc/net/lagx/<dev>, under RCU:
	 * before the port table, and after it.
	 */
	void (*seq_show)(struct seq_file *seq, struct lagx *lagx);
	void (*seq_show_tail)(struct seq_file *seq, struct lagx *lagx);
	/* Optional: mode-specific IFLA_LAGX_* attributes of the device and
	 * IFLA_LAGX_PORT_* of a port (rtnetlink), under RTNL.
	 */
	size_t (*get_size)(const struct lagx *lagx);
	int (*fill_info)(struct sk_buff *skb, struct lagx *lagx);
	size_t (*get_port_size)(const struct lagx *lagx);
	int (*fill_port_info)(struct sk_buff *skb, struct lagx *lagx,
			      struct lagx_port *port);
	/* Optional: mode-specific attributes of the generic netlink family's
	 * device and port messages, under RTNL.  Set with LAGX_NL_OP(): the
	 * family exists on kernels >= 6.2 only.
	 */
	int (*nl_fill_dev)(struct sk_buff *skb, struct lagx *lagx);
	int (*nl_fill_port)(struct sk_buff *skb, struct lagx *lagx,
			    struct lagx_port *port);
};

#ifdef LAGX_HAVE_GENL
#define LAGX_NL_OP(fn)	(fn)
#else
#define LAGX_NL_OP(fn)	((typeof(fn) *)NULL)
#endif

struct lagx_mode {
	enum lagx_mode_id id;
	const char *name;
	enum netdev_lag_tx_type lag_tx_type;
	bool uses_buckets;		/* TX through the hash buckets */
	const struct lagx_mode_ops *ops;
};

extern const struct lagx_mode lagx_mode_ab;
extern const struct lagx_mode lagx_mode_slb;
extern const struct lagx_mode lagx_mode_lacp;

const struct lagx_mode *lagx_mode_get(enum lagx_mode_id id);
u32 lagx_modes_built(void);
void lagx_mode_set(struct lagx *lagx, const struct lagx_mode *mode);
void lagx_mode_work_init(struct lagx *lagx);
void lagx_mode_work_queue(struct lagx *lagx);
void lagx_mode_work_stop(struct lagx *lagx);

/* mode_slb.c: balance-slb, also the lacp mode's fallback. */
void lagx_slb_update(struct lagx *lagx, struct lagx_port *gone,
		     const char *reason);
struct lagx_port *lagx_slb_tx_port(struct lagx *lagx,
				   const struct lagx_port_array *arr,
				   struct sk_buff *skb, u32 policy);
enum lagx_rx_verdict lagx_slb_rx(struct lagx *lagx, struct lagx_port *port,
				 struct sk_buff *skb);

/* mode_lacp.c: the LACP state, for the lacp mode's views and KUnit. */
bool lagx_lacp_port_snapshot(struct lagx *lagx, const struct lagx_port *port,
			     struct lacp_port *out, u8 *reason,
			     unsigned long *since);
u32 lagx_lacp_operating(struct lagx *lagx);

/* mode_lacp_rtnl.c, mode_lacp_nl.c: the lacp mode's views. */
size_t lagx_lacp_get_size(const struct lagx *lagx);
int lagx_lacp_fill_info(struct sk_buff *skb, struct lagx *lagx);
size_t lagx_lacp_get_port_size(const struct lagx *lagx);
int lagx_lacp_fill_port_info(struct sk_buff *skb, struct lagx *lagx,
			     struct lagx_port *port);
int lagx_lacp_nl_fill_dev(struct sk_buff *skb, struct lagx *lagx);
int lagx_lacp_nl_fill_port(struct sk_buff *skb, struct lagx *lagx,
			   struct lagx_port *port);

/* mode_ab.c: pure selection logic, exported for KUnit. */
struct lagx_ab_candidate {
	bool usable;			/* link up and allowed to carry traffic */
	bool primary;			/* the configured primary port */
	s32 prio;			/* port option prio */
	u32 speed;			/* Mb/s, 0 if unknown */
};

#if IS_ENABLED(CONFIG_KUNIT)
bool lagx_ab_outranks(const struct lagx_ab_candidate *a,
		      const struct lagx_ab_candidate *b);
bool lagx_ab_should_move(const struct lagx_ab_candidate *cur,
			 const struct lagx_ab_candidate *best, u32 reselect);
#endif

#endif /* _LAGX_MODE_H */
