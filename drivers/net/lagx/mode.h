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

struct lagx_mode_ops {
	/* Mode becomes the device's mode (no ports attached). */
	void (*init)(struct lagx *lagx);
	/* A port joined (already on the port list) or left (already off). */
	void (*port_enter)(struct lagx *lagx, struct lagx_port *port);
	void (*port_leave)(struct lagx *lagx, struct lagx_port *port);
	/* port->link_up changed. */
	void (*port_link_changed)(struct lagx *lagx, struct lagx_port *port);
	/* Optional: lagx->cfg or a port's cfg changed (port NULL: device). */
	void (*config_changed)(struct lagx *lagx, struct lagx_port *port);
	/* Data path: choose among @arr (count > 0), under rcu_read_lock_bh(). */
	struct lagx_port *(*tx_port)(const struct lagx *lagx,
				     const struct lagx_port_array *arr,
				     struct sk_buff *skb);
	/* Optional: the port carrying all traffic, if the mode has one. RTNL. */
	struct lagx_port *(*active_port)(struct lagx *lagx);
	/* Optional: an operator forces the active port. */
	int (*set_active)(struct lagx *lagx, struct lagx_port *port,
			  struct netlink_ext_ack *extack);
	/* Optional: rebalance the load now. */
	void (*rebalance)(struct lagx *lagx);
	/* Optional: why a usable port does not carry traffic. RTNL. */
	void (*port_reason)(struct lagx *lagx, const struct lagx_port *port,
			    char *buf, size_t len);
	/* Optional: mode-specific lines in /proc/net/lagx/<dev>, under RCU. */
	void (*seq_show)(struct seq_file *seq, const struct lagx *lagx);
	/* Optional: mode-specific IFLA_LAGX_* attributes, under RTNL. */
	size_t (*get_size)(const struct lagx *lagx);
	int (*fill_info)(struct sk_buff *skb, const struct lagx *lagx);
};

struct lagx_mode {
	enum lagx_mode_id id;
	const char *name;
	enum netdev_lag_tx_type lag_tx_type;
	const struct lagx_mode_ops *ops;
};

extern const struct lagx_mode lagx_mode_ab;

const struct lagx_mode *lagx_mode_get(enum lagx_mode_id id);
u32 lagx_modes_built(void);
void lagx_mode_set(struct lagx *lagx, const struct lagx_mode *mode);

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
