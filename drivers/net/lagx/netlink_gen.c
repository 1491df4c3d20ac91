// SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause)
/* Do not edit directly, auto-generated from: */
/*	Documentation/netlink/specs/lagx.yaml */
/* YNL-GEN kernel source */

#include <net/netlink.h>
#include <net/genetlink.h>

#include "netlink_gen.h"

#include <uapi/linux/lagx.h>
#include <linux/if_lagx.h>
#include <linux/if_lagx.h>
#include <linux/if_lagx.h>

/* Integer value ranges */
static const struct netlink_range_validation lagx_a_dev_ifindex_range = {
	.min	= 1ULL,
	.max	= S32_MAX,
};

static const struct netlink_range_validation lagx_a_port_ifindex_range = {
	.min	= 1ULL,
	.max	= S32_MAX,
};

static const struct netlink_range_validation lagx_a_bucket_dev_ifindex_range = {
	.min	= 1ULL,
	.max	= S32_MAX,
};

/* LAGX_CMD_DEV_GET - do */
static const struct nla_policy lagx_dev_get_nl_policy[LAGX_A_DEV_IFINDEX + 1] = {
	[LAGX_A_DEV_IFINDEX] = NLA_POLICY_FULL_RANGE(NLA_U32, &lagx_a_dev_ifindex_range),
};

/* LAGX_CMD_PORT_GET - do */
static const struct nla_policy lagx_port_get_do_nl_policy[LAGX_A_PORT_IFINDEX + 1] = {
	[LAGX_A_PORT_IFINDEX] = NLA_POLICY_FULL_RANGE(NLA_U32, &lagx_a_port_ifindex_range),
};

/* LAGX_CMD_PORT_GET - dump */
static const struct nla_policy lagx_port_get_dump_nl_policy[LAGX_A_PORT_MASTER + 1] = {
	[LAGX_A_PORT_MASTER] = { .type = NLA_U32, },
};

/* LAGX_CMD_PORT_SET_ACTIVE - do */
static const struct nla_policy lagx_port_set_active_nl_policy[LAGX_A_PORT_IFINDEX + 1] = {
	[LAGX_A_PORT_IFINDEX] = NLA_POLICY_FULL_RANGE(NLA_U32, &lagx_a_port_ifindex_range),
};

/* LAGX_CMD_REBALANCE - do */
static const struct nla_policy lagx_rebalance_nl_policy[LAGX_A_DEV_IFINDEX + 1] = {
	[LAGX_A_DEV_IFINDEX] = NLA_POLICY_FULL_RANGE(NLA_U32, &lagx_a_dev_ifindex_range),
};

/* LAGX_CMD_STATS_CLEAR - do */
static const struct nla_policy lagx_stats_clear_nl_policy[LAGX_A_DEV_IFINDEX + 1] = {
	[LAGX_A_DEV_IFINDEX] = NLA_POLICY_FULL_RANGE(NLA_U32, &lagx_a_dev_ifindex_range),
};

/* LAGX_CMD_BUCKET_GET - dump */
static const struct nla_policy lagx_bucket_get_nl_policy[LAGX_A_BUCKET_DEV_IFINDEX + 1] = {
	[LAGX_A_BUCKET_DEV_IFINDEX] = NLA_POLICY_FULL_RANGE(NLA_U32, &lagx_a_bucket_dev_ifindex_range),
};

/* Ops table for lagx */
static const struct genl_split_ops lagx_nl_ops[] = {
	{
		.cmd		= LAGX_CMD_DEV_GET,
		.pre_doit	= lagx_nl_pre_doit,
		.doit		= lagx_nl_dev_get_doit,
		.post_doit	= lagx_nl_post_doit,
		.policy		= lagx_dev_get_nl_policy,
		.maxattr	= LAGX_A_DEV_IFINDEX,
		.flags		= GENL_CMD_CAP_DO,
	},
	{
		.cmd	= LAGX_CMD_DEV_GET,
		.dumpit	= lagx_nl_dev_get_dumpit,
		.flags	= GENL_CMD_CAP_DUMP,
	},
	{
		.cmd		= LAGX_CMD_PORT_GET,
		.pre_doit	= lagx_nl_pre_doit_port,
		.doit		= lagx_nl_port_get_doit,
		.post_doit	= lagx_nl_post_doit,
		.policy		= lagx_port_get_do_nl_policy,
		.maxattr	= LAGX_A_PORT_IFINDEX,
		.flags		= GENL_CMD_CAP_DO,
	},
	{
		.cmd		= LAGX_CMD_PORT_GET,
		.dumpit		= lagx_nl_port_get_dumpit,
		.policy		= lagx_port_get_dump_nl_policy,
		.maxattr	= LAGX_A_PORT_MASTER,
		.flags		= GENL_CMD_CAP_DUMP,
	},
	{
		.cmd		= LAGX_CMD_PORT_SET_ACTIVE,
		.pre_doit	= lagx_nl_pre_doit_port_admin,
		.doit		= lagx_nl_port_set_active_doit,
		.post_doit	= lagx_nl_post_doit,
		.policy		= lagx_port_set_active_nl_policy,
		.maxattr	= LAGX_A_PORT_IFINDEX,
		.flags		= GENL_CMD_CAP_DO,
	},
	{
		.cmd		= LAGX_CMD_REBALANCE,
		.pre_doit	= lagx_nl_pre_doit_admin,
		.doit		= lagx_nl_rebalance_doit,
		.post_doit	= lagx_nl_post_doit,
		.policy		= lagx_rebalance_nl_policy,
		.maxattr	= LAGX_A_DEV_IFINDEX,
		.flags		= GENL_CMD_CAP_DO,
	},
	{
		.cmd		= LAGX_CMD_STATS_CLEAR,
		.pre_doit	= lagx_nl_pre_doit_admin,
		.doit		= lagx_nl_stats_clear_doit,
		.post_doit	= lagx_nl_post_doit,
		.policy		= lagx_stats_clear_nl_policy,
		.maxattr	= LAGX_A_DEV_IFINDEX,
		.flags		= GENL_CMD_CAP_DO,
	},
	{
		.cmd		= LAGX_CMD_BUCKET_GET,
		.dumpit		= lagx_nl_bucket_get_dumpit,
		.policy		= lagx_bucket_get_nl_policy,
		.maxattr	= LAGX_A_BUCKET_DEV_IFINDEX,
		.flags		= GENL_CMD_CAP_DUMP,
	},
};

static const struct genl_multicast_group lagx_nl_mcgrps[] = {
	[LAGX_NLGRP_MONITOR] = { "monitor", },
};

struct genl_family lagx_nl_family __ro_after_init = {
	.name		= LAGX_FAMILY_NAME,
	.version	= LAGX_FAMILY_VERSION,
	.netnsok	= true,
	.parallel_ops	= true,
	.module		= THIS_MODULE,
	.split_ops	= lagx_nl_ops,
	.n_split_ops	= ARRAY_SIZE(lagx_nl_ops),
	.mcgrps		= lagx_nl_mcgrps,
	.n_mcgrps	= ARRAY_SIZE(lagx_nl_mcgrps),
};
