// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for active-backup: which port carries traffic, decided by
 * the real mode on a real device (kunit_dev.h), and the port states.
 */
#include <kunit/test.h>
#include <kunit/visibility.h>
#include <linux/rtnetlink.h>

#include "../lagx.h"
#include "../mode.h"
#include "kunit_dev.h"

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

/* The active port of @lagx, as an index into @p (-1: none). */
static int ab_active_idx(struct lagx *lagx, struct lagx_port *const *p,
			 unsigned int n)
{
	struct lagx_port *active;
	unsigned int i;

	rtnl_lock();
	active = lagx->mode->ops->active_port(lagx);
	rtnl_unlock();
	for (i = 0; i < n; i++)
		if (p[i] == active)
			return i;
	return -1;
}

/*
 * A device with the case's ports, in enslave order, its current active
 * port made active by a link event, then the case's state arranged and
 * one reselection run by the mode itself (as a configuration change
 * does).  Returns the index of the port the mode chose.
 */
static int ab_choose(struct kunit *test, const struct ab_case *c)
{
	struct lagx *lagx = lagx_kd_lagx(test, LAGX_MODE_ACTIVE_BACKUP);
	struct net_device *nic[MAX_CAND];
	struct lagx_port *p[MAX_CAND];
	unsigned int i;

	KUNIT_ASSERT_EQ(test, lagx_kd_set(lagx, IFLA_LAGX_PRIMARY_RESELECT,
					  c->reselect), 0);
	for (i = 0; i < c->n; i++) {
		nic[i] = lagx_kd_nic(test, c->cand[i].speed);
		if (c->cand[i].primary)
			KUNIT_ASSERT_EQ(test, lagx_kd_set(lagx, IFLA_LAGX_PRIMARY,
							  nic[i]->ifindex), 0);
		lagx_kd_carrier(nic[i], false);
		p[i] = lagx_kd_enslave(test, lagx, nic[i]);
	}
	if (c->current_idx >= 0) {
		lagx_kd_carrier(nic[c->current_idx], true);
		lagx_kd_link_event(nic[c->current_idx]);
		KUNIT_ASSERT_EQ(test, ab_active_idx(lagx, p, c->n),
				c->current_idx);
	}

	rtnl_lock();
	for (i = 0; i < c->n; i++) {
		lagx_kd_carrier(nic[i], c->cand[i].usable);
		WRITE_ONCE(p[i]->link_up, c->cand[i].usable);
		WRITE_ONCE(p[i]->speed, c->cand[i].speed);
		p[i]->cfg.prio = c->cand[i].prio;
	}
	lagx->mode->ops->config_changed(lagx, NULL);
	lagx_refresh(lagx);
	rtnl_unlock();

	return ab_active_idx(lagx, p, c->n);
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

	KUNIT_EXPECT_EQ(test, ab_choose(test, c), c->expected);
}

static struct lagx *ab_three(struct kunit *test, struct net_device **nic,
			     struct lagx_port **p)
{
	struct lagx *lagx = lagx_kd_lagx(test, LAGX_MODE_ACTIVE_BACKUP);
	unsigned int i;

	for (i = 0; i < 3; i++) {
		nic[i] = lagx_kd_nic(test, 1000);
		p[i] = lagx_kd_enslave(test, lagx, nic[i]);
	}
	lagx_kd_up(test, lagx);
	KUNIT_ASSERT_EQ(test, ab_active_idx(lagx, p, 3), 0);
	return lagx;
}

static void ab_link(struct net_device *nic, bool up)
{
	lagx_kd_carrier(nic, up);
	lagx_kd_link_event(nic);
}

/* Events never move traffic back once it moved: no fail-back. */
static void lagx_ab_select_stable_test(struct kunit *test)
{
	struct net_device *nic[3];
	struct lagx_port *p[3];
	struct lagx *lagx = ab_three(test, nic, p);

	ab_link(nic[0], false);
	KUNIT_EXPECT_EQ(test, ab_active_idx(lagx, p, 3), 1);
	ab_link(nic[0], true);
	KUNIT_EXPECT_EQ(test, ab_active_idx(lagx, p, 3), 1);
	ab_link(nic[2], false);
	ab_link(nic[2], true);
	KUNIT_EXPECT_EQ(test, ab_active_idx(lagx, p, 3), 1);
	/* The active one fails: the first usable in order takes over. */
	ab_link(nic[1], false);
	KUNIT_EXPECT_EQ(test, ab_active_idx(lagx, p, 3), 0);
	KUNIT_EXPECT_EQ(test, READ_ONCE(lagx->failovers), 2);
}

static int ab_force(struct lagx *lagx, struct lagx_port *port,
		    struct netlink_ext_ack *extack)
{
	int err;

	rtnl_lock();
	err = lagx->mode->ops->set_active(lagx, port, extack);
	rtnl_unlock();
	return err;
}

/* A port made active by the operator stays so while it is usable. */
static void lagx_ab_forced_test(struct kunit *test)
{
	struct netlink_ext_ack extack = {};
	struct net_device *nic[3];
	struct lagx_port *p[3];
	struct lagx *lagx = ab_three(test, nic, p);

	KUNIT_ASSERT_EQ(test, ab_force(lagx, p[2], &extack), 0);
	KUNIT_EXPECT_EQ(test, ab_active_idx(lagx, p, 3), 2);
	/* A port that outranks it does not take over... */
	KUNIT_ASSERT_EQ(test, lagx_kd_set_port(p[0], IFLA_LAGX_PORT_PRIO, 10), 0);
	ab_link(nic[1], false);
	ab_link(nic[1], true);
	KUNIT_EXPECT_EQ(test, ab_active_idx(lagx, p, 3), 2);
	/* ...until the forced port fails; then the ranking decides again. */
	ab_link(nic[2], false);
	KUNIT_EXPECT_EQ(test, ab_active_idx(lagx, p, 3), 0);
	ab_link(nic[2], true);
	KUNIT_EXPECT_EQ(test, ab_active_idx(lagx, p, 3), 0);

	/* A port without link cannot be forced, and says why. */
	ab_link(nic[1], false);
	KUNIT_EXPECT_EQ(test, ab_force(lagx, p[1], &extack), -ENETDOWN);
	KUNIT_EXPECT_NOT_NULL(test, extack._msg);
	KUNIT_EXPECT_EQ(test, ab_active_idx(lagx, p, 3), 0);
}

/* The departing port is never chosen, whether active, forced or not. */
static void lagx_ab_departing_test(struct kunit *test)
{
	struct netlink_ext_ack extack = {};
	struct net_device *nic[3];
	struct lagx_port *p[3];
	struct lagx *lagx = ab_three(test, nic, p);

	/* A backup leaves: nothing moves. */
	lagx_kd_release(test, lagx, nic[1]);
	KUNIT_EXPECT_EQ(test, ab_active_idx(lagx, p, 3), 0);
	/* The active port leaves: the next usable one takes over. */
	lagx_kd_release(test, lagx, nic[0]);
	KUNIT_EXPECT_EQ(test, ab_active_idx(lagx, p, 3), 2);
	/* The forced port leaves: none is left, none is active. */
	KUNIT_ASSERT_EQ(test, ab_force(lagx, p[2], &extack), 0);
	lagx_kd_release(test, lagx, nic[2]);
	KUNIT_EXPECT_EQ(test, ab_active_idx(lagx, p, 3), -1);
	KUNIT_EXPECT_FALSE(test, netif_carrier_ok(lagx->dev));
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
	KUNIT_CASE(lagx_ab_forced_test),
	KUNIT_CASE(lagx_ab_departing_test),
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
