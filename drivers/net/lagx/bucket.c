// SPDX-License-Identifier: GPL-2.0
/*
 * lagx: the hash bucket table of a device, see bucket.h.
 *
 * Transmit reads a bucket's port id and looks it up in the published
 * port array (by_id), so a bucket bound to a port that has just left the
 * array is simply seen as unbound: it is rebound on the spot, and no
 * pointer to a freed port can ever be followed.
 *
 * It also remembers the source MACs it sends from (struct lagx_local_mac),
 * for two of Open vSwitch's SLB rules: a frame that comes back with one of
 * our source MACs is a reflection and is dropped, and when a bucket moves
 * to another port, the MACs in it are announced there with a RARP, so that
 * the switch learns the new port before the first reply is lost.
 */
#include <linux/etherdevice.h>
#include <linux/if_arp.h>
#include <linux/if_vlan.h>
#include <linux/jiffies.h>
#include <linux/pkt_sched.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <linux/skbuff.h>
#include <kunit/visibility.h>

#include "lagx.h"
#include "mode.h"

int lagx_buckets_init(struct lagx *lagx)
{
	struct lagx_buckets *bk;

	bk = kvzalloc(sizeof(*bk), GFP_KERNEL);
	if (!bk)
		return -ENOMEM;
	bk->stats = netdev_alloc_pcpu_stats(struct lagx_bucket_pcpu);
	if (!bk->stats) {
		kvfree(bk);
		return -ENOMEM;
	}
	lagx->buckets = bk;
	lagx_buckets_reset(lagx);
	return 0;
}

void lagx_buckets_free(struct lagx *lagx)
{
	if (!lagx->buckets)
		return;
	free_percpu(lagx->buckets->stats);
	kvfree(lagx->buckets);
	lagx->buckets = NULL;
}

/* No bucket bound: with no port attached (mode changes), RTNL. */
void lagx_buckets_reset(struct lagx *lagx)
{
	struct lagx_buckets *bk = lagx->buckets;
	unsigned int b;

	for (b = 0; b < LAGX_BUCKETS; b++)
		WRITE_ONCE(bk->port[b], LAGX_NO_PORT);
}

/* ------------------------------------------------------------- data path */

/* Key of a MAC on a VLAN in the local MAC table; never 0. */
static u64 lagx_mac_key(const u8 *mac, u16 vid)
{
	return ether_addr_to_u64(mac) << 16 | (u64)vid << 1 | 1;
}

static struct lagx_local_mac *lagx_local_macs(const struct lagx *lagx,
					      u32 mac_hash)
{
	return lagx->buckets->macs[lagx_hash_bucket(mac_hash)];
}

/* The port with id @id, or NULL, RTNL. */
static struct lagx_port *lagx_port_by_id(struct lagx *lagx, u32 id)
{
	struct lagx_port *port;

	lagx_for_each_port(lagx, port)
		if (port->id == id)
			return port;
	return NULL;
}

/**
 * lagx_local_mac_learn - remember a source MAC we transmit from
 * @lagx: the device
 * @mac: the source MAC
 * @vid: its VLAN id
 * @mac_hash: lagx_mac_hash(@mac, @vid)
 *
 * Data path.  Writes only when the MAC is new to its bucket or its entry
 * is a second old, so a steady flow does not bounce the cache line.
 */
void lagx_local_mac_learn(struct lagx *lagx, const u8 *mac, u16 vid,
			  u32 mac_hash)
{
	struct lagx_local_mac *e = lagx_local_macs(lagx, mac_hash);
	u64 key = lagx_mac_key(mac, vid);
	unsigned long now = jiffies;
	unsigned int w, oldest = 0;

	for (w = 0; w < LAGX_MAC_WAYS; w++) {
		if (READ_ONCE(e[w].key) == key) {
			if (time_after(now, READ_ONCE(e[w].seen) + HZ))
				WRITE_ONCE(e[w].seen, now);
			return;
		}
		if (time_before(READ_ONCE(e[w].seen), READ_ONCE(e[oldest].seen)) ||
		    !READ_ONCE(e[w].key))
			oldest = w;
	}
	WRITE_ONCE(e[oldest].key, key);
	WRITE_ONCE(e[oldest].seen, now);
}
EXPORT_SYMBOL_IF_KUNIT(lagx_local_mac_learn);

static bool lagx_local_mac_known(const struct lagx *lagx, const u8 *mac,
				 u16 vid)
{
	const struct lagx_local_mac *e;
	u64 key = lagx_mac_key(mac, vid);
	unsigned int w;

	e = lagx_local_macs(lagx, lagx_mac_hash(mac, vid));
	for (w = 0; w < LAGX_MAC_WAYS; w++)
		if (READ_ONCE(e[w].key) == key &&
		    time_before(jiffies, READ_ONCE(e[w].seen) + LAGX_LOCAL_MAC_AGE))
			return true;
	return false;
}

/* Gratuitous ARP (sender == target) or RARP: "this MAC is here now". */
static bool lagx_is_announcement(const struct sk_buff *skb)
{
	struct {
		struct arphdr hdr;
		u8 sha[ETH_ALEN];
		__be32 sip;
		u8 tha[ETH_ALEN];
		__be32 tip;
	} __packed _arp;
	const typeof(_arp) *arp;

	if (skb->protocol == htons(ETH_P_RARP))
		return true;
	if (skb->protocol != htons(ETH_P_ARP))
		return false;
	arp = skb_header_pointer(skb, 0, sizeof(_arp), &_arp);
	return arp && arp->hdr.ar_hln == ETH_ALEN && arp->hdr.ar_pln == 4 &&
	       arp->sip == arp->tip;
}

/**
 * lagx_local_mac_reflected - is a received frame one of ours, come back?
 * @lagx: the device
 * @skb: the frame, in the rx handler
 *
 * A frame with a source MAC we transmitted from lately was sent by us and
 * reflected (flooded back) by the switch.  The exception is an
 * announcement (gratuitous ARP, RARP): a host that moved away announces
 * itself from elsewhere, and is forgotten as local.  Except again within
 * LAGX_LEARN_LOCK of our own announcements, whose echoes these would be.
 */
bool lagx_local_mac_reflected(const struct lagx *lagx, struct sk_buff *skb)
{
	const u8 *src = eth_hdr(skb)->h_source;
	u16 vid = lagx_skb_vid(skb);
	struct lagx_local_mac *e;
	unsigned int w;

	if (!lagx_local_mac_known(lagx, src, vid))
		return false;
	if (!lagx_is_announcement(skb) ||
	    time_before(jiffies, READ_ONCE(lagx->buckets->learn_lock_until)))
		return true;

	e = lagx_local_macs(lagx, lagx_mac_hash(src, vid));
	for (w = 0; w < LAGX_MAC_WAYS; w++)
		if (READ_ONCE(e[w].key) == lagx_mac_key(src, vid))
			WRITE_ONCE(e[w].key, 0);
	return false;
}
EXPORT_SYMBOL_IF_KUNIT(lagx_local_mac_reflected);

/* Bind a bucket that has no port in @arr to the least loaded one. */
static struct lagx_port *lagx_bucket_bind(struct lagx_buckets *bk,
					  const struct lagx_port_array *arr,
					  unsigned int b, u32 old)
{
	struct lagx_port *best = arr->ports[0], *port;
	unsigned int i;
	u32 cur;

	for (i = 1; i < arr->count; i++) {
		port = arr->ports[i];
		if (lagx_rebal_lighter(READ_ONCE(port->load),
				       atomic_read(&port->buckets),
				       READ_ONCE(best->load),
				       atomic_read(&best->buckets)))
			best = port;
	}

	cur = cmpxchg(&bk->port[b], old, best->id);
	if (cur == old) {
		atomic_inc(&best->buckets);
		return best;
	}
	/* Another CPU bound it first: use its choice if it is in @arr. */
	port = cur < LAGX_MAX_PORTS_LIMIT ? arr->by_id[cur] : NULL;
	return port ?: best;
}

/**
 * lagx_bucket_tx_port - the port for a frame, by its bucket
 * @lagx: the device
 * @arr: the published TX port array (count > 0)
 * @skb: the frame
 * @hash: its lagx_xmit_hash()
 *
 * Data path, rcu_read_lock_bh(): counts the frame in its bucket.
 */
struct lagx_port *lagx_bucket_tx_port(struct lagx *lagx,
				      const struct lagx_port_array *arr,
				      struct sk_buff *skb, u32 hash)
{
	struct lagx_buckets *bk = lagx->buckets;
	unsigned int b = lagx_hash_bucket(hash);
	struct lagx_bucket_pcpu *st;
	struct lagx_port *port;
	u32 id;

	id = READ_ONCE(bk->port[b]);
	port = id < LAGX_MAX_PORTS_LIMIT ? arr->by_id[id] : NULL;
	if (unlikely(!port))
		port = lagx_bucket_bind(bk, arr, b, id);

	st = this_cpu_ptr(bk->stats);
	u64_stats_update_begin(&st->syncp);
	u64_stats_add(&st->bytes[b], skb->len);
	u64_stats_inc(&st->packets[b]);
	u64_stats_update_end(&st->syncp);
	return port;
}
EXPORT_SYMBOL_IF_KUNIT(lagx_bucket_tx_port);

void lagx_bucket_read(const struct lagx *lagx, unsigned int bucket,
		      struct lagx_bucket_stats *st)
{
	int cpu;

	memset(st, 0, sizeof(*st));
	for_each_possible_cpu(cpu) {
		const struct lagx_bucket_pcpu *s;
		unsigned int start;
		u64 bytes, packets;

		s = per_cpu_ptr(lagx->buckets->stats, cpu);
		do {
			start = u64_stats_fetch_begin(&s->syncp);
			bytes = u64_stats_read(&s->bytes[bucket]);
			packets = u64_stats_read(&s->packets[bucket]);
		} while (u64_stats_fetch_retry(&s->syncp, start));
		st->bytes += bytes;
		st->packets += packets;
	}
}

/* ------------------------------------------------------- control path */

/* Announce @mac on @port: a RARP like the one QEMU and OVS send. */
static void lagx_learn_send(struct lagx *lagx, struct lagx_port *port,
			    u64 key)
{
	struct arphdr *arp;
	struct sk_buff *skb;
	u16 vid = (key >> 1) & VLAN_VID_MASK;
	u8 mac[ETH_ALEN], *p;

	u64_to_ether_addr(key >> 16, mac);
	skb = alloc_skb(LL_RESERVED_SPACE(port->dev) + ETH_ZLEN, GFP_KERNEL);
	if (!skb)
		return;
	skb_reserve(skb, LL_RESERVED_SPACE(port->dev));
	skb_reset_network_header(skb);
	arp = skb_put_zero(skb, ETH_ZLEN - ETH_HLEN);
	arp->ar_hrd = htons(ARPHRD_ETHER);
	arp->ar_pro = htons(ETH_P_IP);
	arp->ar_hln = ETH_ALEN;
	arp->ar_pln = 4;
	arp->ar_op = htons(ARPOP_RREQUEST);
	p = (u8 *)(arp + 1);
	ether_addr_copy(p, mac);		/* sender hardware address */
	ether_addr_copy(p + ETH_ALEN + 4, mac);	/* target hardware address */

	skb->dev = port->dev;
	skb->protocol = htons(ETH_P_RARP);
	skb->priority = TC_PRIO_CONTROL;
	if (dev_hard_header(skb, port->dev, ETH_P_RARP, port->dev->broadcast,
			    mac, skb->len) < 0) {
		kfree_skb(skb);
		return;
	}
	if (vid)
		__vlan_hwaccel_put_tag(skb, htons(ETH_P_8021Q), vid);
	if (dev_queue_xmit(skb) == NET_XMIT_SUCCESS)
		WRITE_ONCE(port->learn_tx, port->learn_tx + 1);
}

/* Announce the local MACs of the buckets in @moved on their new ports. */
static void lagx_learn_announce(struct lagx *lagx, const unsigned long *moved)
{
	struct lagx_buckets *bk = lagx->buckets;
	struct lagx_port *port;
	bool sent = false;
	unsigned int b, w;

	if (lagx->cfg.xmit_hash_policy != LAGX_XMIT_HASH_VLAN_SRCMAC ||
	    !netif_running(lagx->dev))
		return;

	for_each_set_bit(b, moved, LAGX_BUCKETS) {
		port = lagx_port_by_id(lagx, READ_ONCE(bk->port[b]));
		if (!port || !port->tx_enabled)
			continue;
		for (w = 0; w < LAGX_MAC_WAYS; w++) {
			const struct lagx_local_mac *e = &bk->macs[b][w];
			u64 key = READ_ONCE(e->key);

			if (!key || !time_before(jiffies, READ_ONCE(e->seen) +
						 LAGX_LOCAL_MAC_AGE))
				continue;
			lagx_learn_send(lagx, port, key);
			sent = true;
		}
	}
	if (sent)
		WRITE_ONCE(bk->learn_lock_until, jiffies + LAGX_LEARN_LOCK);
}

static const char *lagx_port_name_by_id(struct lagx *lagx,
					const struct lagx_port *gone, u8 id)
{
	struct lagx_port *port = lagx_port_by_id(lagx, id);

	if (port)
		return netdev_name(port->dev);
	return gone && gone->id == id ? netdev_name(gone->dev) : "none";
}

/* Take in a bucket's bytes since the last run: load = load / 2 + new. */
static void lagx_buckets_sample(struct lagx *lagx)
{
	struct lagx_buckets *bk = lagx->buckets;
	struct lagx_bucket_stats st;
	unsigned int b;

	for (b = 0; b < LAGX_BUCKETS; b++) {
		lagx_bucket_read(lagx, b, &st);
		WRITE_ONCE(bk->load[b],
			   bk->load[b] / 2 + (st.bytes - bk->last_bytes[b]));
		bk->last_bytes[b] = st.bytes;
	}
}

/**
 * lagx_buckets_update - move buckets where they belong, RTNL
 * @lagx: the device
 * @balance: also even out the load (a rebalancing run), not only take
 *	buckets off the ports that stopped transmitting
 * @gone: a port that has just left the device, or NULL
 *
 * Ports that can take buckets are those with tx_enabled.  Publishes the
 * TX array first (lagx_refresh()), so that transmit finds every port a
 * bucket is moved to (else it would rebind the bucket to a port of the
 * old array, undoing the plan), then applies the moves and announces the
 * moved MACs on their new ports.
 */
void lagx_buckets_update(struct lagx *lagx, bool balance,
			 const struct lagx_port *gone)
{
	struct lagx_buckets *bk = lagx->buckets;
	DECLARE_BITMAP(moved, LAGX_BUCKETS);
	struct lagx_rebal *rb;
	struct lagx_port *port;
	unsigned int i, b;

	ASSERT_RTNL();

	lagx_refresh(lagx);
	/* Not registered yet (configured by newlink): no bucket is bound. */
	if (!bk)
		return;

	bitmap_zero(moved, LAGX_BUCKETS);
	rb = kzalloc(sizeof(*rb), GFP_KERNEL);
	/* Else transmit rebinds the buckets of departed ports itself. */
	if (!rb)
		return;

	if (balance)
		lagx_buckets_sample(lagx);
	for (b = 0; b < LAGX_BUCKETS; b++) {
		u32 id = READ_ONCE(bk->port[b]);

		rb->port[b] = id < LAGX_MAX_PORTS_LIMIT ? id : LAGX_NO_PORT;
		rb->load[b] = bk->load[b];
	}
	lagx_for_each_port(lagx, port)
		if (port->tx_enabled)
			rb->usable |= BIT_ULL(port->id);
	rb->min_gap = LAGX_REBAL_MIN_GAP;

	if (balance)
		lagx_rebal_balance(rb);
	else
		lagx_rebal_evacuate(rb);

	for (i = 0; i < rb->nr_moves; i++) {
		const struct lagx_rebal_move *m = &rb->moves[i];
		const char *from = lagx_port_name_by_id(lagx, gone, m->from);
		const char *to = lagx_port_name_by_id(lagx, gone, m->to);

		WRITE_ONCE(bk->port[m->bucket], m->to);
		__set_bit(m->bucket, moved);
		netdev_dbg(lagx->dev,
			   "shift %llukB of load (bucket %u) from %s to %s\n",
			   m->load >> 10, m->bucket, from, to);
		lagx_trace_bucket_move(lagx, m->bucket, from, to, m->load,
				       balance ? "rebalance" : "port lost");
	}
	WRITE_ONCE(bk->moves, bk->moves + rb->nr_moves);
	if (balance)
		WRITE_ONCE(bk->runs, bk->runs + 1);

	lagx_rebal_sum(rb);
	lagx_for_each_port(lagx, port) {
		WRITE_ONCE(port->load, rb->port_load[port->id]);
		atomic_set(&port->buckets, rb->port_buckets[port->id]);
	}
	kfree(rb);

	lagx_learn_announce(lagx, moved);
}
EXPORT_SYMBOL_IF_KUNIT(lagx_buckets_update);

/* ------------------------------------------------------ rebalance work */

static void lagx_rebalance_queue(struct lagx *lagx, unsigned long delay)
{
	/* One reference per queued instance, dropped by the work. */
	dev_hold(lagx->dev);
	if (mod_delayed_work(lagx_wq, &lagx->rebalance_work, delay))
		dev_put(lagx->dev);	/* was already queued */
}

static void lagx_rebalance_work(struct work_struct *work)
{
	struct lagx *lagx = container_of(to_delayed_work(work), struct lagx,
					 rebalance_work);

	rtnl_lock();
	if (lagx->dev->reg_state == NETREG_REGISTERED &&
	    netif_running(lagx->dev) && lagx->mode->uses_buckets &&
	    lagx->cfg.rebalance_interval) {
		lagx_buckets_update(lagx, true, NULL);
		lagx_rebalance_queue(lagx, msecs_to_jiffies(lagx->cfg.rebalance_interval));
	}
	rtnl_unlock();
	dev_put(lagx->dev);
}

void lagx_rebalance_init(struct lagx *lagx)
{
	INIT_DELAYED_WORK(&lagx->rebalance_work, lagx_rebalance_work);
}

/*
 * (Re)arm the periodic run when the device opens and after a change of
 * mode or interval, RTNL.  Only a running device is rebalanced.
 */
void lagx_rebalance_schedule(struct lagx *lagx)
{
	ASSERT_RTNL();

	if (!netif_running(lagx->dev) || !lagx->mode->uses_buckets ||
	    !lagx->cfg.rebalance_interval) {
		lagx_rebalance_stop(lagx);
		return;
	}
	lagx_rebalance_queue(lagx, msecs_to_jiffies(lagx->cfg.rebalance_interval));
}

/* Drop a queued run (a running one finds nothing to do), RTNL. */
void lagx_rebalance_stop(struct lagx *lagx)
{
	ASSERT_RTNL();

	if (cancel_delayed_work(&lagx->rebalance_work))
		dev_put(lagx->dev);
}
