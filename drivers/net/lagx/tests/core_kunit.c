// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the lagx core on real devices (kunit_dev.h): the TX
 * array and carrier, link delays, the rx handler's verdicts, and the
 * configuration commit.
 */
#include <kunit/test.h>
#include <kunit/visibility.h>
#include <linux/delay.h>
#include <linux/etherdevice.h>
#include <linux/if_arp.h>
#include <linux/if_vlan.h>
#include <linux/jiffies.h>
#include <linux/rtnetlink.h>
#include <linux/skbuff.h>
#include <net/netlink.h>

#include "../lagx.h"
#include "../mode.h"
#include "kunit_dev.h"

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);

static const u8 kd_peer_mac[ETH_ALEN] __aligned(2) = {
	0x02, 0x00, 0x5e, 0x00, 0x53, 0x01
};

static const u8 kd_slow_proto_addr[ETH_ALEN] __aligned(2) = {
	0x01, 0x80, 0xc2, 0x00, 0x00, 0x02
};

/* Poll @cond for up to @ms, without RTNL held. */
#define kd_wait(cond, ms) ({						\
	unsigned long __end = jiffies + msecs_to_jiffies(ms);		\
	bool __ok;							\
									\
	while (!(__ok = (cond)) && time_before(jiffies, __end))	\
		msleep(20);						\
	__ok;								\
})

/* -------------------------------------------------- the TX array, carrier */

static bool kd_carrier(struct lagx *lagx)
{
	return netif_carrier_ok(lagx->dev);
}

/* The array holds the ports with tx_enabled, in enslave order, and by_id
 * finds exactly those.
 */
static void kd_expect_array(struct kunit *test, struct lagx *lagx,
			    struct lagx_port *const *want, unsigned int n)
{
	const struct lagx_port_array *arr;
	struct lagx_port *port;
	unsigned int i;

	rtnl_lock();
	arr = lagx_kd_tx_ports(lagx);
	if (!n) {
		KUNIT_EXPECT_NULL(test, arr);
		rtnl_unlock();
		return;
	}
	KUNIT_ASSERT_NOT_NULL(test, arr);
	KUNIT_EXPECT_EQ(test, arr->count, n);
	for (i = 0; i < n && i < arr->count; i++)
		KUNIT_EXPECT_PTR_EQ(test, arr->ports[i], want[i]);
	lagx_for_each_port(lagx, port) {
		bool member = false;

		for (i = 0; i < n; i++)
			member |= want[i] == port;
		KUNIT_EXPECT_PTR_EQ(test, arr->by_id[port->id],
				    member ? port : NULL);
	}
	rtnl_unlock();
}

static void lagx_refresh_array_test(struct kunit *test)
{
	struct lagx *lagx = lagx_kd_lagx(test, LAGX_MODE_BALANCE_SLB);
	struct net_device *nic[3];
	struct lagx_port *p[3];
	unsigned int i;

	for (i = 0; i < 3; i++) {
		nic[i] = lagx_kd_nic(test, 1000);
		p[i] = lagx_kd_enslave(test, lagx, nic[i]);
	}
	kd_expect_array(test, lagx, p, 3);
	KUNIT_EXPECT_TRUE(test, kd_carrier(lagx));

	/* The middle port loses its link: it leaves, the others keep order. */
	lagx_kd_carrier(nic[1], false);
	lagx_kd_link_event(nic[1]);
	kd_expect_array(test, lagx, (struct lagx_port *[]){ p[0], p[2] }, 2);

	/* Back: in enslave order again, not appended. */
	lagx_kd_carrier(nic[1], true);
	lagx_kd_link_event(nic[1]);
	kd_expect_array(test, lagx, p, 3);

	/* min_links above the usable ports: no carrier, array unchanged. */
	KUNIT_ASSERT_EQ(test, lagx_kd_set(lagx, IFLA_LAGX_MIN_LINKS, 4), 0);
	KUNIT_EXPECT_FALSE(test, kd_carrier(lagx));
	kd_expect_array(test, lagx, p, 3);
	KUNIT_ASSERT_EQ(test, lagx_kd_set(lagx, IFLA_LAGX_MIN_LINKS, 3), 0);
	KUNIT_EXPECT_TRUE(test, kd_carrier(lagx));

	/* A released port leaves array and by_id. */
	lagx_kd_release(test, lagx, nic[0]);
	kd_expect_array(test, lagx, (struct lagx_port *[]){ p[1], p[2] }, 2);
	KUNIT_EXPECT_FALSE(test, kd_carrier(lagx));	/* 2 < min_links */

	/* No port with link: no array, no carrier. */
	KUNIT_ASSERT_EQ(test, lagx_kd_set(lagx, IFLA_LAGX_MIN_LINKS, 0), 0);
	for (i = 1; i < 3; i++) {
		lagx_kd_carrier(nic[i], false);
		lagx_kd_link_event(nic[i]);
	}
	kd_expect_array(test, lagx, NULL, 0);
	KUNIT_EXPECT_FALSE(test, kd_carrier(lagx));
}

/* -------------------------------------------------------- the rx handler */

/* As __netif_receive_skb_core() calls it: softirq, under RCU. */
static rx_handler_result_t kd_rx(struct sk_buff **pskb)
{
	rx_handler_result_t res;

	local_bh_disable();
	rcu_read_lock();
	res = lagx_handle_frame(pskb);
	rcu_read_unlock();
	local_bh_enable();
	return res;
}

/* Hand @skb to the rx handler: its verdict; the frame is freed. */
static rx_handler_result_t kd_rx_free(struct sk_buff *skb,
				      struct net_device **dev)
{
	rx_handler_result_t res = kd_rx(&skb);

	if (dev)
		*dev = res == RX_HANDLER_CONSUMED ? NULL : skb->dev;
	if (res != RX_HANDLER_CONSUMED)
		kfree_skb(skb);
	return res;
}

static void kd_port_stats(struct lagx_port *port, struct lagx_port_stats *st)
{
	rtnl_lock();
	lagx_port_get_stats(port, st);
	rtnl_unlock();
}

static void lagx_rx_active_backup_test(struct kunit *test)
{
	struct lagx *lagx = lagx_kd_lagx(test, LAGX_MODE_ACTIVE_BACKUP);
	struct net_device *a = lagx_kd_nic(test, 1000);
	struct net_device *b = lagx_kd_nic(test, 1000);
	struct lagx_port *pa = lagx_kd_enslave(test, lagx, a);
	struct lagx_port *pb = lagx_kd_enslave(test, lagx, b);
	struct lagx_port_stats st;
	struct net_device *to;

	lagx_kd_up(test, lagx);
	KUNIT_ASSERT_TRUE(test, pa->tx_enabled);

	/* The active port delivers to the lagx device. */
	KUNIT_EXPECT_EQ(test, kd_rx_free(lagx_kd_frame(test, a, a->dev_addr,
						       kd_peer_mac, ETH_P_IP,
						       NULL, 0), &to),
			RX_HANDLER_ANOTHER);
	KUNIT_EXPECT_PTR_EQ(test, to, lagx->dev);
	kd_port_stats(pa, &st);
	KUNIT_EXPECT_EQ(test, st.rx_packets, 1);

	/* The backup port's frames stop at the port, counted. */
	KUNIT_EXPECT_EQ(test, kd_rx_free(lagx_kd_frame(test, b, b->dev_addr,
						       kd_peer_mac, ETH_P_IP,
						       NULL, 0), &to),
			RX_HANDLER_EXACT);
	KUNIT_EXPECT_PTR_EQ(test, to, b);
	kd_port_stats(pb, &st);
	KUNIT_EXPECT_EQ(test, st.rx_packets, 0);
	KUNIT_EXPECT_EQ(test, st.rx_dropped_inactive, 1);
}

/* Send a frame from @src through the lagx device (balance-slb learns it). */
static void kd_xmit_from(struct kunit *test, struct lagx *lagx, const u8 *src)
{
	struct sk_buff *skb;
	struct ethhdr *eth;

	skb = alloc_skb(ETH_ZLEN, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	eth = skb_put_zero(skb, ETH_ZLEN);
	ether_addr_copy(eth->h_dest, kd_peer_mac);
	ether_addr_copy(eth->h_source, src);
	eth->h_proto = htons(ETH_P_IP);
	skb_reset_mac_header(skb);
	skb->protocol = htons(ETH_P_IP);
	skb->dev = lagx->dev;
	KUNIT_EXPECT_EQ(test, dev_queue_xmit(skb), NET_XMIT_SUCCESS);
}

/* A gratuitous ARP from @mac: "I am here now". */
static struct sk_buff *kd_garp(struct kunit *test, struct net_device *nic,
			       const u8 *mac)
{
	struct {
		struct arphdr hdr;
		u8 sha[ETH_ALEN];
		__be32 sip;
		u8 tha[ETH_ALEN];
		__be32 tip;
	} __packed arp = {
		.hdr = { .ar_hrd = htons(ARPHRD_ETHER),
			 .ar_pro = htons(ETH_P_IP), .ar_hln = ETH_ALEN,
			 .ar_pln = 4, .ar_op = htons(ARPOP_REQUEST) },
		.sip = htonl(0xc0000201), .tip = htonl(0xc0000201),
	};

	ether_addr_copy(arp.sha, mac);
	return lagx_kd_frame(test, nic, nic->broadcast, mac, ETH_P_ARP, &arp,
			     sizeof(arp));
}

/*
 * balance-slb: bcast/mcast from one port only, reflections of our own
 * frames dropped, announcements of a MAC that moved away accepted except
 * during the learning lock after our own announcements.
 */
static void lagx_rx_slb_test(struct kunit *test)
{
	struct lagx *lagx = lagx_kd_lagx(test, LAGX_MODE_BALANCE_SLB);
	struct net_device *a = lagx_kd_nic(test, 1000);
	struct net_device *b = lagx_kd_nic(test, 1000);
	struct lagx_port *pa = lagx_kd_enslave(test, lagx, a);
	struct lagx_port *pb = lagx_kd_enslave(test, lagx, b);
	static const u8 vm[ETH_ALEN] = { 0x02, 0x11, 0x22, 0x33, 0x44, 0x55 };
	struct lagx_port *mc, *other;
	struct net_device *mc_nic, *other_nic;
	struct lagx_port_stats st;

	lagx_kd_up(test, lagx);
	KUNIT_ASSERT_TRUE(test, pa->rx_mcast != pb->rx_mcast);
	mc = pa->rx_mcast ? pa : pb;
	other = mc == pa ? pb : pa;
	mc_nic = mc->dev;
	other_nic = other->dev;

	/* Broadcast: delivered once, from the multicast port. */
	KUNIT_EXPECT_EQ(test, kd_rx_free(lagx_kd_frame(test, mc_nic,
						       mc_nic->broadcast,
						       kd_peer_mac, ETH_P_IP,
						       NULL, 0), NULL),
			RX_HANDLER_ANOTHER);
	KUNIT_EXPECT_EQ(test, kd_rx_free(lagx_kd_frame(test, other_nic,
						       other_nic->broadcast,
						       kd_peer_mac, ETH_P_IP,
						       NULL, 0), NULL),
			RX_HANDLER_EXACT);
	kd_port_stats(other, &st);
	KUNIT_EXPECT_EQ(test, st.rx_dropped_mcast, 1);

	/* A frame of ours, come back: a reflection. */
	kd_xmit_from(test, lagx, vm);
	KUNIT_EXPECT_EQ(test, kd_rx_free(lagx_kd_frame(test, mc_nic,
						       lagx->dev->dev_addr, vm,
						       ETH_P_IP, NULL, 0), NULL),
			RX_HANDLER_EXACT);
	kd_port_stats(mc, &st);
	KUNIT_EXPECT_EQ(test, st.rx_dropped_loop, 1);

	/* During the learning lock even its announcement is ours. */
	WRITE_ONCE(lagx->buckets->learn_lock_until, jiffies + 10 * HZ);
	KUNIT_EXPECT_EQ(test, kd_rx_free(kd_garp(test, mc_nic, vm), NULL),
			RX_HANDLER_EXACT);
	kd_port_stats(mc, &st);
	KUNIT_EXPECT_EQ(test, st.rx_dropped_loop, 2);

	/* After it, the MAC announces itself from elsewhere: it moved, it is
	 * accepted and no longer taken for ours.
	 */
	WRITE_ONCE(lagx->buckets->learn_lock_until, jiffies - 1);
	KUNIT_EXPECT_EQ(test, kd_rx_free(kd_garp(test, mc_nic, vm), NULL),
			RX_HANDLER_ANOTHER);
	KUNIT_EXPECT_EQ(test, kd_rx_free(lagx_kd_frame(test, mc_nic,
						       lagx->dev->dev_addr, vm,
						       ETH_P_IP, NULL, 0), NULL),
			RX_HANDLER_ANOTHER);
}

/* A LACPDU from the system whose MAC ends in @id. */
static void kd_lacpdu(struct lacpdu *pdu, u8 id)
{
	struct lacp_info actor = {
		.sys_prio = 0x8000, .sys = { 0x02, 0, 0, 0, 0, id },
		.key = 9, .port_prio = 0x80, .port = 1,
		.state = LACP_STATE_LACP_ACTIVITY | LACP_STATE_AGGREGATION |
			 LACP_STATE_SYNCHRONIZATION | LACP_STATE_COLLECTING |
			 LACP_STATE_DISTRIBUTING,
	};
	struct lacp_info partner = {};

	lacp_build(pdu, &actor, &partner);
}

static void kd_lacp_snapshot(struct kunit *test, struct lagx_port *port,
			     struct lacp_port *p)
{
	unsigned long since;
	bool ready;
	u8 reason;

	rtnl_lock();
	ready = lagx_lacp_port_snapshot(port->lagx, port, p, &reason, &since);
	rtnl_unlock();
	KUNIT_ASSERT_TRUE(test, ready);
}

static bool kd_lacp_enabled(struct kunit *test, struct lagx_port *port)
{
	struct lacp_port p;

	kd_lacp_snapshot(test, port, &p);
	return p.enabled;
}

/*
 * lacp: LACPDUs sent to the Slow_Protocols_Multicast address, untagged,
 * go to the state machines; any other frame is no LACPDU of this link
 * (a host on a trunked VLAN, a frame flooded by a bridge) and passes up
 * like any frame, leaving the protocol state alone.  Other slow
 * protocols pass up too; malformed LACPDUs are dropped and counted.
 */
static void lagx_rx_lacp_test(struct kunit *test)
{
	struct lagx *lagx = lagx_kd_lagx(test, LAGX_MODE_LACP);
	struct net_device *a = lagx_kd_nic(test, 1000);
	struct lagx_port *pa = lagx_kd_enslave(test, lagx, a);
	struct lacpdu pdu;
	struct lacp_port p;
	struct sk_buff *skb;

	lagx_kd_up(test, lagx);
	/* The first tick of the lacp timer enables the port. */
	KUNIT_ASSERT_TRUE(test, kd_wait(kd_lacp_enabled(test, pa), 2000));

	kd_lacpdu(&pdu, 0x0b);
	KUNIT_EXPECT_EQ(test, kd_rx_free(lagx_kd_frame(test, a,
						       kd_slow_proto_addr,
						       kd_peer_mac, ETH_P_SLOW,
						       &pdu, sizeof(pdu)), NULL),
			RX_HANDLER_CONSUMED);
	kd_lacp_snapshot(test, pa, &p);
	KUNIT_EXPECT_EQ(test, p.lacpdus_rx, 1);
	KUNIT_EXPECT_EQ(test, p.partner.sys[5], 0x0b);

	/* Strays from another system: broadcast, unicast, VLAN-tagged. */
	kd_lacpdu(&pdu, 0x66);
	KUNIT_EXPECT_NE(test, kd_rx_free(lagx_kd_frame(test, a, a->broadcast,
						       kd_peer_mac, ETH_P_SLOW,
						       &pdu, sizeof(pdu)), NULL),
			RX_HANDLER_CONSUMED);
	KUNIT_EXPECT_NE(test, kd_rx_free(lagx_kd_frame(test, a, a->dev_addr,
						       kd_peer_mac, ETH_P_SLOW,
						       &pdu, sizeof(pdu)), NULL),
			RX_HANDLER_CONSUMED);
	skb = lagx_kd_frame(test, a, kd_slow_proto_addr, kd_peer_mac,
			    ETH_P_SLOW, &pdu, sizeof(pdu));
	__vlan_hwaccel_put_tag(skb, htons(ETH_P_8021Q), 100);
	KUNIT_EXPECT_NE(test, kd_rx_free(skb, NULL), RX_HANDLER_CONSUMED);
	kd_lacp_snapshot(test, pa, &p);
	KUNIT_EXPECT_EQ(test, p.lacpdus_rx, 1);
	KUNIT_EXPECT_EQ(test, p.partner.sys[5], 0x0b);
	KUNIT_EXPECT_EQ(test, p.stray_rx, 3);

	/* Another slow protocol (OAM, subtype 3) passes up, counted. */
	memset(&pdu, 0, sizeof(pdu));
	pdu.subtype = 3;
	KUNIT_EXPECT_NE(test, kd_rx_free(lagx_kd_frame(test, a,
						       kd_slow_proto_addr,
						       kd_peer_mac, ETH_P_SLOW,
						       &pdu, sizeof(pdu)), NULL),
			RX_HANDLER_CONSUMED);
	/* A LACPDU of an unknown version 0: illegal, dropped, counted. */
	kd_lacpdu(&pdu, 0x0b);
	pdu.version = 0;
	KUNIT_EXPECT_EQ(test, kd_rx_free(lagx_kd_frame(test, a,
						       kd_slow_proto_addr,
						       kd_peer_mac, ETH_P_SLOW,
						       &pdu, sizeof(pdu)), NULL),
			RX_HANDLER_CONSUMED);
	kd_lacp_snapshot(test, pa, &p);
	KUNIT_EXPECT_EQ(test, p.unknown_rx, 1);
	KUNIT_EXPECT_EQ(test, p.illegal_rx, 1);
	KUNIT_EXPECT_EQ(test, p.lacpdus_rx, 1);
}

static struct kunit_case lagx_core_test_cases[] = {
	KUNIT_CASE(lagx_refresh_array_test),
	KUNIT_CASE(lagx_rx_active_backup_test),
	KUNIT_CASE(lagx_rx_slb_test),
	KUNIT_CASE(lagx_rx_lacp_test),
	{}
};

static struct kunit_suite lagx_core_test_suite = {
	.name = "lagx_core",
	.test_cases = lagx_core_test_cases,
};

/* ------------------------------------------------------------ link delays */

/* active-backup, ports a (active) and b, downdelay/updelay as given. */
static struct lagx *kd_ab_pair(struct kunit *test, u32 down, u32 up,
			       struct net_device **a, struct net_device **b)
{
	struct lagx *lagx = lagx_kd_lagx(test, LAGX_MODE_ACTIVE_BACKUP);

	KUNIT_ASSERT_EQ(test, lagx_kd_set(lagx, IFLA_LAGX_DOWNDELAY, down), 0);
	KUNIT_ASSERT_EQ(test, lagx_kd_set(lagx, IFLA_LAGX_UPDELAY, up), 0);
	*a = lagx_kd_nic(test, 1000);
	*b = lagx_kd_nic(test, 1000);
	lagx_kd_enslave(test, lagx, *a);
	lagx_kd_enslave(test, lagx, *b);
	lagx_kd_up(test, lagx);
	return lagx;
}

/*
 * The carrier comes back before downdelay is over, but lagx hears of it
 * late (linkwatch holds events of most devices up to a second): at the
 * deadline the port has carrier, so nothing may fail over.
 */
static void lagx_link_downdelay_carrier_back_test(struct kunit *test)
{
	struct net_device *a, *b;
	struct lagx *lagx = kd_ab_pair(test, 20, 0, &a, &b);
	struct lagx_port *pa = lagx_kd_port(a);
	bool up, pending, tx;

	KUNIT_ASSERT_TRUE(test, pa->tx_enabled);
	lagx_kd_carrier(a, false);
	lagx_kd_link_event(a);
	KUNIT_EXPECT_TRUE(test, READ_ONCE(pa->link_pending));
	lagx_kd_carrier(a, true);		/* its event is late */

	msleep(200);
	lagx_kd_flush();
	rtnl_lock();
	up = pa->link_up;
	pending = pa->link_pending;
	tx = pa->tx_enabled;
	rtnl_unlock();
	KUNIT_EXPECT_TRUE_MSG(test, up, "downdelay committed: carrier is up");
	KUNIT_EXPECT_FALSE(test, pending);
	KUNIT_EXPECT_TRUE_MSG(test, tx, "failed over: carrier is up");
	KUNIT_EXPECT_EQ(test, READ_ONCE(lagx->failovers), 0);
}

/* The symmetric case: carrier gone again before updelay is over. */
static void lagx_link_updelay_carrier_gone_test(struct kunit *test)
{
	struct net_device *a, *b;
	struct lagx_port *pb;
	bool up, pending;

	kd_ab_pair(test, 0, 20, &a, &b);
	pb = lagx_kd_port(b);
	lagx_kd_carrier(b, false);
	lagx_kd_link_event(b);
	KUNIT_ASSERT_FALSE(test, READ_ONCE(pb->link_up));

	lagx_kd_carrier(b, true);
	lagx_kd_link_event(b);
	KUNIT_EXPECT_TRUE(test, READ_ONCE(pb->link_pending));
	lagx_kd_carrier(b, false);		/* its event is late */

	msleep(200);
	lagx_kd_flush();
	rtnl_lock();
	up = pb->link_up;
	pending = pb->link_pending;
	rtnl_unlock();
	KUNIT_EXPECT_FALSE_MSG(test, up, "updelay committed: carrier is gone");
	KUNIT_EXPECT_FALSE(test, pending);
}

static bool kd_link_up(struct lagx_port *port)
{
	return READ_ONCE(port->link_up);
}

/*
 * Each port's deadline holds: a port entering a long updelay must not
 * postpone another port's short downdelay (active-backup would keep
 * sending into the dead link for the whole updelay).
 */
static void lagx_link_deadline_per_port_test(struct kunit *test)
{
	struct lagx *lagx = lagx_kd_lagx(test, LAGX_MODE_ACTIVE_BACKUP);
	struct net_device *nic[3];
	struct lagx_port *p[3];
	bool committed, pending, up, tx;
	unsigned int i;

	for (i = 0; i < 3; i++) {
		nic[i] = lagx_kd_nic(test, 1000);
		p[i] = lagx_kd_enslave(test, lagx, nic[i]);
	}
	lagx_kd_carrier(nic[2], false);
	lagx_kd_link_event(nic[2]);
	KUNIT_ASSERT_EQ(test, lagx_kd_set(lagx, IFLA_LAGX_DOWNDELAY, 20), 0);
	KUNIT_ASSERT_EQ(test, lagx_kd_set(lagx, IFLA_LAGX_UPDELAY, 600000), 0);
	lagx_kd_up(test, lagx);
	KUNIT_ASSERT_TRUE(test, p[0]->tx_enabled);

	rtnl_lock();
	lagx_kd_carrier(nic[0], false);
	lagx_port_link_event(p[0]);		/* downdelay 20 ms */
	lagx_kd_carrier(nic[2], true);
	lagx_port_link_event(p[2]);		/* updelay 10 min */
	rtnl_unlock();

	committed = kd_wait(!kd_link_up(p[0]), 5000);
	rtnl_lock();
	tx = p[1]->tx_enabled;
	pending = p[2]->link_pending;
	up = p[2]->link_up;
	rtnl_unlock();
	KUNIT_EXPECT_TRUE_MSG(test, committed,
			      "downdelay of %s not committed after 5 s",
			      nic[0]->name);
	KUNIT_EXPECT_TRUE(test, tx);
	KUNIT_EXPECT_TRUE(test, pending);
	KUNIT_EXPECT_FALSE(test, up);
}

static struct kunit_case lagx_link_test_cases[] = {
	KUNIT_CASE(lagx_link_downdelay_carrier_back_test),
	KUNIT_CASE(lagx_link_updelay_carrier_gone_test),
	KUNIT_CASE(lagx_link_deadline_per_port_test),
	{}
};

static struct kunit_suite lagx_link_test_suite = {
	.name = "lagx_link",
	.test_cases = lagx_link_test_cases,
};

kunit_test_suites(&lagx_core_test_suite, &lagx_link_test_suite);
