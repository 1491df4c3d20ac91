// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the active-backup selection logic and port states.
 */
#include <kunit/test.h>
#include <kunit/visibility.h>

#include "../lagx.h"
#include "../mode.h"

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);

#define ALWAYS	LAGX_PRIMARY_RESELECT_ALWAYS
#define BETTER	LAGX_PRIMARY_RESELECT_BETTER
#define FAILURE	LAGX_PRIMARY_RESELECT_FAILURE

/* A port as the selection sees it. */
#define UP(_prio)	{ .usable = true, .prio = _prio, .speed = 1000 }
#define DOWN(_prio)	{ .usable = false, .prio = _prio, .speed = 1000 }
#define PRI_UP		{ .usable = true, .primary = true, .speed = 1000 }
#define PRI_DOWN	{ .usable = false, .primary = true, .speed = 1000 }
#define FAST_UP(_prio)	{ .usable = true, .prio = _prio, .speed = 10000 }

#define MAX_CAND 8

struct ab_case {
	const char *desc;
	struct lagx_ab_candidate cand[MAX_CAND];
	unsigned int n;
	int current_idx;	/* -1: no active port */
	u32 reselect;
	int expected;		/* -1: no active port */
};

/*
 * What ab_reselect() does over the port list, on an array: the best
 * usable candidate (first among equals), then whether to move to it.
 */
static int ab_choose(const struct ab_case *c)
{
	const struct lagx_ab_candidate *cur = NULL;
	int best = -1;
	unsigned int i;

	for (i = 0; i < c->n; i++)
		if (c->cand[i].usable &&
		    (best < 0 || lagx_ab_outranks(&c->cand[i], &c->cand[best])))
			best = i;
	if (c->current_idx >= 0)
		cur = &c->cand[c->current_idx];
	if (lagx_ab_should_move(cur, best >= 0 ? &c->cand[best] : NULL,
				c->reselect))
		return best;
	return c->current_idx;
}

static const struct ab_case ab_cases[] = {
	{ "no ports", { }, 0, -1, ALWAYS, -1 },
	{ "one usable port", { UP(0) }, 1, -1, ALWAYS, 0 },
	{ "one dead port", { DOWN(0) }, 1, -1, ALWAYS, -1 },
	{ "first usable in enslave order", { DOWN(0), UP(0), UP(0) }, 3, -1,
	  ALWAYS, 1 },
	{ "equal ports: current stays", { UP(0), UP(0), UP(0) }, 3, 2,
	  ALWAYS, 2 },
	{ "no fail-back among equals", { UP(0), UP(0) }, 2, 1, ALWAYS, 1 },
	{ "current died: next takes over", { UP(0), DOWN(0), UP(0) }, 3, 1,
	  ALWAYS, 0 },
	{ "current died: only a later port", { DOWN(0), DOWN(0), UP(0) }, 3, 0,
	  ALWAYS, 2 },
	{ "all ports dead", { DOWN(0), DOWN(0), DOWN(0) }, 3, 1, ALWAYS, -1 },
	{ "higher prio chosen first", { UP(0), UP(5), UP(3) }, 3, -1,
	  ALWAYS, 1 },
	{ "higher prio takes over (always)", { UP(0), UP(5) }, 2, 0,
	  ALWAYS, 1 },
	{ "higher prio waits (failure)", { UP(0), UP(5) }, 2, 0, FAILURE, 0 },
	{ "negative prio loses", { UP(-1), UP(0) }, 2, -1, ALWAYS, 1 },
	{ "primary beats prio", { UP(100), PRI_UP }, 2, -1, ALWAYS, 1 },
	{ "primary back: takes over (always)", { UP(0), PRI_UP }, 2, 0,
	  ALWAYS, 1 },
	{ "primary back: same speed (better)", { UP(0), PRI_UP }, 2, 0,
	  BETTER, 0 },
	{ "primary back: faster (better)",
	  { UP(0), { .usable = true, .primary = true, .speed = 10000 } }, 2, 0,
	  BETTER, 1 },
	{ "primary back: waits (failure)", { UP(0), PRI_UP }, 2, 0,
	  FAILURE, 0 },
	{ "primary dead: prio decides", { PRI_DOWN, UP(1), UP(2) }, 3, 0,
	  FAILURE, 2 },
	{ "faster, same rank: no move (better)", { UP(0), FAST_UP(0) }, 2, 0,
	  BETTER, 0 },
};

static void ab_case_desc(const struct ab_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(ab, ab_cases, ab_case_desc);

static void lagx_ab_select_test(struct kunit *test)
{
	const struct ab_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, ab_choose(c), c->expected);
}

/* Repeated events must not move traffic once a choice is made. */
static void lagx_ab_select_stable_test(struct kunit *test)
{
	struct ab_case c = {
		.cand = { DOWN(0), UP(0), UP(0) }, .n = 3,
		.current_idx = -1, .reselect = ALWAYS,
	};
	int i;

	for (i = 0; i < 10; i++)
		c.current_idx = ab_choose(&c);
	KUNIT_EXPECT_EQ(test, c.current_idx, 1);

	/* The first port recovers: still no move. */
	c.cand[0].usable = true;
	KUNIT_EXPECT_EQ(test, ab_choose(&c), 1);

	/* The active one fails: the first usable in order takes over. */
	c.cand[1].usable = false;
	KUNIT_EXPECT_EQ(test, ab_choose(&c), 0);
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
	KUNIT_CASE_PARAM(lagx_ab_select_test, ab_gen_params),
	KUNIT_CASE(lagx_ab_select_stable_test),
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
