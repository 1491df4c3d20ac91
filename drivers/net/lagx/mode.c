// SPDX-License-Identifier: GPL-2.0
/*
 * lagx: the mode table and mode changes.  The only place that knows the
 * list of modes.
 */
#include <linux/netdevice.h>
#include <net/netlink.h>

#include "lagx.h"
#include "mode.h"

static const struct lagx_mode *const lagx_modes[] = {
	[LAGX_MODE_ACTIVE_BACKUP] = &lagx_mode_ab,
};

static_assert(ARRAY_SIZE(lagx_modes) <= __LAGX_MODE_MAX);

const struct lagx_mode *lagx_mode_get(enum lagx_mode_id id)
{
	if ((unsigned int)id >= ARRAY_SIZE(lagx_modes))
		return NULL;
	return lagx_modes[id];
}

/* The modes that exist (a BIT() each); the others are not written yet. */
u32 lagx_modes_built(void)
{
	u32 mask = 0;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(lagx_modes); i++)
		if (lagx_modes[i])
			mask |= BIT(i);
	return mask;
}

int lagx_mode_set(struct lagx *lagx, enum lagx_mode_id id,
		  struct netlink_ext_ack *extack)
{
	const struct lagx_mode *mode = lagx_mode_get(id);

	ASSERT_RTNL();

	if (!mode) {
		NL_SET_ERR_MSG_MOD(extack, "Unknown mode");
		return -EINVAL;
	}
	if (mode == lagx->mode)
		return 0;
	if (lagx->port_count) {
		NL_SET_ERR_MSG_MOD(extack,
				   "The mode can only be changed with no ports attached");
		return -EBUSY;
	}

	memset(lagx->mode_priv, 0, sizeof(lagx->mode_priv));
	WRITE_ONCE(lagx->mode, mode);
	if (mode->ops->init)
		mode->ops->init(lagx);
	return 0;
}
