// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the transmit hash policies (hash.c).
 *
 * The frames are built by hand as ndo_start_xmit() sees them: skb->data
 * and the MAC header at the Ethernet header, the network header after it
 * (or after an in-band VLAN tag), skb->protocol the ethertype (or the tag's
 * TPID for in-band tagged frames).  Which fields a policy covers is checked
 * by varying one field HASH_NVAR times: a field the policy covers must change
 * the hash for nearly every variant (an accidental collision must neither
 * pass nor fail the test), a field it does not cover must never change it.
 */
#include <kunit/test.h>
#include <kunit/visibility.h>
#include <linux/etherdevice.h>
#include <linux/if_ether.h>
#include <linux/if_vlan.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/random.h>
#include <linux/skbuff.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <net/gre.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include <net/net_namespace.h>

#include "../lagx.h"
#include "../bucket.h"

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);

#define HASH_NVAR	64	/* variants of a field */
#define HASH_MIN_CHANGED 60	/* ... that must change a covering hash */
#define HASH_MAX_FRAME	256	/* bytes */
#define HASH_HEADROOM	32
#define HASH_TAILROOM	64
#define HASH_FULL	UINT_MAX	/* keep the whole frame */
#define HASH_POLICIES	__LAGX_XMIT_HASH_MAX

#define PL2	BIT(LAGX_XMIT_HASH_LAYER2)
#define PL23	BIT(LAGX_XMIT_HASH_LAYER23)
#define PL34	BIT(LAGX_XMIT_HASH_LAYER34)
#define PE23	BIT(LAGX_XMIT_HASH_ENCAP23)
#define PE34	BIT(LAGX_XMIT_HASH_ENCAP34)
#define PVS	BIT(LAGX_XMIT_HASH_VLAN_SRCMAC)
#define PALL	(PL2 | PL23 | PL34 | PE23 | PE34 | PVS)

static const char * const policy_names[HASH_POLICIES] = {
	[LAGX_XMIT_HASH_LAYER2] = "layer2",
	[LAGX_XMIT_HASH_LAYER23] = "layer2+3",
	[LAGX_XMIT_HASH_LAYER34] = "layer3+4",
	[LAGX_XMIT_HASH_ENCAP23] = "encap2+3",
	[LAGX_XMIT_HASH_ENCAP34] = "encap3+4",
	[LAGX_XMIT_HASH_VLAN_SRCMAC] = "vlan+srcmac",
};

enum hp_encap {
	HP_PLAIN,
	HP_IPIP,	/* outer IPv4, protocol 4, inner IPv4 */
	HP_GRE,		/* outer IPv4, protocol 47, GRE, inner IPv4 */
};

/* A frame, field by field; hp_build() lays it out. */
struct hp {
	u8 dst[ETH_ALEN];
	u8 src[ETH_ALEN];
	u16 tag_proto;		/* in-band tag: ETH_P_8021Q/AD, or 0 */
	u16 hw_proto;		/* offloaded tag: ETH_P_8021Q/AD, or 0 */
	u16 tci;		/* of either tag */
	u16 type;		/* ethertype after any in-band tag */
	/* ETH_P_IP, ETH_P_IPV6 */
	u8 saddr[16];		/* IPv4: the first 4 bytes */
	u8 daddr[16];
	u8 proto;		/* of the innermost IP header */
	u16 id;
	u16 frag;		/* IPv4 frag_off, host order */
	u16 sport, dport;	/* UDP/TCP, after the innermost IP header */
	enum hp_encap encap;
	u8 isaddr[4], idaddr[4];	/* inner IPv4 */
	/* the rest */
	unsigned int payload;	/* bytes after the last header */
	u8 fill;		/* their value */
};

static const u8 mac_a[ETH_ALEN] = { 0x02, 0x1a, 0x9c, 0x00, 0x00, 0x01 };
static const u8 mac_b[ETH_ALEN] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
static const u8 ip4_a[4] = { 192, 0, 2, 1 };
static const u8 ip4_b[4] = { 198, 51, 100, 7 };
static const u8 ip4_c[4] = { 203, 0, 113, 10 };
static const u8 ip4_d[4] = { 10, 20, 30, 40 };
static const u8 ip6_a[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 0x01 };
static const u8 ip6_b[16] = { 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x01, [14] = 0x12,
			      [15] = 0x07 };

/* ------------------------------------------------------------ builders -- */

static void hp_eth(struct hp *h, u16 type)
{
	memset(h, 0, sizeof(*h));
	ether_addr_copy(h->dst, mac_b);
	ether_addr_copy(h->src, mac_a);
	h->type = type;
	h->payload = 46;
	h->fill = 0xa5;
}

static void hp_other(struct hp *h)
{
	hp_eth(h, 0x88b5);	/* local experimental ethertype */
}

static void hp_ip4(struct hp *h, u8 proto)
{
	hp_eth(h, ETH_P_IP);
	memcpy(h->saddr, ip4_a, 4);
	memcpy(h->daddr, ip4_b, 4);
	h->proto = proto;
	h->id = 0x1234;
	h->sport = 40000;
	h->dport = proto == IPPROTO_TCP ? 443 : 53;
	h->payload = 32;
}

static void hp_udp4(struct hp *h)
{
	hp_ip4(h, IPPROTO_UDP);
}

static void hp_tcp4(struct hp *h)
{
	hp_ip4(h, IPPROTO_TCP);
}

static void hp_ip6(struct hp *h, u8 proto)
{
	hp_ip4(h, proto);
	h->type = ETH_P_IPV6;
	memcpy(h->saddr, ip6_a, 16);
	memcpy(h->daddr, ip6_b, 16);
}

static void hp_udp6(struct hp *h)
{
	hp_ip6(h, IPPROTO_UDP);
}

static void hp_tcp6(struct hp *h)
{
	hp_ip6(h, IPPROTO_TCP);
}

/* The first fragment of a UDP datagram: MF set, offset 0, UDP header. */
static void hp_frag4(struct hp *h)
{
	hp_udp4(h);
	h->frag = IP_MF;
	h->payload = 64;
}

static void hp_encap(struct hp *h, enum hp_encap encap)
{
	hp_udp4(h);
	h->encap = encap;
	memcpy(h->isaddr, h->saddr, 4);
	memcpy(h->idaddr, h->daddr, 4);
	memcpy(h->saddr, ip4_c, 4);
	memcpy(h->daddr, ip4_d, 4);
	h->sport = 5000;
	h->dport = 6000;
}

static void hp_ipip(struct hp *h)
{
	hp_encap(h, HP_IPIP);
}

static void hp_gre(struct hp *h)
{
	hp_encap(h, HP_GRE);
}

static void hp_vlan_udp4(struct hp *h)
{
	hp_udp4(h);
	h->tag_proto = ETH_P_8021Q;
	h->tci = 100;
}

static void hp_hwvlan_udp4(struct hp *h)
{
	hp_udp4(h);
	h->hw_proto = ETH_P_8021Q;
	h->tci = 100;
}

static unsigned int hp_put_l4(u8 *p, u8 proto, u16 sport, u16 dport)
{
	struct tcphdr *th = (struct tcphdr *)p;
	struct udphdr *uh = (struct udphdr *)p;

	switch (proto) {
	case IPPROTO_UDP:
		memset(uh, 0, sizeof(*uh));
		uh->source = htons(sport);
		uh->dest = htons(dport);
		return sizeof(*uh);
	case IPPROTO_TCP:
		memset(th, 0, sizeof(*th));
		th->source = htons(sport);
		th->dest = htons(dport);
		th->seq = htonl(0x01020304);
		th->ack_seq = htonl(0x05060708);
		th->doff = sizeof(*th) / 4;
		th->ack = 1;
		th->window = htons(65535);
		return sizeof(*th);
	}
	return 0;
}

static void hp_put_ip4(struct iphdr *iph, u16 id, u16 frag, u8 proto,
		       const u8 *saddr, const u8 *daddr)
{
	memset(iph, 0, sizeof(*iph));
	iph->version = 4;
	iph->ihl = 5;
	iph->id = htons(id);
	iph->frag_off = htons(frag);
	iph->ttl = 64;
	iph->protocol = proto;
	memcpy(&iph->saddr, saddr, 4);
	memcpy(&iph->daddr, daddr, 4);
}

static void hp_ip4_done(struct iphdr *iph, unsigned int len)
{
	iph->tot_len = htons(len);
	iph->check = 0;
	iph->check = ip_fast_csum(iph, iph->ihl);
}

/*
 * Lay the frame out in @buf (HASH_MAX_FRAME bytes); returns its length and
 * the offset of the network header in @nhoff.
 */
static unsigned int hp_build(const struct hp *h, u8 *buf, unsigned int *nhoff)
{
	struct iphdr *iph = NULL, *inner = NULL;
	struct ipv6hdr *ip6h = NULL;
	struct udphdr *uh = NULL;
	unsigned int off, l4off = 0, len;
	__be16 *type;

	memset(buf, 0, HASH_MAX_FRAME);
	memcpy(buf, h->dst, ETH_ALEN);
	memcpy(buf + ETH_ALEN, h->src, ETH_ALEN);
	off = 2 * ETH_ALEN;
	if (h->tag_proto) {
		struct vlan_hdr *vh = (struct vlan_hdr *)(buf + off + 2);

		*(__be16 *)(buf + off) = htons(h->tag_proto);
		vh->h_vlan_TCI = htons(h->tci);
		off += VLAN_HLEN;
	}
	type = (__be16 *)(buf + off);
	*type = htons(h->type);
	off += 2;
	*nhoff = off;

	if (h->type == ETH_P_IP) {
		bool first = !(h->frag & IP_OFFSET);
		u8 proto = h->proto;

		if (h->encap == HP_IPIP)
			proto = IPPROTO_IPIP;
		else if (h->encap == HP_GRE)
			proto = IPPROTO_GRE;
		iph = (struct iphdr *)(buf + off);
		hp_put_ip4(iph, h->id, h->frag, proto, h->saddr, h->daddr);
		off += sizeof(*iph);
		if (first && h->encap == HP_GRE) {
			struct gre_base_hdr *greh;

			greh = (struct gre_base_hdr *)(buf + off);
			greh->flags = 0;
			greh->protocol = htons(ETH_P_IP);
			off += sizeof(*greh);
		}
		if (first && h->encap != HP_PLAIN) {
			inner = (struct iphdr *)(buf + off);
			hp_put_ip4(inner, h->id + 1, 0, h->proto,
				   h->isaddr, h->idaddr);
			off += sizeof(*inner);
		}
		if (first) {
			l4off = off;
			off += hp_put_l4(buf + off, h->proto, h->sport,
					 h->dport);
		}
	} else if (h->type == ETH_P_IPV6) {
		ip6h = (struct ipv6hdr *)(buf + off);
		ip6h->version = 6;
		ip6h->nexthdr = h->proto;
		ip6h->hop_limit = 64;
		memcpy(&ip6h->saddr, h->saddr, 16);
		memcpy(&ip6h->daddr, h->daddr, 16);
		off += sizeof(*ip6h);
		l4off = off;
		off += hp_put_l4(buf + off, h->proto, h->sport, h->dport);
	}

	len = min_t(unsigned int, off + h->payload, HASH_MAX_FRAME);
	memset(buf + off, h->fill, len - off);

	if (l4off && h->proto == IPPROTO_UDP) {
		uh = (struct udphdr *)(buf + l4off);
		uh->len = htons(len - l4off);
	}
	if (inner)
		hp_ip4_done(inner, len - ((u8 *)inner - buf));
	if (iph)
		hp_ip4_done(iph, len - *nhoff);
	if (ip6h)
		ip6h->payload_len = htons(len - *nhoff - sizeof(*ip6h));
	return len;
}

/*
 * An skb holding @len bytes of @frame, network header at @nhoff, with
 * head- and tailroom filled with @room: a hash that reads beyond the frame
 * depends on @room.
 */
static struct sk_buff *frame_skb(struct kunit *test, const u8 *frame,
				 unsigned int len, unsigned int nhoff,
				 u16 protocol, u16 hw_proto, u16 tci, u8 room)
{
	struct sk_buff *skb;

	skb = alloc_skb(HASH_HEADROOM + len + HASH_TAILROOM, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	memset(skb->head, room, skb_headroom(skb) + HASH_HEADROOM);
	skb_reserve(skb, HASH_HEADROOM);
	skb_put_data(skb, frame, len);
	memset(skb_tail_pointer(skb), room, skb_tailroom(skb));
	skb_reset_mac_header(skb);
	skb_set_network_header(skb, nhoff);
	skb->protocol = htons(protocol);
	if (hw_proto)
		__vlan_hwaccel_put_tag(skb, htons(hw_proto), tci);
	skb->dev = init_net.loopback_dev;
	return skb;
}

static struct sk_buff *hp_skb(struct kunit *test, const struct hp *h, u8 room)
{
	u8 frame[HASH_MAX_FRAME];
	unsigned int len, nhoff;

	len = hp_build(h, frame, &nhoff);
	return frame_skb(test, frame, len, nhoff,
			 h->tag_proto ?: h->type, h->hw_proto, h->tci, room);
}

static u32 hp_hash(struct kunit *test, const struct hp *h, u32 policy)
{
	struct sk_buff *skb = hp_skb(test, h, 0);
	u32 hash = lagx_xmit_hash(skb, policy);

	kfree_skb(skb);
	return hash;
}

/* ----------------------------------------------------------- mutators -- */

/* Variant @i (0..HASH_NVAR-1) of a field, never equal to the original. */
typedef void (*hp_mut)(struct hp *h, unsigned int i);

static void mut_mac(u8 *mac, unsigned int i)
{
	unsigned int byte = i % ETH_ALEN;
	u8 x = 1 + i / ETH_ALEN;

	/* Keep the group bit of the first byte as it is. */
	mac[byte] ^= byte ? x : x << 1;
}

static void mut_src(struct hp *h, unsigned int i)
{
	mut_mac(h->src, i);
}

static void mut_dst(struct hp *h, unsigned int i)
{
	mut_mac(h->dst, i);
}

static void mut_type(struct hp *h, unsigned int i)
{
	h->type = 0x9001 + i;	/* unassigned, none of them IP or VLAN */
}

static void mut_addr(u8 *addr, unsigned int alen, unsigned int i)
{
	addr[i % alen] ^= 1 + i / alen;
}

static unsigned int hp_alen(const struct hp *h)
{
	return h->type == ETH_P_IPV6 ? 16 : 4;
}

static void mut_saddr(struct hp *h, unsigned int i)
{
	mut_addr(h->saddr, hp_alen(h), i);
}

static void mut_daddr(struct hp *h, unsigned int i)
{
	mut_addr(h->daddr, hp_alen(h), i);
}

static void mut_isaddr(struct hp *h, unsigned int i)
{
	mut_addr(h->isaddr, 4, i);
}

static void mut_idaddr(struct hp *h, unsigned int i)
{
	mut_addr(h->idaddr, 4, i);
}

static void mut_sport(struct hp *h, unsigned int i)
{
	h->sport += 1 + i;
}

static void mut_dport(struct hp *h, unsigned int i)
{
	h->dport += 1 + i;
}

static void mut_payload(struct hp *h, unsigned int i)
{
	h->fill ^= 1 + i;
	h->payload += i % 8;
}

/* Another fragment of the same datagram: offset > 0, MF set or not. */
static void mut_frag(struct hp *h, unsigned int i)
{
	h->frag = (i + 1) * 8;
	if (!(i & 1))
		h->frag |= IP_MF;
	/* Where a UDP header would be: different "ports" every time. */
	h->fill = i;
}

static void mut_vid(struct hp *h, unsigned int i)
{
	h->tci = (h->tci & ~VLAN_VID_MASK) | ((h->tci + 1 + i) & VLAN_VID_MASK);
}

static void mut_prio(struct hp *h, unsigned int i)
{
	h->tci &= VLAN_VID_MASK;
	h->tci |= (1 + i % 7) << VLAN_PRIO_SHIFT;
	if (i & 8)
		h->tci |= VLAN_CFI_MASK;
}

/* How many of the HASH_NVAR variants of a field change the hash. */
static unsigned int hash_changes(struct kunit *test, void (*base)(struct hp *h),
				 hp_mut mut, u32 policy)
{
	unsigned int i, n = 0;
	struct hp h0, h;
	u32 hash0;

	base(&h0);
	hash0 = hp_hash(test, &h0, policy);
	for (i = 0; i < HASH_NVAR; i++) {
		h = h0;
		mut(&h, i);
		n += hp_hash(test, &h, policy) != hash0;
	}
	return n;
}

/* ------------------------------------------------- field dependencies -- */

struct hash_dep {
	const char *desc;
	void (*base)(struct hp *h);
	hp_mut mut;
	u32 changes;	/* BIT(policy): the field must change the hash */
	u32 same;	/* BIT(policy): the field must not change it */
};

#define DEP(_desc, _base, _mut, _changes, _same) \
	{ .desc = _desc, .base = _base, .mut = _mut, \
	  .changes = _changes, .same = _same }

static const struct hash_dep hash_deps[] = {
	DEP("udp4: src MAC", hp_udp4, mut_src, PL2 | PL23 | PE23 | PVS,
	    PL34 | PE34),
	DEP("udp4: dst MAC", hp_udp4, mut_dst, PL2 | PL23 | PE23,
	    PL34 | PE34 | PVS),
	DEP("udp4: src IP", hp_udp4, mut_saddr, PL23 | PL34 | PE23 | PE34,
	    PL2 | PVS),
	DEP("udp4: dst IP", hp_udp4, mut_daddr, PL23 | PL34 | PE23 | PE34,
	    PL2 | PVS),
	DEP("udp4: src port", hp_udp4, mut_sport, PL34 | PE34,
	    PL2 | PL23 | PE23 | PVS),
	DEP("udp4: dst port", hp_udp4, mut_dport, PL34 | PE34,
	    PL2 | PL23 | PE23 | PVS),
	DEP("udp4: payload", hp_udp4, mut_payload, 0, PALL),

	DEP("tcp4: src MAC", hp_tcp4, mut_src, PL2 | PL23 | PE23 | PVS,
	    PL34 | PE34),
	DEP("tcp4: src IP", hp_tcp4, mut_saddr, PL23 | PL34 | PE23 | PE34,
	    PL2 | PVS),
	DEP("tcp4: dst IP", hp_tcp4, mut_daddr, PL23 | PL34 | PE23 | PE34,
	    PL2 | PVS),
	DEP("tcp4: src port", hp_tcp4, mut_sport, PL34 | PE34,
	    PL2 | PL23 | PE23 | PVS),
	DEP("tcp4: dst port", hp_tcp4, mut_dport, PL34 | PE34,
	    PL2 | PL23 | PE23 | PVS),

	DEP("udp6: src MAC", hp_udp6, mut_src, PL2 | PL23 | PE23 | PVS,
	    PL34 | PE34),
	DEP("udp6: dst MAC", hp_udp6, mut_dst, PL2 | PL23 | PE23,
	    PL34 | PE34 | PVS),
	DEP("udp6: src IP", hp_udp6, mut_saddr, PL23 | PL34 | PE23 | PE34,
	    PL2 | PVS),
	DEP("udp6: dst IP", hp_udp6, mut_daddr, PL23 | PL34 | PE23 | PE34,
	    PL2 | PVS),
	DEP("udp6: src port", hp_udp6, mut_sport, PL34 | PE34,
	    PL2 | PL23 | PE23 | PVS),
	DEP("udp6: dst port", hp_udp6, mut_dport, PL34 | PE34,
	    PL2 | PL23 | PE23 | PVS),

	DEP("tcp6: src IP", hp_tcp6, mut_saddr, PL23 | PL34 | PE23 | PE34,
	    PL2 | PVS),
	DEP("tcp6: dst IP", hp_tcp6, mut_daddr, PL23 | PL34 | PE23 | PE34,
	    PL2 | PVS),
	DEP("tcp6: src port", hp_tcp6, mut_sport, PL34 | PE34,
	    PL2 | PL23 | PE23 | PVS),
	DEP("tcp6: dst port", hp_tcp6, mut_dport, PL34 | PE34,
	    PL2 | PL23 | PE23 | PVS),

	/* Without an IP header every policy but vlan+srcmac is layer2. */
	DEP("non-IP: src MAC", hp_other, mut_src, PALL, 0),
	DEP("non-IP: dst MAC", hp_other, mut_dst, PALL & ~PVS, PVS),
	DEP("non-IP: ethertype", hp_other, mut_type, PALL & ~PVS, PVS),
	DEP("non-IP: payload", hp_other, mut_payload, 0, PALL),

	/* Fragments: no ports, so that a datagram's fragments stay together. */
	DEP("udp4 first fragment: src port", hp_frag4, mut_sport, 0, PALL),
	DEP("udp4 first fragment: dst port", hp_frag4, mut_dport, 0, PALL),
	DEP("udp4 fragments: offset, MF", hp_frag4, mut_frag, 0, PALL),
	DEP("udp4 first fragment: src IP", hp_frag4, mut_saddr,
	    PL23 | PL34 | PE23 | PE34, PL2 | PVS),
	DEP("udp4 first fragment: dst IP", hp_frag4, mut_daddr,
	    PL23 | PL34 | PE23 | PE34, PL2 | PVS),

	/* The encapsulations. */
	DEP("ipip: inner src IP", hp_ipip, mut_isaddr, PE23 | PE34,
	    PL2 | PL23 | PL34 | PVS),
	DEP("ipip: inner dst IP", hp_ipip, mut_idaddr, PE23 | PE34,
	    PL2 | PL23 | PL34 | PVS),
	DEP("ipip: inner src port", hp_ipip, mut_sport, PE34,
	    PL2 | PL23 | PL34 | PE23 | PVS),
	DEP("ipip: inner dst port", hp_ipip, mut_dport, PE34,
	    PL2 | PL23 | PL34 | PE23 | PVS),
	DEP("ipip: outer src IP", hp_ipip, mut_saddr, PL23 | PL34,
	    PL2 | PE23 | PE34 | PVS),
	DEP("ipip: outer dst IP", hp_ipip, mut_daddr, PL23 | PL34,
	    PL2 | PE23 | PE34 | PVS),
	DEP("ipip: src MAC", hp_ipip, mut_src, PL2 | PL23 | PE23 | PVS,
	    PL34 | PE34),
	DEP("ipip: dst MAC", hp_ipip, mut_dst, PL2 | PL23 | PE23,
	    PL34 | PE34 | PVS),

	DEP("gre: inner src IP", hp_gre, mut_isaddr, PE23 | PE34,
	    PL2 | PL23 | PL34 | PVS),
	DEP("gre: inner dst IP", hp_gre, mut_idaddr, PE23 | PE34,
	    PL2 | PL23 | PL34 | PVS),
	DEP("gre: inner src port", hp_gre, mut_sport, PE34,
	    PL2 | PL23 | PL34 | PE23 | PVS),
	DEP("gre: inner dst port", hp_gre, mut_dport, PE34,
	    PL2 | PL23 | PL34 | PE23 | PVS),
	DEP("gre: outer src IP", hp_gre, mut_saddr, PL23 | PL34,
	    PL2 | PE23 | PE34 | PVS),
	DEP("gre: outer dst IP", hp_gre, mut_daddr, PL23 | PL34,
	    PL2 | PE23 | PE34 | PVS),
	DEP("gre: src MAC", hp_gre, mut_src, PL2 | PL23 | PE23 | PVS,
	    PL34 | PE34),
	DEP("gre: dst MAC", hp_gre, mut_dst, PL2 | PL23 | PE23,
	    PL34 | PE34 | PVS),

	/* 802.1Q-tagged UDP/IPv4, the tag in the frame and offloaded. */
	DEP("in-band VLAN: src port", hp_vlan_udp4, mut_sport, PL34 | PE34,
	    PL2 | PL23 | PE23 | PVS),
	DEP("in-band VLAN: dst port", hp_vlan_udp4, mut_dport, PL34 | PE34,
	    PL2 | PL23 | PE23 | PVS),
	DEP("in-band VLAN: src IP", hp_vlan_udp4, mut_saddr,
	    PL23 | PL34 | PE23 | PE34, PL2 | PVS),
	DEP("in-band VLAN: dst IP", hp_vlan_udp4, mut_daddr,
	    PL23 | PL34 | PE23 | PE34, PL2 | PVS),
	DEP("in-band VLAN: src MAC", hp_vlan_udp4, mut_src,
	    PL2 | PL23 | PE23 | PVS, PL34 | PE34),
	DEP("in-band VLAN: dst MAC", hp_vlan_udp4, mut_dst, PL2 | PL23 | PE23,
	    PL34 | PE34 | PVS),
	DEP("in-band VLAN: VLAN id", hp_vlan_udp4, mut_vid, PVS, 0),
	DEP("in-band VLAN: priority, DEI", hp_vlan_udp4, mut_prio, 0, PVS),

	DEP("offloaded VLAN: src port", hp_hwvlan_udp4, mut_sport, PL34 | PE34,
	    PL2 | PL23 | PE23 | PVS),
	DEP("offloaded VLAN: dst port", hp_hwvlan_udp4, mut_dport, PL34 | PE34,
	    PL2 | PL23 | PE23 | PVS),
	DEP("offloaded VLAN: src IP", hp_hwvlan_udp4, mut_saddr,
	    PL23 | PL34 | PE23 | PE34, PL2 | PVS),
	DEP("offloaded VLAN: dst IP", hp_hwvlan_udp4, mut_daddr,
	    PL23 | PL34 | PE23 | PE34, PL2 | PVS),
	DEP("offloaded VLAN: src MAC", hp_hwvlan_udp4, mut_src,
	    PL2 | PL23 | PE23 | PVS, PL34 | PE34),
	DEP("offloaded VLAN: dst MAC", hp_hwvlan_udp4, mut_dst,
	    PL2 | PL23 | PE23, PL34 | PE34 | PVS),
	DEP("offloaded VLAN: VLAN id", hp_hwvlan_udp4, mut_vid, PVS, 0),
	DEP("offloaded VLAN: priority, DEI", hp_hwvlan_udp4, mut_prio, 0, PVS),
};

KUNIT_ARRAY_PARAM_DESC(hash_dep, hash_deps, desc);

static void lagx_hash_fields_test(struct kunit *test)
{
	const struct hash_dep *d = test->param_value;
	unsigned int n;
	u32 policy;

	KUNIT_ASSERT_EQ(test, d->changes & d->same, 0);
	for (policy = 0; policy < HASH_POLICIES; policy++) {
		const char *name = policy_names[policy];

		if (d->changes & BIT(policy)) {
			n = hash_changes(test, d->base, d->mut, policy);
			KUNIT_EXPECT_GE_MSG(test, n, HASH_MIN_CHANGED,
					    "%s: %s: only %u of %u variants change the hash",
					    name, d->desc, n, HASH_NVAR);
		} else if (d->same & BIT(policy)) {
			n = hash_changes(test, d->base, d->mut, policy);
			KUNIT_EXPECT_EQ_MSG(test, n, 0,
					    "%s: %s: %u of %u variants change the hash",
					    name, d->desc, n, HASH_NVAR);
		}
	}
}

/* ------------------------------------------------------- other tests -- */

/* Without an IP header, the IP policies hash exactly like layer2. */
static void lagx_hash_non_ip_test(struct kunit *test)
{
	static const u16 types[] = {
		0x88b5, ETH_P_ARP, ETH_P_LLDP, ETH_P_SLOW, ETH_P_PAE,
	};
	unsigned int t, i;
	u32 policy;
	struct hp h;

	for (t = 0; t < ARRAY_SIZE(types); t++) {
		for (i = 0; i < HASH_NVAR; i++) {
			u32 l2;

			hp_eth(&h, types[t]);
			mut_src(&h, i);
			mut_dst(&h, (i * 7) % HASH_NVAR);
			h.payload = 28 + i;
			l2 = hp_hash(test, &h, LAGX_XMIT_HASH_LAYER2);
			for (policy = LAGX_XMIT_HASH_LAYER23;
			     policy <= LAGX_XMIT_HASH_ENCAP34; policy++) {
				u32 hash = hp_hash(test, &h, policy);

				KUNIT_EXPECT_EQ_MSG(test, hash, l2,
						    "%s, ethertype %#06x, variant %u",
						    policy_names[policy],
						    types[t], i);
			}
		}
	}
}

/*
 * The fragments of one datagram (same addresses, protocol and id) hash
 * alike whatever their offset, and so does the first with other ports.
 */
static void lagx_hash_fragments_test(struct kunit *test)
{
	static const u32 policies[] = {
		LAGX_XMIT_HASH_LAYER23, LAGX_XMIT_HASH_LAYER34,
		LAGX_XMIT_HASH_ENCAP23, LAGX_XMIT_HASH_ENCAP34,
	};
	unsigned int p, i;
	struct hp first, h;

	hp_frag4(&first);
	for (p = 0; p < ARRAY_SIZE(policies); p++) {
		const char *name = policy_names[policies[p]];
		u32 hash = hp_hash(test, &first, policies[p]);

		for (i = 0; i < HASH_NVAR; i++) {
			u32 other;

			h = first;
			mut_frag(&h, i);
			h.payload = 8 + 8 * (i % 16);
			other = hp_hash(test, &h, policies[p]);
			KUNIT_EXPECT_EQ_MSG(test, other, hash,
					    "%s: fragment at %u%s", name,
					    (h.frag & IP_OFFSET) * 8,
					    h.frag & IP_MF ? ", MF" : "");
			h = first;
			mut_sport(&h, i);
			mut_dport(&h, HASH_NVAR - 1 - i);
			other = hp_hash(test, &h, policies[p]);
			KUNIT_EXPECT_EQ_MSG(test, other, hash,
					    "%s: first fragment, ports %u %u",
					    name, h.sport, h.dport);
		}
	}
}

/*
 * vlan+srcmac: the tag offloaded or in-band, 802.1Q or 802.1ad, gives the
 * hash of lagx_mac_hash(source MAC, VLAN id); untagged that of VLAN 0.
 */
static u32 hp_srcmac(struct kunit *test, const struct hp *h)
{
	return hp_hash(test, h, LAGX_XMIT_HASH_VLAN_SRCMAC);
}

static void lagx_hash_vlan_srcmac_test(struct kunit *test)
{
	static const u16 tpids[] = { ETH_P_8021Q, ETH_P_8021AD };
	unsigned int i, t;
	struct hp h;

	for (i = 0; i < HASH_NVAR; i++) {
		u16 vid = (1 + i * 61) % VLAN_N_VID;
		u32 want;

		hp_udp4(&h);
		mut_src(&h, i);
		mut_dport(&h, i);
		KUNIT_EXPECT_EQ_MSG(test, hp_srcmac(test, &h),
				    lagx_mac_hash(h.src, 0),
				    "untagged, %pM", h.src);

		want = lagx_mac_hash(h.src, vid);
		for (t = 0; t < ARRAY_SIZE(tpids); t++) {
			h.tci = vid | (i % 8) << VLAN_PRIO_SHIFT;
			h.tag_proto = tpids[t];
			h.hw_proto = 0;
			KUNIT_EXPECT_EQ_MSG(test, hp_srcmac(test, &h), want,
					    "in-band %#06x tci %#06x, %pM",
					    tpids[t], h.tci, h.src);
			h.tag_proto = 0;
			h.hw_proto = tpids[t];
			KUNIT_EXPECT_EQ_MSG(test, hp_srcmac(test, &h), want,
					    "offloaded %#06x tci %#06x, %pM",
					    tpids[t], h.tci, h.src);
		}
	}
}

struct vid_case {
	const char *desc;
	u16 tag_proto, hw_proto, tci;
	unsigned int len;	/* keep this many bytes; HASH_FULL: all */
	u16 vid;
};

static const struct vid_case vid_cases[] = {
	{ "untagged", 0, 0, 0, HASH_FULL, 0 },
	{ "offloaded 802.1Q", 0, ETH_P_8021Q, 100, HASH_FULL, 100 },
	{ "offloaded 802.1Q, priority and DEI", 0, ETH_P_8021Q,
	  (5 << VLAN_PRIO_SHIFT) | VLAN_CFI_MASK | 42, HASH_FULL, 42 },
	{ "offloaded 802.1ad", 0, ETH_P_8021AD, 7, HASH_FULL, 7 },
	{ "offloaded VLAN 0 (priority tag)", 0, ETH_P_8021Q,
	  3 << VLAN_PRIO_SHIFT, HASH_FULL, 0 },
	{ "offloaded 802.1Q, empty frame", 0, ETH_P_8021Q, 9, 0, 9 },
	{ "in-band 802.1Q", ETH_P_8021Q, 0, 200, HASH_FULL, 200 },
	{ "in-band 802.1Q, priority", ETH_P_8021Q, 0,
	  (7 << VLAN_PRIO_SHIFT) | 4095, HASH_FULL, 4095 },
	{ "in-band 802.1ad", ETH_P_8021AD, 0, 300, HASH_FULL, 300 },
	{ "in-band 802.1Q, tag only", ETH_P_8021Q, 0, 200, VLAN_ETH_HLEN, 200 },
	{ "in-band 802.1Q, tag cut short", ETH_P_8021Q, 0, 200, 16, 0 },
	{ "untagged, 10 bytes", 0, 0, 0, 10, 0 },
	{ "untagged, empty", 0, 0, 0, 0, 0 },
};

KUNIT_ARRAY_PARAM_DESC(vid, vid_cases, desc);

static void lagx_skb_vid_test(struct kunit *test)
{
	const struct vid_case *c = test->param_value;
	struct sk_buff *skb;
	struct hp h;

	hp_udp4(&h);
	h.tag_proto = c->tag_proto;
	h.hw_proto = c->hw_proto;
	h.tci = c->tci;
	skb = hp_skb(test, &h, 0xff);
	if (c->len < skb->len)
		skb_trim(skb, c->len);
	KUNIT_EXPECT_EQ(test, lagx_skb_vid(skb), c->vid);
	kfree_skb(skb);
}

/* An offloaded tag wins over an in-band one behind it (QinQ). */
static void lagx_skb_vid_both_test(struct kunit *test)
{
	struct sk_buff *skb;
	struct hp h;

	hp_udp4(&h);
	h.tag_proto = ETH_P_8021Q;
	h.tci = 20;
	skb = hp_skb(test, &h, 0);
	__vlan_hwaccel_put_tag(skb, htons(ETH_P_8021AD), 10);
	KUNIT_EXPECT_EQ(test, lagx_skb_vid(skb), 10);
	kfree_skb(skb);
}

/*
 * Hash @len bytes of @frame under every policy, twice in one skb and once
 * in another whose head- and tailroom hold other bytes; returns how many
 * results disagree (lagx_skb_vid() included).
 */
static unsigned int hash_twice(struct kunit *test, const u8 *frame,
			       unsigned int len, unsigned int nhoff,
			       u16 protocol, u16 hw_proto, u16 tci)
{
	struct sk_buff *a, *b;
	unsigned int bad = 0;
	u32 policy;

	a = frame_skb(test, frame, len, nhoff, protocol, hw_proto, tci, 0);
	b = frame_skb(test, frame, len, nhoff, protocol, hw_proto, tci, 0xff);
	for (policy = 0; policy < HASH_POLICIES; policy++) {
		u32 hash = lagx_xmit_hash(a, policy);

		if (lagx_xmit_hash(a, policy) != hash ||
		    lagx_xmit_hash(b, policy) != hash)
			bad++;
	}
	if (lagx_skb_vid(a) != lagx_skb_vid(b))
		bad++;
	kfree_skb(a);
	kfree_skb(b);
	return bad;
}

struct robust_case {
	const char *desc;
	void (*base)(struct hp *h);
	unsigned int len;	/* keep this many bytes; HASH_FULL: all */
	int ihl;		/* claim this IPv4 header length; -1: don't */
	u16 type;		/* override the ethertype; 0: don't */
};

#define ROBUST(_desc, _base, _len, _ihl, _type) \
	{ .desc = _desc, .base = _base, .len = _len, .ihl = _ihl, \
	  .type = _type }

static const struct robust_case robust_cases[] = {
	ROBUST("empty frame", hp_udp4, 0, -1, 0),
	ROBUST("1 byte", hp_udp4, 1, -1, 0),
	ROBUST("6 bytes", hp_udp4, 6, -1, 0),
	ROBUST("13 bytes", hp_udp4, 13, -1, 0),
	ROBUST("13 bytes, IPv6", hp_udp6, 13, -1, 0),
	ROBUST("13 bytes, in-band VLAN", hp_vlan_udp4, 13, -1, 0),
	ROBUST("Ethernet header only", hp_udp4, ETH_HLEN, -1, 0),
	ROBUST("in-band VLAN, tag cut short", hp_vlan_udp4, ETH_HLEN + 2, -1,
	       0),
	ROBUST("in-band VLAN, no payload", hp_vlan_udp4, VLAN_ETH_HLEN, -1, 0),
	ROBUST("IPv4 header cut short", hp_udp4, ETH_HLEN + 10, -1, 0),
	ROBUST("IPv4 header, no UDP", hp_udp4, ETH_HLEN + 20, -1, 0),
	ROBUST("UDP header cut short", hp_udp4, ETH_HLEN + 22, -1, 0),
	ROBUST("TCP header cut short", hp_tcp4, ETH_HLEN + 30, -1, 0),
	ROBUST("IPv4 ihl 15, frame shorter", hp_udp4, ETH_HLEN + 40, 15, 0),
	ROBUST("IPv4 ihl 2", hp_udp4, HASH_FULL, 2, 0),
	ROBUST("IPv4 ihl 0", hp_udp4, HASH_FULL, 0, 0),
	ROBUST("IPv6 header cut short", hp_udp6, ETH_HLEN + 30, -1, 0),
	ROBUST("IPv6, UDP cut short", hp_udp6, ETH_HLEN + 42, -1, 0),
	ROBUST("IPv6 in an IPv4 ethertype", hp_udp6, HASH_FULL, -1, ETH_P_IP),
	ROBUST("IPv4 in an IPv6 ethertype", hp_udp4, HASH_FULL, -1,
	       ETH_P_IPV6),
	ROBUST("GRE header cut short", hp_gre, ETH_HLEN + 22, -1, 0),
	ROBUST("GRE without inner header", hp_gre, ETH_HLEN + 24, -1, 0),
	ROBUST("GRE, inner header cut short", hp_gre, ETH_HLEN + 30, -1, 0),
	ROBUST("IPIP, inner header cut short", hp_ipip, ETH_HLEN + 30, -1, 0),
	ROBUST("IPIP, inner UDP cut short", hp_ipip, ETH_HLEN + 42, -1, 0),
	ROBUST("fragment without payload", hp_frag4, ETH_HLEN + 20, -1, 0),
	ROBUST("VLAN ethertype inside a VLAN", hp_vlan_udp4, HASH_FULL, -1,
	       ETH_P_8021Q),
};

KUNIT_ARRAY_PARAM_DESC(robust, robust_cases, desc);

/* Malformed frames: no crash, no read beyond the frame. */
static void lagx_hash_robust_test(struct kunit *test)
{
	const struct robust_case *c = test->param_value;
	u8 frame[HASH_MAX_FRAME];
	unsigned int len, nhoff;
	struct hp h;

	c->base(&h);
	if (c->type)
		h.type = c->type;
	len = min(hp_build(&h, frame, &nhoff), c->len);
	nhoff = min(nhoff, len);
	if (c->ihl >= 0 && len > nhoff) {
		struct iphdr *iph = (struct iphdr *)(frame + nhoff);

		iph->ihl = c->ihl;
	}
	KUNIT_EXPECT_EQ(test, hash_twice(test, frame, len, nhoff,
					 h.tag_proto ?: h.type, h.hw_proto,
					 h.tci), 0);
}

static u32 rnd_below(u32 n)
{
	return get_random_u32_below(n);
}

/*
 * 2000 random frames, shaped to get past the first headers sometimes: no
 * crash, and the same hash for the same bytes, whatever surrounds them.
 */
static void lagx_hash_fuzz_test(struct kunit *test)
{
	static const u16 types[] = {
		ETH_P_IP, ETH_P_IP, ETH_P_IPV6, ETH_P_IPV6, ETH_P_8021Q,
		ETH_P_8021AD, ETH_P_ARP, ETH_P_MPLS_UC, ETH_P_PPP_SES, 0x88b5,
	};
	static const u8 protos[] = {
		IPPROTO_TCP, IPPROTO_UDP, IPPROTO_IPIP, IPPROTO_GRE,
		IPPROTO_IPV6, IPPROTO_ICMP, IPPROTO_SCTP, NEXTHDR_HOP,
		NEXTHDR_FRAGMENT, NEXTHDR_ROUTING,
	};
	u8 *frame = kunit_kzalloc(test, HASH_MAX_FRAME, GFP_KERNEL);
	unsigned int i, bad = 0;

	KUNIT_ASSERT_NOT_NULL(test, frame);
	for (i = 0; i < 2000; i++) {
		unsigned int len = rnd_below(HASH_MAX_FRAME + 1);
		unsigned int nhoff = min_t(unsigned int, ETH_HLEN, len);
		u16 hw_proto = 0, tci = 0, protocol;
		unsigned int n;

		get_random_bytes(frame, len);
		protocol = get_random_u16();
		if (len >= ETH_HLEN && rnd_below(8)) {
			protocol = types[rnd_below(ARRAY_SIZE(types))];
			*(__be16 *)(frame + 12) = htons(protocol);
			if (eth_type_vlan(htons(protocol)) &&
			    len >= VLAN_ETH_HLEN) {
				/* IPv4, IPv6 or another tag */
				*(__be16 *)(frame + 16) =
					htons(types[rnd_below(5)]);
				nhoff = VLAN_ETH_HLEN;
			}
		}
		if (len >= nhoff + 40 && rnd_below(4)) {
			u8 proto = protos[rnd_below(ARRAY_SIZE(protos))];

			if (rnd_below(2)) {
				frame[nhoff] = 0x45;
				frame[nhoff + 9] = proto;
				if (rnd_below(2))	/* not a fragment */
					memset(frame + nhoff + 6, 0, 2);
				if (proto == IPPROTO_GRE && rnd_below(2))
					memset(frame + nhoff + 20, 0, 2);
			} else {
				frame[nhoff] = 0x60;
				frame[nhoff + 6] = proto;
			}
		}
		if (!rnd_below(4)) {
			hw_proto = rnd_below(2) ? ETH_P_8021Q : ETH_P_8021AD;
			tci = get_random_u16();
		}
		n = hash_twice(test, frame, len, nhoff, protocol, hw_proto,
			       tci);
		if (n && !bad)
			KUNIT_FAIL(test,
				   "frame %u, %u bytes, nhoff %u, protocol %#06x: %u hashes differ; first bytes %*ph",
				   i, len, nhoff, protocol, n,
				   min_t(int, len, 64), frame);
		bad += !!n;
	}
	KUNIT_EXPECT_EQ(test, bad, 0);
}

/* 256 UDP flows under layer3+4 use at least 140 of the 256 buckets. */
static void lagx_hash_spread_test(struct kunit *test)
{
	DECLARE_BITMAP(used, LAGX_BUCKETS);
	unsigned int i, n;
	struct hp h;

	bitmap_zero(used, LAGX_BUCKETS);
	hp_udp4(&h);
	for (i = 0; i < 256; i++) {
		h.sport = 1024 + i;
		__set_bit(lagx_hash_bucket(hp_hash(test, &h,
						   LAGX_XMIT_HASH_LAYER34)),
			  used);
	}
	n = bitmap_weight(used, LAGX_BUCKETS);
	KUNIT_EXPECT_GE_MSG(test, n, 140, "256 flows in %u buckets", n);
}

/* 64 random MACs under vlan+srcmac: at least 16 on either of 2 ports. */
static void lagx_hash_srcmac_spread_test(struct kunit *test)
{
	unsigned int i, ports[2] = { 0, 0 };
	struct hp h;

	hp_udp4(&h);
	for (i = 0; i < 64; i++) {
		get_random_bytes(h.src, ETH_ALEN);
		h.src[0] &= ~0x01;	/* unicast */
		ports[lagx_hash_bucket(hp_srcmac(test, &h)) % 2]++;
	}
	KUNIT_EXPECT_GE(test, ports[0], 16);
	KUNIT_EXPECT_GE(test, ports[1], 16);
}

static struct kunit_case lagx_hash_test_cases[] = {
	KUNIT_CASE_PARAM(lagx_hash_fields_test, hash_dep_gen_params),
	KUNIT_CASE(lagx_hash_non_ip_test),
	KUNIT_CASE(lagx_hash_fragments_test),
	KUNIT_CASE(lagx_hash_vlan_srcmac_test),
	KUNIT_CASE_PARAM(lagx_skb_vid_test, vid_gen_params),
	KUNIT_CASE(lagx_skb_vid_both_test),
	KUNIT_CASE_PARAM(lagx_hash_robust_test, robust_gen_params),
	KUNIT_CASE(lagx_hash_fuzz_test),
	KUNIT_CASE(lagx_hash_spread_test),
	KUNIT_CASE(lagx_hash_srcmac_spread_test),
	{}
};

static struct kunit_suite lagx_hash_test_suite = {
	.name = "lagx_hash",
	.test_cases = lagx_hash_test_cases,
};

kunit_test_suite(lagx_hash_test_suite);
