/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * lagx: link aggregation driver, rtnetlink interface.
 *
 * Attributes nested in IFLA_INFO_DATA ("ip link ... type lagx") and
 * IFLA_INFO_SLAVE_DATA ("ip link ... type lagx_slave") for devices of
 * kind "lagx".  Every settable attribute is an option of the option
 * table documented in Documentation/networking/lagx.rst.
 */
#ifndef _UAPI_LINUX_IF_LAGX_H
#define _UAPI_LINUX_IF_LAGX_H

/* Aggregation modes (IFLA_LAGX_MODE). */
enum lagx_mode_id {
	LAGX_MODE_ACTIVE_BACKUP,
	LAGX_MODE_BALANCE_SLB,
	LAGX_MODE_LACP,
	__LAGX_MODE_MAX,
};

#define LAGX_MODE_MAX (__LAGX_MODE_MAX - 1)

/* IFLA_LAGX_XMIT_HASH_POLICY, bonding's names and semantics. */
enum lagx_xmit_hash_policy {
	LAGX_XMIT_HASH_LAYER2,
	LAGX_XMIT_HASH_LAYER23,
	LAGX_XMIT_HASH_LAYER34,
	LAGX_XMIT_HASH_ENCAP23,
	LAGX_XMIT_HASH_ENCAP34,
	LAGX_XMIT_HASH_VLAN_SRCMAC,
	__LAGX_XMIT_HASH_MAX,
};

/* IFLA_LAGX_PRIMARY_RESELECT: when the primary port takes traffic back. */
enum lagx_primary_reselect {
	LAGX_PRIMARY_RESELECT_ALWAYS,	/* as soon as it is usable */
	LAGX_PRIMARY_RESELECT_BETTER,	/* if faster than the active port */
	LAGX_PRIMARY_RESELECT_FAILURE,	/* only when the active port fails */
	__LAGX_PRIMARY_RESELECT_MAX,
};

/* IFLA_LAGX_LACP_RATE */
enum lagx_lacp_rate {
	LAGX_LACP_RATE_SLOW,		/* partner sends every 30 s */
	LAGX_LACP_RATE_FAST,		/* partner sends every second */
	__LAGX_LACP_RATE_MAX,
};

/* IFLA_LAGX_LACP_FALLBACK: how lacp carries traffic with no partner. */
enum lagx_lacp_fallback {
	LAGX_LACP_FALLBACK_NONE,
	LAGX_LACP_FALLBACK_BALANCE_SLB,
	LAGX_LACP_FALLBACK_ACTIVE_BACKUP,
	__LAGX_LACP_FALLBACK_MAX,
};

/* IFLA_LAGX_AD_SELECT: how the active aggregator is chosen. */
enum lagx_ad_select {
	LAGX_AD_SELECT_STABLE,
	LAGX_AD_SELECT_BANDWIDTH,
	LAGX_AD_SELECT_COUNT,
	__LAGX_AD_SELECT_MAX,
};

/* What a port is doing (IFLA_LAGX_PORT_STATE). */
enum lagx_port_state {
	LAGX_PORT_STATE_DOWN,		/* admin down or no carrier */
	LAGX_PORT_STATE_BACKUP,		/* link up, not carrying traffic */
	LAGX_PORT_STATE_ACTIVE,		/* carrying traffic */
};

/* IFLA_INFO_DATA of a lagx device. */
enum {
	IFLA_LAGX_UNSPEC,
	IFLA_LAGX_MODE,			/* u8, enum lagx_mode_id */
	IFLA_LAGX_ACTIVE_PORT,		/* u32 ifindex, read-only */
	IFLA_LAGX_PORT_COUNT,		/* u32, read-only */
	IFLA_LAGX_XMIT_HASH_POLICY,	/* u8, enum lagx_xmit_hash_policy */
	IFLA_LAGX_PRIMARY,		/* u32 ifindex, 0 for none */
	IFLA_LAGX_PRIMARY_RESELECT,	/* u8, enum lagx_primary_reselect */
	IFLA_LAGX_UPDELAY,		/* u32, ms */
	IFLA_LAGX_DOWNDELAY,		/* u32, ms */
	IFLA_LAGX_MIN_LINKS,		/* u32 */
	IFLA_LAGX_MAX_PORTS,		/* u32 */
	IFLA_LAGX_REBALANCE_INTERVAL,	/* u32, ms, 0 disables */
	IFLA_LAGX_LACP_RATE,		/* u8, enum lagx_lacp_rate */
	IFLA_LAGX_LACP_ACTIVE,		/* u8, 0 or 1 */
	IFLA_LAGX_LACP_SYS_PRIO,	/* u16 */
	IFLA_LAGX_LACP_SYS_MAC,		/* binary, ETH_ALEN; zero: device MAC */
	IFLA_LAGX_AD_SELECT,		/* u8, enum lagx_ad_select */
	IFLA_LAGX_LACP_FALLBACK,	/* u8, enum lagx_lacp_fallback */
	IFLA_LAGX_FAILOVERS,		/* u64, read-only */
	IFLA_LAGX_PAD,
	IFLA_LAGX_BUCKET_MOVES,		/* u64, read-only: hash bucket moves */
	IFLA_LAGX_OPERATING_MODE,	/* u8, read-only, lacp: enum
					 * lagx_operating_mode (linux/lagx.h)
					 */
	IFLA_LAGX_FALLBACKS,		/* u64, read-only, lacp: fallbacks */
	__IFLA_LAGX_MAX,
};

#define IFLA_LAGX_MAX (__IFLA_LAGX_MAX - 1)

/* IFLA_INFO_SLAVE_DATA of a lagx port. */
enum {
	IFLA_LAGX_PORT_UNSPEC,
	IFLA_LAGX_PORT_STATE,		/* u8, enum lagx_port_state, read-only */
	IFLA_LAGX_PORT_LINK_FAILURES,	/* u32, read-only */
	IFLA_LAGX_PORT_PERM_HWADDR,	/* binary, the port's own MAC, read-only */
	IFLA_LAGX_PORT_PRIO,		/* s32, higher is preferred */
	IFLA_LAGX_PORT_LACP_PRIO,	/* u16 */
	IFLA_LAGX_PORT_LACP_KEY,	/* u16, 0: derived from speed */
	IFLA_LAGX_PORT_REASON,		/* string: why the port is in its state */
	IFLA_LAGX_PORT_BUCKETS,		/* u32, read-only: hash buckets bound */
	IFLA_LAGX_PORT_LOAD,		/* u64, read-only: decayed bytes */
	IFLA_LAGX_PORT_PAD,
	IFLA_LAGX_PORT_LACP_ACTOR_STATE,	/* u8, read-only, lacp: LACP_STATE_* */
	IFLA_LAGX_PORT_LACP_PARTNER_STATE,	/* u8, read-only, lacp: LACP_STATE_* */
	IFLA_LAGX_PORT_LACP_PARTNER_SYSTEM,	/* binary, ETH_ALEN, read-only, lacp */
	__IFLA_LAGX_PORT_MAX,
};

#define IFLA_LAGX_PORT_MAX (__IFLA_LAGX_PORT_MAX - 1)

#endif /* _UAPI_LINUX_IF_LAGX_H */
