// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of configuration on real devices (kunit_dev.h): the MAC
 * address of the device.
 */
#include <kunit/test.h>
#include <kunit/visibility.h>
#include <linux/etherdevice.h>
#include <linux/if_arp.h>
#include <linux/rtnetlink.h>

#include "../lagx.h"
#include "kunit_dev.h"

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);

static int kd_set_mac(struct lagx *lagx, const u8 *mac)
{
	struct sockaddr sa = { .sa_family = ARPHRD_ETHER };
	int err;

	memcpy(sa.sa_data, mac, ETH_ALEN);
	rtnl_lock();
	err = dev_set_mac_address(lagx->dev, &sa, NULL);
	rtnl_unlock();
	return err;
}

/*
 * A new MAC for the lagx device goes to every port live, without closing
 * and reopening them (a link flap of the whole aggregate on real NICs).
 */
static void lagx_mac_change_live_test(struct kunit *test)
{
	struct lagx *lagx = lagx_kd_lagx(test, LAGX_MODE_BALANCE_SLB);
	struct net_device *a = lagx_kd_nic(test, 1000);
	struct net_device *b = lagx_kd_nic(test, 1000);
	u8 mac[ETH_ALEN];
	unsigned int stops;

	lagx_kd_enslave(test, lagx, a);
	lagx_kd_enslave(test, lagx, b);
	lagx_kd_up(test, lagx);
	stops = lagx_kd_stops(a) + lagx_kd_stops(b);

	eth_random_addr(mac);
	KUNIT_ASSERT_EQ(test, kd_set_mac(lagx, mac), 0);
	KUNIT_EXPECT_TRUE(test, ether_addr_equal(lagx->dev->dev_addr, mac));
	KUNIT_EXPECT_TRUE(test, ether_addr_equal(a->dev_addr, mac));
	KUNIT_EXPECT_TRUE(test, ether_addr_equal(b->dev_addr, mac));
	KUNIT_EXPECT_EQ(test, lagx_kd_stops(a) + lagx_kd_stops(b), stops);
}

static struct kunit_case lagx_config_test_cases[] = {
	KUNIT_CASE(lagx_mac_change_live_test),
	{}
};

static struct kunit_suite lagx_config_test_suite = {
	.name = "lagx_config",
	.test_cases = lagx_config_test_cases,
};

kunit_test_suite(lagx_config_test_suite);
