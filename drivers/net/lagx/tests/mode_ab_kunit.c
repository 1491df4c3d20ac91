// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the active-backup selection logic and port states.
 */
#include <kunit/test.h>
#include <kunit/visibility.h>

#include "../lagx.h"
#include "../mode.h"

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);

#define U true
#define D false

struct ab_choose_case {
	const char *desc;
	bool usable[LAGX_MAX_PORTS];
	unsigned int n;
	int current_idx;
	int expected;
};

static const struct ab_choose_case ab_choose_cases[] = {
	{ "no ports",			{ },		0, -1, -1 },
	{ "one usable port",		{ U },		1, -1,  0 },
	{ "one dead port",		{ D },		1, -1, -1 },
	{ "first usable wins",		{ D, U, U },	3, -1,  1 },
	{ "enslave order, not last",	{ U, U, U },	3, -1,  0 },
	{ "current stays while usable",	{ U, U, U },	3,  2,  2 },
	{ "no fail-back to first port",	{ U, U },	2,  1,  1 },
	{ "current died, next takes over", { U, D, U },	3,  1,  0 },
	{ "current died, only later port", { D, D, U }, 3,  0,  2 },
	{ "all ports dead",		{ D, D, D },	3,  1, -1 },
	{ "stale current index",	{ D, U },	2,  5,  1 },
	{ "full house, last usable",
	  { [0 ... LAGX_MAX_PORTS - 2] = D, [LAGX_MAX_PORTS - 1] = U },
	  LAGX_MAX_PORTS, 3, LAGX_MAX_PORTS - 1 },
};

static void ab_choose_desc(const struct ab_choose_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(ab_choose, ab_choose_cases, ab_choose_desc);

static void lagx_ab_choose_test(struct kunit *test)
{
	const struct ab_choose_case *c = test->param_value;
	struct lagx_ab_candidate cand[LAGX_MAX_PORTS];
	unsigned int i;

	/* Arrange */
	for (i = 0; i < c->n; i++)
		cand[i].usable = c->usable[i];

	/* Act, Assert */
	KUNIT_EXPECT_EQ(test, lagx_ab_choose(cand, c->n, c->current_idx),
			c->expected);
}

/* Repeated events must not move traffic once a choice is made. */
static void lagx_ab_choose_stable_test(struct kunit *test)
{
	struct lagx_ab_candidate cand[3] = { { .usable = false },
					     { .usable = true },
					     { .usable = true } };
	int cur = -1, i;

	for (i = 0; i < 10; i++)
		cur = lagx_ab_choose(cand, ARRAY_SIZE(cand), cur);
	KUNIT_EXPECT_EQ(test, cur, 1);

	/* The first port recovers: still no move. */
	cand[0].usable = true;
	KUNIT_EXPECT_EQ(test, lagx_ab_choose(cand, ARRAY_SIZE(cand), cur), 1);

	/* The active one fails: the first usable in order takes over. */
	cand[1].usable = false;
	KUNIT_EXPECT_EQ(test, lagx_ab_choose(cand, ARRAY_SIZE(cand), cur), 0);
}

static void lagx_port_state_test(struct kunit *test)
{
	struct lagx_port *port = kunit_kzalloc(test, sizeof(*port), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, port);

	KUNIT_EXPECT_EQ(test, lagx_port_state(port), LAGX_PORT_STATE_DOWN);
	port->link_up = true;
	KUNIT_EXPECT_EQ(test, lagx_port_state(port), LAGX_PORT_STATE_BACKUP);
	port->tx_enabled = true;
	KUNIT_EXPECT_EQ(test, lagx_port_state(port), LAGX_PORT_STATE_ACTIVE);
	KUNIT_EXPECT_STREQ(test, lagx_port_state_name(LAGX_PORT_STATE_ACTIVE),
			   "active");
	KUNIT_EXPECT_STREQ(test, lagx_port_state_name(LAGX_PORT_STATE_BACKUP),
			   "backup");
	KUNIT_EXPECT_STREQ(test, lagx_port_state_name(LAGX_PORT_STATE_DOWN),
			   "down");
}

static struct kunit_case lagx_ab_test_cases[] = {
	KUNIT_CASE_PARAM(lagx_ab_choose_test, ab_choose_gen_params),
	KUNIT_CASE(lagx_ab_choose_stable_test),
	KUNIT_CASE(lagx_port_state_test),
	{}
};

static struct kunit_suite lagx_ab_test_suite = {
	.name = "lagx_active_backup",
	.test_cases = lagx_ab_test_cases,
};

kunit_test_suite(lagx_ab_test_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests for lagx");
