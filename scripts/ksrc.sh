#!/usr/bin/env bash
# Extract what kcap uses from Debian's linux-source-6.1 tarball into
# build/ksrc: checkpatch.pl (and the data files it reads) and the kselftest
# harness. We use them as the kernel ships them, not copies of our own.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
DEST=$ROOT/build/ksrc
FILES=(
	scripts/checkpatch.pl
	scripts/spelling.txt
	scripts/const_structs.checkpatch
	tools/testing/selftests/kselftest_harness.h
	tools/testing/selftests/kselftest.h
)

done_already=1
for f in "${FILES[@]}"; do
	[ -f "$DEST/$f" ] || done_already=0
done
[ "$done_already" = 1 ] && exit 0

tarball=$(ls /usr/src/linux-source-6.1.tar.xz 2>/dev/null) ||
	{ echo "ksrc: /usr/src/linux-source-6.1.tar.xz missing (run scripts/setup.sh)" >&2; exit 1; }
mkdir -p "$DEST"
tar -xJf "$tarball" -C "$DEST" --strip-components=1 \
	"${FILES[@]/#/linux-source-6.1/}"
echo "ksrc: extracted ${#FILES[@]} files into build/ksrc"
