// SPDX-License-Identifier: GPL-2.0
/* placeholder until kcapctl exists */
#include "unit.h"

void cli_tests(void)
{
}
