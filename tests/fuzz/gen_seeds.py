#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Seed corpora for the fuzz targets: gen_seeds.py OUTDIR."""
import os, struct, sys

out = sys.argv[1]
for d in ("args", "pcap"):
    os.makedirs(os.path.join(out, d), exist_ok=True)

args = [
    "dev=lo\ncapture=ingress", "dev=any\ncapture=bidirectional\nring=4M",
    "src=10.0.0.0/8\ndst=fd00::/64\nsport=53\ndport=any",
    "l4proto=udp\nsnaplen=262144\nstats-only=on", "filter=udp port 53",
    "ring=1G", "ring=18446744073709551615K", "sport=65536", "dev=lo,lo",
    "src=1.2.3.4/33", "capture=off\ncapture=off", "snaplen=-1", "ring=default",
    "10.0.0.1/32", "::ffff:1.2.3.4/128", "4096K", "00000000000000000001",
]
for i, a in enumerate(args):
    open(os.path.join(out, "args", "s%02d" % i), "w").write(a)

def frame(n):
    eth = bytes.fromhex("020000000b00020000000a000800")
    payload = bytes([i % 256 for i in range(n)])
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + 8 + n, 1, 0, 64, 17, 0,
                     bytes([10, 0, 0, 1]), bytes([10, 0, 0, 2]))
    udp = struct.pack("!HHHH", 5000, 53, 8 + n, 0)
    return eth + ip + udp + payload

pkts = [frame(n) for n in (0, 10, 100, 1400)]
# classic pcap, microseconds and nanoseconds, both byte orders
for name, magic, end in (("le_us", 0xa1b2c3d4, "<"), ("be_ns", 0xa1b23c4d, ">")):
    b = struct.pack(end + "IHHiIII", magic, 2, 4, 0, 0, 65535, 1)
    for i, p in enumerate(pkts):
        b += struct.pack(end + "IIII", 1700000000 + i, i, len(p), len(p)) + p
    open(os.path.join(out, "pcap", name), "wb").write(b)

def blk(t, body):
    body += b"\0" * (-len(body) % 4)
    n = 12 + len(body)
    return struct.pack("<II", t, n) + body + struct.pack("<I", n)

ng = blk(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1))
ng += blk(1, struct.pack("<HHI", 1, 0, 65535))
for i, p in enumerate(pkts):
    ng += blk(6, struct.pack("<IIIII", 0, 0, i, len(p), len(p)) + p)
open(os.path.join(out, "pcap", "ng"), "wb").write(ng)
