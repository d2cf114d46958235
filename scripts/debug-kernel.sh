#!/usr/bin/env bash
# Build the debug kernel for 'make check-debug' from Debian's
# linux-source-6.1: allnoconfig plus tests/vm/debug.config (what the VM
# and kcap need, plus KASAN, lockdep, PROVE_RCU, UBSAN, kmemleak and
# failslab). A full defconfig with KASAN takes hours on two cores; this
# takes minutes. The build is cached outside the tree, in $KCAP_DBGK_DIR
# (/var/cache/kcap/dbgk), keyed on the contents of debug.config and this
# script, so another clone on the machine reuses it: a second run only
# checks it.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
DEST=${KCAP_DBGK_DIR:-/var/cache/kcap/dbgk}
SRC=$DEST/linux-source-6.1
FRAG=$ROOT/tests/vm/debug.config
JOBS=${JOBS:-$(nproc)}

stamp=$DEST/stamp
want=$(cat "$FRAG" "$0" | sha1sum | cut -c1-12)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] &&
   [ -f "$SRC/arch/x86/boot/bzImage" ]; then
	echo "debug-kernel: cached ($(cat "$SRC/include/config/kernel.release"))"
	exit 0
fi

mkdir -p "$DEST"
if [ ! -f "$SRC/Makefile" ]; then
	echo "debug-kernel: extracting linux-source-6.1"
	tar -xJf /usr/src/linux-source-6.1.tar.xz -C "$DEST"
fi

cd "$SRC"
make -s allnoconfig
scripts/kconfig/merge_config.sh -m .config "$FRAG" >/dev/null
make -s olddefconfig

# merge_config only warns when a symbol did not stick; here it is fatal.
missing=0
while IFS= read -r line; do
	case $line in
	CONFIG_*=y)
		grep -qx "$line" .config || { echo "debug-kernel: $line did not stick" >&2; missing=1; }
		;;
	esac
done <"$FRAG"
[ "$missing" = 0 ] || exit 1

echo "debug-kernel: building with $JOBS jobs"
make -s -j"$JOBS" bzImage modules_prepare
echo "$want" >"$stamp"
echo "debug-kernel: built $(cat include/config/kernel.release)"
