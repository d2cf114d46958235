# SPDX-License-Identifier: GPL-2.0
#
# What tools/Makefile and tools/decode/Makefile build the same way. The
# includer sets ROOT, SRCDIR (its sources), OBJ and SOBJ (objects without
# and with the sanitizers), HDRS, CPPFLAGS_ALL and CFLAGS_ALL.
#
#   target: objects...		then one line: $(ar-recipe) or $(ld-recipe)
# ld-recipe links with the sanitizers when the target sets LDSAN.

CC	?= cc
CFLAGS	?= -O2 -g
WARN	:= -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
	   -Wmissing-prototypes -Wvla -Wformat=2 -Wno-format-nonliteral
SANFLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer \
	    -fno-sanitize-recover=undefined
LDLIBS	:= -lpcap

ifeq ($(V),1)
Q	:=
msg	= @true
else
Q	:= @
msg	= @printf '  %-6s %s\n' $(1) $(patsubst $(ROOT)/%,%,$(2))
endif

$(OBJ)/%.o: $(SRCDIR)/%.c $(HDRS)
	@mkdir -p $(dir $@)
	$(call msg,CC,$@)
	$(Q)$(CC) $(CPPFLAGS_ALL) $(CFLAGS_ALL) -c -o $@ $<

$(SOBJ)/%.o: $(SRCDIR)/%.c $(HDRS)
	@mkdir -p $(dir $@)
	$(call msg,CC-SAN,$@)
	$(Q)$(CC) $(CPPFLAGS_ALL) $(CFLAGS_ALL) -O1 $(SANFLAGS) -c -o $@ $<

define ar-recipe
@mkdir -p $(dir $@)
$(call msg,AR,$@)
$(Q)rm -f $@ && $(AR) rcs $@ $^
endef

define ld-recipe
@mkdir -p $(dir $@)
$(call msg,LD,$@)
$(Q)$(CC) $(CFLAGS_ALL) $(LDSAN) $(LDFLAGS) -o $@ $^ $(LDLIBS)
endef
