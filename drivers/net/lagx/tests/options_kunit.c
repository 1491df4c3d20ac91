// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the option table and request validation.
 */
#include <kunit/test.h>
#include <kunit/visibility.h>
#include <linux/netlink.h>

#include "../lagx.h"
#include "../options.h"

#define M(mode)	BIT(LAGX_MODE_##mode)

struct opt_test {
	struct lagx_config cur, new;
	struct lagx_opt_ctx ctx;
	struct netlink_ext_ack extack;
	unsigned int bad;
};

static void opt_test_init(struct opt_test *t)
{
	memset(t, 0, sizeof(*t));
	lagx_config_init(&t->cur);
	t->new = t->cur;
	t->ctx.devname = "lagx0";
	t->ctx.mode = t->cur.mode;
	t->ctx.built_modes = M(ACTIVE_BACKUP);
	t->bad = ~0U;
}

static struct lagx_opt_change chg(u16 attr, s64 val)
{
	return (struct lagx_opt_change){
		.opt = lagx_option_by_attr(attr, false), .val = val,
	};
}

static int opt_apply(struct opt_test *t, const struct lagx_opt_change *c,
		     unsigned int n)
{
	t->new = t->cur;
	return lagx_options_apply(&t->ctx, &t->cur, &t->new, c, n, &t->bad,
				  &t->extack);
}

static void expect_msg(struct kunit *test, struct opt_test *t, const char *s)
{
	KUNIT_ASSERT_NOT_NULL(test, t->extack._msg);
	KUNIT_EXPECT_NOT_NULL_MSG(test, strstr(t->extack._msg, s),
				  "message '%s' lacks '%s'", t->extack._msg, s);
}

/* The table is consistent: unique attributes, sane ranges, names. */
static void lagx_option_table_test(struct kunit *test)
{
	unsigned int i, j;

	for (i = 0; i < lagx_options_count; i++) {
		const struct lagx_option *o = &lagx_options[i];

		KUNIT_EXPECT_TRUE(test, o->name && o->name[0]);
		KUNIT_EXPECT_NE(test, o->attr, 0);
		KUNIT_EXPECT_LE(test, o->min, o->max);
		KUNIT_EXPECT_NE_MSG(test, o->modes, 0, "%s has no mode", o->name);
		KUNIT_EXPECT_PTR_EQ(test, lagx_option_by_attr(o->attr, o->port), o);
		if (o->values) {
			for (j = 0; j <= o->max; j++)
				KUNIT_EXPECT_NOT_NULL_MSG(test, o->values[j],
							  "%s value %u", o->name, j);
			KUNIT_EXPECT_NULL(test, o->values[o->max + 1]);
		}
		for (j = i + 1; j < lagx_options_count; j++)
			KUNIT_EXPECT_FALSE(test, !strcmp(o->name, lagx_options[j].name) &&
					   o->port == lagx_options[j].port);
	}
}

struct range_case {
	const char *desc;
	u16 attr;
	s64 val;
	int err;
};

static const struct range_case range_cases[] = {
	{ "updelay 0", IFLA_LAGX_UPDELAY, 0, 0 },
	{ "updelay 600000", IFLA_LAGX_UPDELAY, 600000, 0 },
	{ "updelay 600001", IFLA_LAGX_UPDELAY, 600001, -ERANGE },
	{ "max_ports 0", IFLA_LAGX_MAX_PORTS, 0, -ERANGE },
	{ "max_ports 64", IFLA_LAGX_MAX_PORTS, 64, 0 },
	{ "max_ports 65", IFLA_LAGX_MAX_PORTS, 65, -ERANGE },
	{ "primary_reselect 2", IFLA_LAGX_PRIMARY_RESELECT, 2, 0 },
	{ "primary_reselect 3", IFLA_LAGX_PRIMARY_RESELECT, 3, -ERANGE },
	{ "mode 3", IFLA_LAGX_MODE, 3, -ERANGE },
	{ "lacp_sys_prio 0", IFLA_LAGX_LACP_SYS_PRIO, 0, -ERANGE },
	{ "xmit_hash_policy 6", IFLA_LAGX_XMIT_HASH_POLICY, 6, -ERANGE },
};

static void range_case_desc(const struct range_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(range, range_cases, range_case_desc);

static void lagx_option_range_test(struct kunit *test)
{
	const struct range_case *c = test->param_value;
	struct lagx_opt_change ch = chg(c->attr, c->val);
	struct opt_test *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, t);
	opt_test_init(t);
	KUNIT_ASSERT_NOT_NULL(test, ch.opt);

	KUNIT_EXPECT_EQ(test, opt_apply(t, &ch, 1), c->err);
	if (c->err) {
		expect_msg(test, t, ch.opt->name);
		expect_msg(test, t, "out of range");
		KUNIT_EXPECT_EQ(test, t->bad, 0);
	} else {
		KUNIT_EXPECT_EQ(test, lagx_option_get(ch.opt, &t->new), c->val);
	}
}

/* Options of a mode that exists are refused in another mode... */
static void lagx_option_wrong_mode_test(struct kunit *test)
{
	struct lagx_opt_change ch = chg(IFLA_LAGX_XMIT_HASH_POLICY, 2);
	struct opt_test *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, t);
	opt_test_init(t);
	t->ctx.built_modes = M(ACTIVE_BACKUP) | M(BALANCE_SLB);

	KUNIT_EXPECT_EQ(test, opt_apply(t, &ch, 1), -EINVAL);
	expect_msg(test, t, "xmit_hash_policy: does not apply to mode active-backup");
}

/* ...but stored while their modes are still to come. */
static void lagx_option_future_mode_test(struct kunit *test)
{
	struct lagx_opt_change ch[] = {
		chg(IFLA_LAGX_XMIT_HASH_POLICY, 2),
		chg(IFLA_LAGX_LACP_RATE, LAGX_LACP_RATE_FAST),
	};
	struct opt_test *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, t);
	opt_test_init(t);

	KUNIT_EXPECT_EQ(test, opt_apply(t, ch, ARRAY_SIZE(ch)), 0);
	KUNIT_EXPECT_EQ(test, t->new.xmit_hash_policy, 2);
	KUNIT_EXPECT_EQ(test, t->new.lacp_rate, LAGX_LACP_RATE_FAST);
}

/* The mode set in the same request is the one options are checked for. */
static void lagx_option_mode_and_option_test(struct kunit *test)
{
	struct lagx_opt_change ch[] = {
		chg(IFLA_LAGX_XMIT_HASH_POLICY, 2),
		chg(IFLA_LAGX_MODE, LAGX_MODE_BALANCE_SLB),
	};
	struct opt_test *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, t);
	opt_test_init(t);
	t->ctx.built_modes = M(ACTIVE_BACKUP) | M(BALANCE_SLB);

	KUNIT_EXPECT_EQ(test, opt_apply(t, ch, ARRAY_SIZE(ch)), 0);
	KUNIT_EXPECT_EQ(test, t->new.mode, LAGX_MODE_BALANCE_SLB);
}

static void lagx_option_mode_test(struct kunit *test)
{
	struct lagx_opt_change slb = chg(IFLA_LAGX_MODE, LAGX_MODE_BALANCE_SLB);
	struct lagx_opt_change ab = chg(IFLA_LAGX_MODE, LAGX_MODE_ACTIVE_BACKUP);
	struct opt_test *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, t);
	opt_test_init(t);

	/* A mode not written yet. */
	KUNIT_EXPECT_EQ(test, opt_apply(t, &slb, 1), -EOPNOTSUPP);
	expect_msg(test, t, "mode: balance-slb is not implemented yet");

	/* With ports: refused, unless it does not change. */
	t->ctx.built_modes |= M(BALANCE_SLB);
	t->ctx.port_count = 2;
	KUNIT_EXPECT_EQ(test, opt_apply(t, &slb, 1), -EBUSY);
	expect_msg(test, t, "mode: cannot change while lagx0 has ports");
	KUNIT_EXPECT_EQ(test, opt_apply(t, &ab, 1), 0);

	t->ctx.port_count = 0;
	KUNIT_EXPECT_EQ(test, opt_apply(t, &slb, 1), 0);
	KUNIT_EXPECT_EQ(test, t->new.mode, LAGX_MODE_BALANCE_SLB);
}

static void lagx_option_when_test(struct kunit *test)
{
	static const u8 mac[ETH_ALEN] = { 0x02, 0, 0, 0, 0, 1 };
	struct lagx_opt_change ch = {
		.opt = lagx_option_by_attr(IFLA_LAGX_LACP_SYS_MAC, false),
		.mac = mac,
	};
	struct lagx_opt_change mp = chg(IFLA_LAGX_MAX_PORTS, 2);
	struct opt_test *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, t);
	opt_test_init(t);

	t->ctx.running = true;
	KUNIT_EXPECT_EQ(test, opt_apply(t, &ch, 1), -EBUSY);
	expect_msg(test, t, "lacp_sys_mac: cannot change while lagx0 is up");
	t->ctx.running = false;
	KUNIT_EXPECT_EQ(test, opt_apply(t, &ch, 1), 0);
	KUNIT_EXPECT_MEMEQ(test, t->new.lacp_sys_mac, mac, ETH_ALEN);

	t->ctx.port_count = 3;
	KUNIT_EXPECT_EQ(test, opt_apply(t, &mp, 1), -EBUSY);
	expect_msg(test, t, "max_ports: lagx0 already has 3 ports");
	t->ctx.port_count = 2;
	KUNIT_EXPECT_EQ(test, opt_apply(t, &mp, 1), 0);
}

/* The refused change is named, and the current configuration untouched. */
static void lagx_option_bad_index_test(struct kunit *test)
{
	struct lagx_opt_change ch[] = {
		chg(IFLA_LAGX_UPDELAY, 100),
		chg(IFLA_LAGX_DOWNDELAY, 700000),
		chg(IFLA_LAGX_MIN_LINKS, 1),
	};
	struct opt_test *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	struct lagx_config before;

	KUNIT_ASSERT_NOT_NULL(test, t);
	opt_test_init(t);
	before = t->cur;

	KUNIT_EXPECT_EQ(test, opt_apply(t, ch, ARRAY_SIZE(ch)), -ERANGE);
	KUNIT_EXPECT_EQ(test, t->bad, 1);
	expect_msg(test, t, "downdelay");
	KUNIT_EXPECT_MEMEQ(test, &t->cur, &before, sizeof(before));
}

static void lagx_port_option_test(struct kunit *test)
{
	struct lagx_port_config cur, new;
	struct lagx_opt_change ch[] = {
		{ .opt = lagx_option_by_attr(IFLA_LAGX_PORT_PRIO, true), .val = -5 },
		{ .opt = lagx_option_by_attr(IFLA_LAGX_PORT_LACP_PRIO, true), .val = 7 },
	};
	struct opt_test *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, t);
	opt_test_init(t);
	lagx_port_config_init(&cur);
	new = cur;

	KUNIT_ASSERT_NOT_NULL(test, ch[0].opt);
	KUNIT_EXPECT_EQ(test, lagx_options_apply(&t->ctx, &cur, &new, ch,
						 ARRAY_SIZE(ch), &t->bad,
						 &t->extack), 0);
	KUNIT_EXPECT_EQ(test, new.prio, -5);
	KUNIT_EXPECT_EQ(test, new.lacp_prio, 7);
	KUNIT_EXPECT_EQ(test, cur.prio, 0);
}

static struct kunit_case lagx_options_test_cases[] = {
	KUNIT_CASE(lagx_option_table_test),
	KUNIT_CASE_PARAM(lagx_option_range_test, range_gen_params),
	KUNIT_CASE(lagx_option_wrong_mode_test),
	KUNIT_CASE(lagx_option_future_mode_test),
	KUNIT_CASE(lagx_option_mode_and_option_test),
	KUNIT_CASE(lagx_option_mode_test),
	KUNIT_CASE(lagx_option_when_test),
	KUNIT_CASE(lagx_option_bad_index_test),
	KUNIT_CASE(lagx_port_option_test),
	{}
};

static struct kunit_suite lagx_options_test_suite = {
	.name = "lagx_options",
	.test_cases = lagx_options_test_cases,
};

kunit_test_suite(lagx_options_test_suite);
