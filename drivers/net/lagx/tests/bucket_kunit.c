// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the hash buckets on real devices (kunit_dev.h): binding
 * on first sight and rebinding of stale buckets.
 */
#include <kunit/skbuff.h>
#include <kunit/test.h>
#include <kunit/visibility.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>

#include "../lagx.h"
#include "../mode.h"
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

static struct kunit_case lagx_bucket_test_cases[] = {
	KUNIT_CASE(lagx_bucket_first_sight_test),
	KUNIT_CASE(lagx_bucket_stale_test),
	{}
};

static struct kunit_suite lagx_bucket_test_suite = {
	.name = "lagx_bucket",
	.test_cases = lagx_bucket_test_cases,
};

kunit_test_suite(lagx_bucket_test_suite);
