/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * lagx: link aggregation driver, rtnetlink interface.
 *
 * Attributes nested in IFLA_INFO_DATA ("ip link ... type lagx") and
 * IFLA_INFO_SLAVE_DATA (per port) for devices of kind "lagx".
 */
#ifndef _UAPI_LINUX_IF_LAGX_H
#define _UAPI_LINUX_IF_LAGX_H

/* Aggregation modes (IFLA_LAGX_MODE). */
enum lagx_mode_id {
	LAGX_MODE_ACTIVE_BACKUP,
	__LAGX_MODE_MAX,
};

#define LAGX_MODE_MAX (__LAGX_MODE_MAX - 1)

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
	__IFLA_LAGX_MAX,
};

#define IFLA_LAGX_MAX (__IFLA_LAGX_MAX - 1)

/* IFLA_INFO_SLAVE_DATA of a lagx port (all read-only). */
enum {
	IFLA_LAGX_PORT_UNSPEC,
	IFLA_LAGX_PORT_STATE,		/* u8, enum lagx_port_state */
	IFLA_LAGX_PORT_LINK_FAILURES,	/* u32 */
	IFLA_LAGX_PORT_PERM_HWADDR,	/* binary, the port's own MAC */
	__IFLA_LAGX_PORT_MAX,
};

#define IFLA_LAGX_PORT_MAX (__IFLA_LAGX_PORT_MAX - 1)

#endif /* _UAPI_LINUX_IF_LAGX_H */
