/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The part of iproute2's plugin interface that link_lagx.c relies on,
 * written from the ABI of Debian 12's iproute2 6.1 "ip" binary.
 *
 * "ip" dlopen()s $IP_LIB_DIR/link_<kind>.so (IP_LIB_DIR defaults to
 * /usr/lib/<multiarch>/ip), looks up the symbol "<kind>_link_util" and
 * calls through it.  The plugin in turn calls helpers the "ip" binary
 * exports (it is linked with -rdynamic).  No iproute2 header is
 * installed anywhere, so this file declares exactly what is used, and
 * nothing else:
 *
 *   - struct link_util, the layout of iproute2 6.1's ip/ip_common.h
 *     (9 members, 72 bytes on LP64; checked against bond_link_util in
 *     /usr/bin/ip, see the static assertion below);
 *   - exported functions, each checked with "nm -D /usr/bin/ip" and its
 *     argument registers with objdump (see "make -C tools/iproute2
 *     abi-check" for the symbol check);
 *   - static inline helpers of iproute2's headers (print_string(),
 *     rta_getattr_u32(), NEXT_ARG(), ...) that are not symbols of the
 *     binary and so are defined here.
 *
 * Types matter where the width of an argument or a return value does:
 * in 6.1 print_color_uint() takes an unsigned int (print_color_u64() is
 * the 64-bit one) and matches() returns bool (only %al is set).
 */
#ifndef LAGX_IP_ABI_H
#define LAGX_IP_ABI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <linux/types.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

/* ---- ip/ip_common.h: the plugin entry point -------------------------- */

struct link_util {
	struct link_util *next;		/* ip's list of loaded link_utils */
	const char *id;			/* the kind, "lagx" or "lagx_slave" */
	int maxattr;			/* size of the tb[] print_opt gets */
	/* "ip link add/set ... type <id> ARGS": fill the nest of
	 * IFLA_INFO_DATA (or IFLA_INFO_SLAVE_DATA); nonzero aborts.
	 */
	int (*parse_opt)(struct link_util *lu, int argc, char **argv,
			 struct nlmsghdr *n);
	/* "ip -d link show": tb[0..maxattr] of the nest, tb itself may be
	 * NULL when the kernel sent no data.
	 */
	void (*print_opt)(struct link_util *lu, FILE *f, struct rtattr *tb[]);
	void (*print_xstats)(struct link_util *lu, FILE *f,
			     struct rtattr *xstats);
	/* "ip link help type <id>" */
	void (*print_help)(struct link_util *lu, int argc, char **argv,
			   FILE *f);
	int (*parse_ifla_xstats)(struct link_util *lu, int argc, char **argv);
	int (*print_ifla_xstats)(struct nlmsghdr *n, void *arg);
};

_Static_assert(sizeof(void *) != 8 || sizeof(struct link_util) == 72,
	       "struct link_util must match iproute2 6.1 (72 bytes on LP64)");

/* ---- include/json_print.h, include/color.h --------------------------- */

enum output_type {
	PRINT_FP = 1,			/* text output only */
	PRINT_JSON = 2,			/* "ip -j" only */
	PRINT_ANY = 4,			/* whichever is in use */
};

enum color_attr {
	COLOR_IFNAME,
	COLOR_MAC,
	COLOR_INET,
	COLOR_INET6,
	COLOR_OPERSTATE_UP,
	COLOR_OPERSTATE_DOWN,
	COLOR_NONE,
};

/* Exported by ip.  In JSON mode print KEY: VALUE (KEY NULL: a bare value),
 * in text mode printf(FMT, VALUE); both return 0 in JSON mode.
 */
int print_color_string(enum output_type t, enum color_attr c,
		       const char *key, const char *fmt, const char *value);
int print_color_null(enum output_type t, enum color_attr c,
		     const char *key, const char *fmt, const char *value);
int print_color_uint(enum output_type t, enum color_attr c,
		     const char *key, const char *fmt, unsigned int value);
int print_color_int(enum output_type t, enum color_attr c,
		    const char *key, const char *fmt, int value);
int print_color_u64(enum output_type t, enum color_attr c,
		    const char *key, const char *fmt, uint64_t value);
void open_json_object(const char *name);
void close_json_object(void);
bool is_json_context(void);

static inline int print_string(enum output_type t, const char *key,
			       const char *fmt, const char *value)
{
	return print_color_string(t, COLOR_NONE, key, fmt, value);
}

/* JSON null, or FMT with VALUE in text ("none"). */
static inline int print_null(enum output_type t, const char *key,
			     const char *fmt, const char *value)
{
	return print_color_null(t, COLOR_NONE, key, fmt, value);
}

static inline int print_uint(enum output_type t, const char *key,
			     const char *fmt, unsigned int value)
{
	return print_color_uint(t, COLOR_NONE, key, fmt, value);
}

static inline int print_int(enum output_type t, const char *key,
			    const char *fmt, int value)
{
	return print_color_int(t, COLOR_NONE, key, fmt, value);
}

static inline int print_u64(enum output_type t, const char *key,
			    const char *fmt, uint64_t value)
{
	return print_color_u64(t, COLOR_NONE, key, fmt, value);
}

/* ---- include/libnetlink.h -------------------------------------------- */

/* Append an attribute to N; MAXLEN is the size of the request buffer.
 * Return 0, or -1 (with a message) if it does not fit.
 */
int addattr_l(struct nlmsghdr *n, int maxlen, int type, const void *data,
	      int alen);
int addattr8(struct nlmsghdr *n, int maxlen, int type, __u8 data);
int addattr16(struct nlmsghdr *n, int maxlen, int type, __u16 data);
int addattr32(struct nlmsghdr *n, int maxlen, int type, __u32 data);

static inline __u8 rta_getattr_u8(const struct rtattr *rta)
{
	return *(const __u8 *)RTA_DATA(rta);
}

static inline __u16 rta_getattr_u16(const struct rtattr *rta)
{
	return *(const __u16 *)RTA_DATA(rta);
}

static inline __u32 rta_getattr_u32(const struct rtattr *rta)
{
	return *(const __u32 *)RTA_DATA(rta);
}

static inline __s32 rta_getattr_s32(const struct rtattr *rta)
{
	return *(const __s32 *)RTA_DATA(rta);
}

/* Attributes are 4-byte aligned: read a u64 without assuming more. */
static inline __u64 rta_getattr_u64(const struct rtattr *rta)
{
	__u64 v;

	memcpy(&v, RTA_DATA(rta), sizeof(v));
	return v;
}

/* ---- include/utils.h, include/ll_map.h ------------------------------- */

/* strtoul/strtol with range checks; 0 on success, -1 on a parse error. */
int get_u8(__u8 *val, const char *arg, int base);
int get_u16(__u16 *val, const char *arg, int base);
int get_u32(__u32 *val, const char *arg, int base);
int get_s32(__s32 *val, const char *arg, int base);

/* false when ARG is a non-empty prefix of KEYWORD. */
bool matches(const char *arg, const char *keyword);

/* Print an error and exit(-1). */
void incomplete_command(void) __attribute__((noreturn));
void invarg(const char *msg, const char *arg) __attribute__((noreturn));
void duparg(const char *key, const char *arg) __attribute__((noreturn));

/* Interface names and link-layer addresses. */
unsigned int ll_name_to_index(const char *name);	/* 0: no such device */
const char *ll_index_to_name(unsigned int idx);		/* "if%u" if unknown */
/* Parse "aa:bb:.." into LLADDR (LEN bytes room): its length, or -1 (with
 * a message).  iproute2 declares ARG const but writes into it (it cuts it
 * at the colons): declared as it behaves.
 */
int ll_addr_a2n(char *lladdr, int len, char *arg);
const char *ll_addr_n2a(const unsigned char *addr, int alen, int type,
			char *buf, int blen);

/* Step to the value of a keyword, or exit with "Command line is not
 * complete" (uses the caller's argc, argv).
 */
#define NEXT_ARG()							\
	do {								\
		argv++;							\
		if (--argc <= 0)					\
			incomplete_command();				\
	} while (0)

#endif /* LAGX_IP_ABI_H */
