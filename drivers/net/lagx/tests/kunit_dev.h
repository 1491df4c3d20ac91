/* SPDX-License-Identifier: GPL-2.0 */
/*
 * KUnit harness: real lagx devices over fake Ethernet NICs, so that the
 * tests drive the core itself (enslave, link events, the TX array, the
 * rx handler, the modes) instead of copies of its logic.
 *
 * A fake NIC keeps what it transmits, reports the speed it is given, and
 * changes its carrier silently: the test decides when lagx hears of it
 * (lagx_kd_link_event(), what the netdevice notifier would do), so that
 * late or lost events are reproduced exactly.  Every device is destroyed
 * when the test case ends.
 */
#ifndef _LAGX_KUNIT_DEV_H
#define _LAGX_KUNIT_DEV_H

#include <kunit/test.h>
#include <linux/netdevice.h>

#include "../lagx.h"

struct sk_buff;

/* A fake NIC: a registered, running Ethernet device in init_net. */
struct net_device *lagx_kd_nic(struct kunit *test, u32 speed);
/* Its MAC may change only while it is down (eth_mac_addr() rules). */
void lagx_kd_nic_no_live_mac(struct net_device *nic);
/* Carrier on or off, without telling anyone. */
void lagx_kd_carrier(struct net_device *nic, bool on);
/* What the netdevice notifier does on a carrier change: RTNL taken. */
void lagx_kd_link_event(struct net_device *nic);
/* Frames transmitted since the last call, and ndo_open/ndo_stop calls. */
unsigned int lagx_kd_tx_count(struct net_device *nic);
struct sk_buff *lagx_kd_tx_pop(struct net_device *nic);
unsigned int lagx_kd_opens(struct net_device *nic);
unsigned int lagx_kd_stops(struct net_device *nic);

/* A lagx device in @mode (enum lagx_mode_id), registered and down. */
struct lagx *lagx_kd_lagx(struct kunit *test, u32 mode);
/* Open it (the modes' open ops run). */
void lagx_kd_up(struct kunit *test, struct lagx *lagx);
/* Set a device option by its IFLA_LAGX_* attribute: the commit path of
 * ip link.  Returns what lagx_config_change() returned.
 */
int lagx_kd_set(struct lagx *lagx, u16 attr, s64 val);
int lagx_kd_set_port(struct lagx_port *port, u16 attr, s64 val);
/* Enslave @nic: the port, or NULL with the test failed. */
struct lagx_port *lagx_kd_enslave(struct kunit *test, struct lagx *lagx,
				  struct net_device *nic);
/* The port of @nic (RTNL taken), or NULL. */
struct lagx_port *lagx_kd_port(struct net_device *nic);
/* Release it again. */
void lagx_kd_release(struct kunit *test, struct lagx *lagx,
		     struct net_device *nic);
/* Wait for the work lagx queued (link delays, mode work): no RTNL held. */
void lagx_kd_flush(void);

/* The published TX array, read under RTNL. */
const struct lagx_port_array *lagx_kd_tx_ports(struct lagx *lagx);

/* A frame as received on @nic: @len bytes after the Ethernet header. */
struct sk_buff *lagx_kd_frame(struct kunit *test, struct net_device *nic,
			      const u8 *dst, const u8 *src, u16 proto,
			      const void *payload, unsigned int len);

#endif /* _LAGX_KUNIT_DEV_H */
