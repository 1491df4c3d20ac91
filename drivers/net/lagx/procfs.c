// SPDX-License-Identifier: GPL-2.0
/*
 * lagx: read-only views in /proc/net/lagx/<device>, per network namespace.
 *
 * Readers take only rcu_read_lock(): proc_remove() under RTNL waits for
 * them, so they must never take RTNL.
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

static int lagx_proc_show(struct seq_file *seq, void *v)
{
	struct lagx *lagx = seq->private;
	const struct lagx_mode *mode;
	struct lagx_port *port;
	char speed[16];

	rcu_read_lock();
	mode = READ_ONCE(lagx->mode);
	seq_printf(seq, "Device: %s\n", netdev_name(lagx->dev));
	seq_printf(seq, "Mode: %s\n", mode->name);
	seq_printf(seq, "Carrier: %s\n",
		   netif_carrier_ok(lagx->dev) ? "up" : "down");
	seq_printf(seq, "MTU: %u\n", READ_ONCE(lagx->dev->mtu));
	seq_printf(seq, "MAC: %pM\n", lagx->dev->dev_addr);
	if (mode->ops->seq_show)
		mode->ops->seq_show(seq, lagx);
	seq_printf(seq, "Ports: %u\n\n", READ_ONCE(lagx->port_count));

	seq_printf(seq, "%-16s %-6s %-10s %-6s %-7s %5s %12s %12s %12s\n",
		   "PORT", "LINK", "SPEED", "DUPLEX", "STATE", "FAILS",
		   "RX", "RX-DROPPED", "TX");
	lagx_for_each_port_rcu(lagx, port) {
		struct lagx_port_stats st;
		u32 mbps = READ_ONCE(port->speed);

		lagx_port_get_stats(port, &st);
		if (mbps == SPEED_UNKNOWN)
			strscpy(speed, "-", sizeof(speed));
		else
			snprintf(speed, sizeof(speed), "%uMb/s", mbps);
		seq_printf(seq, "%-16s %-6s %-10s %-6s %-7s %5u %12llu %12llu %12llu\n",
			   netdev_name(port->dev),
			   READ_ONCE(port->link_up) ? "up" : "down", speed,
			   lagx_duplex_name(READ_ONCE(port->duplex)),
			   lagx_port_state_name(lagx_port_state(port)),
			   READ_ONCE(port->link_failures), st.rx_packets,
			   st.rx_dropped_inactive, st.tx_packets);
	}
	rcu_read_unlock();
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
