// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/* A session's configuration and its BPF program, read and replaced whole. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include "libkcap_int.h"

void kcap_cfg_init(struct kcap_cfg *cfg, const char *session)
{
	memset(cfg, 0, sizeof(*cfg));
	snprintf((char *)cfg->c.name, sizeof(cfg->c.name), "%s", session);
}

void kcap_cfg_free(struct kcap_cfg *cfg)
{
	free(cfg->prog);
	cfg->prog = NULL;
	cfg->prog_len = 0;
}

int kcap_config_get(struct kcap *k, const char *session, struct kcap_cfg *cfg)
{
	struct kcap_config c;
	struct sock_filter *prog = NULL;
	unsigned int cap = 0;
	int err;

	for (;;) {
		memset(&c, 0, sizeof(c));
		err = kcap_copy_name(k, c.name, session);
		if (err)
			goto err_free;
		if (prog) {
			c.bpf_insns = (uintptr_t)prog;
			c.bpf_len = cap;
		}
		err = kcap_do_ioctl(k, KCAP_IOC_GET_CONFIG, &c, "get config", session);
		if (err)
			goto err_free;
		if (!c.bpf_len || (prog && c.bpf_len <= cap))
			break;
		/* Ask again with room for the program; it may change between
		 * the two calls, hence the loop. */
		if (c.bpf_len > KCAP_MAX_BPF_INSNS) {
			err = kcap_err(k, -EPROTO, "get config: %u BPF instructions",
				       c.bpf_len);
			goto err_free;
		}
		free(prog);
		cap = c.bpf_len;
		prog = calloc(cap, sizeof(*prog));
		if (!prog)
			return kcap_err(k, -ENOMEM, "out of memory");
	}
	if (!c.bpf_len) {
		free(prog);
		prog = NULL;
	}
	kcap_cfg_free(cfg);
	cfg->c = c;
	cfg->c.bpf_insns = 0;
	cfg->prog = prog;
	cfg->prog_len = c.bpf_len;
	return 0;

err_free:
	free(prog);
	return err;
}

int kcap_config_set(struct kcap *k, struct kcap_cfg *cfg)
{
	char name[KCAP_NAME_LEN];

	memcpy(name, cfg->c.name, sizeof(name));
	name[sizeof(name) - 1] = '\0';
	cfg->c.bpf_len = cfg->prog ? cfg->prog_len : 0;
	cfg->c.bpf_insns = cfg->prog ? (uintptr_t)cfg->prog : 0;
	if (!ioctl(k->fd, KCAP_IOC_SET_CONFIG, &cfg->c))
		return 0;
	if (errno == EBUSY) {
		char who[128];

		/* The only -EBUSY: a new ring size while the ring is mapped. */
		kcap_describe_reader(k, name, who, sizeof(who));
		return kcap_err(k, -EBUSY, "set config: the ring size cannot change while %s",
				who);
	}
	return kcap_ioctl_err(k, errno, "set config", name);
}
