#!/usr/bin/env bash
# The main job, end to end: build, boot Debian's kernel in qemu (this host
# may not be able to load modules), load kcap.ko and show /dev/kcap
# answering. Grows into a full capture as the tools land.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
KVER=${KVER:-6.1}

make -s tests >/dev/null

tests/vm/run.sh -k "$KVER" ${KCAP_DEMO_REV:+-r $KCAP_DEMO_REV} -c '
set -e
insmod "$KCAP_KO"
ls -l /dev/kcap
python3 - <<PY
import fcntl, os, struct
# struct kcap_version: abi_version, flags, features, max_sessions,
# max_devs, resv[4]; KCAP_IOC_VERSION = _IOWR(0xC4, 0, 40 bytes).
IOC = (3 << 30) | (40 << 16) | (0xC4 << 8) | 0
fd = os.open("/dev/kcap", os.O_RDWR)
buf = bytearray(40)
fcntl.ioctl(fd, IOC, buf)
abi, _, feat, sess, devs = struct.unpack_from("=IIQII", buf)
print(f"/dev/kcap answers: ABI {abi}, features {feat:#x}, "
      f"{sess} sessions, {devs} devices per session")
PY
rmmod kcap
'
