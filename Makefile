# SPDX-License-Identifier: GPL-2.0
# kcap: the module, the tools and the tests in one tree.
#
#   make            module (for the running or installed kernel), tools, tests,
#                   examples
#   make check      every test: host unit tests, style, sparse, and the VM
#                   tests on Debian 6.1 and 6.12 (installs packages first)
#   make check-debug the VM tests on a KASAN/lockdep/kmemleak kernel built
#                   from linux-source-6.1 (cached after the first build)
#   make demo       the main job: a capture end to end in the VM
#   make bench      kcap against tcpdump and netsniff-ng in the VM
#   make style      checkpatch.pl on kmod/ and uapi/
#   make sparse     sparse over kmod/
#   make setup      install every Debian package the build and tests need

KDIR	?= $(firstword $(wildcard /lib/modules/$(shell uname -r)/build) \
		       $(lastword $(sort $(wildcard /usr/src/linux-headers-6.1.*-amd64))))
KSRC	:= build/ksrc
KFILES	:= $(filter-out %.mod.c,$(wildcard kmod/*.c kmod/*.h)) uapi/linux/kcap.h

all: kmod tools tests examples

setup:
	bash scripts/setup.sh

$(KSRC)/scripts/checkpatch.pl:
	scripts/ksrc.sh

# W=1 and -Werror: a warning is a build failure, not a line to scroll past.
kmod:
	$(MAKE) -C kmod KDIR=$(KDIR) W=1 KCFLAGS=-Werror

# The examples too: they are libkcap.so's first users, and the VM tests
# run them (scripts/check.sh builds `make tools tests`).
tools:
	$(MAKE) -C tools/decode
	$(MAKE) -C tools
	$(MAKE) -C examples

# The Npcap tutorial's lessons, built against libkcap.so with its kcap.pc.
examples: tools

tests: $(KSRC)/scripts/checkpatch.pl
	$(MAKE) -C tests

style: $(KSRC)/scripts/checkpatch.pl
	perl $(KSRC)/scripts/checkpatch.pl --no-tree --terse -f $(KFILES)

# C=2 checks every file, not only the ones that happen to be rebuilt.
sparse:
	@out=$$($(MAKE) -s -C kmod KDIR=$(KDIR) C=2 2>&1); echo "$$out"; \
	! echo "$$out" | grep -E 'warning:|error:'

check: setup
	bash scripts/check.sh

check-debug: setup
	scripts/debug-kernel.sh
	$(MAKE) -s tools tests
	tests/vm/run.sh -k debug

demo: setup
	bash scripts/demo.sh

bench: setup
	bash bench/run.sh

install:
	$(MAKE) -C tools install
	$(MAKE) -C python install

clean:
	$(MAKE) -C kmod KDIR=$(KDIR) clean
	rm -rf build

.PHONY: all setup kmod tools examples tests style sparse check check-debug demo bench install clean
