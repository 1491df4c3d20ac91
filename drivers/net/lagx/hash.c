// SPDX-License-Identifier: GPL-2.0
/*
 * lagx: transmit hash policies.
 *
 * bonding's policy names and the fields each one covers:
 *
 *   layer2	  source and destination MAC, ethertype
 *   layer2+3	  layer2, plus the outer IPv4/IPv6 addresses
 *   layer3+4	  the outer IP addresses and L4 ports (no ports for IP
 *		  fragments, so a datagram's fragments stay together)
 *   encap2+3	  layer2, plus the innermost IP addresses
 *   encap3+4	  the innermost IP addresses and L4 ports
 *   vlan+srcmac  source MAC and VLAN id: one MAC+VLAN stays on one port
 *
 * Frames without an IP header fall back to layer2 (as in bonding).  The
 * headers are found by the kernel's flow dissector, which stops at the
 * first encapsulation for the outer policies.  The fields are mixed with
 * jhash, so that all 8 bits of the bucket index depend on every field.
 *
 * Pure functions of the packet: no locks, no device state.
 */
#include <linux/etherdevice.h>
#include <linux/if_lagx.h>
#include <linux/if_vlan.h>
#include <linux/jhash.h>
#include <linux/skbuff.h>
#include <net/flow_dissector.h>
#include <kunit/visibility.h>

#include "bucket.h"

/* Fixed, so that a MAC keeps its bucket across module reloads. */
#define LAGX_HASH_SEED	0x1a9c0de5

/* Where the Ethernet header is, relative to skb->data. */
static int lagx_mac_offset(const struct sk_buff *skb)
{
	return skb_mac_header_was_set(skb) ? skb_mac_offset(skb) : 0;
}

/**
 * lagx_skb_vid - the VLAN id a frame is sent or received on
 * @skb: the frame, skb->data or skb_mac_header() at its Ethernet header
 *
 * Return: the id of the offloaded tag, else of an in-band 802.1Q/802.1ad
 * header, else 0.
 */
u16 lagx_skb_vid(const struct sk_buff *skb)
{
	const struct vlan_ethhdr *veth;
	struct vlan_ethhdr _veth;

	if (skb_vlan_tag_present(skb))
		return skb_vlan_tag_get_id(skb);

	veth = skb_header_pointer(skb, lagx_mac_offset(skb), sizeof(_veth),
				  &_veth);
	if (!veth || !eth_type_vlan(veth->h_vlan_proto))
		return 0;
	return ntohs(veth->h_vlan_TCI) & VLAN_VID_MASK;
}
EXPORT_SYMBOL_IF_KUNIT(lagx_skb_vid);

/**
 * lagx_mac_hash - the vlan+srcmac hash of a MAC on a VLAN
 * @mac: the source MAC
 * @vid: the VLAN id, 0 for none
 *
 * Also indexes the table of local MACs (bucket.c), so that under
 * vlan+srcmac a bucket and the MACs remembered in it coincide.
 */
u32 lagx_mac_hash(const u8 *mac, u16 vid)
{
	u32 hi = (u32)mac[0] << 16 | (u32)mac[1] << 8 | mac[2];
	u32 lo = (u32)mac[3] << 16 | (u32)mac[4] << 8 | mac[5];

	return jhash_3words(hi, lo, vid, LAGX_HASH_SEED);
}
EXPORT_SYMBOL_IF_KUNIT(lagx_mac_hash);

static u32 lagx_l2_hash(const struct sk_buff *skb)
{
	struct ethhdr _eth;
	const struct ethhdr *eth;
	u32 w[4];

	eth = skb_header_pointer(skb, lagx_mac_offset(skb), sizeof(_eth), &_eth);
	if (!eth)
		return 0;
	memcpy(w, eth->h_dest, ETH_ALEN);
	memcpy((u8 *)w + ETH_ALEN, eth->h_source, ETH_ALEN);
	w[3] = (__force u32)eth->h_proto;
	return jhash2(w, ARRAY_SIZE(w), LAGX_HASH_SEED);
}

/*
 * Only the keys the policies hash on (as bonding does): the full
 * flow_keys_dissector also extracts VLAN, flow label, GRE key, MPLS and
 * more on every transmitted frame, for nothing.
 */
static const struct flow_dissector_key lagx_flow_keys[] = {
	{
		.key_id = FLOW_DISSECTOR_KEY_CONTROL,
		.offset = offsetof(struct flow_keys, control),
	},
	{
		.key_id = FLOW_DISSECTOR_KEY_BASIC,
		.offset = offsetof(struct flow_keys, basic),
	},
	{
		.key_id = FLOW_DISSECTOR_KEY_IPV4_ADDRS,
		.offset = offsetof(struct flow_keys, addrs.v4addrs),
	},
	{
		.key_id = FLOW_DISSECTOR_KEY_IPV6_ADDRS,
		.offset = offsetof(struct flow_keys, addrs.v6addrs),
	},
	{
		.key_id = FLOW_DISSECTOR_KEY_PORTS,
		.offset = offsetof(struct flow_keys, ports),
	},
};

static struct flow_dissector lagx_flow_dissector __ro_after_init;

/* Module init: set up lagx_flow_dissector before any device exists. */
void __init lagx_hash_init(void)
{
	skb_flow_dissector_init(&lagx_flow_dissector, lagx_flow_keys,
				ARRAY_SIZE(lagx_flow_keys));
}

/*
 * Dissect from the Ethernet header's ethertype, so that an in-band VLAN
 * header is stepped over (skb->protocol may be the VLAN ethertype while
 * the network header is already past the tag).
 */
static bool lagx_l3_dissect(const struct sk_buff *skb, bool inner,
			    struct flow_keys *fk)
{
	unsigned int flags = inner ? 0 : FLOW_DISSECTOR_F_STOP_AT_ENCAP;
	int off = lagx_mac_offset(skb);
	const struct ethhdr *eth;
	struct ethhdr _eth;

	eth = skb_header_pointer(skb, off, sizeof(_eth), &_eth);
	if (!eth)
		return false;
	memset(fk, 0, sizeof(*fk));
	if (!__skb_flow_dissect(NULL, skb, &lagx_flow_dissector, fk, skb->data,
				eth->h_proto, off + ETH_HLEN,
				skb_headlen(skb), flags))
		return false;
	return fk->control.addr_type == FLOW_DISSECTOR_KEY_IPV4_ADDRS ||
	       fk->control.addr_type == FLOW_DISSECTOR_KEY_IPV6_ADDRS;
}

/* What a policy hashes on, for offloading drivers (NETDEV_CHANGEUPPER). */
enum netdev_lag_hash lagx_lag_hash_type(u32 policy)
{
	static const enum netdev_lag_hash types[] = {
		[LAGX_XMIT_HASH_LAYER2]		= NETDEV_LAG_HASH_L2,
		[LAGX_XMIT_HASH_LAYER23]	= NETDEV_LAG_HASH_L23,
		[LAGX_XMIT_HASH_LAYER34]	= NETDEV_LAG_HASH_L34,
		[LAGX_XMIT_HASH_ENCAP23]	= NETDEV_LAG_HASH_E23,
		[LAGX_XMIT_HASH_ENCAP34]	= NETDEV_LAG_HASH_E34,
		[LAGX_XMIT_HASH_VLAN_SRCMAC]	= NETDEV_LAG_HASH_VLAN_SRCMAC,
	};

	static_assert(ARRAY_SIZE(types) == __LAGX_XMIT_HASH_MAX);
	return policy < ARRAY_SIZE(types) ? types[policy] :
					    NETDEV_LAG_HASH_UNKNOWN;
}

/**
 * lagx_xmit_hash - the transmit hash of a frame
 * @skb: the frame, as handed to ndo_start_xmit()
 * @policy: enum lagx_xmit_hash_policy
 *
 * Return: a 32-bit hash; lagx_hash_bucket() picks the bucket from it.
 */
u32 lagx_xmit_hash(const struct sk_buff *skb, u32 policy)
{
	bool inner = false, l2 = true, ports = false;
	struct flow_keys fk;
	struct ethhdr _eth;
	const struct ethhdr *eth;
	u32 hash;

	switch (policy) {
	case LAGX_XMIT_HASH_VLAN_SRCMAC:
		eth = skb_header_pointer(skb, lagx_mac_offset(skb),
					 sizeof(_eth), &_eth);
		return eth ? lagx_mac_hash(eth->h_source, lagx_skb_vid(skb)) : 0;
	case LAGX_XMIT_HASH_LAYER2:
		return lagx_l2_hash(skb);
	case LAGX_XMIT_HASH_ENCAP23:
		inner = true;
		break;
	case LAGX_XMIT_HASH_LAYER34:
		l2 = false;
		ports = true;
		break;
	case LAGX_XMIT_HASH_ENCAP34:
		inner = true;
		l2 = false;
		ports = true;
		break;
	default:	/* LAGX_XMIT_HASH_LAYER23 */
		break;
	}

	if (!lagx_l3_dissect(skb, inner, &fk))
		return lagx_l2_hash(skb);

	hash = l2 ? lagx_l2_hash(skb) : 0;
	if (fk.control.addr_type == FLOW_DISSECTOR_KEY_IPV4_ADDRS)
		hash = jhash_3words((__force u32)fk.addrs.v4addrs.src,
				    (__force u32)fk.addrs.v4addrs.dst, hash,
				    LAGX_HASH_SEED);
	else
		hash = jhash2((const u32 *)&fk.addrs.v6addrs,
			      sizeof(fk.addrs.v6addrs) / sizeof(u32),
			      hash ^ LAGX_HASH_SEED);
	/* The dissector leaves the ports of every fragment zero. */
	if (ports)
		hash = jhash_3words((__force u32)fk.ports.ports,
				    fk.basic.ip_proto, hash, LAGX_HASH_SEED);
	return hash;
}
EXPORT_SYMBOL_IF_KUNIT(lagx_xmit_hash);
