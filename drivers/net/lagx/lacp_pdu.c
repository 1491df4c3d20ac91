// SPDX-License-Identifier: GPL-2.0
/*
 * lagx: LACPDU and Marker PDU encoding and strict decoding.
 *
 * A slow-protocols frame (ethertype 0x8809) is classified by lacp_parse()
 * as an LACPDU, a Marker or Marker Response PDU, another slow protocol
 * (unknownRx, 802.1AX 6.4.2.4 / 7.3.3.1.4), or a malformed LACP/Marker
 * PDU (illegalRx).  Nothing of a malformed PDU is used.
 *
 * Pure code: a byte buffer in, host-order structures out.
 */
#include <linux/kernel.h>
#include <linux/string.h>
#include <kunit/visibility.h>

#include "lacp.h"

static void lacp_info_from_wire(struct lacp_info *info,
				const struct lacp_wire_info *w)
{
	info->sys_prio = ntohs(w->sys_prio);
	memcpy(info->sys, w->sys, ETH_ALEN);
	info->key = ntohs(w->key);
	info->port_prio = ntohs(w->port_prio);
	info->port = ntohs(w->port);
	info->state = w->state;
}

static void lacp_info_to_wire(struct lacp_wire_info *w, u8 type,
			      const struct lacp_info *info)
{
	w->tlv_type = type;
	w->tlv_len = sizeof(*w);
	w->sys_prio = htons(info->sys_prio);
	memcpy(w->sys, info->sys, ETH_ALEN);
	w->key = htons(info->key);
	w->port_prio = htons(info->port_prio);
	w->port = htons(info->port);
	w->state = info->state;
}

static enum lacp_parse_result lacp_parse_lacpdu(const struct lacpdu *pdu,
						struct lacp_info *actor,
						struct lacp_info *partner,
						const char **why)
{
	if (pdu->actor.tlv_type != LACP_TLV_ACTOR ||
	    pdu->actor.tlv_len != sizeof(pdu->actor)) {
		*why = "bad actor TLV";
		return LACP_PARSE_ILLEGAL;
	}
	if (pdu->partner.tlv_type != LACP_TLV_PARTNER ||
	    pdu->partner.tlv_len != sizeof(pdu->partner)) {
		*why = "bad partner TLV";
		return LACP_PARSE_ILLEGAL;
	}
	if (pdu->collector_type != LACP_TLV_COLLECTOR ||
	    pdu->collector_len != 16) {
		*why = "bad collector TLV";
		return LACP_PARSE_ILLEGAL;
	}
	/* Version 2 (802.1AX-2014 6.4.2.4.2) puts more TLVs here. */
	if (pdu->version == 1 &&
	    (pdu->terminator_type || pdu->terminator_len)) {
		*why = "bad terminator TLV";
		return LACP_PARSE_ILLEGAL;
	}
	lacp_info_from_wire(actor, &pdu->actor);
	lacp_info_from_wire(partner, &pdu->partner);
	return LACP_PARSE_LACPDU;
}

static enum lacp_parse_result lacp_parse_marker(const struct lacp_marker *m,
						const char **why)
{
	if (m->tlv_len != 16) {
		*why = "bad marker TLV length";
		return LACP_PARSE_ILLEGAL;
	}
	if (m->tlv_type == LACP_TLV_MARKER_INFO)
		return LACP_PARSE_MARKER;
	if (m->tlv_type == LACP_TLV_MARKER_RESP)
		return LACP_PARSE_MARKER_RESP;
	*why = "bad marker TLV type";
	return LACP_PARSE_ILLEGAL;
}

/**
 * lacp_parse - classify and decode a slow-protocols PDU
 * @data: the PDU, from the subtype byte on (after the Ethernet header)
 * @len: its length; Ethernet padding beyond the 110 bytes is ignored
 * @actor: the sender's actor information, for an LACPDU
 * @partner: the sender's view of us, for an LACPDU
 * @why: for a LACP_PARSE_ILLEGAL result, what was wrong
 *
 * LACPDUs and Marker PDUs of any version from 1 are accepted (a later
 * version is processed as version 1, 6.4.2.4); version 0, a TLV of the
 * wrong type or length, or a truncated PDU is illegal.
 */
enum lacp_parse_result lacp_parse(const void *data,
				  unsigned int len,
				  struct lacp_info *actor,
				  struct lacp_info *partner,
				  const char **why)
{
	const u8 *b = data;

	*why = NULL;
	if (len < 1) {
		*why = "empty";
		return LACP_PARSE_ILLEGAL;
	}
	/* 802.3 Table 57A-3: subtype 0 is an illegal value. */
	if (!b[0]) {
		*why = "subtype 0";
		return LACP_PARSE_ILLEGAL;
	}
	if (b[0] != LACP_SUBTYPE_LACP && b[0] != LACP_SUBTYPE_MARKER)
		return LACP_PARSE_UNKNOWN;
	if (len < sizeof(struct lacpdu)) {
		*why = "truncated";
		return LACP_PARSE_ILLEGAL;
	}
	if (!b[1]) {
		*why = "version 0";
		return LACP_PARSE_ILLEGAL;
	}
	if (b[0] == LACP_SUBTYPE_MARKER)
		return lacp_parse_marker(data, why);
	return lacp_parse_lacpdu(data, actor, partner, why);
}
EXPORT_SYMBOL_IF_KUNIT(lacp_parse);

/* A version 1 LACPDU from @actor (us) about @partner (6.4.2.3). */
void lacp_build(struct lacpdu *pdu,
		const struct lacp_info *actor,
		const struct lacp_info *partner)
{
	memset(pdu, 0, sizeof(*pdu));
	pdu->subtype = LACP_SUBTYPE_LACP;
	pdu->version = 1;
	lacp_info_to_wire(&pdu->actor, LACP_TLV_ACTOR, actor);
	lacp_info_to_wire(&pdu->partner, LACP_TLV_PARTNER, partner);
	pdu->collector_type = LACP_TLV_COLLECTOR;
	pdu->collector_len = 16;
}
EXPORT_SYMBOL_IF_KUNIT(lacp_build);

/* 6.5.4.2: the Marker Responder echoes the request as a response. */
void lacp_build_marker_resp(struct lacp_marker *resp,
			    const struct lacp_marker *req)
{
	memcpy(resp, req, sizeof(*resp));
	resp->version = 1;
	resp->tlv_type = LACP_TLV_MARKER_RESP;
	resp->terminator_type = 0;
	resp->terminator_len = 0;
	memset(resp->pad, 0, sizeof(resp->pad));
	memset(resp->reserved, 0, sizeof(resp->reserved));
}
EXPORT_SYMBOL_IF_KUNIT(lacp_build_marker_resp);
