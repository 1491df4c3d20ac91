// SPDX-License-Identifier: GPL-2.0
/*
 * lagxctl: show and act on lagx link-aggregation devices through the
 * "lagx" generic netlink family (Documentation/netlink/specs/lagx.yaml).
 *
 * Human output is meant for a person troubleshooting a broken bond:
 * devices without carrier and ports that are down or not carrying
 * traffic come first, with the kernel's reason.  -j prints JSON whose
 * keys and values are the netlink attributes as the spec names them
 * (as the kernel's ynl cli.py prints them), plus a few "*-name" keys.
 *
 * Exit status: 0 ok, 1 the kernel refused or something failed (its
 * extack message, else strerror, is printed), 2 usage error.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <net/if.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

/* From this repository (the Makefile stages only these two). */
#include <linux/lagx.h>
#include <linux/if_lagx.h>

#ifndef LAGXCTL_VERSION
#define LAGXCTL_VERSION "1.0"
#endif

#define EXIT_OK		0
#define EXIT_FAIL	1	/* the kernel refused, or a lookup failed */
#define EXIT_USAGE	2

#define RECV_BUF_SIZE	(64 * 1024)
#define SEND_BUF_SIZE	4096
#define REASON_LEN	128

static const char *prog = "lagxctl";
static bool opt_json;

/* ------------------------------------------------------------ helpers -- */

static void __attribute__((format(printf, 1, 2))) err_msg(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);

	if (!p) {
		err_msg("out of memory");
		exit(EXIT_FAIL);
	}
	return p;
}

static void *xrealloc(void *p, size_t size)
{
	p = realloc(p, size);
	if (!p) {
		err_msg("out of memory");
		exit(EXIT_FAIL);
	}
	return p;
}

static char *xstrdup(const char *s)
{
	char *p = strdup(s);

	if (!p) {
		err_msg("out of memory");
		exit(EXIT_FAIL);
	}
	return p;
}

/* ------------------------------------------------------------- enums -- */

static const char *const mode_names[] = {
	[LAGX_MODE_ACTIVE_BACKUP]	= "active-backup",
	[LAGX_MODE_BALANCE_SLB]		= "balance-slb",
	[LAGX_MODE_LACP]		= "lacp",
};

static const char *const state_names[] = {
	[LAGX_PORT_STATE_DOWN]		= "down",
	[LAGX_PORT_STATE_BACKUP]	= "backup",
	[LAGX_PORT_STATE_ACTIVE]	= "active",
};

/* The spec's names (xmit-hash-policy), as cli.py prints them. */
static const char *const hash_names[] = {
	[LAGX_XMIT_HASH_LAYER2]		= "layer2",
	[LAGX_XMIT_HASH_LAYER23]	= "layer2+3",
	[LAGX_XMIT_HASH_LAYER34]	= "layer3+4",
	[LAGX_XMIT_HASH_ENCAP23]	= "encap2+3",
	[LAGX_XMIT_HASH_ENCAP34]	= "encap3+4",
	[LAGX_XMIT_HASH_VLAN_SRCMAC]	= "vlan+srcmac",
};

/* lacp: the spec's names (operating-mode, lacp-mux, ...). */
static const char *const op_names[] = {
	[LAGX_OPERATING_MODE_LACP]			= "lacp",
	[LAGX_OPERATING_MODE_FALLBACK_BALANCE_SLB]	= "fallback-balance-slb",
	[LAGX_OPERATING_MODE_FALLBACK_ACTIVE_BACKUP]	= "fallback-active-backup",
	[LAGX_OPERATING_MODE_FALLBACK_NONE]		= "fallback-none",
};

/* The same, for a person (as /proc/net/lagx/<dev> says it). */
static const char *const op_texts[] = {
	[LAGX_OPERATING_MODE_LACP]			= "lacp",
	[LAGX_OPERATING_MODE_FALLBACK_BALANCE_SLB]	= "fallback balance-slb",
	[LAGX_OPERATING_MODE_FALLBACK_ACTIVE_BACKUP]	= "fallback active-backup",
	[LAGX_OPERATING_MODE_FALLBACK_NONE]		= "fallback none (no traffic)",
};

static const char *const mux_names[] = {
	[LAGX_LACP_MUX_DETACHED]	= "detached",
	[LAGX_LACP_MUX_WAITING]		= "waiting",
	[LAGX_LACP_MUX_ATTACHED]	= "attached",
	[LAGX_LACP_MUX_COLLECTING]	= "collecting",
	[LAGX_LACP_MUX_DISTRIBUTING]	= "distributing",
};

static const char *const rx_names[] = {
	[LAGX_LACP_RX_INITIALIZE]	= "initialize",
	[LAGX_LACP_RX_PORT_DISABLED]	= "port-disabled",
	[LAGX_LACP_RX_EXPIRED]		= "expired",
	[LAGX_LACP_RX_DEFAULTED]	= "defaulted",
	[LAGX_LACP_RX_CURRENT]		= "current",
};

static const char *const selected_names[] = {
	[LAGX_LACP_SELECTED_UNSELECTED]	= "unselected",
	[LAGX_LACP_SELECTED_SELECTED]	= "selected",
	[LAGX_LACP_SELECTED_STANDBY]	= "standby",
};

static const char *const churn_names[] = {
	[LAGX_LACP_CHURN_NO_CHURN]	= "no-churn",
	[LAGX_LACP_CHURN_MONITOR]	= "monitor",
	[LAGX_LACP_CHURN_CHURN]		= "churn",
};

static const char *const reason_names[] = {
	[LAGX_LACP_REASON_NONE]			= "none",
	[LAGX_LACP_REASON_PORT_DISABLED]	= "port-disabled",
	[LAGX_LACP_REASON_NO_LACPDU]		= "no-lacpdu",
	[LAGX_LACP_REASON_PASSIVE]		= "passive",
	[LAGX_LACP_REASON_LOOPED]		= "looped",
	[LAGX_LACP_REASON_EXPIRED]		= "expired",
	[LAGX_LACP_REASON_DEFAULTED]		= "defaulted",
	[LAGX_LACP_REASON_NOT_AGGREGATABLE]	= "not-aggregatable",
	[LAGX_LACP_REASON_KEY_MISMATCH]		= "key-mismatch",
	[LAGX_LACP_REASON_PARTNER_MISMATCH]	= "partner-mismatch",
	[LAGX_LACP_REASON_NOT_SELECTED]		= "not-selected",
	[LAGX_LACP_REASON_WAITING]		= "waiting",
	[LAGX_LACP_REASON_PARTNER_NOT_SYNC]	= "partner-not-sync",
	[LAGX_LACP_REASON_PARTNER_NOT_COLLECTING] = "partner-not-collecting",
};

/* The kernel's texts of the reasons (drivers/net/lagx/lacp.c). */
static const char *const reason_texts[] = {
	[LAGX_LACP_REASON_NONE]			= "distributing",
	[LAGX_LACP_REASON_PORT_DISABLED]	= "link down",
	[LAGX_LACP_REASON_NO_LACPDU]		=
		"no LACPDU received (partner silent or frames filtered)",
	[LAGX_LACP_REASON_PASSIVE]		=
		"no LACPDU received, and lacp_active is off",
	[LAGX_LACP_REASON_LOOPED]		= "own LACPDU looped back",
	[LAGX_LACP_REASON_EXPIRED]		= "partner expired (LACPDUs stopped)",
	[LAGX_LACP_REASON_DEFAULTED]		= "partner defaulted (LACPDUs stopped)",
	[LAGX_LACP_REASON_NOT_AGGREGATABLE]	= "individual link (not aggregatable)",
	[LAGX_LACP_REASON_KEY_MISMATCH]		= "key mismatch (speed/duplex or lacp_key)",
	[LAGX_LACP_REASON_PARTNER_MISMATCH]	=
		"partner system or key differs from the aggregator's",
	[LAGX_LACP_REASON_NOT_SELECTED]		= "aggregator not selected",
	[LAGX_LACP_REASON_WAITING]		= "waiting (wait_while)",
	[LAGX_LACP_REASON_PARTNER_NOT_SYNC]	= "partner not in sync",
	[LAGX_LACP_REASON_PARTNER_NOT_COLLECTING] = "partner not collecting",
};

/* The lacp-state flags by bit: JSON names, and /proc's for people. */
static const char *const lacp_state_names[] = {
	"activity", "timeout", "aggregation", "sync", "collecting",
	"distributing", "defaulted", "expired",
};

static const char *const lacp_state_texts[] = {
	"ACTIVITY", "TIMEOUT", "AGGREGATION", "SYNC", "COLLECTING",
	"DISTRIBUTING", "DEFAULTED", "EXPIRED",
};

#define ENUM_NAME(tbl, v, buf) \
	((v) < sizeof(tbl) / sizeof((tbl)[0]) && (tbl)[v] ? (tbl)[v] : \
	 (snprintf(buf, sizeof(buf), "unknown-%u", (unsigned int)(v)), buf))

/* -------------------------------------------------------------- model -- */

/* Which attributes the kernel sent: bit N for attribute type N. */
#define HAS(obj, attr)	(((obj)->present >> (attr)) & 1)

/* An actor's or a partner's parameters (the lacp-port set). */
struct lagx_lacp_info {
	uint16_t sys_prio;
	uint8_t sys[6];
	uint16_t key;
	uint16_t port_prio;
	uint16_t port;
	uint8_t state;
};

/* The lacp nest of a port: bit N of present for LAGX_A_LACP_PORT_N. */
struct lagx_lacp {
	uint64_t present;
	uint32_t mux;
	uint32_t rx;
	uint32_t selected;
	uint32_t reason;
	uint64_t reason_since_ms;
	struct lagx_lacp_info actor;
	struct lagx_lacp_info partner;
	uint64_t lacpdus_rx;
	uint64_t lacpdus_tx;
	uint64_t markers_rx;
	uint64_t marker_resps_tx;
	uint64_t marker_resps_rx;
	uint64_t unknown_rx;
	uint64_t illegal_rx;
	uint64_t stray_rx;
	uint32_t actor_churn;
	uint32_t partner_churn;
	uint32_t actor_churn_count;
	uint32_t partner_churn_count;
};

struct lagx_port {
	uint64_t present;
	uint32_t ifindex;
	char ifname[IF_NAMESIZE];
	uint32_t master;
	uint32_t state;
	char reason[REASON_LEN];
	uint8_t link;
	uint8_t link_pending;
	uint32_t speed;
	uint8_t duplex;
	uint32_t link_failures;
	int32_t prio;
	uint64_t rx_packets;
	uint64_t rx_dropped;
	uint64_t tx_packets;
	uint32_t buckets;
	uint64_t load;
	uint64_t rx_dropped_mcast;
	uint64_t rx_dropped_loop;
	uint64_t learn_tx;
	struct lagx_lacp lacp;		/* if HAS(port, LAGX_A_PORT_LACP) */
};

struct lagx_dev {
	uint64_t present;
	uint32_t ifindex;
	char ifname[IF_NAMESIZE];
	uint32_t mode;
	uint8_t carrier;
	uint32_t active_port;
	uint32_t port_count;
	uint32_t usable_ports;
	uint64_t failovers;
	uint64_t tx_dropped;
	uint32_t xmit_hash_policy;
	uint32_t rebalance_interval;
	uint64_t rebalance_runs;
	uint64_t bucket_moves;
	uint32_t mcast_port;
	uint32_t operating_mode;
	uint64_t fallbacks;
	uint16_t lacp_system_prio;
	uint8_t lacp_system[6];

	struct lagx_port **ports;	/* filled by "show" */
	size_t nports;
};

/* A hash bucket bound to a port (bucket-get). */
struct lagx_bucket {
	uint64_t present;
	uint32_t dev_ifindex;
	uint32_t index;
	uint32_t port_ifindex;
	uint64_t bytes;
	uint64_t packets;
	uint64_t load;
};

struct vec {
	void **v;
	size_t n;
	size_t cap;
};

static void vec_push(struct vec *vec, void *p)
{
	if (vec->n == vec->cap) {
		vec->cap = vec->cap ? 2 * vec->cap : 8;
		vec->v = xrealloc(vec->v, vec->cap * sizeof(*vec->v));
	}
	vec->v[vec->n++] = p;
}

/* ------------------------------------------------------------ netlink -- */

struct nl {
	struct mnl_socket *sock;
	unsigned int portid;
	unsigned int seq;
	uint16_t family;
	uint32_t monitor_grp;		/* 0 if the family has none */
	char sbuf[SEND_BUF_SIZE];
	char *rbuf;
};

/* The outcome of the last request: errno and the kernel's message. */
static struct {
	int err;
	char msg[512];
} nl_res;

static int extack_attr_cb(const struct nlattr *attr, void *data)
{
	(void)data;

	if (mnl_attr_get_type(attr) == NLMSGERR_ATTR_MSG &&
	    mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) >= 0)
		snprintf(nl_res.msg, sizeof(nl_res.msg), "%s",
			 mnl_attr_get_str(attr));
	return MNL_CB_OK;
}

/* The error (or 0) of an NLMSG_ERROR or NLMSG_DONE, with its extack. */
static int nl_parse_status(const struct nlmsghdr *nlh, bool is_error)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	size_t plen = mnl_nlmsg_get_payload_len(nlh);
	size_t off;
	int err;

	if (plen < sizeof(int)) {
		/* An NLMSG_DONE without status: a plain end of dump. */
		return 0;
	}
	err = e->error;
	if (is_error) {
		if (plen < sizeof(*e))
			return -EBADMSG;
		off = sizeof(*e);
		if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
			off += e->msg.nlmsg_len - sizeof(struct nlmsghdr);
	} else {
		off = sizeof(int);
	}
	if ((nlh->nlmsg_flags & NLM_F_ACK_TLVS) && plen > off)
		mnl_attr_parse(nlh, off, extack_attr_cb, NULL);
	return err;
}

static int nl_cb_error(const struct nlmsghdr *nlh, void *data)
{
	int err = nl_parse_status(nlh, true);

	(void)data;
	if (err == 0) {
		if (nl_res.msg[0])	/* a warning with the ack */
			err_msg("warning: %s", nl_res.msg);
		return MNL_CB_STOP;
	}
	nl_res.err = err < 0 ? -err : err;
	errno = nl_res.err;
	return MNL_CB_ERROR;
}

static int nl_cb_done(const struct nlmsghdr *nlh, void *data)
{
	int err = nl_parse_status(nlh, false);

	(void)data;
	if (err == 0)
		return MNL_CB_STOP;
	nl_res.err = err < 0 ? -err : err;
	errno = nl_res.err;
	return MNL_CB_ERROR;
}

static mnl_cb_t nl_ctl_cb[NLMSG_MIN_TYPE] = {
	[NLMSG_ERROR]	= nl_cb_error,
	[NLMSG_DONE]	= nl_cb_done,
};

static struct nlmsghdr *nl_msg(struct nl *nl, uint16_t type, uint16_t flags,
			       uint8_t cmd, uint8_t version)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(nl->sbuf);
	struct genlmsghdr *g;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	nlh->nlmsg_seq = ++nl->seq;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = version;
	return nlh;
}

static struct nlmsghdr *lagx_msg(struct nl *nl, uint8_t cmd, uint16_t flags)
{
	return nl_msg(nl, nl->family, flags, cmd, LAGX_FAMILY_VERSION);
}

/*
 * Send a request and feed every reply to @cb until the ack or the end of
 * the dump.  Returns 0, or -1 with nl_res set (errno, kernel message).
 */
static int nl_talk(struct nl *nl, struct nlmsghdr *nlh, mnl_cb_t cb, void *data)
{
	unsigned int seq = nlh->nlmsg_seq;
	ssize_t n;
	int ret;

	nl_res.err = 0;
	nl_res.msg[0] = '\0';
	if (mnl_socket_sendto(nl->sock, nlh, nlh->nlmsg_len) < 0) {
		nl_res.err = errno;
		return -1;
	}
	for (;;) {
		n = mnl_socket_recvfrom(nl->sock, nl->rbuf, RECV_BUF_SIZE);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			nl_res.err = errno;
			return -1;
		}
		errno = 0;
		ret = mnl_cb_run2(nl->rbuf, n, seq, nl->portid, cb, data,
				  nl_ctl_cb, NLMSG_MIN_TYPE);
		if (ret == MNL_CB_ERROR) {
			if (!nl_res.err)
				nl_res.err = errno ? errno : EPROTO;
			return -1;
		}
		if (ret == MNL_CB_STOP)
			return 0;
	}
}

/* The kernel's message if it sent one, else strerror. */
static const char *nl_errstr(void)
{
	/* libmnl's answer to NLM_F_DUMP_INTR. */
	if (!nl_res.msg[0] && nl_res.err == EINTR)
		return "ports changed during the dump, run it again";
	return nl_res.msg[0] ? nl_res.msg : strerror(nl_res.err);
}

struct family_info {
	uint16_t id;
	uint32_t monitor_grp;
};

static int mcgrp_cb(const struct nlattr *grp, struct family_info *fi)
{
	const struct nlattr *a;
	const char *name = NULL;
	uint32_t id = 0;

	mnl_attr_for_each_nested(a, grp) {
		switch (mnl_attr_get_type(a)) {
		case CTRL_ATTR_MCAST_GRP_NAME:
			if (mnl_attr_validate(a, MNL_TYPE_NUL_STRING) >= 0)
				name = mnl_attr_get_str(a);
			break;
		case CTRL_ATTR_MCAST_GRP_ID:
			if (mnl_attr_validate(a, MNL_TYPE_U32) >= 0)
				id = mnl_attr_get_u32(a);
			break;
		}
	}
	if (name && !strcmp(name, LAGX_MCGRP_MONITOR))
		fi->monitor_grp = id;
	return MNL_CB_OK;
}

static int family_attr_cb(const struct nlattr *attr, void *data)
{
	struct family_info *fi = data;
	const struct nlattr *grp;

	switch (mnl_attr_get_type(attr)) {
	case CTRL_ATTR_FAMILY_ID:
		if (mnl_attr_validate(attr, MNL_TYPE_U16) >= 0)
			fi->id = mnl_attr_get_u16(attr);
		break;
	case CTRL_ATTR_MCAST_GROUPS:
		mnl_attr_for_each_nested(grp, attr)
			mcgrp_cb(grp, fi);
		break;
	}
	return MNL_CB_OK;
}

static int family_cb(const struct nlmsghdr *nlh, void *data)
{
	mnl_attr_parse(nlh, sizeof(struct genlmsghdr), family_attr_cb, data);
	return MNL_CB_OK;
}

/* Open a generic netlink socket and look the lagx family up; exits on failure. */
static void nl_open(struct nl *nl)
{
	struct family_info fi = { 0 };
	struct nlmsghdr *nlh;
	int one = 1;

	memset(nl, 0, sizeof(*nl));
	nl->rbuf = xcalloc(1, RECV_BUF_SIZE);
	nl->sock = mnl_socket_open(NETLINK_GENERIC);
	if (!nl->sock) {
		err_msg("cannot open a generic netlink socket: %s", strerror(errno));
		exit(EXIT_FAIL);
	}
	if (mnl_socket_bind(nl->sock, 0, MNL_SOCKET_AUTOPID) < 0) {
		err_msg("cannot bind the netlink socket: %s", strerror(errno));
		exit(EXIT_FAIL);
	}
	/* Best effort: older kernels lack them, and errors stay readable. */
	mnl_socket_setsockopt(nl->sock, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(nl->sock, NETLINK_CAP_ACK, &one, sizeof(one));
	nl->portid = mnl_socket_get_portid(nl->sock);
	nl->seq = (unsigned int)time(NULL);

	nlh = nl_msg(nl, GENL_ID_CTRL, 0, CTRL_CMD_GETFAMILY, 1);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, LAGX_FAMILY_NAME);
	if (nl_talk(nl, nlh, family_cb, &fi) < 0 || !fi.id) {
		if (nl_res.err == ENOENT || !fi.id)
			err_msg("the kernel has no \"%s\" netlink family: %s",
				LAGX_FAMILY_NAME,
				"is the lagx module loaded? (modprobe lagx)");
		else
			err_msg("cannot look up the \"%s\" netlink family: %s",
				LAGX_FAMILY_NAME, nl_errstr());
		exit(EXIT_FAIL);
	}
	nl->family = fi.id;
	nl->monitor_grp = fi.monitor_grp;
}

/* ------------------------------------------------------ attr parsing -- */

struct attrs {
	const struct nlattr *tb[64];
	unsigned int max;
};

static int attrs_cb(const struct nlattr *attr, void *data)
{
	struct attrs *a = data;
	unsigned int type = mnl_attr_get_type(attr);

	/* Attributes of a newer kernel are ignored. */
	if (type <= a->max)
		a->tb[type] = attr;
	return MNL_CB_OK;
}

static bool attr_u8(const struct nlattr *a, uint8_t *v)
{
	if (!a || mnl_attr_get_payload_len(a) < sizeof(uint8_t))
		return false;
	*v = mnl_attr_get_u8(a);
	return true;
}

static bool attr_u16(const struct nlattr *a, uint16_t *v)
{
	if (!a || mnl_attr_get_payload_len(a) < sizeof(uint16_t))
		return false;
	*v = mnl_attr_get_u16(a);
	return true;
}

/* A binary Ethernet address. */
static bool attr_mac(const struct nlattr *a, uint8_t *mac)
{
	if (!a || mnl_attr_get_payload_len(a) != 6)
		return false;
	memcpy(mac, mnl_attr_get_payload(a), 6);
	return true;
}

static bool attr_u32(const struct nlattr *a, uint32_t *v)
{
	if (!a || mnl_attr_get_payload_len(a) < sizeof(uint32_t))
		return false;
	*v = mnl_attr_get_u32(a);
	return true;
}

/* "uint" in the spec: 4 or 8 bytes (nla_put_uint()). */
static bool attr_uint(const struct nlattr *a, uint64_t *v)
{
	if (!a)
		return false;
	switch (mnl_attr_get_payload_len(a)) {
	case sizeof(uint32_t):
		*v = mnl_attr_get_u32(a);
		return true;
	case sizeof(uint64_t):
		*v = mnl_attr_get_u64(a);
		return true;
	}
	return false;
}

static bool attr_str(const struct nlattr *a, char *buf, size_t size)
{
	size_t len;

	if (!a)
		return false;
	len = strnlen(mnl_attr_get_payload(a), mnl_attr_get_payload_len(a));
	if (len >= size)
		len = size - 1;
	memcpy(buf, mnl_attr_get_payload(a), len);
	buf[len] = '\0';
	return true;
}

#define GOT(obj, attr, ok)	((obj)->present |= (uint64_t)!!(ok) << (attr))

static void parse_dev(const struct nlmsghdr *nlh, struct lagx_dev *d)
{
	struct attrs a = { .max = LAGX_A_DEV_MAX };
	const struct nlattr **tb = a.tb;

	memset(d, 0, sizeof(*d));
	mnl_attr_parse(nlh, sizeof(struct genlmsghdr), attrs_cb, &a);
	GOT(d, LAGX_A_DEV_IFINDEX, attr_u32(tb[LAGX_A_DEV_IFINDEX], &d->ifindex));
	GOT(d, LAGX_A_DEV_IFNAME, attr_str(tb[LAGX_A_DEV_IFNAME], d->ifname, sizeof(d->ifname)));
	GOT(d, LAGX_A_DEV_MODE, attr_u32(tb[LAGX_A_DEV_MODE], &d->mode));
	GOT(d, LAGX_A_DEV_CARRIER, attr_u8(tb[LAGX_A_DEV_CARRIER], &d->carrier));
	GOT(d, LAGX_A_DEV_ACTIVE_PORT, attr_u32(tb[LAGX_A_DEV_ACTIVE_PORT], &d->active_port));
	GOT(d, LAGX_A_DEV_PORT_COUNT, attr_u32(tb[LAGX_A_DEV_PORT_COUNT], &d->port_count));
	GOT(d, LAGX_A_DEV_USABLE_PORTS, attr_u32(tb[LAGX_A_DEV_USABLE_PORTS], &d->usable_ports));
	GOT(d, LAGX_A_DEV_FAILOVERS, attr_uint(tb[LAGX_A_DEV_FAILOVERS], &d->failovers));
	GOT(d, LAGX_A_DEV_TX_DROPPED, attr_uint(tb[LAGX_A_DEV_TX_DROPPED], &d->tx_dropped));
	GOT(d, LAGX_A_DEV_XMIT_HASH_POLICY,
	    attr_u32(tb[LAGX_A_DEV_XMIT_HASH_POLICY], &d->xmit_hash_policy));
	GOT(d, LAGX_A_DEV_REBALANCE_INTERVAL,
	    attr_u32(tb[LAGX_A_DEV_REBALANCE_INTERVAL], &d->rebalance_interval));
	GOT(d, LAGX_A_DEV_REBALANCE_RUNS,
	    attr_uint(tb[LAGX_A_DEV_REBALANCE_RUNS], &d->rebalance_runs));
	GOT(d, LAGX_A_DEV_BUCKET_MOVES, attr_uint(tb[LAGX_A_DEV_BUCKET_MOVES], &d->bucket_moves));
	GOT(d, LAGX_A_DEV_MCAST_PORT, attr_u32(tb[LAGX_A_DEV_MCAST_PORT], &d->mcast_port));
	GOT(d, LAGX_A_DEV_OPERATING_MODE,
	    attr_u32(tb[LAGX_A_DEV_OPERATING_MODE], &d->operating_mode));
	GOT(d, LAGX_A_DEV_FALLBACKS, attr_uint(tb[LAGX_A_DEV_FALLBACKS], &d->fallbacks));
	GOT(d, LAGX_A_DEV_LACP_SYSTEM_PRIO,
	    attr_u16(tb[LAGX_A_DEV_LACP_SYSTEM_PRIO], &d->lacp_system_prio));
	GOT(d, LAGX_A_DEV_LACP_SYSTEM, attr_mac(tb[LAGX_A_DEV_LACP_SYSTEM], d->lacp_system));
	if (!HAS(d, LAGX_A_DEV_IFNAME))
		snprintf(d->ifname, sizeof(d->ifname), "#%u", d->ifindex);
}

/* The actor's (@first = ACTOR_SYSTEM_PRIO) or the partner's attributes. */
static void parse_lacp_info(struct lagx_lacp *l, const struct nlattr **tb,
			    unsigned int first, struct lagx_lacp_info *i)
{
	GOT(l, first, attr_u16(tb[first], &i->sys_prio));
	GOT(l, first + 1, attr_mac(tb[first + 1], i->sys));
	GOT(l, first + 2, attr_u16(tb[first + 2], &i->key));
	GOT(l, first + 3, attr_u16(tb[first + 3], &i->port_prio));
	GOT(l, first + 4, attr_u16(tb[first + 4], &i->port));
	GOT(l, first + 5, attr_u8(tb[first + 5], &i->state));
}

static void parse_lacp(const struct nlattr *nest, struct lagx_lacp *l)
{
	struct attrs a = { .max = LAGX_A_LACP_PORT_MAX };
	const struct nlattr **tb = a.tb;

	_Static_assert(LAGX_A_LACP_PORT_ACTOR_STATE - LAGX_A_LACP_PORT_ACTOR_SYSTEM_PRIO == 5 &&
		       LAGX_A_LACP_PORT_PARTNER_STATE -
		       LAGX_A_LACP_PORT_PARTNER_SYSTEM_PRIO == 5,
		       "actor and partner attributes in the same order");
	memset(l, 0, sizeof(*l));
	mnl_attr_parse_nested(nest, attrs_cb, &a);
	GOT(l, LAGX_A_LACP_PORT_MUX_STATE, attr_u32(tb[LAGX_A_LACP_PORT_MUX_STATE], &l->mux));
	GOT(l, LAGX_A_LACP_PORT_RX_STATE, attr_u32(tb[LAGX_A_LACP_PORT_RX_STATE], &l->rx));
	GOT(l, LAGX_A_LACP_PORT_SELECTED,
	    attr_u32(tb[LAGX_A_LACP_PORT_SELECTED], &l->selected));
	GOT(l, LAGX_A_LACP_PORT_REASON_CODE,
	    attr_u32(tb[LAGX_A_LACP_PORT_REASON_CODE], &l->reason));
	GOT(l, LAGX_A_LACP_PORT_REASON_SINCE_MS,
	    attr_uint(tb[LAGX_A_LACP_PORT_REASON_SINCE_MS], &l->reason_since_ms));
	parse_lacp_info(l, tb, LAGX_A_LACP_PORT_ACTOR_SYSTEM_PRIO, &l->actor);
	parse_lacp_info(l, tb, LAGX_A_LACP_PORT_PARTNER_SYSTEM_PRIO, &l->partner);
	GOT(l, LAGX_A_LACP_PORT_LACPDUS_RX,
	    attr_uint(tb[LAGX_A_LACP_PORT_LACPDUS_RX], &l->lacpdus_rx));
	GOT(l, LAGX_A_LACP_PORT_LACPDUS_TX,
	    attr_uint(tb[LAGX_A_LACP_PORT_LACPDUS_TX], &l->lacpdus_tx));
	GOT(l, LAGX_A_LACP_PORT_MARKERS_RX,
	    attr_uint(tb[LAGX_A_LACP_PORT_MARKERS_RX], &l->markers_rx));
	GOT(l, LAGX_A_LACP_PORT_MARKER_RESPS_TX,
	    attr_uint(tb[LAGX_A_LACP_PORT_MARKER_RESPS_TX], &l->marker_resps_tx));
	GOT(l, LAGX_A_LACP_PORT_MARKER_RESPS_RX,
	    attr_uint(tb[LAGX_A_LACP_PORT_MARKER_RESPS_RX], &l->marker_resps_rx));
	GOT(l, LAGX_A_LACP_PORT_UNKNOWN_RX,
	    attr_uint(tb[LAGX_A_LACP_PORT_UNKNOWN_RX], &l->unknown_rx));
	GOT(l, LAGX_A_LACP_PORT_ILLEGAL_RX,
	    attr_uint(tb[LAGX_A_LACP_PORT_ILLEGAL_RX], &l->illegal_rx));
	GOT(l, LAGX_A_LACP_PORT_STRAY_RX,
	    attr_uint(tb[LAGX_A_LACP_PORT_STRAY_RX], &l->stray_rx));
	GOT(l, LAGX_A_LACP_PORT_ACTOR_CHURN,
	    attr_u32(tb[LAGX_A_LACP_PORT_ACTOR_CHURN], &l->actor_churn));
	GOT(l, LAGX_A_LACP_PORT_PARTNER_CHURN,
	    attr_u32(tb[LAGX_A_LACP_PORT_PARTNER_CHURN], &l->partner_churn));
	GOT(l, LAGX_A_LACP_PORT_ACTOR_CHURN_COUNT,
	    attr_u32(tb[LAGX_A_LACP_PORT_ACTOR_CHURN_COUNT], &l->actor_churn_count));
	GOT(l, LAGX_A_LACP_PORT_PARTNER_CHURN_COUNT,
	    attr_u32(tb[LAGX_A_LACP_PORT_PARTNER_CHURN_COUNT], &l->partner_churn_count));
}

static void parse_port(const struct nlmsghdr *nlh, struct lagx_port *p)
{
	struct attrs a = { .max = LAGX_A_PORT_MAX };
	const struct nlattr **tb = a.tb;
	uint32_t prio = 0;

	memset(p, 0, sizeof(*p));
	mnl_attr_parse(nlh, sizeof(struct genlmsghdr), attrs_cb, &a);
	GOT(p, LAGX_A_PORT_IFINDEX, attr_u32(tb[LAGX_A_PORT_IFINDEX], &p->ifindex));
	GOT(p, LAGX_A_PORT_IFNAME, attr_str(tb[LAGX_A_PORT_IFNAME], p->ifname, sizeof(p->ifname)));
	GOT(p, LAGX_A_PORT_MASTER, attr_u32(tb[LAGX_A_PORT_MASTER], &p->master));
	GOT(p, LAGX_A_PORT_STATE, attr_u32(tb[LAGX_A_PORT_STATE], &p->state));
	GOT(p, LAGX_A_PORT_REASON, attr_str(tb[LAGX_A_PORT_REASON], p->reason, sizeof(p->reason)));
	GOT(p, LAGX_A_PORT_LINK, attr_u8(tb[LAGX_A_PORT_LINK], &p->link));
	GOT(p, LAGX_A_PORT_LINK_PENDING, attr_u8(tb[LAGX_A_PORT_LINK_PENDING], &p->link_pending));
	GOT(p, LAGX_A_PORT_SPEED, attr_u32(tb[LAGX_A_PORT_SPEED], &p->speed));
	GOT(p, LAGX_A_PORT_DUPLEX, attr_u8(tb[LAGX_A_PORT_DUPLEX], &p->duplex));
	GOT(p, LAGX_A_PORT_LINK_FAILURES,
	    attr_u32(tb[LAGX_A_PORT_LINK_FAILURES], &p->link_failures));
	GOT(p, LAGX_A_PORT_PRIO, attr_u32(tb[LAGX_A_PORT_PRIO], &prio));
	p->prio = (int32_t)prio;
	GOT(p, LAGX_A_PORT_RX_PACKETS, attr_uint(tb[LAGX_A_PORT_RX_PACKETS], &p->rx_packets));
	GOT(p, LAGX_A_PORT_RX_DROPPED, attr_uint(tb[LAGX_A_PORT_RX_DROPPED], &p->rx_dropped));
	GOT(p, LAGX_A_PORT_TX_PACKETS, attr_uint(tb[LAGX_A_PORT_TX_PACKETS], &p->tx_packets));
	GOT(p, LAGX_A_PORT_BUCKETS, attr_u32(tb[LAGX_A_PORT_BUCKETS], &p->buckets));
	GOT(p, LAGX_A_PORT_LOAD, attr_uint(tb[LAGX_A_PORT_LOAD], &p->load));
	GOT(p, LAGX_A_PORT_RX_DROPPED_MCAST,
	    attr_uint(tb[LAGX_A_PORT_RX_DROPPED_MCAST], &p->rx_dropped_mcast));
	GOT(p, LAGX_A_PORT_RX_DROPPED_LOOP,
	    attr_uint(tb[LAGX_A_PORT_RX_DROPPED_LOOP], &p->rx_dropped_loop));
	GOT(p, LAGX_A_PORT_LEARN_TX, attr_uint(tb[LAGX_A_PORT_LEARN_TX], &p->learn_tx));
	if (tb[LAGX_A_PORT_LACP]) {
		parse_lacp(tb[LAGX_A_PORT_LACP], &p->lacp);
		GOT(p, LAGX_A_PORT_LACP, true);
	}
	if (!HAS(p, LAGX_A_PORT_IFNAME))
		snprintf(p->ifname, sizeof(p->ifname), "#%u", p->ifindex);
}

static void parse_bucket(const struct nlmsghdr *nlh, struct lagx_bucket *b)
{
	struct attrs a = { .max = LAGX_A_BUCKET_MAX };
	const struct nlattr **tb = a.tb;

	memset(b, 0, sizeof(*b));
	mnl_attr_parse(nlh, sizeof(struct genlmsghdr), attrs_cb, &a);
	GOT(b, LAGX_A_BUCKET_DEV_IFINDEX,
	    attr_u32(tb[LAGX_A_BUCKET_DEV_IFINDEX], &b->dev_ifindex));
	GOT(b, LAGX_A_BUCKET_INDEX, attr_u32(tb[LAGX_A_BUCKET_INDEX], &b->index));
	GOT(b, LAGX_A_BUCKET_PORT_IFINDEX,
	    attr_u32(tb[LAGX_A_BUCKET_PORT_IFINDEX], &b->port_ifindex));
	GOT(b, LAGX_A_BUCKET_BYTES, attr_uint(tb[LAGX_A_BUCKET_BYTES], &b->bytes));
	GOT(b, LAGX_A_BUCKET_PACKETS, attr_uint(tb[LAGX_A_BUCKET_PACKETS], &b->packets));
	GOT(b, LAGX_A_BUCKET_LOAD, attr_uint(tb[LAGX_A_BUCKET_LOAD], &b->load));
}

static int dev_collect_cb(const struct nlmsghdr *nlh, void *data)
{
	struct lagx_dev *d = xcalloc(1, sizeof(*d));

	parse_dev(nlh, d);
	vec_push(data, d);
	return MNL_CB_OK;
}

static int port_collect_cb(const struct nlmsghdr *nlh, void *data)
{
	struct lagx_port *p = xcalloc(1, sizeof(*p));

	parse_port(nlh, p);
	vec_push(data, p);
	return MNL_CB_OK;
}

static int bucket_collect_cb(const struct nlmsghdr *nlh, void *data)
{
	struct lagx_bucket *b = xcalloc(1, sizeof(*b));

	parse_bucket(nlh, b);
	vec_push(data, b);
	return MNL_CB_OK;
}

/* dev-get: one device (@ifindex) or all (0).  -1 on error (nl_res). */
static int get_devs(struct nl *nl, uint32_t ifindex, struct vec *devs)
{
	struct nlmsghdr *nlh;

	nlh = lagx_msg(nl, LAGX_CMD_DEV_GET, ifindex ? 0 : NLM_F_DUMP);
	if (ifindex)
		mnl_attr_put_u32(nlh, LAGX_A_DEV_IFINDEX, ifindex);
	return nl_talk(nl, nlh, dev_collect_cb, devs);
}

/* port-get: one port (@ifindex), the ports of @master, or all (both 0). */
static int get_ports(struct nl *nl, uint32_t ifindex, uint32_t master,
		     struct vec *ports)
{
	struct nlmsghdr *nlh;

	nlh = lagx_msg(nl, LAGX_CMD_PORT_GET, ifindex ? 0 : NLM_F_DUMP);
	if (ifindex)
		mnl_attr_put_u32(nlh, LAGX_A_PORT_IFINDEX, ifindex);
	else if (master)
		mnl_attr_put_u32(nlh, LAGX_A_PORT_MASTER, master);
	return nl_talk(nl, nlh, port_collect_cb, ports);
}

/* bucket-get: the buckets of @dev that are bound to a port. */
static int get_buckets(struct nl *nl, uint32_t dev, struct vec *buckets)
{
	struct nlmsghdr *nlh;

	nlh = lagx_msg(nl, LAGX_CMD_BUCKET_GET, NLM_F_DUMP);
	mnl_attr_put_u32(nlh, LAGX_A_BUCKET_DEV_IFINDEX, dev);
	return nl_talk(nl, nlh, bucket_collect_cb, buckets);
}

/* ---------------------------------------------------------- resolving -- */

/* ifindex of @name, or exit with a clear message. */
static uint32_t name_to_index(const char *name)
{
	unsigned int idx = 0;

	if (strlen(name) < IF_NAMESIZE)
		idx = if_nametoindex(name);
	if (!idx) {
		err_msg("device \"%s\" does not exist", name);
		exit(EXIT_FAIL);
	}
	return idx;
}

/* Name of @ifindex: among @ports if given, else from the kernel. */
static const char *index_name(uint32_t ifindex, struct lagx_port **ports,
			      size_t nports, char *buf)
{
	size_t i;

	for (i = 0; i < nports; i++)
		if (ports[i]->ifindex == ifindex)
			return ports[i]->ifname;
	if (if_indextoname(ifindex, buf))
		return buf;
	snprintf(buf, IF_NAMESIZE, "#%u", ifindex);
	return buf;
}

/* ----------------------------------------------------------- JSON out -- */

struct json {
	FILE *f;
	bool pretty;
	int depth;
	bool first[32];
};

static void json_indent(struct json *j)
{
	int i;

	if (!j->pretty)
		return;
	fputc('\n', j->f);
	for (i = 0; i < j->depth; i++)
		fputs("  ", j->f);
}

static void json_string(FILE *f, const char *s)
{
	const unsigned char *c;

	fputc('"', f);
	for (c = (const unsigned char *)s; *c; c++) {
		switch (*c) {
		case '"':
			fputs("\\\"", f);
			break;
		case '\\':
			fputs("\\\\", f);
			break;
		case '\n':
			fputs("\\n", f);
			break;
		case '\t':
			fputs("\\t", f);
			break;
		default:
			if (*c < 0x20 || *c == 0x7f)
				fprintf(f, "\\u%04x", *c);
			else
				fputc(*c, f);
		}
	}
	fputc('"', f);
}

/* Start a value: comma and indentation, then "key": when in an object. */
static void json_key(struct json *j, const char *key)
{
	if (j->depth > 0) {
		if (!j->first[j->depth])
			fputc(',', j->f);
		j->first[j->depth] = false;
		json_indent(j);
	}
	if (key) {
		json_string(j->f, key);
		fputs(j->pretty ? ": " : ":", j->f);
	}
}

static void json_open(struct json *j, const char *key, char c)
{
	json_key(j, key);
	fputc(c, j->f);
	j->depth++;
	j->first[j->depth] = true;
}

static void json_close(struct json *j, char c)
{
	bool empty = j->first[j->depth];

	j->depth--;
	if (!empty)
		json_indent(j);
	fputc(c, j->f);
	if (j->depth == 0)
		fputc('\n', j->f);
}

static void json_kstr(struct json *j, const char *key, const char *v)
{
	json_key(j, key);
	json_string(j->f, v);
}

static void json_ku64(struct json *j, const char *key, uint64_t v)
{
	json_key(j, key);
	fprintf(j->f, "%" PRIu64, v);
}

static void json_ks64(struct json *j, const char *key, int64_t v)
{
	json_key(j, key);
	fprintf(j->f, "%" PRId64, v);
}

static void json_knull(struct json *j, const char *key)
{
	json_key(j, key);
	fputs("null", j->f);
}

/* Absent attributes are null, so that every key is always there. */
#define JSON_U(j, obj, attr, key, v) \
	(HAS(obj, attr) ? json_ku64(j, key, v) : json_knull(j, key))
#define JSON_S(j, obj, attr, key, v) \
	(HAS(obj, attr) ? json_kstr(j, key, v) : json_knull(j, key))

/* "aa:bb:cc:dd:ee:ff", as cli.py prints a binary with display-hint mac. */
static const char *fmt_mac(const uint8_t *mac, char *buf, size_t size)
{
	snprintf(buf, size, "%02x:%02x:%02x:%02x:%02x:%02x",
		 mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
	return buf;
}

/* A lacp-state: the names of its bits, in bit order. */
static void json_lacp_state(struct json *j, const char *key, uint8_t state)
{
	unsigned int i;

	json_open(j, key, '[');
	for (i = 0; i < 8; i++)
		if (state & (1U << i))
			json_kstr(j, NULL, lacp_state_names[i]);
	json_close(j, ']');
}

/* The actor's or the partner's keys: "<who>-system-prio", ... */
static void json_lacp_info(struct json *j, const struct lagx_lacp *l,
			   const char *who, unsigned int first,
			   const struct lagx_lacp_info *i)
{
	char key[32], buf[32];

	snprintf(key, sizeof(key), "%s-system-prio", who);
	JSON_U(j, l, first, key, i->sys_prio);
	snprintf(key, sizeof(key), "%s-system", who);
	JSON_S(j, l, first + 1, key, fmt_mac(i->sys, buf, sizeof(buf)));
	snprintf(key, sizeof(key), "%s-key", who);
	JSON_U(j, l, first + 2, key, i->key);
	snprintf(key, sizeof(key), "%s-port-prio", who);
	JSON_U(j, l, first + 3, key, i->port_prio);
	snprintf(key, sizeof(key), "%s-port", who);
	JSON_U(j, l, first + 4, key, i->port);
	snprintf(key, sizeof(key), "%s-state", who);
	if (HAS(l, first + 5))
		json_lacp_state(j, key, i->state);
	else
		json_knull(j, key);
}

/* The lacp nest of a port, keys in the spec's order. */
static void json_lacp(struct json *j, const char *key, const struct lagx_lacp *l)
{
	char buf[32];

	json_open(j, key, '{');
	JSON_S(j, l, LAGX_A_LACP_PORT_MUX_STATE, "mux-state", ENUM_NAME(mux_names, l->mux, buf));
	JSON_S(j, l, LAGX_A_LACP_PORT_RX_STATE, "rx-state", ENUM_NAME(rx_names, l->rx, buf));
	JSON_S(j, l, LAGX_A_LACP_PORT_SELECTED, "selected",
	       ENUM_NAME(selected_names, l->selected, buf));
	JSON_S(j, l, LAGX_A_LACP_PORT_REASON_CODE, "reason-code",
	       ENUM_NAME(reason_names, l->reason, buf));
	JSON_U(j, l, LAGX_A_LACP_PORT_REASON_SINCE_MS, "reason-since-ms", l->reason_since_ms);
	json_lacp_info(j, l, "actor", LAGX_A_LACP_PORT_ACTOR_SYSTEM_PRIO, &l->actor);
	json_lacp_info(j, l, "partner", LAGX_A_LACP_PORT_PARTNER_SYSTEM_PRIO, &l->partner);
	JSON_U(j, l, LAGX_A_LACP_PORT_LACPDUS_RX, "lacpdus-rx", l->lacpdus_rx);
	JSON_U(j, l, LAGX_A_LACP_PORT_LACPDUS_TX, "lacpdus-tx", l->lacpdus_tx);
	JSON_U(j, l, LAGX_A_LACP_PORT_MARKERS_RX, "markers-rx", l->markers_rx);
	JSON_U(j, l, LAGX_A_LACP_PORT_MARKER_RESPS_TX, "marker-resps-tx", l->marker_resps_tx);
	JSON_U(j, l, LAGX_A_LACP_PORT_MARKER_RESPS_RX, "marker-resps-rx", l->marker_resps_rx);
	JSON_U(j, l, LAGX_A_LACP_PORT_UNKNOWN_RX, "unknown-rx", l->unknown_rx);
	JSON_U(j, l, LAGX_A_LACP_PORT_ILLEGAL_RX, "illegal-rx", l->illegal_rx);
	JSON_U(j, l, LAGX_A_LACP_PORT_STRAY_RX, "stray-rx", l->stray_rx);
	JSON_S(j, l, LAGX_A_LACP_PORT_ACTOR_CHURN, "actor-churn",
	       ENUM_NAME(churn_names, l->actor_churn, buf));
	JSON_S(j, l, LAGX_A_LACP_PORT_PARTNER_CHURN, "partner-churn",
	       ENUM_NAME(churn_names, l->partner_churn, buf));
	JSON_U(j, l, LAGX_A_LACP_PORT_ACTOR_CHURN_COUNT, "actor-churn-count",
	       l->actor_churn_count);
	JSON_U(j, l, LAGX_A_LACP_PORT_PARTNER_CHURN_COUNT, "partner-churn-count",
	       l->partner_churn_count);
	json_close(j, '}');
}

static void json_port_fields(struct json *j, const struct lagx_port *p)
{
	char buf[IF_NAMESIZE + 16];

	JSON_U(j, p, LAGX_A_PORT_IFINDEX, "ifindex", p->ifindex);
	JSON_S(j, p, LAGX_A_PORT_IFNAME, "ifname", p->ifname);
	JSON_U(j, p, LAGX_A_PORT_MASTER, "master", p->master);
	if (HAS(p, LAGX_A_PORT_MASTER))
		json_kstr(j, "master-name", index_name(p->master, NULL, 0, buf));
	else
		json_knull(j, "master-name");
	JSON_S(j, p, LAGX_A_PORT_STATE, "state", ENUM_NAME(state_names, p->state, buf));
	JSON_S(j, p, LAGX_A_PORT_REASON, "reason", p->reason);
	JSON_U(j, p, LAGX_A_PORT_LINK, "link", p->link);
	JSON_U(j, p, LAGX_A_PORT_LINK_PENDING, "link-pending", p->link_pending);
	JSON_U(j, p, LAGX_A_PORT_SPEED, "speed", p->speed);
	JSON_U(j, p, LAGX_A_PORT_DUPLEX, "duplex", p->duplex);
	JSON_U(j, p, LAGX_A_PORT_LINK_FAILURES, "link-failures", p->link_failures);
	if (HAS(p, LAGX_A_PORT_PRIO))
		json_ks64(j, "prio", p->prio);
	else
		json_knull(j, "prio");
	JSON_U(j, p, LAGX_A_PORT_RX_PACKETS, "rx-packets", p->rx_packets);
	JSON_U(j, p, LAGX_A_PORT_RX_DROPPED, "rx-dropped", p->rx_dropped);
	JSON_U(j, p, LAGX_A_PORT_TX_PACKETS, "tx-packets", p->tx_packets);
	JSON_U(j, p, LAGX_A_PORT_BUCKETS, "buckets", p->buckets);
	JSON_U(j, p, LAGX_A_PORT_LOAD, "load", p->load);
	JSON_U(j, p, LAGX_A_PORT_RX_DROPPED_MCAST, "rx-dropped-mcast", p->rx_dropped_mcast);
	JSON_U(j, p, LAGX_A_PORT_RX_DROPPED_LOOP, "rx-dropped-loop", p->rx_dropped_loop);
	JSON_U(j, p, LAGX_A_PORT_LEARN_TX, "learn-tx", p->learn_tx);
	if (HAS(p, LAGX_A_PORT_LACP))
		json_lacp(j, "lacp", &p->lacp);
	else
		json_knull(j, "lacp");
}

static void json_port(struct json *j, const char *key, const struct lagx_port *p)
{
	json_open(j, key, '{');
	json_port_fields(j, p);
	json_close(j, '}');
}

static void json_dev(struct json *j, const char *key, const struct lagx_dev *d,
		     bool with_ports)
{
	char buf[IF_NAMESIZE + 16];
	size_t i;

	json_open(j, key, '{');
	JSON_U(j, d, LAGX_A_DEV_IFINDEX, "ifindex", d->ifindex);
	JSON_S(j, d, LAGX_A_DEV_IFNAME, "ifname", d->ifname);
	JSON_S(j, d, LAGX_A_DEV_MODE, "mode", ENUM_NAME(mode_names, d->mode, buf));
	JSON_U(j, d, LAGX_A_DEV_CARRIER, "carrier", d->carrier);
	JSON_U(j, d, LAGX_A_DEV_ACTIVE_PORT, "active-port", d->active_port);
	if (HAS(d, LAGX_A_DEV_ACTIVE_PORT))
		json_kstr(j, "active-port-name",
			  index_name(d->active_port, d->ports, d->nports, buf));
	else
		json_knull(j, "active-port-name");
	JSON_U(j, d, LAGX_A_DEV_PORT_COUNT, "port-count", d->port_count);
	JSON_U(j, d, LAGX_A_DEV_USABLE_PORTS, "usable-ports", d->usable_ports);
	JSON_U(j, d, LAGX_A_DEV_FAILOVERS, "failovers", d->failovers);
	JSON_U(j, d, LAGX_A_DEV_TX_DROPPED, "tx-dropped", d->tx_dropped);
	JSON_S(j, d, LAGX_A_DEV_XMIT_HASH_POLICY, "xmit-hash-policy",
	       ENUM_NAME(hash_names, d->xmit_hash_policy, buf));
	JSON_U(j, d, LAGX_A_DEV_REBALANCE_INTERVAL, "rebalance-interval",
	       d->rebalance_interval);
	JSON_U(j, d, LAGX_A_DEV_REBALANCE_RUNS, "rebalance-runs", d->rebalance_runs);
	JSON_U(j, d, LAGX_A_DEV_BUCKET_MOVES, "bucket-moves", d->bucket_moves);
	JSON_U(j, d, LAGX_A_DEV_MCAST_PORT, "mcast-port", d->mcast_port);
	if (HAS(d, LAGX_A_DEV_MCAST_PORT))
		json_kstr(j, "mcast-port-name",
			  index_name(d->mcast_port, d->ports, d->nports, buf));
	else
		json_knull(j, "mcast-port-name");
	JSON_S(j, d, LAGX_A_DEV_OPERATING_MODE, "operating-mode",
	       ENUM_NAME(op_names, d->operating_mode, buf));
	JSON_U(j, d, LAGX_A_DEV_FALLBACKS, "fallbacks", d->fallbacks);
	JSON_U(j, d, LAGX_A_DEV_LACP_SYSTEM_PRIO, "lacp-system-prio", d->lacp_system_prio);
	JSON_S(j, d, LAGX_A_DEV_LACP_SYSTEM, "lacp-system",
	       fmt_mac(d->lacp_system, buf, sizeof(buf)));
	if (with_ports) {
		json_open(j, "ports", '[');
		for (i = 0; i < d->nports; i++)
			json_port(j, NULL, d->ports[i]);
		json_close(j, ']');
	}
	json_close(j, '}');
}

/* ---------------------------------------------------------- human out -- */

/*
 * A table: rows of cells, each column as wide as its widest cell.  The
 * last column is not padded if left-aligned (it holds the free-text
 * reason).  In @align, 'l' or 'r' per column; a leading 'm' is the
 * one-character problem mark, set off by a single blank.
 */
#define TBL_MAX_COLS	16

struct table {
	int ncols;
	const char *align;		/* 'm', 'l' or 'r' per column */
	char ***rows;
	size_t nrows;
	int width[TBL_MAX_COLS];
};

static void tbl_init(struct table *t, const char *align)
{
	memset(t, 0, sizeof(*t));
	t->ncols = strlen(align);
	t->align = align;
}

/* Add a row: ncols strings (copied). */
static void tbl_rowv(struct table *t, const char *const *cells)
{
	char **row = xcalloc(t->ncols, sizeof(*row));
	int i, w;

	for (i = 0; i < t->ncols; i++) {
		row[i] = xstrdup(cells[i]);
		w = strlen(row[i]);
		if (w > t->width[i])
			t->width[i] = w;
	}
	t->rows = xrealloc(t->rows, (t->nrows + 1) * sizeof(*t->rows));
	t->rows[t->nrows++] = row;
}

static void tbl_print_row(const struct table *t, size_t r, const char *indent)
{
	char **row = t->rows[r];
	int i;

	fputs(indent, stdout);
	for (i = 0; i < t->ncols; i++) {
		bool last = i == t->ncols - 1;

		if (i)
			fputs(t->align[i - 1] == 'm' ? " " : "  ", stdout);
		if (t->align[i] == 'r')
			printf("%*s", t->width[i], row[i]);
		else if (last)
			fputs(row[i], stdout);
		else
			printf("%-*s", t->width[i], row[i]);
	}
	putchar('\n');
}

static void tbl_free(struct table *t)
{
	size_t r;
	int i;

	for (r = 0; r < t->nrows; r++) {
		for (i = 0; i < t->ncols; i++)
			free(t->rows[r][i]);
		free(t->rows[r]);
	}
	free(t->rows);
}

static const char *fmt_u64(uint64_t v, char *buf, size_t size)
{
	snprintf(buf, size, "%" PRIu64, v);
	return buf;
}

static const char *fmt_speed(uint32_t mbps, char *buf, size_t size)
{
	if (!mbps)
		snprintf(buf, size, "-");
	else if (mbps >= 1000 && mbps % 1000 == 0)
		snprintf(buf, size, "%uGb/s", mbps / 1000);
	else
		snprintf(buf, size, "%uMb/s", mbps);
	return buf;
}

/* "up", "down", or the change that updelay/downdelay is waiting for. */
static const char *fmt_link(const struct lagx_port *p)
{
	if (p->link_pending)
		return p->link ? "wait-down" : "wait-up";
	return p->link ? "up" : "down";
}

/* Sort key: problems first.  0 down, 1 not carrying traffic, 2 healthy. */
static int port_rank(const struct lagx_port *p)
{
	if (p->state == LAGX_PORT_STATE_DOWN || !p->link || p->link_pending)
		return 0;
	if (p->state != LAGX_PORT_STATE_ACTIVE)
		return 1;
	return 2;
}

static int dev_rank(const struct lagx_dev *d)
{
	if (!d->carrier)
		return 0;
	if (d->usable_ports < d->port_count)
		return 1;
	return 2;
}

/* Stable insertion sort by rank (few elements; keeps kernel order). */
static void sort_ports(struct lagx_port **v, size_t n)
{
	size_t i, k;

	for (i = 1; i < n; i++) {
		struct lagx_port *x = v[i];

		for (k = i; k > 0 && port_rank(v[k - 1]) > port_rank(x); k--)
			v[k] = v[k - 1];
		v[k] = x;
	}
}

static void sort_devs(struct lagx_dev **v, size_t n)
{
	size_t i, k;

	for (i = 1; i < n; i++) {
		struct lagx_dev *x = v[i];

		for (k = i; k > 0 && dev_rank(v[k - 1]) > dev_rank(x); k--)
			v[k] = v[k - 1];
		v[k] = x;
	}
}

/* The port table's columns: the device's after the port name with
 * @master_col, those of the hash buckets before the reason with
 * @bucket_cols (a port without buckets shows "-" there).
 */
static const char *port_cols(bool master_col, bool bucket_cols)
{
	if (master_col)
		return bucket_cols ? "mllllrrrrrrrrrrl" : "mllllrrrrrl";
	return bucket_cols ? "mlllrrrrrrrrrrl" : "mlllrrrrrl";
}

/* Add a port's row, in the columns of port_cols(). */
static void tbl_port_row(struct table *t, const struct lagx_port *p,
			 bool master_col, bool bucket_cols)
{
	char mark[2] = { port_rank(p) == 0 ? '!' : ' ', '\0' };
	char speed[32], fails[16], rx[24], rxd[24], tx[24];
	char nbk[16], load[24], mdrop[24], ldrop[24], learn[24];
	char sbuf[32], mbuf[IF_NAMESIZE + 16];
	const char *cells[TBL_MAX_COLS];
	int n = 0;

	snprintf(fails, sizeof(fails), "%u", p->link_failures);
	fmt_speed(p->speed, speed, sizeof(speed));
	cells[n++] = mark;
	cells[n++] = p->ifname;
	if (master_col)
		cells[n++] = index_name(p->master, NULL, 0, mbuf);
	cells[n++] = ENUM_NAME(state_names, p->state, sbuf);
	cells[n++] = fmt_link(p);
	cells[n++] = speed;
	cells[n++] = fails;
	cells[n++] = fmt_u64(p->rx_packets, rx, sizeof(rx));
	cells[n++] = fmt_u64(p->rx_dropped, rxd, sizeof(rxd));
	cells[n++] = fmt_u64(p->tx_packets, tx, sizeof(tx));
	if (bucket_cols && HAS(p, LAGX_A_PORT_BUCKETS)) {
		snprintf(nbk, sizeof(nbk), "%u", p->buckets);
		cells[n++] = nbk;
		cells[n++] = fmt_u64(p->load, load, sizeof(load));
		cells[n++] = fmt_u64(p->rx_dropped_mcast, mdrop, sizeof(mdrop));
		cells[n++] = fmt_u64(p->rx_dropped_loop, ldrop, sizeof(ldrop));
		cells[n++] = fmt_u64(p->learn_tx, learn, sizeof(learn));
	} else if (bucket_cols) {
		while (n < t->ncols - 1)
			cells[n++] = "-";
	}
	cells[n++] = p->reason[0] ? p->reason : "-";
	tbl_rowv(t, cells);
}

static void tbl_port_header(struct table *t, bool master_col, bool bucket_cols)
{
	const char *cells[TBL_MAX_COLS];
	int n = 0;

	cells[n++] = " ";
	cells[n++] = "PORT";
	if (master_col)
		cells[n++] = "DEVICE";
	cells[n++] = "STATE";
	cells[n++] = "LINK";
	cells[n++] = "SPEED";
	cells[n++] = "FAILS";
	cells[n++] = "RX";
	cells[n++] = "RX-DROPPED";
	cells[n++] = "TX";
	if (bucket_cols) {
		cells[n++] = "BUCKETS";
		cells[n++] = "LOAD";
		cells[n++] = "MCAST-DROP";
		cells[n++] = "LOOP-DROP";
		cells[n++] = "LEARN-TX";
	}
	cells[n++] = "REASON";
	tbl_rowv(t, cells);
}

/* Does any of the ports have hash buckets (balance-slb, lacp)? */
static bool any_buckets(struct lagx_port *const *ports, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (HAS(ports[i], LAGX_A_PORT_BUCKETS))
			return true;
	return false;
}

static const char *plural(uint64_t n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

/* "lagx0 (active-backup): carrier up, active port a1, 2/2 ports usable, ..." */
static void print_dev_line(const struct lagx_dev *d, const char *prefix)
{
	char mbuf[32], abuf[IF_NAMESIZE + 16];

	printf("%s%s (%s): ", prefix, d->ifname, ENUM_NAME(mode_names, d->mode, mbuf));
	if (d->carrier)
		fputs("carrier up", stdout);
	else
		fputs("NO CARRIER", stdout);
	if (HAS(d, LAGX_A_DEV_OPERATING_MODE))
		printf(", operating mode %s (%" PRIu64 " %s)",
		       ENUM_NAME(op_texts, d->operating_mode, mbuf), d->fallbacks,
		       plural(d->fallbacks, "fallback", "fallbacks"));
	if (d->mode == LAGX_MODE_ACTIVE_BACKUP || HAS(d, LAGX_A_DEV_ACTIVE_PORT)) {
		if (HAS(d, LAGX_A_DEV_ACTIVE_PORT))
			printf(", active port %s",
			       index_name(d->active_port, d->ports, d->nports, abuf));
		else
			fputs(", NO ACTIVE PORT", stdout);
	}
	if (!d->port_count)
		fputs(", NO PORTS", stdout);
	else
		printf(", %u/%u %s usable", d->usable_ports, d->port_count,
		       plural(d->port_count, "port", "ports"));
	printf(", %" PRIu64 " %s, %" PRIu64 " tx-dropped\n", d->failovers,
	       plural(d->failovers, "failover", "failovers"), d->tx_dropped);
}

/* "  hash vlan+srcmac, rebalance every 10000 ms, 3 rebalance runs, ..." */
static void print_dev_buckets_line(const struct lagx_dev *d, const char *prefix)
{
	char hbuf[32], pbuf[IF_NAMESIZE + 16];

	if (!HAS(d, LAGX_A_DEV_BUCKET_MOVES))
		return;
	printf("%shash %s", prefix,
	       HAS(d, LAGX_A_DEV_XMIT_HASH_POLICY) ?
	       ENUM_NAME(hash_names, d->xmit_hash_policy, hbuf) : "-");
	if (HAS(d, LAGX_A_DEV_REBALANCE_INTERVAL) && d->rebalance_interval)
		printf(", rebalance every %u ms", d->rebalance_interval);
	else if (HAS(d, LAGX_A_DEV_REBALANCE_INTERVAL))
		fputs(", rebalance off", stdout);
	printf(", %" PRIu64 " rebalance %s, %" PRIu64 " bucket %s, mcast port %s\n",
	       d->rebalance_runs, plural(d->rebalance_runs, "run", "runs"),
	       d->bucket_moves, plural(d->bucket_moves, "move", "moves"),
	       HAS(d, LAGX_A_DEV_MCAST_PORT) ?
	       index_name(d->mcast_port, d->ports, d->nports, pbuf) : "none");
}

/* "ACTIVITY,AGGREGATION,SYNC" (bit order), "-" for none: as /proc. */
static const char *fmt_lacp_state(uint8_t state, char *buf, size_t size)
{
	size_t off = 0;
	unsigned int i;

	buf[0] = '\0';
	for (i = 0; i < 8; i++) {
		if (!(state & (1U << i)))
			continue;
		snprintf(buf + off, size - off, "%s%s", off ? "," : "",
			 lacp_state_texts[i]);
		off = strlen(buf);
	}
	return off ? buf : "-";
}

/* "  actor    system 65535,02:00:00:00:00:01 key 21 port 255,1 state ..." */
static void print_lacp_info(const char *who, const struct lagx_lacp_info *i)
{
	char mac[32], state[96];

	printf("  %-8s system %u,%s key %u port %u,%u state %s\n", who,
	       i->sys_prio, fmt_mac(i->sys, mac, sizeof(mac)), i->key,
	       i->port_prio, i->port, fmt_lacp_state(i->state, state, sizeof(state)));
}

/* A port's LACP block, the lines of /proc/net/lagx/<dev> after "LACP port". */
static void print_lacp_port(const struct lagx_port *p)
{
	const struct lagx_lacp *l = &p->lacp;
	char b1[32], b2[32], b3[32], b4[32];

	if (!HAS(p, LAGX_A_PORT_LACP)) {
		printf("\nLACP port %s: no LACP state\n", p->ifname);
		return;
	}
	printf("\nLACP port %s: mux %s, rx %s, %s, %s (since %" PRIu64 "s)\n",
	       p->ifname, ENUM_NAME(mux_names, l->mux, b1),
	       ENUM_NAME(rx_names, l->rx, b2),
	       ENUM_NAME(selected_names, l->selected, b3),
	       ENUM_NAME(reason_texts, l->reason, b4), l->reason_since_ms / 1000);
	print_lacp_info("actor", &l->actor);
	print_lacp_info("partner", &l->partner);
	printf("  LACPDUsRx %" PRIu64 " LACPDUsTx %" PRIu64 " MarkerPDUsRx %" PRIu64
	       " MarkerResponsePDUsTx %" PRIu64 " MarkerResponsePDUsRx %" PRIu64
	       " UnknownRx %" PRIu64 " IllegalRx %" PRIu64 " StrayRx %" PRIu64 "\n",
	       l->lacpdus_rx, l->lacpdus_tx, l->markers_rx, l->marker_resps_tx,
	       l->marker_resps_rx, l->unknown_rx, l->illegal_rx, l->stray_rx);
	printf("  churn actor %s (%u) partner %s (%u)\n",
	       ENUM_NAME(churn_names, l->actor_churn, b1), l->actor_churn_count,
	       ENUM_NAME(churn_names, l->partner_churn, b2), l->partner_churn_count);
}

/* Sort key of "lacp": ports that do not distribute first. */
static int lacp_rank(const struct lagx_port *p)
{
	return HAS(p, LAGX_A_PORT_LACP) && p->lacp.mux == LAGX_LACP_MUX_DISTRIBUTING;
}

static void sort_lacp_ports(struct lagx_port **v, size_t n)
{
	size_t i, k;

	for (i = 1; i < n; i++) {
		struct lagx_port *x = v[i];

		for (k = i; k > 0 && lacp_rank(v[k - 1]) > lacp_rank(x); k--)
			v[k] = v[k - 1];
		v[k] = x;
	}
}

/* ----------------------------------------------------------- commands -- */

/* Hand each device its ports (of @ports), in kernel (enslave) order. */
static void attach_ports(struct vec *devs, struct vec *ports)
{
	size_t i, k;

	for (i = 0; i < devs->n; i++) {
		struct lagx_dev *d = devs->v[i];

		d->ports = xcalloc(ports->n, sizeof(*d->ports));
		for (k = 0; k < ports->n; k++) {
			struct lagx_port *p = ports->v[k];

			if (p->master == d->ifindex)
				d->ports[d->nports++] = p;
		}
	}
}

/* The lagx devices (all, or the one with @ifindex, named @name). */
static int load_devs(struct nl *nl, uint32_t ifindex, const char *name,
		     struct vec *devs)
{
	if (get_devs(nl, ifindex, devs) >= 0)
		return 0;
	if (ifindex)
		err_msg("%s: %s", name, nl_errstr());
	else
		err_msg("cannot list the lagx devices: %s", nl_errstr());
	return -1;
}

/* Devices with their ports, as a JSON array. */
static int print_json_devs(const struct vec *devs)
{
	struct json j = { .f = stdout, .pretty = true };
	size_t i;

	json_open(&j, NULL, '[');
	for (i = 0; i < devs->n; i++)
		json_dev(&j, NULL, devs->v[i], true);
	json_close(&j, ']');
	return EXIT_OK;
}

static int cmd_show(struct nl *nl, int argc, char **argv)
{
	struct vec devs = { 0 }, ports = { 0 };
	uint32_t ifindex = 0;
	struct table t;
	size_t i, k, row;
	bool bucket_cols;

	if (argc == 1)
		ifindex = name_to_index(argv[0]);

	if (load_devs(nl, ifindex, argc ? argv[0] : NULL, &devs) < 0)
		return EXIT_FAIL;
	if (get_ports(nl, 0, ifindex, &ports) < 0) {
		err_msg("cannot list the lagx ports: %s", nl_errstr());
		return EXIT_FAIL;
	}

	attach_ports(&devs, &ports);

	if (opt_json)
		return print_json_devs(&devs);

	if (!devs.n) {
		puts("No lagx devices.");
		return EXIT_OK;
	}

	/* One table for every device's ports, so that columns line up. */
	sort_devs((struct lagx_dev **)devs.v, devs.n);
	bucket_cols = any_buckets((struct lagx_port **)ports.v, ports.n);
	tbl_init(&t, port_cols(false, bucket_cols));
	tbl_port_header(&t, false, bucket_cols);
	for (i = 0; i < devs.n; i++) {
		struct lagx_dev *d = devs.v[i];

		sort_ports(d->ports, d->nports);
		for (k = 0; k < d->nports; k++)
			tbl_port_row(&t, d->ports[k], false, bucket_cols);
	}
	row = 1;
	for (i = 0; i < devs.n; i++) {
		struct lagx_dev *d = devs.v[i];

		if (i)
			putchar('\n');
		print_dev_line(d, "");
		print_dev_buckets_line(d, "  ");
		if (!d->nports)
			continue;
		tbl_print_row(&t, 0, "  ");
		for (k = 0; k < d->nports; k++)
			tbl_print_row(&t, row++, "  ");
	}
	tbl_free(&t);
	return EXIT_OK;
}

/* The LACP state of the lacp devices (all, or DEV) and of their ports. */
static int cmd_lacp(struct nl *nl, int argc, char **argv)
{
	struct vec devs = { 0 }, lacp = { 0 }, ports = { 0 };
	char mbuf[32], mac[32];
	uint32_t ifindex = 0;
	size_t i, k;

	if (argc == 1)
		ifindex = name_to_index(argv[0]);

	if (load_devs(nl, ifindex, argc ? argv[0] : NULL, &devs) < 0)
		return EXIT_FAIL;
	for (i = 0; i < devs.n; i++) {
		struct lagx_dev *d = devs.v[i];

		if (d->mode == LAGX_MODE_LACP)
			vec_push(&lacp, d);
		else if (ifindex)
			err_msg("%s: mode %s has no LACP state", d->ifname,
				ENUM_NAME(mode_names, d->mode, mbuf));
	}
	if (ifindex && !lacp.n)
		return EXIT_FAIL;
	if (get_ports(nl, 0, ifindex, &ports) < 0) {
		err_msg("cannot list the lagx ports: %s", nl_errstr());
		return EXIT_FAIL;
	}
	attach_ports(&lacp, &ports);

	if (opt_json)
		return print_json_devs(&lacp);

	if (!lacp.n) {
		puts("No lagx device in lacp mode.");
		return EXIT_OK;
	}
	sort_devs((struct lagx_dev **)lacp.v, lacp.n);
	for (i = 0; i < lacp.n; i++) {
		struct lagx_dev *d = lacp.v[i];

		if (i)
			putchar('\n');
		printf("%s: operating mode %s, %" PRIu64 " %s, LACP system %u,%s\n",
		       d->ifname, ENUM_NAME(op_texts, d->operating_mode, mbuf),
		       d->fallbacks, plural(d->fallbacks, "fallback", "fallbacks"),
		       d->lacp_system_prio, fmt_mac(d->lacp_system, mac, sizeof(mac)));
		if (!d->nports)
			puts("  no ports");
		sort_lacp_ports(d->ports, d->nports);
		for (k = 0; k < d->nports; k++)
			print_lacp_port(d->ports[k]);
	}
	return EXIT_OK;
}

static int cmd_port_show(struct nl *nl, int argc, char **argv)
{
	struct vec ports = { 0 };
	uint32_t ifindex = 0;
	struct table t;
	bool bucket_cols;
	size_t i;

	if (argc == 1)
		ifindex = name_to_index(argv[0]);

	if (get_ports(nl, ifindex, 0, &ports) < 0) {
		if (ifindex)
			err_msg("%s: %s", argv[0], nl_errstr());
		else
			err_msg("cannot list the lagx ports: %s", nl_errstr());
		return EXIT_FAIL;
	}

	if (opt_json) {
		struct json j = { .f = stdout, .pretty = true };

		json_open(&j, NULL, '[');
		for (i = 0; i < ports.n; i++)
			json_port(&j, NULL, ports.v[i]);
		json_close(&j, ']');
		return EXIT_OK;
	}

	if (!ports.n) {
		puts("No lagx ports.");
		return EXIT_OK;
	}
	sort_ports((struct lagx_port **)ports.v, ports.n);
	bucket_cols = any_buckets((struct lagx_port **)ports.v, ports.n);
	tbl_init(&t, port_cols(true, bucket_cols));
	tbl_port_header(&t, true, bucket_cols);
	for (i = 0; i < ports.n; i++)
		tbl_port_row(&t, ports.v[i], true, bucket_cols);
	for (i = 0; i < t.nrows; i++)
		tbl_print_row(&t, i, "");
	tbl_free(&t);
	return EXIT_OK;
}

/* Run an admin do-request on @ifindex; print the kernel's refusal. */
static int do_action(struct nl *nl, const char *what, uint8_t cmd,
		     uint16_t attr, uint32_t ifindex)
{
	struct nlmsghdr *nlh = lagx_msg(nl, cmd, 0);

	mnl_attr_put_u32(nlh, attr, ifindex);
	if (nl_talk(nl, nlh, NULL, NULL) == 0)
		return EXIT_OK;
	/* The kernel's message says the same, in its words. */
	if (nl_res.err == EPERM || nl_res.err == EACCES)
		err_msg("%s (%s needs CAP_NET_ADMIN: run it as root)",
			strerror(nl_res.err), what);
	else
		err_msg("%s", nl_errstr());
	return EXIT_FAIL;
}

/* Check that @name is a lagx device; 0 or an exit status. */
static int check_dev(struct nl *nl, const char *name, uint32_t ifindex)
{
	struct vec devs = { 0 };

	if (get_devs(nl, ifindex, &devs) < 0) {
		err_msg("%s: %s", name, nl_errstr());
		return EXIT_FAIL;
	}
	return 0;
}

static int cmd_set_active(struct nl *nl, char **argv)
{
	uint32_t dev, port;
	struct vec ports = { 0 };
	struct lagx_port *p;
	char buf[IF_NAMESIZE + 16];
	int ret;

	dev = name_to_index(argv[0]);
	port = name_to_index(argv[1]);
	ret = check_dev(nl, argv[0], dev);
	if (ret)
		return ret;
	if (get_ports(nl, port, 0, &ports) < 0 || !ports.n) {
		err_msg("%s is not a port of %s (%s)", argv[1], argv[0], nl_errstr());
		return EXIT_FAIL;
	}
	p = ports.v[0];
	if (p->master != dev) {
		err_msg("%s is not a port of %s (it is a port of %s)", argv[1],
			argv[0], index_name(p->master, NULL, 0, buf));
		return EXIT_FAIL;
	}
	return do_action(nl, "set-active", LAGX_CMD_PORT_SET_ACTIVE,
			 LAGX_A_PORT_IFINDEX, port);
}

static int cmd_dev_action(struct nl *nl, char **argv, const char *what,
			  uint8_t cmd)
{
	uint32_t dev;
	int ret;

	dev = name_to_index(argv[0]);
	ret = check_dev(nl, argv[0], dev);
	if (ret)
		return ret;
	return do_action(nl, what, cmd, LAGX_A_DEV_IFINDEX, dev);
}

/* The hash buckets of a device bound to a port, in bucket order. */
static int cmd_buckets(struct nl *nl, char **argv)
{
	struct vec buckets = { 0 }, ports = { 0 };
	char buf[IF_NAMESIZE + 16];
	uint32_t dev;
	struct table t;
	size_t i;
	int ret;

	dev = name_to_index(argv[0]);
	ret = check_dev(nl, argv[0], dev);
	if (ret)
		return ret;
	if (get_buckets(nl, dev, &buckets) < 0) {
		err_msg("%s", nl_errstr());
		return EXIT_FAIL;
	}
	/* The names of the ports, as lagx knows them. */
	if (get_ports(nl, 0, dev, &ports) < 0) {
		err_msg("cannot list the ports of %s: %s", argv[0], nl_errstr());
		return EXIT_FAIL;
	}

	if (opt_json) {
		struct json j = { .f = stdout, .pretty = true };

		json_open(&j, NULL, '[');
		for (i = 0; i < buckets.n; i++) {
			const struct lagx_bucket *b = buckets.v[i];

			json_open(&j, NULL, '{');
			JSON_U(&j, b, LAGX_A_BUCKET_DEV_IFINDEX, "dev-ifindex", b->dev_ifindex);
			json_kstr(&j, "dev-name", argv[0]);
			JSON_U(&j, b, LAGX_A_BUCKET_INDEX, "index", b->index);
			JSON_U(&j, b, LAGX_A_BUCKET_PORT_IFINDEX, "port-ifindex", b->port_ifindex);
			if (HAS(b, LAGX_A_BUCKET_PORT_IFINDEX))
				json_kstr(&j, "port-name",
					  index_name(b->port_ifindex,
						     (struct lagx_port **)ports.v,
						     ports.n, buf));
			else
				json_knull(&j, "port-name");
			JSON_U(&j, b, LAGX_A_BUCKET_BYTES, "bytes", b->bytes);
			JSON_U(&j, b, LAGX_A_BUCKET_PACKETS, "packets", b->packets);
			JSON_U(&j, b, LAGX_A_BUCKET_LOAD, "load", b->load);
			json_close(&j, '}');
		}
		json_close(&j, ']');
		return EXIT_OK;
	}

	if (!buckets.n) {
		printf("No bucket of %s is bound to a port (no traffic yet).\n", argv[0]);
		return EXIT_OK;
	}
	tbl_init(&t, "rlrrr");
	tbl_rowv(&t, (const char *const[]){ "BUCKET", "PORT", "BYTES", "PACKETS", "LOAD" });
	for (i = 0; i < buckets.n; i++) {
		const struct lagx_bucket *b = buckets.v[i];
		char idx[16], bytes[24], pkts[24], load[24];

		snprintf(idx, sizeof(idx), "%u", b->index);
		tbl_rowv(&t, (const char *const[]){
			idx,
			index_name(b->port_ifindex, (struct lagx_port **)ports.v,
				   ports.n, buf),
			fmt_u64(b->bytes, bytes, sizeof(bytes)),
			fmt_u64(b->packets, pkts, sizeof(pkts)),
			fmt_u64(b->load, load, sizeof(load)) });
	}
	for (i = 0; i < t.nrows; i++)
		tbl_print_row(&t, i, "");
	tbl_free(&t);
	return EXIT_OK;
}

/* ------------------------------------------------------------ monitor -- */

static volatile sig_atomic_t stop_monitor;

static void on_signal(int sig)
{
	(void)sig;
	stop_monitor = 1;
}

static void fmt_time(char *buf, size_t size, bool iso)
{
	struct timeval tv;
	struct tm tm;
	char z[8];
	size_t n;

	gettimeofday(&tv, NULL);
	localtime_r(&tv.tv_sec, &tm);
	if (iso) {
		n = strftime(buf, size, "%Y-%m-%dT%H:%M:%S", &tm);
		strftime(z, sizeof(z), "%z", &tm);
		/* +0200 -> +02:00 */
		snprintf(buf + n, size - n, ".%03ld%.3s:%.2s",
			 (long)tv.tv_usec / 1000, z, z + 3);
	} else {
		n = strftime(buf, size, "%H:%M:%S", &tm);
		snprintf(buf + n, size - n, ".%03ld", (long)tv.tv_usec / 1000);
	}
}

static int monitor_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct genlmsghdr *g = mnl_nlmsg_get_payload(nlh);
	char ts[64], buf[IF_NAMESIZE + 16];
	struct json j = { .f = stdout, .pretty = false };

	if (nlh->nlmsg_type != *(uint16_t *)data)
		return MNL_CB_OK;
	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*g))
		return MNL_CB_OK;
	fmt_time(ts, sizeof(ts), opt_json);

	switch (g->cmd) {
	case LAGX_CMD_DEV_CHANGE_NTF: {
		struct lagx_dev d;

		parse_dev(nlh, &d);
		if (opt_json) {
			json_open(&j, NULL, '{');
			json_kstr(&j, "time", ts);
			json_kstr(&j, "event", "dev-change");
			json_dev(&j, "dev", &d, false);
			json_close(&j, '}');
		} else {
			printf("%s ", ts);
			print_dev_line(&d, "");
		}
		break;
	}
	case LAGX_CMD_PORT_CHANGE_NTF: {
		struct lagx_port p;
		char sbuf[32];

		parse_port(nlh, &p);
		if (opt_json) {
			json_open(&j, NULL, '{');
			json_kstr(&j, "time", ts);
			json_kstr(&j, "event", "port-change");
			json_port(&j, "port", &p);
			json_close(&j, '}');
		} else {
			printf("%s %s: port %s %s, link %s, %s (%u link %s)\n", ts,
			       index_name(p.master, NULL, 0, buf), p.ifname,
			       ENUM_NAME(state_names, p.state, sbuf), fmt_link(&p),
			       p.reason[0] ? p.reason : "-", p.link_failures,
			       plural(p.link_failures, "failure", "failures"));
		}
		break;
	}
	default:
		break;
	}
	fflush(stdout);
	return MNL_CB_OK;
}

static int cmd_monitor(struct nl *nl)
{
	struct sigaction sa = { .sa_handler = on_signal };
	uint16_t family = nl->family;
	ssize_t n;
	int ret;

	if (!nl->monitor_grp) {
		err_msg("the lagx netlink family has no \"%s\" group", LAGX_MCGRP_MONITOR);
		return EXIT_FAIL;
	}
	if (mnl_socket_setsockopt(nl->sock, NETLINK_ADD_MEMBERSHIP,
				  &nl->monitor_grp, sizeof(nl->monitor_grp)) < 0) {
		err_msg("cannot join the lagx \"%s\" group: %s", LAGX_MCGRP_MONITOR,
			strerror(errno));
		return EXIT_FAIL;
	}
	/* No SA_RESTART: a signal interrupts recvfrom(). */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	setvbuf(stdout, NULL, _IOLBF, 0);

	fprintf(stderr, "%s: listening for lagx events (Ctrl-C to stop)\n", prog);
	while (!stop_monitor) {
		n = mnl_socket_recvfrom(nl->sock, nl->rbuf, RECV_BUF_SIZE);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == ENOBUFS) {
				err_msg("events lost: %s",
					"the kernel sent faster than they could be read");
				continue;
			}
			err_msg("receiving events: %s", strerror(errno));
			return EXIT_FAIL;
		}
		ret = mnl_cb_run(nl->rbuf, n, 0, 0, monitor_cb, &family);
		if (ret == MNL_CB_ERROR && errno != ESRCH) {
			err_msg("bad event message: %s", strerror(errno));
			return EXIT_FAIL;
		}
		if (ferror(stdout))
			return EXIT_FAIL;
	}
	return EXIT_OK;
}

/* -------------------------------------------------------------- main -- */

static void usage(FILE *f)
{
	fprintf(f,
"Usage: %s [-j] COMMAND [ARGS]\n"
"\n"
"Show and control lagx link-aggregation devices.\n"
"\n"
"Commands:\n"
"  show [DEV]            devices (all, or DEV) and their ports, problems first\n"
"  port show [PORT]      ports (all, or PORT), problems first\n"
"  monitor               print state changes as they happen, until interrupted\n"
"  set-active DEV PORT   make PORT the active port of DEV (active-backup)\n"
"  rebalance DEV         spread the load over the ports again now\n"
"  stats-clear DEV       zero the counters of DEV and of its ports\n"
"  buckets DEV           the hash buckets of DEV bound to a port: their port,\n"
"                        bytes, packets and load (balance-slb, lacp)\n"
"  lacp [DEV]            LACP state of the lacp devices (all, or DEV): per\n"
"                        port its machines, why it does not distribute, actor,\n"
"                        partner, LACPDU and marker counters, churn\n"
"  help                  this text\n"
"\n"
"Options:\n"
"  -j, --json            JSON output: show, port show, buckets and lacp print\n"
"                        an array, monitor one object a line\n"
"  -V, --version         print the version\n"
"  -h, --help            this text\n"
"\n"
"Without a command, %s runs \"show\".  set-active, rebalance and\n"
"stats-clear need CAP_NET_ADMIN.  Ports marked \"!\" are down.\n"
"Exit status: 0 ok, 1 refused or failed (with the kernel's reason),\n"
"2 usage error.\n", prog, prog);
}

static int __attribute__((format(printf, 1, 2))) bad_usage(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry '%s help'.\n", prog);
	return EXIT_USAGE;
}

static const struct command {
	const char *name;
	int min_args;
	int max_args;
	const char *args;
} commands[] = {
	{ "show",		0, 1, "[DEV]" },
	{ "port show",		0, 1, "[PORT]" },
	{ "monitor",		0, 0, "" },
	{ "set-active",		2, 2, "DEV PORT" },
	{ "rebalance",		1, 1, "DEV" },
	{ "stats-clear",	1, 1, "DEV" },
	{ "buckets",		1, 1, "DEV" },
	{ "lacp",		0, 1, "[DEV]" },
	{ NULL, 0, 0, NULL },
};

int main(int argc, char **argv)
{
	const struct command *c;
	struct nl nl;
	const char *cmd;
	int i;

	for (i = 1; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		const char *o = argv[i];

		if (!strcmp(o, "--")) {
			i++;
			break;
		} else if (!strcmp(o, "-j") || !strcmp(o, "--json")) {
			opt_json = true;
		} else if (!strcmp(o, "-V") || !strcmp(o, "--version")) {
			printf("%s %s (lagx netlink family version %d)\n", prog,
			       LAGXCTL_VERSION, LAGX_FAMILY_VERSION);
			return EXIT_OK;
		} else if (!strcmp(o, "-h") || !strcmp(o, "--help")) {
			usage(stdout);
			return EXIT_OK;
		} else {
			return bad_usage("unknown option '%s'", o);
		}
	}
	argc -= i;
	argv += i;
	cmd = argc ? argv[0] : "show";
	if (argc) {
		argc--;
		argv++;
	}

	if (!strcmp(cmd, "help")) {
		usage(stdout);
		return EXIT_OK;
	}
	if (!strcmp(cmd, "port")) {
		if (argc && strcmp(argv[0], "show"))
			return bad_usage("unknown command 'port %s'", argv[0]);
		cmd = "port show";
		if (argc) {
			argc--;
			argv++;
		}
	}
	/* Check the command and its arguments before talking to the kernel. */
	for (c = commands; c->name; c++)
		if (!strcmp(cmd, c->name))
			break;
	if (!c->name)
		return bad_usage("unknown command '%s'", cmd);
	if (argc < c->min_args || argc > c->max_args) {
		err_msg("usage: %s %s%s%s", prog, c->name, *c->args ? " " : "", c->args);
		return EXIT_USAGE;
	}

	nl_open(&nl);
	if (!strcmp(cmd, "show"))
		return cmd_show(&nl, argc, argv);
	if (!strcmp(cmd, "port show"))
		return cmd_port_show(&nl, argc, argv);
	if (!strcmp(cmd, "monitor"))
		return cmd_monitor(&nl);
	if (!strcmp(cmd, "set-active"))
		return cmd_set_active(&nl, argv);
	if (!strcmp(cmd, "rebalance"))
		return cmd_dev_action(&nl, argv, "rebalance", LAGX_CMD_REBALANCE);
	if (!strcmp(cmd, "buckets"))
		return cmd_buckets(&nl, argv);
	if (!strcmp(cmd, "lacp"))
		return cmd_lacp(&nl, argc, argv);
	return cmd_dev_action(&nl, argv, "stats-clear", LAGX_CMD_STATS_CLEAR);
}
