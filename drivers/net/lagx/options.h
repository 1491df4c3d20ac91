/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lagx: the option table.  Every interface that changes configuration
 * (rtnetlink today, generic netlink later) goes through it: an option
 * declares its attribute, range, the modes it applies to and when it
 * may change; a request is validated whole against a copy of the
 * configuration, then committed, so a refused request changes nothing.
 */
#ifndef _LAGX_OPTIONS_H
#define _LAGX_OPTIONS_H

#include <linux/types.h>
#include <linux/if_ether.h>

struct netlink_ext_ack;

/* Ports per device: the default of max_ports, and its largest value. */
#define LAGX_MAX_PORTS_DEFAULT	32
#define LAGX_MAX_PORTS_LIMIT	64

/* Device configuration; lagx->cfg, RTNL writers, READ_ONCE() readers. */
struct lagx_config {
	u32 mode;			/* enum lagx_mode_id */
	u32 xmit_hash_policy;		/* enum lagx_xmit_hash_policy */
	u32 primary;			/* ifindex, 0 for none */
	u32 primary_reselect;		/* enum lagx_primary_reselect */
	u32 updelay;			/* ms */
	u32 downdelay;			/* ms */
	u32 min_links;
	u32 max_ports;
	u32 rebalance_interval;		/* ms */
	u32 lacp_rate;			/* enum lagx_lacp_rate */
	u32 lacp_active;
	u32 lacp_sys_prio;
	u32 ad_select;			/* enum lagx_ad_select */
	u32 lacp_fallback;
	u8 lacp_sys_mac[ETH_ALEN];
};

/* Port configuration; port->cfg, same rules. */
struct lagx_port_config {
	s32 prio;
	u32 lacp_prio;
	u32 lacp_key;
};

enum lagx_opt_type {
	LAGX_OPT_U8,
	LAGX_OPT_U16,
	LAGX_OPT_U32,
	LAGX_OPT_S32,
	LAGX_OPT_MAC,
};

/* When an option may change. */
#define LAGX_OPT_NO_PORTS	BIT(0)	/* only with no ports attached */
#define LAGX_OPT_DOWN		BIT(1)	/* only while the device is down */

#define LAGX_OPT_ALL_MODES	(~0U)

struct lagx_option {
	const char *name;		/* as in "ip link" and the docs */
	u16 attr;			/* IFLA_LAGX_* or IFLA_LAGX_PORT_* */
	bool port;			/* a port option */
	enum lagx_opt_type type;
	unsigned int offset;		/* in lagx_config / lagx_port_config */
	s64 min, max;
	u32 modes;			/* BIT(enum lagx_mode_id) */
	u32 when;			/* LAGX_OPT_NO_PORTS, LAGX_OPT_DOWN */
	const char *const *values;	/* names of enum values, or NULL */
	const char *unit;		/* "ms", or NULL */
};

/* A request: one value per option it sets. */
struct lagx_opt_change {
	const struct lagx_option *opt;
	s64 val;			/* integers */
	const u8 *mac;			/* LAGX_OPT_MAC */
};

/* What validation needs to know of the device, so KUnit can fake it. */
struct lagx_opt_ctx {
	const char *devname;
	u32 mode;			/* the current mode */
	u32 built_modes;		/* BIT() of each mode that exists */
	unsigned int port_count;
	bool running;
};

extern const struct lagx_option lagx_options[];
extern const unsigned int lagx_options_count;

void lagx_config_init(struct lagx_config *cfg);
void lagx_port_config_init(struct lagx_port_config *cfg);

const struct lagx_option *lagx_option_by_attr(u16 attr, bool port);
s64 lagx_option_get(const struct lagx_option *opt, const void *cfg);
const char *lagx_option_value_name(const struct lagx_option *opt, s64 val);

int lagx_options_apply(const struct lagx_opt_ctx *ctx, const void *cur,
		       void *new, const struct lagx_opt_change *changes,
		       unsigned int n, unsigned int *bad,
		       struct netlink_ext_ack *extack);

#endif /* _LAGX_OPTIONS_H */
