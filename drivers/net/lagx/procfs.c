// SPDX-License-Identifier: GPL-2.0
/*
 * lagx: read-only views in /proc/net/lagx/<device>, per network namespace.
 *
 * Readers take the device's mode_lock and rcu_read_lock(): proc_remove()
 * under RTNL waits for them, so they must never take RTNL.
 */
#include <linux/netdevice.h>
#include <linux/ethtool.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>

#include "lagx.h"
#include "mode.h"

static unsigned int lagx_net_id __read_mostly;

struct lagx_net {
	struct proc_dir_entry *proc_dir;
};

static const char *lagx_duplex_name(u8 duplex)
{
	switch (duplex) {
	case DUPLEX_FULL:
		return "full";
	case DUPLEX_HALF:
		return "half";
	}
	return "-";
}

/* The device options that apply to the current mode, one a line. */
static void lagx_proc_show_options(struct seq_file *seq,
				   const struct lagx *lagx, u32 mode)
{
	unsigned int i;

	for (i = 0; i < lagx_options_count; i++) {
		const struct lagx_option *opt = &lagx_options[i];
		const struct net_device *dev;
		const char *name;
		s64 val;

		if (opt->port || opt->attr == IFLA_LAGX_MODE ||
		    !(opt->modes & BIT(mode)))
			continue;
		seq_printf(seq, "%s: ", opt->name);
		val = lagx_option_get(opt, &lagx->cfg);
		name = lagx_option_value_name(opt, val);
		if (opt->type == LAGX_OPT_MAC) {
			seq_printf(seq, "%pM\n", (const u8 *)&lagx->cfg + opt->offset);
		} else if (name) {
			seq_printf(seq, "%s\n", name);
		} else if (opt->attr == IFLA_LAGX_PRIMARY) {
			dev = val ? dev_get_by_index_rcu(dev_net(lagx->dev), val) : NULL;
			seq_printf(seq, "%s\n", dev ? netdev_name(dev) :
				   val ? "(gone)" : "none");
		} else {
			seq_printf(seq, "%lld%s%s\n", val, opt->unit ? " " : "",
				   opt->unit ?: "");
		}
	}
}

/* "up", "down", or the pending change while updelay/downdelay runs. */
static const char *lagx_port_link_name(const struct lagx_port *port)
{
	bool up = READ_ONCE(port->link_up);

	if (READ_ONCE(port->link_pending))
		return up ? "wait-down" : "wait-up";
	return up ? "up" : "down";
}

static const char *lagx_proc_port_name(const struct lagx *lagx, u32 id)
{
	struct lagx_port *port;

	lagx_for_each_port_rcu(lagx, port)
		if (port->id == id)
			return netdev_name(port->dev);
	return NULL;
}

/* Modes that share load: each port's share, then the bucket table. */
static void lagx_proc_show_buckets(struct seq_file *seq,
				   const struct lagx *lagx)
{
	const struct lagx_buckets *bk = lagx->buckets;
	struct lagx_bucket_stats st;
	struct lagx_port *port;
	unsigned int b;

	seq_printf(seq, "\n%-16s %7s %12s %12s %12s %12s\n", "PORT", "BUCKETS",
		   "LOAD", "MCAST-DROP", "LOOP-DROP", "LEARN-TX");
	lagx_for_each_port_rcu(lagx, port) {
		struct lagx_port_stats ps;

		lagx_port_stats_view(port, &ps);
		seq_printf(seq, "%-16s %7d %12llu %12llu %12llu %12llu\n",
			   netdev_name(port->dev), atomic_read(&port->buckets),
			   READ_ONCE(port->load), ps.rx_dropped_mcast,
			   ps.rx_dropped_loop, READ_ONCE(port->learn_tx));
	}

	seq_printf(seq, "\n%-6s %-16s %12s %12s %12s\n", "BUCKET", "PORT",
		   "BYTES", "PACKETS", "LOAD");
	for (b = 0; b < LAGX_BUCKETS; b++) {
		const char *name = lagx_proc_port_name(lagx,
						       READ_ONCE(bk->port[b]));

		if (!name)
			continue;
		lagx_bucket_read(lagx, b, &st);
		seq_printf(seq, "%6u %-16s %12llu %12llu %12llu\n", b, name,
			   st.bytes, st.packets, READ_ONCE(bk->load[b]));
	}
}

static int lagx_proc_show(struct seq_file *seq, void *v)
{
	struct lagx *lagx = seq->private;
	const struct lagx_mode *mode;
	struct lagx_port *port;
	char speed[16];

	/* The mode and its private area stay as they are while we print. */
	mutex_lock(&lagx->mode_lock);
	rcu_read_lock();
	mode = lagx->mode;
	seq_printf(seq, "Device: %s\n", netdev_name(lagx->dev));
	seq_printf(seq, "Mode: %s\n", mode->name);
	seq_printf(seq, "Carrier: %s\n",
		   netif_carrier_ok(lagx->dev) ? "up" : "down");
	seq_printf(seq, "MTU: %u\n", READ_ONCE(lagx->dev->mtu));
	seq_printf(seq, "MAC: %pM\n", lagx->dev->dev_addr);
	if (mode->ops->seq_show)
		mode->ops->seq_show(seq, lagx);
	seq_printf(seq, "Failovers: %llu\n",
		   READ_ONCE(lagx->failovers) - lagx->stats_base.failovers);
	lagx_proc_show_options(seq, lagx, mode->id);
	seq_printf(seq, "Ports: %u\n\n", READ_ONCE(lagx->port_count));

	seq_printf(seq, "%-16s %-9s %-10s %-6s %-7s %5s %5s %12s %12s %12s\n",
		   "PORT", "LINK", "SPEED", "DUPLEX", "STATE", "PRIO", "FAILS",
		   "RX", "RX-DROPPED", "TX");
	lagx_for_each_port_rcu(lagx, port) {
		struct lagx_port_stats st;
		u32 mbps = READ_ONCE(port->speed);

		lagx_port_stats_view(port, &st);
		if (mbps == SPEED_UNKNOWN)
			strscpy(speed, "-", sizeof(speed));
		else
			snprintf(speed, sizeof(speed), "%uMb/s", mbps);
		seq_printf(seq, "%-16s %-9s %-10s %-6s %-7s %5d %5u %12llu %12llu %12llu\n",
			   netdev_name(port->dev), lagx_port_link_name(port),
			   speed, lagx_duplex_name(READ_ONCE(port->duplex)),
			   lagx_port_state_name(lagx_port_state(port)),
			   READ_ONCE(port->cfg.prio),
			   READ_ONCE(port->link_failures), st.rx_packets,
			   st.rx_dropped_inactive, st.tx_packets);
	}
	if (mode->ops->seq_show_tail)
		mode->ops->seq_show_tail(seq, lagx);
	if (mode->uses_buckets)
		lagx_proc_show_buckets(seq, lagx);
	rcu_read_unlock();
	mutex_unlock(&lagx->mode_lock);
	return 0;
}

void lagx_procfs_add(struct lagx *lagx)
{
	struct lagx_net *ln = net_generic(dev_net(lagx->dev), lagx_net_id);

	ASSERT_RTNL();

	if (!ln->proc_dir)
		return;
	lagx->proc_entry = proc_create_single_data(lagx->dev->name, 0444,
						   ln->proc_dir, lagx_proc_show,
						   lagx);
	if (!lagx->proc_entry)
		netdev_warn(lagx->dev, "cannot create /proc/net/%s/%s\n",
			    LAGX_DRV_NAME, lagx->dev->name);
}

void lagx_procfs_del(struct lagx *lagx)
{
	ASSERT_RTNL();

	proc_remove(lagx->proc_entry);
	lagx->proc_entry = NULL;
}

static int __net_init lagx_net_init(struct net *net)
{
	struct lagx_net *ln = net_generic(net, lagx_net_id);

	ln->proc_dir = proc_mkdir(LAGX_DRV_NAME, net->proc_net);
	return ln->proc_dir ? 0 : -ENOMEM;
}

static void __net_exit lagx_net_exit(struct net *net)
{
	struct lagx_net *ln = net_generic(net, lagx_net_id);

	remove_proc_entry(LAGX_DRV_NAME, net->proc_net);
	ln->proc_dir = NULL;
}

static struct pernet_operations lagx_net_ops = {
	.init	= lagx_net_init,
	.exit	= lagx_net_exit,
	.id	= &lagx_net_id,
	.size	= sizeof(struct lagx_net),
};

int lagx_procfs_init(void)
{
	return register_pernet_subsys(&lagx_net_ops);
}

void lagx_procfs_exit(void)
{
	unregister_pernet_subsys(&lagx_net_ops);
}
