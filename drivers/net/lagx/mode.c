// SPDX-License-Identifier: GPL-2.0
/*
 * lagx: the mode table and mode changes.  The only place that knows the
 * list of modes.
 */
#include <linux/netdevice.h>

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

/*
 * Switch to @mode.  The option table has validated the request (the mode
 * exists and no port is attached); this only commits it.
 */
void lagx_mode_set(struct lagx *lagx, const struct lagx_mode *mode)
{
	ASSERT_RTNL();

	if (mode == lagx->mode || WARN_ON_ONCE(lagx->port_count))
		return;

	memset(lagx->mode_priv, 0, sizeof(lagx->mode_priv));
	WRITE_ONCE(lagx->mode, mode);
	if (mode->ops->init)
		mode->ops->init(lagx);
}
