// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the hash buckets on real devices (kunit_dev.h): binding
 * on first sight, rebinding of stale buckets, and moves that transmit
 * sees only once the ports they go to can be found.
 */
#include <kunit/skbuff.h>
#include <kunit/test.h>
#include <kunit/visibility.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <linux/skbuff.h>
#include <linux/tracepoint.h>

#include "../lagx.h"
#include "../mode.h"
#include "../trace.h"
#include "kunit_dev.h"

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);

/* What transmit does for a frame of bucket @b, under rcu_read_lock_bh(). */
static struct lagx_port *kd_tx_bucket(struct lagx *lagx, struct sk_buff *skb,
				      unsigned int b)
{
	const struct lagx_port_array *arr;
	struct lagx_port *port = NULL;

	rcu_read_lock_bh();
	arr = rcu_dereference_bh(lagx->tx_ports);
	if (arr)
		port = lagx_bucket_tx_port(lagx, arr, skb, b);
	rcu_read_unlock_bh();
	return port;
}

static struct sk_buff *kd_skb(struct kunit *test)
{
	struct sk_buff *skb = kunit_zalloc_skb(test, ETH_ZLEN, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, skb);
	return skb;
}

/* balance-slb over @n fake NICs, up. */
static struct lagx *kd_slb(struct kunit *test, unsigned int n,
			   struct net_device **nic, struct lagx_port **p)
{
	struct lagx *lagx = lagx_kd_lagx(test, LAGX_MODE_BALANCE_SLB);
	unsigned int i;

	/* No periodic rebalancing moving buckets behind the test's back. */
	KUNIT_ASSERT_EQ(test, lagx_kd_set(lagx, IFLA_LAGX_REBALANCE_INTERVAL,
					  0), 0);
	for (i = 0; i < n; i++) {
		nic[i] = lagx_kd_nic(test, 1000);
		p[i] = lagx_kd_enslave(test, lagx, nic[i]);
	}
	lagx_kd_up(test, lagx);
	return lagx;
}

/* A new bucket goes to the port with the fewest buckets (no load yet). */
static void lagx_bucket_first_sight_test(struct kunit *test)
{
	struct net_device *nic[3];
	struct lagx_port *p[3];
	struct lagx *lagx = kd_slb(test, 3, nic, p);
	struct sk_buff *skb = kd_skb(test);
	unsigned int b, i;

	for (b = 0; b < 6; b++) {
		struct lagx_port *port = kd_tx_bucket(lagx, skb, b);

		KUNIT_ASSERT_NOT_NULL(test, port);
		KUNIT_EXPECT_EQ(test, READ_ONCE(lagx->buckets->port[b]),
				port->id);
		/* and stays there */
		KUNIT_EXPECT_PTR_EQ(test, kd_tx_bucket(lagx, skb, b), port);
	}
	for (i = 0; i < 3; i++)
		KUNIT_EXPECT_EQ(test, atomic_read(&p[i]->buckets), 2);
}

/* A bucket bound to a port that left the array is rebound, never followed. */
static void lagx_bucket_stale_test(struct kunit *test)
{
	struct net_device *nic[2];
	struct lagx_port *p[2];
	struct lagx *lagx = kd_slb(test, 2, nic, p);
	struct sk_buff *skb = kd_skb(test);

	WRITE_ONCE(lagx->buckets->port[7], 42);		/* no such port */
	KUNIT_EXPECT_PTR_EQ(test, kd_tx_bucket(lagx, skb, 7), p[0]);
	KUNIT_EXPECT_EQ(test, READ_ONCE(lagx->buckets->port[7]), p[0]->id);
}

/* Records each bucket move and transmits a frame of that bucket at once,
 * as another CPU would.
 */
struct kd_move_probe {
	struct lagx *lagx;
	struct sk_buff *skb;
	unsigned int n;
	u32 bucket[LAGX_BUCKETS];
	char to[LAGX_BUCKETS][IFNAMSIZ];
};

static void kd_move_probe(void *data, const struct net_device *dev,
			  u32 bucket, const char *from, const char *to,
			  u64 load, const char *reason)
{
	struct kd_move_probe *pr = data;
	const struct lagx_port_array *arr;

	if (dev != pr->lagx->dev || pr->n >= LAGX_BUCKETS)
		return;
	pr->bucket[pr->n] = bucket;
	strscpy(pr->to[pr->n], to, IFNAMSIZ);
	pr->n++;
	arr = rcu_dereference_check(pr->lagx->tx_ports, lockdep_rtnl_is_held());
	if (arr)
		lagx_bucket_tx_port(pr->lagx, arr, pr->skb, bucket);
}

/*
 * Buckets move to a port that has just started transmitting (here a port
 * that takes over from another in one decision, as when LACP changes
 * aggregator).  Transmit, racing with the move, must find the new port:
 * else it rebinds the bucket to a port of the old array and silently
 * undoes the plan, while the announcement goes out on the planned port.
 */
static void lagx_bucket_move_published_test(struct kunit *test)
{
	struct net_device *nic[3];
	struct lagx_port *p[3];
	struct lagx *lagx = kd_slb(test, 3, nic, p);
	struct kd_move_probe *pr;
	unsigned int b, i;

	pr = kunit_kzalloc(test, sizeof(*pr), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, pr);
	pr->lagx = lagx;
	pr->skb = kd_skb(test);

	/* Only a and b transmit; four buckets bound to them. */
	lagx_kd_carrier(nic[2], false);
	lagx_kd_link_event(nic[2]);
	for (b = 0; b < 4; b++)
		KUNIT_ASSERT_NOT_NULL(test, kd_tx_bucket(lagx, pr->skb, b));
	KUNIT_ASSERT_EQ(test, atomic_read(&p[0]->buckets), 2);

	KUNIT_ASSERT_EQ(test, register_trace_lagx_bucket_move(kd_move_probe,
							      pr), 0);
	rtnl_lock();
	/* The decision of a mode: a stops transmitting, c starts. */
	p[0]->tx_enabled = false;
	p[2]->tx_enabled = true;
	lagx_buckets_update(lagx, false, NULL);
	rtnl_unlock();
	unregister_trace_lagx_bucket_move(kd_move_probe, pr);
	tracepoint_synchronize_unregister();

	KUNIT_ASSERT_EQ(test, pr->n, 2);
	for (i = 0; i < pr->n; i++) {
		u32 id = READ_ONCE(lagx->buckets->port[pr->bucket[i]]);

		KUNIT_EXPECT_STREQ(test, pr->to[i], nic[2]->name);
		KUNIT_EXPECT_EQ_MSG(test, id, p[2]->id,
				    "bucket %u moved to %s, bound to port id %u",
				    pr->bucket[i], pr->to[i], id);
	}
}

static struct kunit_case lagx_bucket_test_cases[] = {
	KUNIT_CASE(lagx_bucket_first_sight_test),
	KUNIT_CASE(lagx_bucket_stale_test),
	KUNIT_CASE(lagx_bucket_move_published_test),
	{}
};

static struct kunit_suite lagx_bucket_test_suite = {
	.name = "lagx_bucket",
	.test_cases = lagx_bucket_test_cases,
};

kunit_test_suite(lagx_bucket_test_suite);
