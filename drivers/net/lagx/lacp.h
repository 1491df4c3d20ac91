/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lagx: the Link Aggregation Control Protocol, IEEE 802.1AX-2014 clause 6.
 *
 * Pure code: the state machines and the PDU codec know nothing of
 * sk_buff, net_device, locks or jiffies.  Time is a millisecond clock
 * passed in by the caller (a fake one in KUnit), every timer is an
 * absolute deadline on it, and the caller decides what to do with the
 * outputs (a PDU to send, the collecting/distributing state of a port).
 */
#ifndef _LAGX_LACP_H
#define _LAGX_LACP_H

#include <linux/types.h>
#include <linux/if_ether.h>
#include <uapi/linux/if_bonding.h>

/* 6.4.4 Constants, in milliseconds. */
#define LACP_FAST_PERIODIC_MS	1000
#define LACP_SLOW_PERIODIC_MS	30000
#define LACP_SHORT_TIMEOUT_MS	(3 * LACP_FAST_PERIODIC_MS)
#define LACP_LONG_TIMEOUT_MS	(3 * LACP_SLOW_PERIODIC_MS)
#define LACP_CHURN_DETECTION_MS	60000
#define LACP_AGGREGATE_WAIT_MS	2000
/* 6.4.16: at most this many LACPDUs in any fast_periodic_time. */
#define LACP_TX_LIMIT		3

/*
 * 6.4.2.3 e) Actor_State / Partner_State bits: LACP_STATE_* of
 * <uapi/linux/if_bonding.h> (LACP_TIMEOUT set means short timeout).
 */

/* Slow protocols (IEEE 802.3 Annex 57A). */
#define LACP_SUBTYPE_LACP	1
#define LACP_SUBTYPE_MARKER	2
#define LACP_TLV_ACTOR		1
#define LACP_TLV_PARTNER	2
#define LACP_TLV_COLLECTOR	3
#define LACP_TLV_MARKER_INFO	1
#define LACP_TLV_MARKER_RESP	2

/* 6.4.2.3 The LACPDU, after the Ethernet header. */
struct lacp_wire_info {
	u8 tlv_type;
	u8 tlv_len;			/* 20 */
	__be16 sys_prio;
	u8 sys[ETH_ALEN];
	__be16 key;
	__be16 port_prio;
	__be16 port;
	u8 state;
	u8 reserved[3];
} __packed;

struct lacpdu {
	u8 subtype;			/* LACP_SUBTYPE_LACP */
	u8 version;			/* 1 */
	struct lacp_wire_info actor;
	struct lacp_wire_info partner;
	u8 collector_type;		/* LACP_TLV_COLLECTOR */
	u8 collector_len;		/* 16 */
	__be16 collector_max_delay;
	u8 reserved1[12];
	u8 terminator_type;		/* 0 */
	u8 terminator_len;		/* 0 */
	u8 reserved2[50];
} __packed;

/* 6.5.3.3 The Marker PDU and Marker Response PDU. */
struct lacp_marker {
	u8 subtype;			/* LACP_SUBTYPE_MARKER */
	u8 version;			/* 1 */
	u8 tlv_type;			/* LACP_TLV_MARKER_INFO or _RESP */
	u8 tlv_len;			/* 16 */
	__be16 requester_port;
	u8 requester_sys[ETH_ALEN];
	__be32 requester_transaction;
	u8 pad[2];
	u8 terminator_type;
	u8 terminator_len;
	u8 reserved[90];
} __packed;

static_assert(sizeof(struct lacp_wire_info) == 20);
static_assert(sizeof(struct lacpdu) == 110);
static_assert(sizeof(struct lacp_marker) == 110);

/* Actor or partner parameters, host order (6.4.7). */
struct lacp_info {
	u16 sys_prio;
	u8 sys[ETH_ALEN];
	u16 key;
	u16 port_prio;
	u16 port;
	u8 state;
};

/* What lacp_parse() found in a slow-protocols frame. */
enum lacp_parse_result {
	LACP_PARSE_LACPDU,
	LACP_PARSE_MARKER,		/* a Marker PDU: answer it */
	LACP_PARSE_MARKER_RESP,		/* a Marker Response PDU */
	LACP_PARSE_UNKNOWN,		/* another slow protocol: unknownRx */
	LACP_PARSE_ILLEGAL,		/* malformed LACP/Marker: illegalRx */
};

enum lacp_parse_result lacp_parse(const void *data, unsigned int len,
				  struct lacp_info *actor,
				  struct lacp_info *partner,
				  const char **why);
void lacp_build(struct lacpdu *pdu, const struct lacp_info *actor,
		const struct lacp_info *partner);
void lacp_build_marker_resp(struct lacp_marker *resp,
			    const struct lacp_marker *req);

/* 6.4.12 Receive machine. */
enum lacp_rx_state {
	LACP_RX_INITIALIZE,
	LACP_RX_PORT_DISABLED,
	LACP_RX_EXPIRED,
	LACP_RX_DEFAULTED,
	LACP_RX_CURRENT,
};

/* 6.4.15 Mux machine, independent control (Figure 6-21). */
enum lacp_mux_state {
	LACP_MUX_DETACHED,
	LACP_MUX_WAITING,
	LACP_MUX_ATTACHED,
	LACP_MUX_COLLECTING,
	LACP_MUX_DISTRIBUTING,
};

/* 6.4.8 Selected. */
enum lacp_selected {
	LACP_UNSELECTED,
	LACP_SELECTED,
	LACP_STANDBY,
};

/* 6.4.17 Churn detection machines. */
enum lacp_churn_state {
	LACP_NO_CHURN,
	LACP_CHURN_MONITOR,
	LACP_CHURN,
};

/* Why a port is not distributing, most fundamental first. */
enum lacp_reason {
	LACP_REASON_NONE,		/* distributing */
	LACP_REASON_PORT_DISABLED,	/* no link */
	LACP_REASON_NO_LACPDU,		/* nothing received since link up */
	LACP_REASON_PASSIVE,		/* nothing received, and we are passive */
	LACP_REASON_LOOPED,		/* our own LACPDU came back */
	LACP_REASON_EXPIRED,		/* partner went silent: expired */
	LACP_REASON_DEFAULTED,		/* partner went silent: defaulted */
	LACP_REASON_NOT_AGGREGATABLE,	/* partner or we are individual */
	LACP_REASON_KEY_MISMATCH,	/* our key differs (speed/duplex) */
	LACP_REASON_PARTNER_MISMATCH,	/* another partner system or key */
	LACP_REASON_NOT_SELECTED,	/* another aggregator is active */
	LACP_REASON_WAITING,		/* wait_while running */
	LACP_REASON_PARTNER_NOT_SYNC,
	LACP_REASON_PARTNER_NOT_COLLECTING,
	__LACP_REASON_MAX,
};

/* One port's protocol state (6.4.7, 6.4.8). */
struct lacp_port {
	/* Set by the caller: the port's identity and link. */
	struct lacp_info actor;		/* .state is the machines' */
	bool enabled;			/* Port_Enabled: link up */
	bool individual;		/* cannot aggregate (half duplex) */
	u32 speed;			/* Mb/s, for ad_select bandwidth */

	/* The machines' state. */
	struct lacp_info partner;	/* Partner_Oper_* */
	enum lacp_rx_state rx;
	enum lacp_mux_state mux;
	enum lacp_selected selected;
	enum lacp_churn_state actor_churn, partner_churn;
	bool ntt;			/* a LACPDU is due */
	bool periodic_fast;		/* FAST_PERIODIC, else SLOW or none */
	bool ready;			/* wait_while expired in WAITING */
	bool pdu_seen;			/* a LACPDU arrived since link up */
	bool looped;			/* the last LACPDU was our own */
	u16 agg;			/* port number of the aggregator lead */

	/* Timers: absolute deadlines in ms, 0 when stopped. */
	u64 current_while;
	u64 periodic;
	u64 wait_while;
	u64 actor_churn_timer, partner_churn_timer;
	u64 tx_times[LACP_TX_LIMIT];	/* the last LACPDUs sent */

	/* 6.4.2 / 7.3.3 counters. */
	u64 lacpdus_rx, lacpdus_tx;
	u64 markers_rx, marker_resps_tx, marker_resps_rx;
	u64 unknown_rx, illegal_rx;
	/* Slow-protocols frames not for this link (sent to another address,
	 * or VLAN-tagged): passed up like any frame, not used.
	 */
	u64 stray_rx;
	u32 actor_churn_count, partner_churn_count;
	u32 sync_transitions;		/* times it started distributing */
};

/* The device-wide part (6.4.6, 6.4.9). */
struct lacp_system {
	u16 sys_prio;
	u8 sys[ETH_ALEN];
	bool active;			/* LACP_Activity of every port */
	bool fast;			/* short timeout asked of the partner */
	u32 ad_select;			/* enum lagx_ad_select */

	/* The active aggregator, chosen by lacp_select(). */
	u16 active_agg;			/* port number of its lead, 0: none */
	u16 agg_key;			/* its actor key */
	struct lacp_info agg_partner;	/* its partner system and key */
	unsigned int agg_ports;		/* ports selected into it */
};

void lacp_port_init(struct lacp_port *p, const struct lacp_system *sys,
		    u64 now);
void lacp_port_set_enabled(struct lacp_port *p, const struct lacp_system *sys,
			   bool enabled, u64 now);
void lacp_rx_lacpdu(struct lacp_port *p, const struct lacp_system *sys,
		    const struct lacp_info *actor,
		    const struct lacp_info *partner, u64 now);
void lacp_select(struct lacp_system *sys, struct lacp_port *const *ports,
		 unsigned int n);
void lacp_port_run(struct lacp_port *p, const struct lacp_system *sys,
		   u64 now);
bool lacp_tx_due(struct lacp_port *p, const struct lacp_system *sys,
		 u64 now);
void lacp_port_detach(struct lacp_port *p, const struct lacp_system *sys);
#if IS_ENABLED(CONFIG_KUNIT)
u64 lacp_next_event(const struct lacp_port *p);
#endif
enum lacp_reason lacp_port_reason(const struct lacp_port *p,
				  const struct lacp_system *sys);
const char *lacp_reason_text(enum lacp_reason reason);
void lacp_state_str(u8 state, char *buf, size_t len);

static inline bool lacp_port_distributing(const struct lacp_port *p)
{
	return p->mux == LACP_MUX_DISTRIBUTING;
}

static inline bool lacp_port_collecting(const struct lacp_port *p)
{
	return p->mux >= LACP_MUX_COLLECTING;
}

#endif /* _LAGX_LACP_H */
