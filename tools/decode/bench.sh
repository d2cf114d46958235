#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Decode 1M packets (mixed TCP/UDP/ICMP, IPv4/IPv6) from a file as a tree
# and compare with tcpdump -r FILE -nn -v on the same file. Target: within
# 2x of tcpdump. Usage: bench.sh [PACKETS]   (make -C tools/decode bench)
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
OUT=$ROOT/build/decode-bench
BIN=${KCAPDUMP:-$ROOT/build/bin/kcapdump}	# kcapdump -r: what users run
N=${1:-1000000}
F=$OUT/bench-$N.pcap

mkdir -p "$OUT"
[ -x "$BIN" ] || make -s -C "$ROOT" tools
if [ ! -s "$F" ]; then
	echo "generating $N packets in ${F#$ROOT/}"
	python3 - "$F" "$N" "$HERE/tests" <<'PY'
import struct, sys
sys.path.insert(0, sys.argv[3])
from gen_pcaps import *

path, n = sys.argv[1], int(sys.argv[2])
tpl = [
    tcp4(40000, 80, 1, 1, P | A, data=b"x" * 500, opts=NOP + NOP + o_ts(1, 2)),
    tcp4(40000, 80, 1, 1, A, opts=NOP + NOP + o_ts(1, 2)),
    tcp4(40000, 443, 1, 0, S, opts=o_mss(1460) + o_sackok() + o_ts(1, 0) + NOP + o_ws(7)),
    eth(ipv4(A4, B4, 17, udp(A4, B4, 53000, 53, b"q" * 40)), 0x0800),
    eth(ipv4(A4, B4, 1, icmp(8, 0, struct.pack("!HH", 1, 1), b"p" * 56)), 0x0800),
    eth(ipv6(A6, B6, 6, tcp(A6, B6, 50000, 443, 5, 6, P | A, data=b"y" * 1200)), 0x86dd),
    eth(ipv6(A6, B6, 17, udp(A6, B6, 5353, 5353, b"m" * 80)), 0x86dd),
    eth(ipv6(A6, B6, 58, icmp6(A6, B6, 128, 0, struct.pack("!HH", 1, 1) + b"e" * 56)), 0x86dd),
]
with open(path, "wb") as f:
    f.write(struct.pack("<IHHiIII", 0xA1B23C4D, 2, 4, 0, 0, 65535, 1))
    recs = [struct.pack("<II", len(p), len(p)) + p for p in tpl]
    buf = []
    for i in range(n):
        t = 1700000000 * 10**9 + i * 1000
        buf.append(struct.pack("<II", t // 10**9, t % 10**9) + recs[i % len(recs)])
        if len(buf) == 65536:
            f.write(b"".join(buf)); buf = []
    f.write(b"".join(buf))
PY
fi

best() {	# best of 3 wall-clock seconds
	local b=999999 t i
	for i in 1 2 3; do
		/usr/bin/time -f %e -o "$OUT/time" "$@" > /dev/null 2>&1
		t=$(tail -1 "$OUT/time")
		b=$(python3 -c "print(min($b, $t))")
	done
	echo "$b"
}

k=$(best "$BIN" -r "$F")
t=$(best tcpdump -r "$F" -nn -v)
q=$(best "$BIN" -r "$F" -q)
tq=$(best tcpdump -r "$F" -nn -q)
printf 'packets                       %d\n' "$N"
printf 'kcapdump -r F (tree)          %6.2f s\n' "$k"
printf 'tcpdump -r F -nn -v           %6.2f s\n' "$t"
printf 'ratio (tree / tcpdump -v)     %6.2f  (target <= 2)\n' "$(python3 -c "print($k / $t)")"
printf 'kcapdump -r F -q              %6.2f s\n' "$q"
printf 'tcpdump -r F -nn -q           %6.2f s\n' "$tq"
printf 'ratio (-q / tcpdump -q)       %6.2f\n' "$(python3 -c "print($q / $tq)")"
