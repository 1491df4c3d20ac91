// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of configuration on real devices (kunit_dev.h): device
 * creation through rtnl_link_ops, the MAC address of the device.
 */
#include <kunit/test.h>
#include <kunit/visibility.h>
#include <linux/etherdevice.h>
#include <linux/if_arp.h>
#include <linux/rtnetlink.h>
#include <net/netlink.h>
#include <net/rtnetlink.h>

#include "../lagx.h"
#include "kunit_dev.h"

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);

/* One u32 attribute, as rtnetlink hands it to newlink. */
struct kd_u32_attr {
	struct nlattr nla;
	u32 val;
};

/*
 * newlink with a primary, for a name that is taken: registration fails
 * after the options were committed, and the count of devices with a
 * primary must not keep the failed device.
 */
static void lagx_newlink_fails_test(struct kunit *test)
{
	struct lagx *taken = lagx_kd_lagx(test, LAGX_MODE_ACTIVE_BACKUP);
	struct net_device *nic = lagx_kd_nic(test, 1000);
	struct kd_u32_attr primary = {
		.nla = { .nla_len = nla_attr_size(sizeof(u32)),
			 .nla_type = IFLA_LAGX_PRIMARY },
		.val = nic->ifindex,
	};
	struct nlattr *data[IFLA_LAGX_MAX + 1] = {
		[IFLA_LAGX_PRIMARY] = &primary.nla,
	};
	struct netlink_ext_ack extack = {};
	struct net_device *dev;
	unsigned int before;
	int err;

	dev = alloc_netdev(sizeof(struct lagx), taken->dev->name,
			   NET_NAME_USER, lagx_setup);
	KUNIT_ASSERT_NOT_NULL(test, dev);
	dev->rtnl_link_ops = &lagx_link_ops;

	rtnl_lock();
	before = lagx_primaries_count();
	err = lagx_link_ops.newlink(dev_net(taken->dev), dev, NULL, data,
				    &extack);
	KUNIT_EXPECT_EQ(test, err, -EEXIST);
	KUNIT_EXPECT_EQ(test, lagx_primaries_count(), before);
	rtnl_unlock();
	free_netdev(dev);
}

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

/*
 * A port that cannot change its MAC while up: the change is refused and
 * nothing changes, the port is never closed behind the operator's back.
 */
static void lagx_mac_change_refused_test(struct kunit *test)
{
	struct lagx *lagx = lagx_kd_lagx(test, LAGX_MODE_ACTIVE_BACKUP);
	struct net_device *a = lagx_kd_nic(test, 1000);
	struct net_device *b = lagx_kd_nic(test, 1000);
	u8 old[ETH_ALEN], mac[ETH_ALEN];
	unsigned int stops;

	lagx_kd_enslave(test, lagx, a);
	lagx_kd_enslave(test, lagx, b);
	lagx_kd_up(test, lagx);
	lagx_kd_nic_no_live_mac(b);
	ether_addr_copy(old, lagx->dev->dev_addr);
	stops = lagx_kd_stops(a) + lagx_kd_stops(b);

	eth_random_addr(mac);
	KUNIT_EXPECT_EQ(test, kd_set_mac(lagx, mac), -EBUSY);
	KUNIT_EXPECT_TRUE(test, ether_addr_equal(lagx->dev->dev_addr, old));
	KUNIT_EXPECT_TRUE(test, ether_addr_equal(a->dev_addr, old));
	KUNIT_EXPECT_TRUE(test, ether_addr_equal(b->dev_addr, old));
	KUNIT_EXPECT_EQ(test, lagx_kd_stops(a) + lagx_kd_stops(b), stops);
	KUNIT_EXPECT_TRUE(test, netif_running(b));
}

static struct kunit_case lagx_config_test_cases[] = {
	KUNIT_CASE(lagx_newlink_fails_test),
	KUNIT_CASE(lagx_mac_change_live_test),
	KUNIT_CASE(lagx_mac_change_refused_test),
	{}
};

static struct kunit_suite lagx_config_test_suite = {
	.name = "lagx_config",
	.test_cases = lagx_config_test_cases,
};

kunit_test_suite(lagx_config_test_suite);
