// SPDX-License-Identifier: GPL-2.0
/*
 * --stats: kcapdump prints a session's rates every interval. By default
 * the session is a private one, made stats-only (the kernel counts
 * without copying) and gone at exit; a shared one (--session NAME) is
 * only read, so that its reader, if it has one, goes on getting packets:
 * it changes only by the keys given.
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
	int status = 0;

	cli_catch_signals(k);
	if (o->private_session && kcap_session_add_private(k, o->session))
		cli_die_kcap(k);
	kd_session_configure(k, o->session, &o->args, &cfg, -1);
	if (o->private_session)
		snprintf(what, sizeof(what), "%s", o->device);
	else
		kd_session_describe(o->session, &cfg, what, sizeof(what));
	kcap_cfg_free(&cfg);
	kd_drop_privileges(o);
	if (!o->quiet) {
		if (o->private_session)
			cli_warn("counting on %s every %u s, copying no packets", what,
				 o->stats_secs);
		else
			cli_warn("counting on session '%s' (%s) every %u s", o->session, what,
				 o->stats_secs);
	}

	if (rates_watch(stdout, k, o->session, o->stats_secs, o->count)) {
		cli_warn("%s", kcap_geterr(k));
		status = 1;
	}
	kcap_close(k);
	return status;
}
