// SPDX-License-Identifier: GPL-2.0
/*
 * lagx: the option table and request validation.
 *
 * Validation is pure (no net_device, no locking): it works on copies of
 * the configuration and on a description of the device (struct
 * lagx_opt_ctx), so KUnit drives it directly.
 */
#include <linux/kernel.h>
#include <linux/etherdevice.h>
#include <linux/if_lagx.h>
#include <net/netlink.h>
#include <kunit/visibility.h>

#include "compat.h"
#include "options.h"

#ifdef LAGX_COMPAT_EXTACK_MSG
char lagx_compat_extack_msg[80];
#endif

static const char *const lagx_mode_names[] = {
	[LAGX_MODE_ACTIVE_BACKUP]	= "active-backup",
	[LAGX_MODE_BALANCE_SLB]		= "balance-slb",
	[LAGX_MODE_LACP]		= "lacp",
	NULL
};

static const char *const lagx_hash_names[] = {
	[LAGX_XMIT_HASH_LAYER2]		= "layer2",
	[LAGX_XMIT_HASH_LAYER23]	= "layer2+3",
	[LAGX_XMIT_HASH_LAYER34]	= "layer3+4",
	[LAGX_XMIT_HASH_ENCAP23]	= "encap2+3",
	[LAGX_XMIT_HASH_ENCAP34]	= "encap3+4",
	[LAGX_XMIT_HASH_VLAN_SRCMAC]	= "vlan+srcmac",
	NULL
};

/* The hash policy a mode starts with when a request does not name one:
 * balance-slb keeps each MAC (a VM) on one port, as Hyper-V and XenServer
 * do; lacp hashes like bonding.
 */
static const u32 lagx_mode_default_hash[] = {
	[LAGX_MODE_ACTIVE_BACKUP]	= LAGX_XMIT_HASH_LAYER2,
	[LAGX_MODE_BALANCE_SLB]		= LAGX_XMIT_HASH_VLAN_SRCMAC,
	[LAGX_MODE_LACP]		= LAGX_XMIT_HASH_LAYER2,
};

static_assert(ARRAY_SIZE(lagx_mode_default_hash) == __LAGX_MODE_MAX);

static const char *const lagx_reselect_names[] = {
	[LAGX_PRIMARY_RESELECT_ALWAYS]	= "always",
	[LAGX_PRIMARY_RESELECT_BETTER]	= "better",
	[LAGX_PRIMARY_RESELECT_FAILURE]	= "failure",
	NULL
};

static const char *const lagx_rate_names[] = {
	[LAGX_LACP_RATE_SLOW]		= "slow",
	[LAGX_LACP_RATE_FAST]		= "fast",
	NULL
};

static const char *const lagx_ad_select_names[] = {
	[LAGX_AD_SELECT_STABLE]		= "stable",
	[LAGX_AD_SELECT_BANDWIDTH]	= "bandwidth",
	[LAGX_AD_SELECT_COUNT]		= "count",
	NULL
};

static const char *const lagx_off_on_names[] = { "off", "on", NULL };

static const char *const lagx_fallback_names[] = {
	[LAGX_LACP_FALLBACK_NONE]		= "none",
	[LAGX_LACP_FALLBACK_BALANCE_SLB]	= "balance-slb",
	[LAGX_LACP_FALLBACK_ACTIVE_BACKUP]	= "active-backup",
	NULL
};

#define M_AB		BIT(LAGX_MODE_ACTIVE_BACKUP)
#define M_SLB		BIT(LAGX_MODE_BALANCE_SLB)
#define M_LACP		BIT(LAGX_MODE_LACP)
#define M_ALL		LAGX_OPT_ALL_MODES

#define DEV_OPT(_name, _attr, _type, _min, _max, _modes, _when, ...)	\
	{ .name = #_name, .attr = _attr, .type = _type,			\
	  .offset = offsetof(struct lagx_config, _name),		\
	  .min = _min, .max = _max, .modes = _modes, .when = _when,	\
	  __VA_ARGS__ }

#define PORT_OPT(_name, _attr, _type, _min, _max, _modes, ...)		\
	{ .name = #_name, .attr = _attr, .type = _type, .port = true,	\
	  .offset = offsetof(struct lagx_port_config, _name),		\
	  .min = _min, .max = _max, .modes = _modes, __VA_ARGS__ }

const struct lagx_option lagx_options[] = {
	DEV_OPT(mode, IFLA_LAGX_MODE, LAGX_OPT_U8, 0, LAGX_MODE_MAX,
		M_ALL, LAGX_OPT_NO_PORTS, .values = lagx_mode_names),
	DEV_OPT(xmit_hash_policy, IFLA_LAGX_XMIT_HASH_POLICY, LAGX_OPT_U8,
		0, __LAGX_XMIT_HASH_MAX - 1, M_SLB | M_LACP, 0,
		.values = lagx_hash_names),
	DEV_OPT(primary, IFLA_LAGX_PRIMARY, LAGX_OPT_U32, 0, INT_MAX,
		M_AB, 0),
	DEV_OPT(primary_reselect, IFLA_LAGX_PRIMARY_RESELECT, LAGX_OPT_U8,
		0, __LAGX_PRIMARY_RESELECT_MAX - 1, M_AB, 0,
		.values = lagx_reselect_names),
	DEV_OPT(updelay, IFLA_LAGX_UPDELAY, LAGX_OPT_U32, 0, 600000,
		M_ALL, 0, .unit = "ms"),
	DEV_OPT(downdelay, IFLA_LAGX_DOWNDELAY, LAGX_OPT_U32, 0, 600000,
		M_ALL, 0, .unit = "ms"),
	DEV_OPT(min_links, IFLA_LAGX_MIN_LINKS, LAGX_OPT_U32, 0,
		LAGX_MAX_PORTS_LIMIT, M_ALL, 0),
	DEV_OPT(max_ports, IFLA_LAGX_MAX_PORTS, LAGX_OPT_U32, 1,
		LAGX_MAX_PORTS_LIMIT, M_ALL, 0),
	DEV_OPT(rebalance_interval, IFLA_LAGX_REBALANCE_INTERVAL, LAGX_OPT_U32,
		0, 3600000, M_SLB | M_LACP, 0, .unit = "ms"),
	DEV_OPT(lacp_rate, IFLA_LAGX_LACP_RATE, LAGX_OPT_U8, 0,
		__LAGX_LACP_RATE_MAX - 1, M_LACP, 0, .values = lagx_rate_names),
	DEV_OPT(lacp_active, IFLA_LAGX_LACP_ACTIVE, LAGX_OPT_U8, 0, 1,
		M_LACP, 0, .values = lagx_off_on_names),
	DEV_OPT(lacp_sys_prio, IFLA_LAGX_LACP_SYS_PRIO, LAGX_OPT_U16, 1,
		65535, M_LACP, 0),
	DEV_OPT(lacp_sys_mac, IFLA_LAGX_LACP_SYS_MAC, LAGX_OPT_MAC, 0, 0,
		M_LACP, LAGX_OPT_DOWN),
	DEV_OPT(ad_select, IFLA_LAGX_AD_SELECT, LAGX_OPT_U8, 0,
		__LAGX_AD_SELECT_MAX - 1, M_LACP, 0,
		.values = lagx_ad_select_names),
	DEV_OPT(lacp_fallback, IFLA_LAGX_LACP_FALLBACK, LAGX_OPT_U8, 0,
		__LAGX_LACP_FALLBACK_MAX - 1, M_LACP, 0,
		.values = lagx_fallback_names),
	PORT_OPT(prio, IFLA_LAGX_PORT_PRIO, LAGX_OPT_S32, S32_MIN, S32_MAX,
		 M_AB),
	PORT_OPT(lacp_prio, IFLA_LAGX_PORT_LACP_PRIO, LAGX_OPT_U16, 0, 65535,
		 M_LACP),
	PORT_OPT(lacp_key, IFLA_LAGX_PORT_LACP_KEY, LAGX_OPT_U16, 0, 65535,
		 M_LACP),
};
EXPORT_SYMBOL_IF_KUNIT(lagx_options);

const unsigned int lagx_options_count = ARRAY_SIZE(lagx_options);
EXPORT_SYMBOL_IF_KUNIT(lagx_options_count);

void lagx_config_init(struct lagx_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->mode = LAGX_MODE_ACTIVE_BACKUP;
	cfg->xmit_hash_policy = LAGX_XMIT_HASH_LAYER2;
	cfg->primary_reselect = LAGX_PRIMARY_RESELECT_ALWAYS;
	cfg->max_ports = LAGX_MAX_PORTS_DEFAULT;
	cfg->rebalance_interval = 10000;
	cfg->lacp_rate = LAGX_LACP_RATE_SLOW;
	cfg->lacp_active = 1;
	cfg->lacp_sys_prio = 65535;
	cfg->ad_select = LAGX_AD_SELECT_STABLE;
	cfg->lacp_fallback = LAGX_LACP_FALLBACK_BALANCE_SLB;
}
EXPORT_SYMBOL_IF_KUNIT(lagx_config_init);

void lagx_port_config_init(struct lagx_port_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->lacp_prio = 255;
}
EXPORT_SYMBOL_IF_KUNIT(lagx_port_config_init);

const struct lagx_option *lagx_option_by_attr(u16 attr, bool port)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(lagx_options); i++)
		if (lagx_options[i].attr == attr && lagx_options[i].port == port)
			return &lagx_options[i];
	return NULL;
}
EXPORT_SYMBOL_IF_KUNIT(lagx_option_by_attr);

s64 lagx_option_get(const struct lagx_option *opt, const void *cfg)
{
	const void *p = cfg + opt->offset;

	if (opt->type == LAGX_OPT_S32)
		return *(const s32 *)p;
	if (opt->type == LAGX_OPT_MAC)
		return 0;
	return *(const u32 *)p;
}
EXPORT_SYMBOL_IF_KUNIT(lagx_option_get);

const char *lagx_option_value_name(const struct lagx_option *opt, s64 val)
{
	if (!opt->values || val < 0 || val > opt->max)
		return NULL;
	return opt->values[val];
}

static void lagx_option_set(const struct lagx_option *opt, void *cfg,
			    const struct lagx_opt_change *c)
{
	void *p = cfg + opt->offset;

	if (opt->type == LAGX_OPT_MAC)
		memcpy(p, c->mac, ETH_ALEN);
	else if (opt->type == LAGX_OPT_S32)
		*(s32 *)p = c->val;
	else
		*(u32 *)p = c->val;
}

static bool lagx_option_changed(const struct lagx_option *opt,
				const void *cur, const void *new)
{
	if (opt->type == LAGX_OPT_MAC)
		return !ether_addr_equal(cur + opt->offset, new + opt->offset);
	return lagx_option_get(opt, cur) != lagx_option_get(opt, new);
}

/* Does the option apply to any mode that exists (is built) yet?  Options
 * of modes still to come are accepted and stored whatever the mode.
 */
static bool lagx_option_for_built_mode(const struct lagx_opt_ctx *ctx,
				       const struct lagx_option *opt)
{
	return opt->modes & ctx->built_modes;
}

/**
 * lagx_options_apply - validate a request and compute the new configuration
 * @ctx: the device the request is for
 * @cur: its current configuration (struct lagx_config or lagx_port_config)
 * @new: a copy of @cur, updated with the request on success
 * @changes: the request, one entry per option it sets
 * @n: number of entries in @changes
 * @bad: set to the index of the refused change
 * @extack: says which option was refused and why
 *
 * Checks every value against its option's range, the modes the option
 * applies to, and when it may change.  Nothing outside @new is touched,
 * so a refused request changes nothing.
 *
 * Return: 0, or a negative errno with @bad and @extack set.
 */
int lagx_options_apply(const struct lagx_opt_ctx *ctx, const void *cur,
		       void *new, const struct lagx_opt_change *changes,
		       unsigned int n, unsigned int *bad,
		       struct netlink_ext_ack *extack)
{
	const struct lagx_config *dev_cur = cur;
	struct lagx_config *dev_new = NULL;
	bool hash_set = false;
	unsigned int i, mode;

	for (i = 0; i < n; i++) {
		const struct lagx_option *opt = changes[i].opt;

		*bad = i;
		if (opt->type == LAGX_OPT_MAC &&
		    is_multicast_ether_addr(changes[i].mac)) {
			NL_SET_ERR_MSG_FMT_MOD(extack, "%s: %pM is not a unicast address",
					       opt->name, changes[i].mac);
			return -EINVAL;
		}
		if (opt->type != LAGX_OPT_MAC &&
		    (changes[i].val < opt->min || changes[i].val > opt->max)) {
			NL_SET_ERR_MSG_FMT_MOD(extack, "%s: %lld is out of range %lld..%lld",
					       opt->name, changes[i].val,
					       opt->min, opt->max);
			return -ERANGE;
		}
		if (!opt->port)
			dev_new = new;
		if (!opt->port && opt->attr == IFLA_LAGX_XMIT_HASH_POLICY)
			hash_set = true;
		lagx_option_set(opt, new, &changes[i]);
	}

	/* A new mode brings its own default hash policy. */
	if (dev_new && dev_new->mode != dev_cur->mode && !hash_set)
		dev_new->xmit_hash_policy = lagx_mode_default_hash[dev_new->mode];

	/* The mode the other options are checked against: the new one. */
	mode = dev_new ? dev_new->mode : ctx->mode;

	for (i = 0; i < n; i++) {
		const struct lagx_option *opt = changes[i].opt;

		*bad = i;
		if (!lagx_option_changed(opt, cur, new))
			continue;
		if (!(opt->modes & BIT(mode)) &&
		    lagx_option_for_built_mode(ctx, opt)) {
			NL_SET_ERR_MSG_FMT_MOD(extack,
					       "%s: does not apply to mode %s",
					       opt->name, lagx_mode_names[mode]);
			return -EINVAL;
		}
		if ((opt->when & LAGX_OPT_NO_PORTS) && ctx->port_count) {
			NL_SET_ERR_MSG_FMT_MOD(extack,
					       "%s: cannot change while %s has ports",
					       opt->name, ctx->devname);
			return -EBUSY;
		}
		if ((opt->when & LAGX_OPT_DOWN) && ctx->running) {
			NL_SET_ERR_MSG_FMT_MOD(extack,
					       "%s: cannot change while %s is up",
					       opt->name, ctx->devname);
			return -EBUSY;
		}
	}

	if (!dev_new)
		return 0;

	if (!(ctx->built_modes & BIT(dev_new->mode))) {
		*bad = 0;
		NL_SET_ERR_MSG_FMT_MOD(extack, "mode: %s is not implemented yet",
				       lagx_mode_names[dev_new->mode]);
		return -EOPNOTSUPP;
	}
	if (dev_new->max_ports < ctx->port_count) {
		NL_SET_ERR_MSG_FMT_MOD(extack,
				       "max_ports: %s already has %u ports",
				       ctx->devname, ctx->port_count);
		return -EBUSY;
	}
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(lagx_options_apply);
