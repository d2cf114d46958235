// SPDX-License-Identifier: GPL-2.0
/* The live session's configuration and description; see setup.h. */
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "setup.h"

void kd_session_configure(struct kcap *k, const char *session,
			  const struct kcap_args *a, struct kcap_cfg *cfg,
			  int stats_only)
{
	char err[KCAP_ERRBUF_SIZE];

	kcap_cfg_init(cfg, session);
	if (kcap_config_get(k, session, cfg))
		cli_die_kcap(k);
	if (!a->given && stats_only < 0)
		return;
	if (kcap_args_apply(a, cfg, err, sizeof(err)))
		cli_die_usage("%s", err);
	if (stats_only >= 0) {
		cfg->c.flags &= ~KCAP_CFG_STATS_ONLY;
		if (stats_only)
			cfg->c.flags |= KCAP_CFG_STATS_ONLY;
	}
	if (kcap_config_set(k, cfg))
		cli_die_kcap(k);
}

void kd_session_describe(const char *session, const struct kcap_cfg *cfg,
			 char *buf, size_t len)
{
	const struct kcap_config *c = &cfg->c;
	size_t n = 0;

	if (c->flags & KCAP_CFG_ANY_DEV) {
		n = snprintf(buf, len, "any device");
	} else if (!c->ndevs) {
		n = snprintf(buf, len, "no device");
	} else {
		for (unsigned int i = 0; i < c->ndevs && i < KCAP_MAX_DEVS && n < len; i++) {
			char ifname[IF_NAMESIZE];

			if (!if_indextoname(c->ifindex[i], ifname))
				snprintf(ifname, sizeof(ifname), "if%d", c->ifindex[i]);
			n += snprintf(buf + n, len - n, "%s%s", i ? "," : "", ifname);
		}
	}
	if (n < len)
		snprintf(buf + n, len - n, ", %s", kcap_capture_name(c->capture));
	if (c->capture == KCAP_CAPTURE_OFF)
		cli_warn("warning: session '%s' has capture=off: nothing will be captured "
			 "(set capture=ingress, egress or bidirectional)", session);
	else if (!c->ndevs && !(c->flags & KCAP_CFG_ANY_DEV))
		cli_warn("warning: session '%s' has no devices (set dev=NAME or dev=any)",
			 session);
}

/* For dev=any, a device added later gets its block with its first packet. */
int *kd_session_devices(const struct kcap_config *c, unsigned int *nifs)
{
	struct if_nameindex *all = NULL;
	unsigned int n = 0;
	int *ifindex;

	if (c->flags & KCAP_CFG_ANY_DEV) {
		all = if_nameindex();
		while (all && all[n].if_index)
			n++;
	} else {
		n = c->ndevs < KCAP_MAX_DEVS ? c->ndevs : KCAP_MAX_DEVS;
	}
	ifindex = calloc(n ? n : 1, sizeof(*ifindex));
	if (!ifindex)
		cli_die("out of memory");
	for (unsigned int i = 0; i < n; i++)
		ifindex[i] = all ? (int)all[i].if_index : c->ifindex[i];
	*nifs = n;
	if (all)
		if_freenameindex(all);
	return ifindex;
}
