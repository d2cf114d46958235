// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target over kcapctl's key=value grammar (tools/args/):
 * the input, split at NUL or newline, is an argv for kcap_args_parse();
 * the number, size and prefix parsers also get the first word alone.
 * Device names are looked up with if_nametoindex(), so "dev=lo" parses.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kcap_args.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* kcap_args_apply() (not fuzzed here) needs it; libkcap's is in config.c. */
void kcap_cfg_free(struct kcap_cfg *cfg)
{
	(void)cfg;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf, *argv[33], err[256];
	struct kcap_args a;
	struct kcap_prefix p;
	uint64_t v;
	size_t i;
	int argc = 0;

	if (size > 4096)
		return 0;
	buf = malloc(size + 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = 0;
	argv[argc++] = buf;
	for (i = 0; i < size && argc < 32; i++) {
		if (buf[i] == '\n' || buf[i] == 0) {
			buf[i] = 0;
			argv[argc++] = buf + i + 1;
		}
	}
	argv[argc] = NULL;

	kcap_parse_u64(argv[0], UINT64_MAX, &v);
	kcap_parse_u64(argv[0], 65535, &v);
	kcap_parse_size(argv[0], 1ULL << 30, &v);
	kcap_parse_size(argv[0], UINT64_MAX, &v);
	if (!kcap_parse_prefix(argv[0], &p, err, sizeof(err))) {
		char s[64];

		kcap_format_prefix(&p, s, sizeof(s));
	}
	kcap_arg_is_keyval(argv[0]);
	memset(&a, 0, sizeof(a));
	kcap_args_parse(&a, argc, argv, err, sizeof(err));
	free(buf);
	return 0;
}
