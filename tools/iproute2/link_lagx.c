// SPDX-License-Identifier: GPL-2.0
/*
 * link_lagx.so: the iproute2 plugin for lagx devices and their ports.
 *
 *   ip link add lagx0 type lagx mode active-backup updelay 200 primary eth0
 *   ip link set lagx0 type lagx min_links 1
 *   ip link set eth0 type lagx_slave prio 10
 *   ip -d [-j] link show
 *   ip link help lagx | lagx_slave	(iproute2 6.1: no "type" here)
 *
 * "ip" (iproute2 6.1) loads $IP_LIB_DIR/link_<kind>.so and looks up
 * <kind>_link_util, so this one file provides both lagx_link_util and
 * lagx_slave_link_util, and is installed a second time (a symlink) as
 * link_lagx_slave.so.
 *
 * The plugin knows the names, wire types and enum value names of the
 * options, nothing more: values are sent as given, and the kernel's range
 * and state checks (and their extack messages, which name the option and
 * its range) are what the user sees.  The plugin refuses only what it
 * cannot encode: a word that is not a number, a number wider than the
 * attribute, an unknown device name or a malformed MAC address.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/if_arp.h>
#include <linux/if_ether.h>
#include <linux/if_lagx.h>
#include <linux/lagx.h>

#include "ip_abi.h"

/* Room for attributes in ip's request (struct iplink_req's buffer). */
#define LAGX_REQ_MAXLEN	1024

enum lagx_ip_type {
	LAGX_IP_ENUM,		/* u8, by name (values[]) or number */
	LAGX_IP_U16,
	LAGX_IP_U32,
	LAGX_IP_S32,
	LAGX_IP_U64,		/* read-only counters */
	LAGX_IP_IFINDEX,	/* u32 ifindex, by device name; 0: none */
	LAGX_IP_MAC,		/* ETH_ALEN bytes */
	LAGX_IP_STRING,		/* read-only text */
	LAGX_IP_LACP_STATE,	/* read-only u8, LACP state bits */
};

/* Another name a value is accepted by; shown by its canonical name. */
struct lagx_ip_alias {
	const char *name;
	unsigned int value;
};

struct lagx_ip_opt {
	const char *name;		/* keyword, JSON key, kernel's name */
	unsigned short attr;		/* IFLA_LAGX_* or IFLA_LAGX_PORT_* */
	enum lagx_ip_type type;
	bool read_only;			/* shown, never sent */
	bool absent_is_none;		/* active-backup: absent means "none" */
	const char *const *values;	/* LAGX_IP_ENUM: names by value */
	const struct lagx_ip_alias *aliases;	/* LAGX_IP_ENUM, or NULL */
	const char *syntax;		/* help: the value, if not an enum */
	const char *help;		/* help: modes, meaning, range, default */
};

/* Value names: the same as in drivers/net/lagx/options.c. */
static const char *const lagx_mode_names[] = {
	[LAGX_MODE_ACTIVE_BACKUP]	= "active-backup",
	[LAGX_MODE_BALANCE_SLB]		= "balance-slb",
	[LAGX_MODE_LACP]		= "lacp",
	NULL
};

static const char *const lagx_hash_names[] = {
	[LAGX_XMIT_HASH_LAYER2]		= "layer2",
	[LAGX_XMIT_HASH_LAYER23]	= "layer2+3",
	[LAGX_XMIT_HASH_LAYER34]	= "layer3+4",
	[LAGX_XMIT_HASH_ENCAP23]	= "encap2+3",
	[LAGX_XMIT_HASH_ENCAP34]	= "encap3+4",
	[LAGX_XMIT_HASH_VLAN_SRCMAC]	= "vlan+srcmac",
	NULL
};

static const struct lagx_ip_alias lagx_hash_aliases[] = {
	{ "src_mac",		LAGX_XMIT_HASH_VLAN_SRCMAC },
	{ "tcpudp_ports",	LAGX_XMIT_HASH_LAYER34 },
	{ NULL, 0 }
};

static const char *const lagx_reselect_names[] = {
	[LAGX_PRIMARY_RESELECT_ALWAYS]	= "always",
	[LAGX_PRIMARY_RESELECT_BETTER]	= "better",
	[LAGX_PRIMARY_RESELECT_FAILURE]	= "failure",
	NULL
};

static const char *const lagx_rate_names[] = {
	[LAGX_LACP_RATE_SLOW]		= "slow",
	[LAGX_LACP_RATE_FAST]		= "fast",
	NULL
};

static const char *const lagx_ad_select_names[] = {
	[LAGX_AD_SELECT_STABLE]		= "stable",
	[LAGX_AD_SELECT_BANDWIDTH]	= "bandwidth",
	[LAGX_AD_SELECT_COUNT]		= "count",
	NULL
};

static const char *const lagx_off_on_names[] = { "off", "on", NULL };

static const char *const lagx_fallback_names[] = {
	[LAGX_LACP_FALLBACK_NONE]		= "none",
	[LAGX_LACP_FALLBACK_BALANCE_SLB]	= "balance-slb",
	[LAGX_LACP_FALLBACK_ACTIVE_BACKUP]	= "active-backup",
	NULL
};

/* What lacp_fallback was before it had a mode to fall back to. */
static const struct lagx_ip_alias lagx_fallback_aliases[] = {
	{ "off",	LAGX_LACP_FALLBACK_NONE },
	{ "on",		LAGX_LACP_FALLBACK_BALANCE_SLB },
	{ NULL, 0 }
};

/* The genl family's operating-mode names (Documentation/netlink/specs). */
static const char *const lagx_operating_names[] = {
	[LAGX_OPERATING_MODE_LACP]			= "lacp",
	[LAGX_OPERATING_MODE_FALLBACK_BALANCE_SLB]	= "fallback-balance-slb",
	[LAGX_OPERATING_MODE_FALLBACK_ACTIVE_BACKUP]	= "fallback-active-backup",
	[LAGX_OPERATING_MODE_FALLBACK_NONE]		= "fallback-none",
	NULL
};

/* The genl family's lacp-state names, by bit (LACP_STATE_* order). */
static const char *const lagx_lacp_state_names[] = {
	"activity", "timeout", "aggregation", "sync", "collecting",
	"distributing", "defaulted", "expired",
};

static const char *const lagx_port_state_names[] = {
	[LAGX_PORT_STATE_DOWN]		= "down",
	[LAGX_PORT_STATE_BACKUP]	= "backup",
	[LAGX_PORT_STATE_ACTIVE]	= "active",
	NULL
};

/* In the order of "ip -d link show" and of the help text. */
static const struct lagx_ip_opt lagx_dev_opts[] = {
	{ "mode", IFLA_LAGX_MODE, LAGX_IP_ENUM, .values = lagx_mode_names,
	  .help = "default active-backup; changes only while no port is attached" },
	{ "operating_mode", IFLA_LAGX_OPERATING_MODE, LAGX_IP_ENUM, true,
	  .values = lagx_operating_names,
	  .help = "lacp: how the device carries traffic now: { lacp | fallback-balance-slb\n"
		  "| fallback-active-backup | fallback-none }, the fallbacks while no\n"
		  "port receives LACPDUs (as lacp_fallback says)" },
	{ "active_port", IFLA_LAGX_ACTIVE_PORT, LAGX_IP_IFINDEX, true, true,
	  .help = "active-backup: the port carrying traffic" },
	{ "port_count", IFLA_LAGX_PORT_COUNT, LAGX_IP_U32, true,
	  .help = "ports attached" },
	{ "failovers", IFLA_LAGX_FAILOVERS, LAGX_IP_U64, true,
	  .help = "active-backup: changes of active port" },
	{ "fallbacks", IFLA_LAGX_FALLBACKS, LAGX_IP_U64, true,
	  .help = "lacp: times the device fell back (no LACPDU on any port)" },
	{ "bucket_moves", IFLA_LAGX_BUCKET_MOVES, LAGX_IP_U64, true,
	  .help = "balance-slb, lacp: hash buckets moved from one port to another\n"
		  "(rebalancing, or a port that stopped transmitting)" },
	{ "primary", IFLA_LAGX_PRIMARY, LAGX_IP_IFINDEX,
	  .syntax = "{ DEVICE | none }",
	  .help = "active-backup: the port preferred as active port; default none" },
	{ "primary_reselect", IFLA_LAGX_PRIMARY_RESELECT, LAGX_IP_ENUM,
	  .values = lagx_reselect_names,
	  .help = "active-backup: when the primary port takes traffic back from\n"
		  "a working port: always, better (if it is faster), failure (never,\n"
		  "only when the active port fails); default always" },
	{ "updelay", IFLA_LAGX_UPDELAY, LAGX_IP_U32, .syntax = "MS",
	  .help = "time a port's link must be up before the port is used;\n"
		  "0..600000 ms, default 0" },
	{ "downdelay", IFLA_LAGX_DOWNDELAY, LAGX_IP_U32, .syntax = "MS",
	  .help = "time a port's link must be down before the port stops being\n"
		  "used; 0..600000 ms, default 0" },
	{ "min_links", IFLA_LAGX_MIN_LINKS, LAGX_IP_U32, .syntax = "NUM",
	  .help = "usable ports needed for the device to have carrier;\n"
		  "0..64, default 0" },
	{ "max_ports", IFLA_LAGX_MAX_PORTS, LAGX_IP_U32, .syntax = "NUM",
	  .help = "ports the device accepts; 1..64, default 32" },
	{ "xmit_hash_policy", IFLA_LAGX_XMIT_HASH_POLICY, LAGX_IP_ENUM,
	  .values = lagx_hash_names, .aliases = lagx_hash_aliases,
	  .help = "balance-slb, lacp: the transmit hash; default layer2;\n"
		  "also accepted: src_mac (vlan+srcmac), tcpudp_ports (layer3+4)" },
	{ "rebalance_interval", IFLA_LAGX_REBALANCE_INTERVAL, LAGX_IP_U32,
	  .syntax = "MS",
	  .help = "balance-slb, lacp: 0 disables; 0..3600000 ms, default 10000" },
	{ "lacp_rate", IFLA_LAGX_LACP_RATE, LAGX_IP_ENUM,
	  .values = lagx_rate_names,
	  .help = "lacp: the partner sends LACPDUs every 30 s (slow) or every\n"
		  "second (fast); default slow" },
	{ "lacp_active", IFLA_LAGX_LACP_ACTIVE, LAGX_IP_ENUM,
	  .values = lagx_off_on_names,
	  .help = "lacp: LACP active (on) or passive (off); default on" },
	{ "lacp_sys_prio", IFLA_LAGX_LACP_SYS_PRIO, LAGX_IP_U16,
	  .syntax = "PRIO",
	  .help = "lacp: the system priority; 1..65535, default 65535" },
	{ "lacp_sys_mac", IFLA_LAGX_LACP_SYS_MAC, LAGX_IP_MAC,
	  .syntax = "LLADDR",
	  .help = "lacp: the system MAC address, 00:00:00:00:00:00 (default)\n"
		  "for the device's own; changes only while the device is down" },
	{ "ad_select", IFLA_LAGX_AD_SELECT, LAGX_IP_ENUM,
	  .values = lagx_ad_select_names,
	  .help = "lacp: how the active aggregator is chosen; default stable" },
	{ "lacp_fallback", IFLA_LAGX_LACP_FALLBACK, LAGX_IP_ENUM,
	  .values = lagx_fallback_names, .aliases = lagx_fallback_aliases,
	  .help = "lacp: how the device carries traffic while no port receives\n"
		  "LACPDUs: as balance-slb (default), as active-backup, or not at\n"
		  "all (none); also accepted: off (none), on (balance-slb)" },
};

static const struct lagx_ip_opt lagx_port_opts[] = {
	{ "state", IFLA_LAGX_PORT_STATE, LAGX_IP_ENUM, true,
	  .values = lagx_port_state_names,
	  .help = "active: carries traffic, backup: link up, standing by,\n"
		  "down: no carrier or administratively down" },
	{ "reason", IFLA_LAGX_PORT_REASON, LAGX_IP_STRING, true,
	  .help = "why the port is in its state" },
	{ "link_failures", IFLA_LAGX_PORT_LINK_FAILURES, LAGX_IP_U32, true,
	  .help = "link losses since the port was added" },
	{ "perm_hwaddr", IFLA_LAGX_PORT_PERM_HWADDR, LAGX_IP_MAC, true,
	  .help = "the port's own MAC address, restored on release" },
	{ "buckets", IFLA_LAGX_PORT_BUCKETS, LAGX_IP_U32, true,
	  .help = "balance-slb, lacp: hash buckets bound to the port" },
	{ "load", IFLA_LAGX_PORT_LOAD, LAGX_IP_U64, true,
	  .help = "balance-slb, lacp: the port's load (decayed bytes of its\n"
		  "buckets, as of the last rebalancing)" },
	{ "lacp_actor_state", IFLA_LAGX_PORT_LACP_ACTOR_STATE, LAGX_IP_LACP_STATE,
	  true,
	  .help = "lacp: the port's LACP state bits (activity, timeout,\n"
		  "aggregation, sync, collecting, distributing, defaulted, expired)" },
	{ "lacp_partner_state", IFLA_LAGX_PORT_LACP_PARTNER_STATE,
	  LAGX_IP_LACP_STATE, true,
	  .help = "lacp: the partner's LACP state bits, as last received" },
	{ "lacp_partner_system", IFLA_LAGX_PORT_LACP_PARTNER_SYSTEM, LAGX_IP_MAC,
	  true,
	  .help = "lacp: the partner's system MAC address (00:00:00:00:00:00:\n"
		  "none known)" },
	{ "prio", IFLA_LAGX_PORT_PRIO, LAGX_IP_S32, .syntax = "NUM",
	  .help = "active-backup: a port with a higher prio is preferred as\n"
		  "active port; -2147483648..2147483647, default 0" },
	{ "lacp_prio", IFLA_LAGX_PORT_LACP_PRIO, LAGX_IP_U16, .syntax = "PRIO",
	  .help = "lacp: the port priority; 0..65535, default 255" },
	{ "lacp_key", IFLA_LAGX_PORT_LACP_KEY, LAGX_IP_U16, .syntax = "KEY",
	  .help = "lacp: the port key; 0..65535, 0 (default): derived from\n"
		  "the speed" },
};

#define ARRAY_LEN(a)	(sizeof(a) / sizeof((a)[0]))

_Static_assert(ARRAY_LEN(lagx_dev_opts) <= 64 && ARRAY_LEN(lagx_port_opts) <= 64,
	       "options are tracked in a 64-bit mask");

static void lagx_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void lagx_err(const char *fmt, ...)
{
	va_list ap;

	fputs("Error: lagx: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* ------------------------------------------------------------- help -- */

static void lagx_help_values(FILE *f, const struct lagx_ip_opt *o)
{
	unsigned int i;

	if (!o->values) {
		fputs(o->syntax, f);
		return;
	}
	fputs("{ ", f);
	for (i = 0; o->values[i]; i++)
		fprintf(f, "%s%s", i ? " | " : "", o->values[i]);
	fputs(" }", f);
}

/* One paragraph per option: "name VALUES", then its help, indented. */
static void lagx_help_opts(FILE *f, const struct lagx_ip_opt *opts,
			   size_t n, bool read_only)
{
	const char *p, *nl;
	size_t i;

	for (i = 0; i < n; i++) {
		const struct lagx_ip_opt *o = &opts[i];

		if (o->read_only != read_only)
			continue;
		fprintf(f, "  %s", o->name);
		if (!read_only) {
			fputc(' ', f);
			lagx_help_values(f, o);
		}
		fputc('\n', f);
		for (p = o->help; *p; p = nl + 1) {
			nl = strchr(p, '\n');
			if (!nl)
				nl = p + strlen(p);
			fprintf(f, "\t%.*s\n", (int)(nl - p), p);
			if (!*nl)
				break;
		}
	}
}

static void lagx_help(FILE *f)
{
	fprintf(f,
		"Usage: ip link add NAME type lagx [ OPTION VALUE ]...\n"
		"       ip link set NAME type lagx [ OPTION VALUE ]...\n"
		"       ip link set PORT master NAME\n"
		"       ip link set PORT type lagx_slave [ OPTION VALUE ]...\n"
		"\n"
		"Options (\"active-backup:\", \"lacp:\", ... first: the modes an option\n"
		"is for; the others apply to every mode):\n");
	lagx_help_opts(f, lagx_dev_opts, ARRAY_LEN(lagx_dev_opts), false);
	fprintf(f,
		"\n"
		"Shown by \"ip -d link show\" only:\n");
	lagx_help_opts(f, lagx_dev_opts, ARRAY_LEN(lagx_dev_opts), true);
	fprintf(f,
		"\n"
		"Enumerations also take their value as a number.  The kernel checks\n"
		"every value and refuses the whole request, naming the option, if one\n"
		"is out of range or cannot change now; the request then changes\n"
		"nothing.  Port options: \"ip link help lagx_slave\".\n");
}

static void lagx_port_help(FILE *f)
{
	fprintf(f,
		"Usage: ip link set PORT type lagx_slave [ OPTION VALUE ]...\n"
		"\n"
		"Options (\"active-backup:\", \"lacp:\", ... first: the modes an option\n"
		"is for; the others apply to every mode):\n");
	lagx_help_opts(f, lagx_port_opts, ARRAY_LEN(lagx_port_opts), false);
	fprintf(f,
		"\n"
		"Shown by \"ip -d link show\" only:\n");
	lagx_help_opts(f, lagx_port_opts, ARRAY_LEN(lagx_port_opts), true);
	fprintf(f,
		"\n"
		"The kernel checks every value and refuses the whole request, naming\n"
		"the option, if one is out of range; the request then changes nothing.\n");
}

static void lagx_print_help(struct link_util *lu, int argc, char **argv,
			    FILE *f)
{
	(void)lu;
	(void)argc;
	(void)argv;
	lagx_help(f);
}

static void lagx_port_print_help(struct link_util *lu, int argc, char **argv,
				 FILE *f)
{
	(void)lu;
	(void)argc;
	(void)argv;
	lagx_port_help(f);
}

/* ------------------------------------------------------------ parse -- */

static const struct lagx_ip_opt *lagx_find(const struct lagx_ip_opt *opts,
					   size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(opts[i].name, name))
			return &opts[i];
	return NULL;
}

static int lagx_put_enum(struct nlmsghdr *nlh, const struct lagx_ip_opt *o,
			 const char *arg)
{
	unsigned int i;
	__u32 num;

	for (i = 0; o->values[i]; i++)
		if (!strcmp(o->values[i], arg))
			return addattr8(nlh, LAGX_REQ_MAXLEN, o->attr, i);
	for (i = 0; o->aliases && o->aliases[i].name; i++)
		if (!strcmp(o->aliases[i].name, arg))
			return addattr8(nlh, LAGX_REQ_MAXLEN, o->attr,
					o->aliases[i].value);

	/* A number goes to the kernel as is: it checks the range. */
	if (!get_u32(&num, arg, 0) && num <= 0xff)
		return addattr8(nlh, LAGX_REQ_MAXLEN, o->attr, num);

	fprintf(stderr, "Error: lagx: %s: invalid value \"%s\", one of:", o->name,
		arg);
	for (i = 0; o->values[i]; i++)
		fprintf(stderr, " %s", o->values[i]);
	for (i = 0; o->aliases && o->aliases[i].name; i++)
		fprintf(stderr, " %s", o->aliases[i].name);
	fputc('\n', stderr);
	return -1;
}

static int lagx_put(struct nlmsghdr *nlh, const struct lagx_ip_opt *o,
		    const char *arg)
{
	unsigned char mac[32];
	char copy[64];
	unsigned int ifindex;
	__u32 u32;
	__s32 s32;
	int len;

	switch (o->type) {
	case LAGX_IP_ENUM:
		return lagx_put_enum(nlh, o, arg);
	case LAGX_IP_U16:
		if (get_u32(&u32, arg, 0)) {
			lagx_err("%s: \"%s\" is not a number", o->name, arg);
			return -1;
		}
		if (u32 > 0xffff) {
			lagx_err("%s: %u does not fit in 16 bits (0..65535)",
				 o->name, u32);
			return -1;
		}
		return addattr16(nlh, LAGX_REQ_MAXLEN, o->attr, u32);
	case LAGX_IP_U32:
		if (get_u32(&u32, arg, 0)) {
			lagx_err("%s: \"%s\" is not a number in 0..4294967295",
				 o->name, arg);
			return -1;
		}
		return addattr32(nlh, LAGX_REQ_MAXLEN, o->attr, u32);
	case LAGX_IP_S32:
		if (get_s32(&s32, arg, 0)) {
			lagx_err("%s: \"%s\" is not a number in -2147483648..2147483647",
				 o->name, arg);
			return -1;
		}
		return addattr32(nlh, LAGX_REQ_MAXLEN, o->attr, (__u32)s32);
	case LAGX_IP_IFINDEX:
		if (!strcmp(arg, "none")) {
			ifindex = 0;
		} else {
			ifindex = ll_name_to_index(arg);
			if (!ifindex) {
				lagx_err("%s: device \"%s\" does not exist",
					 o->name, arg);
				return -1;
			}
		}
		return addattr32(nlh, LAGX_REQ_MAXLEN, o->attr, ifindex);
	case LAGX_IP_MAC:
		/* ll_addr_a2n() cuts its argument at the colons: a copy. */
		len = -1;
		if (strlen(arg) < sizeof(copy)) {
			snprintf(copy, sizeof(copy), "%s", arg);
			len = ll_addr_a2n((char *)mac, sizeof(mac), copy);
		}
		if (len != ETH_ALEN) {
			lagx_err("%s: \"%s\" is not an Ethernet address",
				 o->name, arg);
			return -1;
		}
		return addattr_l(nlh, LAGX_REQ_MAXLEN, o->attr, mac, ETH_ALEN);
	case LAGX_IP_U64:
	case LAGX_IP_STRING:
	case LAGX_IP_LACP_STATE:
		break;		/* read-only */
	}
	return -1;
}

static int lagx_parse(const struct lagx_ip_opt *opts, size_t n,
		      void (*help)(FILE *), int argc, char **argv,
		      struct nlmsghdr *nlh)
{
	unsigned long long seen = 0;

	while (argc > 0) {
		const struct lagx_ip_opt *o = lagx_find(opts, n, *argv);
		unsigned long long bit;

		if (!o) {
			if (!matches(*argv, "help")) {
				help(stdout);
				return -1;
			}
			lagx_err("unknown option \"%s\"", *argv);
			help(stderr);
			return -1;
		}
		if (o->read_only) {
			lagx_err("%s is read-only", o->name);
			return -1;
		}
		NEXT_ARG();
		bit = 1ULL << (o - opts);
		if (seen & bit)
			duparg(o->name, *argv);
		seen |= bit;
		if (lagx_put(nlh, o, *argv))
			return -1;
		argc--;
		argv++;
	}
	return 0;
}

static int lagx_parse_opt(struct link_util *lu, int argc, char **argv,
			  struct nlmsghdr *nlh)
{
	(void)lu;
	return lagx_parse(lagx_dev_opts, ARRAY_LEN(lagx_dev_opts), lagx_help,
			  argc, argv, nlh);
}

static int lagx_port_parse_opt(struct link_util *lu, int argc, char **argv,
			       struct nlmsghdr *nlh)
{
	(void)lu;
	return lagx_parse(lagx_port_opts, ARRAY_LEN(lagx_port_opts),
			  lagx_port_help, argc, argv, nlh);
}

/* ------------------------------------------------------------ print -- */

static const size_t lagx_ip_type_size[] = {
	[LAGX_IP_ENUM]		= sizeof(__u8),
	[LAGX_IP_U16]		= sizeof(__u16),
	[LAGX_IP_U32]		= sizeof(__u32),
	[LAGX_IP_S32]		= sizeof(__s32),
	[LAGX_IP_U64]		= sizeof(__u64),
	[LAGX_IP_IFINDEX]	= sizeof(__u32),
	[LAGX_IP_MAC]		= ETH_ALEN,
	[LAGX_IP_STRING]	= 1,
	[LAGX_IP_LACP_STATE]	= sizeof(__u8),
};

static unsigned int lagx_nvalues(const char *const *values)
{
	unsigned int n = 0;

	while (values[n])
		n++;
	return n;
}

/* "activity,aggregation,sync" (bit order), "none" for no bit. */
static const char *lagx_lacp_state_str(unsigned int state, char *buf,
				       size_t size)
{
	size_t off = 0;
	unsigned int i;

	buf[0] = '\0';
	for (i = 0; i < ARRAY_LEN(lagx_lacp_state_names); i++) {
		if (!(state & (1U << i)))
			continue;
		snprintf(buf + off, size - off, "%s%s", off ? "," : "",
			 lagx_lacp_state_names[i]);
		off = strlen(buf);
	}
	return off ? buf : "none";
}

static void lagx_print_attr(const struct lagx_ip_opt *o,
			    const struct rtattr *rta)
{
	char fmt[64], buf[128];
	unsigned int v;

	/* Text: "name value " on the line ip is printing. */
	snprintf(fmt, sizeof(fmt), "%s %%%s ", o->name,
		 o->type == LAGX_IP_U32 || o->type == LAGX_IP_U16 ||
		 o->type == LAGX_IP_ENUM ? "u" :
		 o->type == LAGX_IP_S32 ? "d" :
		 o->type == LAGX_IP_U64 ? "llu" : "s");

	switch (o->type) {
	case LAGX_IP_ENUM:
		v = rta_getattr_u8(rta);
		if (v < lagx_nvalues(o->values)) {
			snprintf(fmt, sizeof(fmt), "%s %%s ", o->name);
			print_string(PRINT_ANY, o->name, fmt, o->values[v]);
		} else {
			print_uint(PRINT_ANY, o->name, fmt, v);
		}
		break;
	case LAGX_IP_U16:
		print_uint(PRINT_ANY, o->name, fmt, rta_getattr_u16(rta));
		break;
	case LAGX_IP_U32:
		print_uint(PRINT_ANY, o->name, fmt, rta_getattr_u32(rta));
		break;
	case LAGX_IP_S32:
		print_int(PRINT_ANY, o->name, fmt, rta_getattr_s32(rta));
		break;
	case LAGX_IP_U64:
		print_u64(PRINT_ANY, o->name, fmt, rta_getattr_u64(rta));
		break;
	case LAGX_IP_IFINDEX:
		v = rta_getattr_u32(rta);
		if (v)
			print_color_string(PRINT_ANY, COLOR_IFNAME, o->name,
					   fmt, ll_index_to_name(v));
		else
			print_null(PRINT_ANY, o->name, fmt, "none");
		break;
	case LAGX_IP_STRING:
		snprintf(fmt, sizeof(fmt), "%s \"%%s\" ", o->name);
		print_string(PRINT_ANY, o->name, fmt, (const char *)RTA_DATA(rta));
		break;
	case LAGX_IP_MAC:
		print_color_string(PRINT_ANY, COLOR_MAC, o->name, fmt,
				   ll_addr_n2a(RTA_DATA(rta), ETH_ALEN,
					       ARPHRD_ETHER, buf, sizeof(buf)));
		break;
	case LAGX_IP_LACP_STATE:
		print_string(PRINT_ANY, o->name, fmt,
			     lagx_lacp_state_str(rta_getattr_u8(rta), buf,
						 sizeof(buf)));
		break;
	}
}

static void lagx_print(const struct lagx_ip_opt *opts, size_t n,
		       struct rtattr *tb[], int maxattr)
{
	char fmt[64];
	size_t i;

	for (i = 0; i < n; i++) {
		const struct lagx_ip_opt *o = &opts[i];
		const struct rtattr *rta;

		if (o->attr > maxattr)
			continue;
		rta = tb[o->attr];
		if (!rta) {
			/* The kernel omits active_port when there is none. */
			if (o->absent_is_none && tb[IFLA_LAGX_MODE] &&
			    rta_getattr_u8(tb[IFLA_LAGX_MODE]) ==
			    LAGX_MODE_ACTIVE_BACKUP) {
				snprintf(fmt, sizeof(fmt), "%s %%s ", o->name);
				print_null(PRINT_ANY, o->name, fmt, "none");
			}
			continue;
		}
		if (RTA_PAYLOAD(rta) < lagx_ip_type_size[o->type])
			continue;
		lagx_print_attr(o, rta);
	}
}

static void lagx_print_opt(struct link_util *lu, FILE *f, struct rtattr *tb[])
{
	(void)f;
	if (!tb)
		return;
	lagx_print(lagx_dev_opts, ARRAY_LEN(lagx_dev_opts), tb, lu->maxattr);
}

static void lagx_port_print_opt(struct link_util *lu, FILE *f,
				struct rtattr *tb[])
{
	(void)f;
	if (!tb)
		return;
	lagx_print(lagx_port_opts, ARRAY_LEN(lagx_port_opts), tb, lu->maxattr);
}

/* ------------------------------------------------------ entry points -- */

struct link_util lagx_link_util = {
	.id		= "lagx",
	.maxattr	= IFLA_LAGX_MAX,
	.parse_opt	= lagx_parse_opt,
	.print_opt	= lagx_print_opt,
	.print_help	= lagx_print_help,
};

struct link_util lagx_slave_link_util = {
	.id		= "lagx_slave",
	.maxattr	= IFLA_LAGX_PORT_MAX,
	.parse_opt	= lagx_port_parse_opt,
	.print_opt	= lagx_port_print_opt,
	.print_help	= lagx_port_print_help,
};
