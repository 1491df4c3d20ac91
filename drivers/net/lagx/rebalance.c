// SPDX-License-Identifier: GPL-2.0
/*
 * lagx: planning bucket moves.
 *
 * Pure code on a struct lagx_rebal (bucket loads, bucket -> port id,
 * the usable ports): no locks, no net_device, so KUnit drives it with
 * synthetic loads.  bucket.c feeds it real counters and applies the plan.
 *
 * Balancing follows Open vSwitch's SLB rebalancing: take the most and the
 * least loaded port; if they differ by enough to matter (hysteresis: 100 kB
 * and 1/32), move the bucket of the former that best narrows the gap;
 * repeat.  Every move shrinks the sum of the squares of the port loads, so
 * a run ends at a fixed point, and with steady loads the next run moves
 * nothing: buckets never flap back and forth.
 */
#include <linux/kernel.h>
#include <linux/bitops.h>
#include <linux/string.h>
#include <kunit/visibility.h>

#include "bucket.h"

static bool lagx_rebal_valid(u8 id)
{
	return id < LAGX_MAX_PORTS_LIMIT;
}

/* Recompute each port's load and bucket count from the buckets. */
void lagx_rebal_sum(struct lagx_rebal *rb)
{
	unsigned int b;

	memset(rb->port_load, 0, sizeof(rb->port_load));
	memset(rb->port_buckets, 0, sizeof(rb->port_buckets));
	for (b = 0; b < LAGX_BUCKETS; b++) {
		u8 id = rb->port[b];

		if (!lagx_rebal_valid(id))
			continue;
		rb->port_load[id] += rb->load[b];
		rb->port_buckets[id]++;
	}
}
EXPORT_SYMBOL_IF_KUNIT(lagx_rebal_sum);

/* Is port a preferred over port b as the target of a new bucket? */
bool lagx_rebal_lighter(u64 load_a, unsigned int buckets_a,
			u64 load_b, unsigned int buckets_b)
{
	if (load_a != load_b)
		return load_a < load_b;
	return buckets_a < buckets_b;
}
EXPORT_SYMBOL_IF_KUNIT(lagx_rebal_lighter);

/* The least loaded usable port (lowest id among equals), or LAGX_NO_PORT. */
VISIBLE_IF_KUNIT u8 lagx_rebal_pick(const struct lagx_rebal *rb)
{
	u8 best = LAGX_NO_PORT;
	unsigned int id;

	for (id = 0; id < LAGX_MAX_PORTS_LIMIT; id++) {
		if (!(rb->usable & BIT_ULL(id)))
			continue;
		if (best == LAGX_NO_PORT ||
		    lagx_rebal_lighter(rb->port_load[id], rb->port_buckets[id],
				       rb->port_load[best],
				       rb->port_buckets[best]))
			best = id;
	}
	return best;
}
EXPORT_SYMBOL_IF_KUNIT(lagx_rebal_pick);

/* Rebind bucket @b to @to, keeping the port sums right. */
static void lagx_rebal_shift(struct lagx_rebal *rb, unsigned int b, u8 to)
{
	u8 from = rb->port[b];

	if (lagx_rebal_valid(from)) {
		rb->port_load[from] -= rb->load[b];
		rb->port_buckets[from]--;
	}
	if (lagx_rebal_valid(to)) {
		rb->port_load[to] += rb->load[b];
		rb->port_buckets[to]++;
	}
	rb->port[b] = to;
}

static void lagx_rebal_record(struct lagx_rebal *rb, unsigned int b, u8 from)
{
	struct lagx_rebal_move *m;

	if (WARN_ON_ONCE(rb->nr_moves >= ARRAY_SIZE(rb->moves)))
		return;
	m = &rb->moves[rb->nr_moves++];
	m->bucket = b;
	m->from = from;
	m->to = rb->port[b];
	m->load = rb->load[b];
}

/* A bound bucket on a port that is not usable. */
static bool lagx_rebal_stranded(const struct lagx_rebal *rb, unsigned int b)
{
	u8 id = rb->port[b];

	return id != LAGX_NO_PORT &&
	       (!lagx_rebal_valid(id) || !(rb->usable & BIT_ULL(id)));
}

/* Heaviest stranded bucket first, to the least loaded usable port. */
static void lagx_rebal_do_evacuate(struct lagx_rebal *rb, bool record)
{
	lagx_rebal_sum(rb);

	for (;;) {
		int heaviest = -1;
		unsigned int b;
		u8 from;

		for (b = 0; b < LAGX_BUCKETS; b++)
			if (lagx_rebal_stranded(rb, b) &&
			    (heaviest < 0 || rb->load[b] > rb->load[heaviest]))
				heaviest = b;
		if (heaviest < 0)
			break;
		from = rb->port[heaviest];
		lagx_rebal_shift(rb, heaviest, lagx_rebal_pick(rb));
		if (record)
			lagx_rebal_record(rb, heaviest, from);
	}
}

/**
 * lagx_rebal_evacuate - move the buckets of unusable ports
 * @rb: the plan
 *
 * Heaviest bucket first, each to the least loaded usable port at that
 * moment; with no usable port, the buckets become unbound.  Buckets on
 * usable ports and unbound buckets stay where they are.
 */
void lagx_rebal_evacuate(struct lagx_rebal *rb)
{
	lagx_rebal_do_evacuate(rb, true);
}
EXPORT_SYMBOL_IF_KUNIT(lagx_rebal_evacuate);

/*
 * The bucket of @from whose move to the least loaded port best narrows
 * @gap (the difference of their loads), among those that do not
 * overshoot (twice the bucket's load at most the gap) or that narrow the
 * gap by a tenth at least.  Returns -1 if there is none.
 */
static int lagx_rebal_choose(const struct lagx_rebal *rb, u8 from, u64 gap)
{
	u64 best_gap = gap;
	int best = -1;
	unsigned int b;

	for (b = 0; b < LAGX_BUCKETS; b++) {
		u64 load = rb->load[b], new_gap;

		if (rb->port[b] != from || !load || load >= gap)
			continue;
		/* |gap - 2 * load|, without overflow: load < gap here. */
		if (load > gap - load)
			new_gap = load - (gap - load);
		else
			new_gap = (gap - load) - load;
		if (load > gap - load && new_gap > gap - gap / 10)
			continue;	/* overshoots for too little gain */
		if (new_gap < best_gap) {
			best_gap = new_gap;
			best = b;
		}
	}
	return best;
}

/**
 * lagx_rebal_balance - plan moves that even out the port loads
 * @rb: the plan
 *
 * Evacuates unusable ports first.  Then, while the most loaded candidate
 * port carries more than the least loaded port by max(min_gap, 1/32 of
 * the least loaded), moves the bucket of the former that best narrows
 * the gap, if it does not overshoot or narrows the gap by a tenth at
 * least; a port with no such bucket stops being a candidate until the
 * next move.  Every move shrinks the sum of the squares of the port
 * loads, so this ends, at a point where it would move nothing: with the
 * same loads, the next call moves nothing.  The plan records one move
 * per bucket that ends up elsewhere, from where it was to where it ends.
 */
void lagx_rebal_balance(struct lagx_rebal *rb)
{
	unsigned int budget = 8 * LAGX_BUCKETS, b;
	u64 candidates;

	memcpy(rb->orig, rb->port, sizeof(rb->orig));
	lagx_rebal_do_evacuate(rb, false);

	candidates = hweight64(rb->usable) < 2 ? 0 : rb->usable;
	while (candidates && budget--) {
		u8 from = LAGX_NO_PORT, to = lagx_rebal_pick(rb);
		unsigned int id;
		u64 gap, floor;
		int best;

		for (id = 0; id < LAGX_MAX_PORTS_LIMIT; id++)
			if ((candidates & BIT_ULL(id)) &&
			    (from == LAGX_NO_PORT ||
			     rb->port_load[id] > rb->port_load[from]))
				from = id;
		if (from == to)
			break;

		gap = rb->port_load[from] - rb->port_load[to];
		floor = max(rb->min_gap,
			    rb->port_load[to] >> LAGX_REBAL_GAP_SHIFT);
		if (gap < floor || !gap)
			break;

		best = lagx_rebal_choose(rb, from, gap);
		if (best < 0) {
			candidates &= ~BIT_ULL(from);
			continue;
		}
		lagx_rebal_shift(rb, best, to);
		candidates = rb->usable;
	}

	for (b = 0; b < LAGX_BUCKETS; b++)
		if (rb->port[b] != rb->orig[b])
			lagx_rebal_record(rb, b, rb->orig[b]);
}
EXPORT_SYMBOL_IF_KUNIT(lagx_rebal_balance);
