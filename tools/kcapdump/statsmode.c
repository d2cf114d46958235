// SPDX-License-Identifier: GPL-2.0
/*
 * --stats: the session counts without copying (stats-only), and kcapdump
 * prints its rates every interval; the session is left as it was found,
 * bar the keys the user set.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "rates.h"
#include "runs.h"
#include "setup.h"

int kd_stats_run(const struct kd_opts *o)
{
	struct kcap *k = cli_open_kcap();
	struct kcap_cfg cfg;
	char what[256];
	bool was_stats_only;
	int status = 0;

	cli_catch_signals(k);
	kcap_cfg_init(&cfg, o->session);
	if (kcap_config_get(k, o->session, &cfg))
		cli_die_kcap(k);
	was_stats_only = cfg.c.flags & KCAP_CFG_STATS_ONLY;
	kcap_cfg_free(&cfg);
	kd_session_configure(k, o->session, &o->args, &cfg, 1);
	kd_session_describe(o->session, &cfg, what, sizeof(what));
	kcap_cfg_free(&cfg);
	if (!o->quiet)
		cli_warn("counting on session '%s' (%s) every %u s, copying no packets",
			 o->session, what, o->stats_secs);

	if (rates_watch(stdout, k, o->session, o->stats_secs, o->count)) {
		cli_warn("%s", kcap_geterr(k));
		status = 1;
	}

	if (!was_stats_only && !(o->args.given & (1U << KCAP_KEY_STATS_ONLY))) {
		struct kcap_args none;

		memset(&none, 0, sizeof(none));
		kd_session_configure(k, o->session, &none, &cfg, 0);
		kcap_cfg_free(&cfg);
	}
	kcap_close(k);
	return status;
}
