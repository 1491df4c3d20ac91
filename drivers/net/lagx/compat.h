/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lagx: the few differences between the kernels lagx builds against out
 * of tree (Debian's 6.1 and 6.12).  The LAGX_HAVE_* macros come from
 * header probes in the Makefile; in-tree, this file goes away.
 */
#ifndef _LAGX_COMPAT_H
#define _LAGX_COMPAT_H

#include <linux/netdevice.h>
#include <linux/netlink.h>

/*
 * __assign_str() takes its source from __string() since 6.10; the source
 * named here again is then only evaluated, without effect.
 */
#ifdef LAGX_HAVE_ASSIGN_STR_ONE_ARG
#define lagx_assign_str(name, src) do { (void)(src); __assign_str(name); } while (0)
#else
#define lagx_assign_str(name, src) __assign_str(name, src)
#endif

/* Lockless TX, and "cannot move to another netns", became plain bits. */
static inline void lagx_compat_setup(struct net_device *dev)
{
#ifdef LAGX_HAVE_LLTX_BIT
	dev->lltx = true;
#else
	dev->features |= NETIF_F_LLTX;
#endif
#if defined(LAGX_HAVE_NETNS_IMMUTABLE)
	dev->netns_immutable = true;
#elif defined(LAGX_HAVE_NETNS_LOCAL_BIT)
	dev->netns_local = true;
#else
	dev->features |= NETIF_F_NETNS_LOCAL;
#endif
}

/* Mark a port: IFF_SLAVE, and IFF_NO_ADDRCONF where it exists (6.2+). */
static inline void lagx_compat_port_flags(struct net_device *dev, bool set)
{
#ifdef LAGX_HAVE_IFF_NO_ADDRCONF
	if (set)
		dev->priv_flags |= IFF_NO_ADDRCONF;
	else
		dev->priv_flags &= ~IFF_NO_ADDRCONF;
#endif
	if (set)
		dev->flags |= IFF_SLAVE;
	else
		dev->flags &= ~IFF_SLAVE;
}

/*
 * Formatted extack messages arrived in 6.2.  Before, format into one
 * buffer (written under RTNL; a concurrent request may overwrite it
 * before the first reply is sent, garbling that message, never more).
 */
#ifndef NL_SET_ERR_MSG_FMT_MOD
extern char lagx_compat_extack_msg[80];
#define NL_SET_ERR_MSG_FMT_MOD(extack, fmt, args...) do {		\
	struct netlink_ext_ack *__extack = (extack);			\
									\
	if (__extack) {							\
		snprintf(lagx_compat_extack_msg,			\
			 sizeof(lagx_compat_extack_msg),		\
			 KBUILD_MODNAME ": " fmt, ##args);		\
		__extack->_msg = lagx_compat_extack_msg;		\
	}								\
} while (0)
#define LAGX_COMPAT_EXTACK_MSG
#endif

#endif /* _LAGX_COMPAT_H */
