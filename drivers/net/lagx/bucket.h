/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lagx: transmit hashing and hash buckets, shared by the load-sharing
 * modes (balance-slb, lacp).
 *
 * A packet's hash (hash.c, one function per xmit_hash_policy) selects one
 * of LAGX_BUCKETS buckets; a bucket is bound to a port.  A bucket seen for
 * the first time is bound on the transmit path to the least-loaded port
 * (one cmpxchg(), then never again).  Everything else that moves buckets
 * runs under RTNL: taking them off a port that stops transmitting
 * (evacuation) and the periodic rebalancing of load (rebalance.c, pure, so
 * KUnit drives it with synthetic loads).
 */
#ifndef _LAGX_BUCKET_H
#define _LAGX_BUCKET_H

#include <linux/netdevice.h>
#include <linux/types.h>
#include <linux/u64_stats_sync.h>

#include "options.h"

struct sk_buff;
struct lagx;
struct lagx_port;
struct lagx_port_array;

#define LAGX_BUCKETS		256
#define LAGX_NO_PORT		0xff	/* a bucket bound to no port */
#define LAGX_MAC_WAYS		2	/* local MACs remembered per bucket */

/* Rebalancing: how much the most and the least loaded port may differ. */
#define LAGX_REBAL_MIN_GAP	100000	/* bytes per interval (OVS: ~1 Mb/s) */
#define LAGX_REBAL_GAP_SHIFT	5	/* ... or 1/32 (~3 %) of the least */

/* How long a transmitted source MAC counts as ours (reflection filter),
 * and how long after announcing moved MACs their echoes are expected.
 */
#define LAGX_LOCAL_MAC_AGE	(300 * HZ)
#define LAGX_LEARN_LOCK		(5 * HZ)

/* hash.c: pure functions of the packet, exported for KUnit. */
void lagx_hash_init(void);
u32 lagx_xmit_hash(const struct sk_buff *skb, u32 policy);
u32 lagx_mac_hash(const u8 *mac, u16 vid);
u16 lagx_skb_vid(const struct sk_buff *skb);
enum netdev_lag_hash lagx_lag_hash_type(u32 policy);

static inline unsigned int lagx_hash_bucket(u32 hash)
{
	return hash % LAGX_BUCKETS;
}

/* rebalance.c: plans bucket moves; no locking, no net_device. */
struct lagx_rebal_move {
	u8 bucket;
	u8 from;			/* port id, LAGX_NO_PORT if unbound */
	u8 to;				/* port id, LAGX_NO_PORT if none usable */
	u64 load;			/* the bucket's load */
};

struct lagx_rebal {
	/* In. */
	u64 load[LAGX_BUCKETS];		/* each bucket's (decayed) load */
	u64 usable;			/* BIT(id) of ports that may carry */
	u64 min_gap;			/* gaps below this are left alone */
	/* In and out: each bucket's port id, or LAGX_NO_PORT. */
	u8 port[LAGX_BUCKETS];
	u8 orig[LAGX_BUCKETS];		/* scratch: port[] when called */
	/* Out, valid after any lagx_rebal_*() call. */
	u64 port_load[LAGX_MAX_PORTS_LIMIT];
	unsigned int port_buckets[LAGX_MAX_PORTS_LIMIT];
	unsigned int nr_moves;
	struct lagx_rebal_move moves[LAGX_BUCKETS];
};

void lagx_rebal_sum(struct lagx_rebal *rb);
bool lagx_rebal_lighter(u64 load_a, unsigned int buckets_a,
			u64 load_b, unsigned int buckets_b);
void lagx_rebal_evacuate(struct lagx_rebal *rb);
void lagx_rebal_balance(struct lagx_rebal *rb);
#if IS_ENABLED(CONFIG_KUNIT)
u8 lagx_rebal_pick(const struct lagx_rebal *rb);
#endif

/* bucket.c: the per-device bucket table. */
struct lagx_bucket_pcpu {
	u64_stats_t bytes[LAGX_BUCKETS];
	u64_stats_t packets[LAGX_BUCKETS];
	struct u64_stats_sync syncp;
};

/* A source MAC seen on transmit, in the bucket of lagx_mac_hash(). */
struct lagx_local_mac {
	u64 key;			/* lagx_mac_key(); 0: empty */
	unsigned long seen;		/* jiffies of a recent transmit */
};

struct lagx_buckets {
	/* Port id per bucket: cmpxchg() on TX from an id that is not in
	 * the published array, WRITE_ONCE() under RTNL otherwise.
	 */
	u32 port[LAGX_BUCKETS];
	u64 load[LAGX_BUCKETS];			/* RTNL: decayed bytes */
	u64 last_bytes[LAGX_BUCKETS];		/* RTNL: at the last run */
	struct lagx_local_mac macs[LAGX_BUCKETS][LAGX_MAC_WAYS];
	unsigned long learn_lock_until;		/* jiffies, READ_ONCE() */
	u64 moves;				/* RTNL writers, READ_ONCE() */
	u64 runs;				/* RTNL writers, READ_ONCE() */
	struct lagx_bucket_pcpu __percpu *stats;
};

struct lagx_bucket_stats {
	u64 bytes;
	u64 packets;
};

int lagx_buckets_init(struct lagx *lagx);
void lagx_buckets_free(struct lagx *lagx);
void lagx_buckets_reset(struct lagx *lagx);
struct lagx_port *lagx_bucket_tx_port(struct lagx *lagx,
				      const struct lagx_port_array *arr,
				      struct sk_buff *skb, u32 hash);
void lagx_bucket_read(const struct lagx *lagx, unsigned int bucket,
		      struct lagx_bucket_stats *st);
void lagx_local_mac_learn(struct lagx *lagx, const u8 *mac, u16 vid,
			  u32 mac_hash);
bool lagx_local_mac_reflected(const struct lagx *lagx, struct sk_buff *skb);
void lagx_buckets_update(struct lagx *lagx, bool balance,
			 const struct lagx_port *gone);
void lagx_rebalance_init(struct lagx *lagx);
void lagx_rebalance_schedule(struct lagx *lagx);
void lagx_rebalance_stop(struct lagx *lagx);

#endif /* _LAGX_BUCKET_H */
