/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/* Do not edit directly, auto-generated from: */
/*	Documentation/netlink/specs/lagx.yaml */
/* YNL-GEN kernel header */

#ifndef _LINUX_LAGX_GEN_H
#define _LINUX_LAGX_GEN_H

#include <net/netlink.h>
#include <net/genetlink.h>

#include <uapi/linux/lagx.h>
#include <linux/if_lagx.h>
#include <linux/if_lagx.h>
#include <linux/if_lagx.h>

int lagx_nl_pre_doit(const struct genl_split_ops *ops, struct sk_buff *skb,
		     struct genl_info *info);
int lagx_nl_pre_doit_port(const struct genl_split_ops *ops,
			  struct sk_buff *skb, struct genl_info *info);
int lagx_nl_pre_doit_port_admin(const struct genl_split_ops *ops,
				struct sk_buff *skb, struct genl_info *info);
int lagx_nl_pre_doit_admin(const struct genl_split_ops *ops,
			   struct sk_buff *skb, struct genl_info *info);
void
lagx_nl_post_doit(const struct genl_split_ops *ops, struct sk_buff *skb,
		  struct genl_info *info);

int lagx_nl_dev_get_doit(struct sk_buff *skb, struct genl_info *info);
int lagx_nl_dev_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int lagx_nl_port_get_doit(struct sk_buff *skb, struct genl_info *info);
int lagx_nl_port_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int lagx_nl_port_set_active_doit(struct sk_buff *skb, struct genl_info *info);
int lagx_nl_rebalance_doit(struct sk_buff *skb, struct genl_info *info);
int lagx_nl_stats_clear_doit(struct sk_buff *skb, struct genl_info *info);
int lagx_nl_bucket_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);

enum {
	LAGX_NLGRP_MONITOR,
};

extern struct genl_family lagx_nl_family;

#endif /* _LINUX_LAGX_GEN_H */
