#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Captures for comparing kcapdecode --tcpdump with tcpdump, line by line.

Standard library only; packets are built with gen_pcaps.py's helpers.
Every case tcpdump's link, IP, TCP, UDP, ICMP, ICMPv6, ARP and IGMP
printers distinguish appears at least once, and none uses a port or
protocol whose tcpdump printer kcap does not have (DNS, NTP, ...):

  lines_eth.pcap     Ethernet: conversations, options, errors, everything
  lines_cut.pcap     lines_eth's packets cut at every length up to 200 bytes;
                     lines_cut_sll, _sll2 and _raw the same for the others
  lines_sll.pcap     Linux cooked v1        lines_sll2.pcap  cooked v2
  lines_raw.pcap     LINKTYPE_RAW           lines_ipv4.pcap, lines_ipv6.pcap
  lines_time.pcap    odd time stamps: zero, backwards, a DST change, 2038
  lines_names.pcap   loopback addresses and well-known ports, for the
                     runs without -n (names from /etc/hosts and services)
  lines_big.pcap     frames over 64 KiB (a jumbogram), for dump offsets
"""
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gen_pcaps import (csum, eth, icmp, icmp6, ip4a, ip6a, ipv4, ipv6, mac,  # noqa: E402
                       pseudo, tcp, udp, o_mss, o_ws, o_sackok, o_ts, o_sack,
                       NOP, EOL, S, F, R, P, A, U, E, C)

# 2023-11-05 05:59:00 UTC: a minute before New York leaves daylight time.
T0 = 1699163940 * 10**9 + 123456789
M1, M2, M3 = mac("02:00:00:00:00:01"), mac("02:00:00:00:00:02"), mac("00:00:0c:12:34:56")
BCAST = b"\xff" * 6
C4, S4, R4 = "10.0.0.1", "10.0.0.2", "192.0.2.254"
C6, S6 = "2001:db8::1", "2001:db8::2"


def write_pcap(path, recs, linktype=1, snaplen=262144):
    """recs: (t_ns, data) or (t_ns, data, caplen); nanosecond pcap."""
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B23C4D, 2, 4, 0, 0, snaplen, linktype))
        for r in recs:
            t, data = r[0], r[1]
            cap = r[2] if len(r) > 2 else min(len(data), snaplen)
            f.write(struct.pack("<IIII", t // 10**9, t % 10**9, cap, len(data)))
            f.write(data[:cap])


class Conv:
    """One TCP connection; keeps both sides' next sequence numbers."""

    def __init__(self, out, c, s, isn_c, isn_s, v6=False, smac=M1, dmac=M2):
        self.out, self.c, self.s, self.v6 = out, c, s, v6
        self.nxt = {True: isn_c, False: isn_s}
        self.macs = (smac, dmac)

    def send(self, from_c, flags, data=b"", opts=b"", win=502, seq=None, ack=None,
             urp=0, bad=False, tos=0):
        a, b = (self.c, self.s) if from_c else (self.s, self.c)
        sq = self.nxt[from_c] if seq is None else seq
        ak = (self.nxt[not from_c] if flags & A else 0) if ack is None else ack
        t = tcp(a[0], b[0], a[1], b[1], sq, ak, flags, win=win, opts=opts, data=data,
                urp=urp, bad=bad)
        if seq is None:
            self.nxt[from_c] = (sq + len(data) + (1 if flags & (S | F) else 0)) & 0xffffffff
        sm, dm = self.macs if from_c else self.macs[::-1]
        if self.v6:
            self.out.append(eth(ipv6(a[0], b[0], 6, t), 0x86dd, dst=dm, src=sm))
        else:
            self.out.append(eth(ipv4(a[0], b[0], 6, t, tos=tos), 0x0800, dst=dm, src=sm))


def tcp_cases(out):
    syn = o_mss(1460) + o_sackok() + o_ts(3000, 0) + NOP + o_ws(7)
    synack = o_mss(1400) + o_sackok() + o_ts(9000, 3000) + NOP + o_ws(9)
    ts = lambda a, b: NOP + NOP + o_ts(a, b)
    # A whole conversation: handshake, data both ways, SACK, FIN, FIN.
    c = Conv(out, (C4, 43210), (S4, 8000), 0x10000000, 0xfffff000)
    c.send(True, S, opts=syn, win=64240)
    c.send(False, S | A, opts=synack, win=65160)
    c.send(True, A, opts=ts(3001, 9000))
    c.send(True, P | A, data=b"hello, server\n" * 7, opts=ts(3002, 9000))
    c.send(False, A, opts=ts(9001, 3002), win=509)
    base = c.nxt[False]
    c.send(False, A, data=b"y" * 1448, opts=ts(9002, 3002))
    c.send(False, P | A, data=b"z" * 700, opts=ts(9003, 3002))
    # a lost segment: the client acks the first, SACKs what came after
    sk = lambda a, b: ((base + a) & 0xffffffff, (base + b) & 0xffffffff)
    c.send(True, A, opts=NOP + NOP + o_sack(sk(2148, 3000)))
    c.send(True, A, opts=NOP + NOP + o_sack(sk(2148, 3000), sk(4000, 4100)))
    c.send(False, F | A, opts=ts(9004, 3003))
    c.send(True, F | A, opts=ts(3004, 9004))
    c.send(False, A, opts=ts(9005, 3004))
    # refused: SYN, then RST-ACK
    c = Conv(out, (C4, 43211), (S4, 9), 777, 0)
    c.send(True, S, win=64240)
    c.send(False, R | A, win=0)
    # a reset that says why (tcpdump -v prints its text)
    c = Conv(out, (C4, 43212), (S4, 8001), 5000, 6000)
    c.send(True, A)
    c.send(False, R | A, data=b"connection reset: \x01\x7f\xe9 goodbye, nothing more here")
    c.send(False, R, data=b"short\r\n")
    # IPv6: handshake, data, FIN
    c = Conv(out, (C6, 50000), (S6, 9000), 1, 0x80000000, v6=True)
    c.send(True, S, opts=syn, win=64800)
    c.send(False, S | A, opts=synack, win=64800)
    c.send(True, A)
    c.send(True, P | A, data=b"\x16\x03\x01\x00\x05hello")
    c.send(False, F | A)
    c.send(True, F | A)
    c.send(False, A)
    # mid-stream (no handshake seen); and one with both ports equal
    c = Conv(out, (C4, 7777), (S4, 7777), 123456789, 987654321)
    c.send(True, P | A, data=b"abc")
    c.send(False, A)
    c.send(True, A, data=b"defg")
    c = Conv(out, (S4, 7777), (C4, 7777), 55, 66)
    c.send(True, A)
    # text protocols: HTTP request and response, a continuation, FTP, SMTP, SSH
    c = Conv(out, (C4, 40000), (S4, 80), 100, 200)
    c.send(True, S, win=64240)
    c.send(False, S | A)
    c.send(True, P | A, data=b"GET /index.html HTTP/1.1\r\nHost: example.org\r\n"
           b"User-Agent: test\tagent\r\nAccept: */*\r\n\r\n")
    c.send(False, P | A, data=b"HTTP/1.1 200 OK\r\nContent-Length: 12\r\n\r\nhello world\n")
    c.send(False, P | A, data=b"more body without a request line\r\n")
    c.send(True, P | A, data=b"POST /x HTTP/1.0\r\nno end of line")
    c.send(True, P | A, data=b"\x00\x01binary\r\n")
    c.send(True, P | A, data=b"get /lower HTTP/1.1\nX: y\n\n")
    # mid-conversation pushes (True: from the client), one conversation a port
    for k, (port, sends) in enumerate((
            (8080, [(False, b"HTTP/1.0 404 Not Found\r\n\r\n")]),
            (21, [(False, b"220 ftp.example.org FTP server ready\r\n"),
                  (True, b"USER anonymous\r\n")]),
            (25, [(False, b"220 mail.example.org ESMTP\r\n250-SIZE 1000\r\n"),
                  (True, b"EHLO client\r\n")]),
            (22, [(False, b"SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n"),
                  (True, b"SSH-2.0-client\n"),
                  (True, b"\x00\x00\x01\x0c\x0a\x14binary"), (True, b"SS")]),
            (554, [(True, b"DESCRIBE rtsp://example.org/x RTSP/1.0\r\nCSeq: 1\r\n\r\n")]),
            (43, [(True, b"example.org\r\n")])), 1):
        c = Conv(out, (C4, 40000 + k), (S4, port), 100 + 200 * k, 200 + 200 * k)
        for from_client, data in sends:
            c.send(from_client, P | A, data=data)
    # flags: ECN on SYN, urgent, none at all, every one
    c = Conv(out, (C4, 40010), (S4, 8002), 10, 20)
    c.send(True, S | E | C, opts=o_mss(1460))
    c.send(False, S | A | E, opts=o_mss(1460))
    c.send(True, P | A | U, data=b"!", urp=1)
    c.send(True, 0)
    c.send(True, F | S | R | P | A | U | E | C, data=b"x")
    c.send(True, A, bad=True)
    c.send(True, A, tos=0x03)
    # options: every kind tcpdump names, and broken ones
    c = Conv(out, (C4, 40011), (S4, 8003), 1000, 2000)
    c.send(True, S, opts=struct.pack("!BBI", 6, 6, 77) + struct.pack("!BBI", 7, 6, 78)
           + struct.pack("!BBI", 11, 6, 79) + struct.pack("!BBI", 12, 6, 80)
           + struct.pack("!BBI", 13, 6, 81))
    c.send(True, S, opts=struct.pack("!BBH", 28, 4, 0x8003) + struct.pack("!BBH", 28, 4, 600)
           + struct.pack("!BBBB", 20, 4, 0xab, 7) + struct.pack("!BBBB", 29, 4, 1, 2))
    c.send(True, S, opts=struct.pack("!BBBB", 29, 8, 3, 4) + b"\xde\xad\xbe\xef")
    c.send(True, S, opts=b"\x22\x02" + b"\x22\x0a" + b"\x01\x02\x03\x04\x05\x06\x07\x08")
    c.send(True, S, opts=b"\x22\x05abc" + b"\xfe\x06\xf9\x89\x11\x22" + b"\xfe\x04\x12\x34")
    c.send(True, S, opts=b"\xfe\x02")
    c.send(True, S, opts=b"\xfe\x04\xf9\x89")
    c.send(True, A, opts=b"\x13\x12" + bytes(range(16)), data=b"bgp-ish")
    c.send(True, A, opts=b"\x63\x02\x64\x03\x01\x01")
    c.send(True, A, opts=struct.pack("!BBH", 2, 5, 1460) + b"\x00")
    c.send(True, A, opts=b"\x03\x03\x07" + EOL + b"\x02\x04")
    c.send(True, A, opts=b"\x01\x01\x05\x0b" + b"\x00" * 8)
    c.send(True, A, opts=b"\x01\x08\x0a\x00\x00")
    c.send(True, A, opts=b"\x02\x01\x00\x00")
    c.send(True, A, opts=b"\x01\x01\x01\x02\x04")
    # header lengths: too short, too long for the datagram
    out.append(eth(ipv4(C4, S4, 6, tcp(C4, S4, 1, 2, 3, 4, A, doff=3)), 0x0800))
    t = tcp(C4, S4, 1, 2, 3, 4, A, opts=o_mss(1460))
    out.append(eth(ipv4(C4, S4, 6, t[:12] + bytes([0xf0]) + t[13:]), 0x0800))
    out.append(eth(ipv4(C4, S4, 6, t[:12] + bytes([0xf0]) + t[13:20]), 0x0800))


def ip4_cases(out):
    u = lambda s, d, sp=5000, dp=5001, data=b"datagram": udp(s, d, sp, dp, data)
    # options: RR, LSRR (the checksum covers the final hop), SSRR, TS, RA, ...
    rr = struct.pack("!BBB", 7, 11, 8) + ip4a("10.9.9.9") + ip4a("0.0.0.0") + EOL
    out.append(eth(ipv4(C4, S4, 17, u(C4, "10.7.7.7"), opts=rr), 0x0800))
    lsrr = struct.pack("!BBB", 131, 11, 4) + ip4a("10.5.5.5") + ip4a("10.7.7.7") + NOP
    out.append(eth(ipv4(C4, S4, 17, u(C4, "10.7.7.7"), opts=lsrr), 0x0800))
    ssrr = struct.pack("!BBB", 137, 7, 4) + ip4a("10.7.7.7") + NOP
    out.append(eth(ipv4(C4, S4, 6, tcp(C4, "10.7.7.7", 1234, 8000, 1, 0, S), opts=ssrr), 0x0800))
    tsonly = struct.pack("!BBBB", 68, 12, 9, 0) + struct.pack("!II", 1000, 2000)
    out.append(eth(ipv4(C4, S4, 17, u(C4, S4), opts=tsonly), 0x0800))
    tsaddr = struct.pack("!BBBB", 68, 20, 13, 0x21) + ip4a("10.1.1.1") + struct.pack("!I", 5) \
        + ip4a("10.2.2.2") + struct.pack("!I", 6)
    out.append(eth(ipv4(C4, S4, 17, u(C4, S4), opts=tsaddr), 0x0800))
    tsbad = struct.pack("!BBBB", 68, 8, 5, 0x02) + struct.pack("!I", 7)
    out.append(eth(ipv4(C4, S4, 17, u(C4, S4), opts=tsbad), 0x0800))
    tspre = struct.pack("!BBBB", 68, 12, 5, 0x03) + ip4a("10.1.1.1") + struct.pack("!I", 9)
    out.append(eth(ipv4(C4, S4, 17, u(C4, S4), opts=tspre), 0x0800))
    ra = struct.pack("!BBH", 148, 4, 0) + struct.pack("!BBH", 148, 4, 5) + \
        struct.pack("!BBH", 130, 4, 0) + struct.pack("!BBH", 99, 4, 0)
    out.append(eth(ipv4(C4, S4, 17, u(C4, S4), opts=ra), 0x0800))
    out.append(eth(ipv4(C4, S4, 17, u(C4, S4), opts=b"\x07\x01\x00\x00"), 0x0800))
    out.append(eth(ipv4(C4, S4, 17, u(C4, S4), opts=b"\x07\x09\x04\x00"), 0x0800))
    out.append(eth(ipv4(C4, S4, 17, u(C4, S4), opts=b"\x07\x02\x00\x00"), 0x0800))
    out.append(eth(ipv4(C4, S4, 17, u(C4, S4), opts=b"\x07\x03\x01\x00"), 0x0800))
    out.append(eth(ipv4(C4, S4, 17, u(C4, S4), opts=b"\x44\x03\x05\x00"), 0x0800))
    out.append(eth(ipv4(C4, S4, 17, u(C4, S4), opts=b"\x94\x03\x00\x00"), 0x0800))
    # IHL 15 but the frame ends inside the options
    out.append(eth(ipv4(C4, S4, 17, b"", opts=b"\x01" * 8, ihl=15, tot=60), 0x0800))
    # TOS and ECN, TTL 0, fragments, reserved flag, bad checksum
    out.append(eth(ipv4(C4, S4, 17, u(C4, S4), tos=0xb8 | 1, ttl=0), 0x0800))
    out.append(eth(ipv4(C4, S4, 17, u(C4, S4), tos=0x02, df=False), 0x0800))
    out.append(eth(ipv4(C4, S4, 17, u(C4, S4), tos=0x03), 0x0800))
    d = udp(C4, S4, 6000, 6001, b"F" * 64)
    out.append(eth(ipv4(C4, S4, 17, d[:32], df=False, mf=True, ident=0x4242), 0x0800))
    out.append(eth(ipv4(C4, S4, 17, d[32:56], df=False, mf=True, off=32, ident=0x4242), 0x0800))
    out.append(eth(ipv4(C4, S4, 17, d[56:], df=False, off=56, ident=0x4242), 0x0800))
    out.append(eth(ipv4(C4, S4, 6, b"T" * 16, df=False, off=1480, ident=0x4243), 0x0800))
    out.append(eth(ipv4(C4, S4, 253, b"?" * 8, off=8, ident=0x4244), 0x0800))
    h = bytearray(ipv4(C4, S4, 17, u(C4, S4)))
    h[6] |= 0x80
    h[10:12] = b"\0\0"
    h[10:12] = struct.pack("!H", csum(bytes(h[:20])))
    out.append(eth(bytes(h), 0x0800))
    out.append(eth(ipv4(C4, S4, 17, u(C4, S4), bad_csum=True), 0x0800))
    # lengths that contradict the frame
    out.append(eth(ipv4(C4, S4, 17, u(C4, S4), tot=200), 0x0800))
    out.append(eth(ipv4(C4, S4, 17, u(C4, S4), tot=12), 0x0800))
    out.append(eth(ipv4(C4, S4, 17, u(C4, S4), ihl=4), 0x0800))
    out.append(eth(b"\x50" + ipv4(C4, S4, 17, u(C4, S4))[1:], 0x0800))
    out.append(eth(ipv6(C6, S6, 59, b""), 0x0800))
    out.append(eth(ipv4(C4, S4, 17, b"")[:20], 0x0800))
    # padding after a short datagram is not part of it
    out.append(eth(ipv4(C4, S4, 17, u(C4, S4, data=b"")) + b"\xee" * 18, 0x0800))
    # protocols above IP: IPIP, 6in4, ESP, AH, ND, none, unknown, ICMPv6 in v4
    inner = ipv4("10.8.0.1", "10.8.0.2", 17, u("10.8.0.1", "10.8.0.2"))
    out.append(eth(ipv4(C4, S4, 4, inner), 0x0800))
    inner6 = ipv6(C6, S6, 17, udp(C6, S6, 5000, 5001, b"six"))
    out.append(eth(ipv4(C4, S4, 41, inner6), 0x0800))
    out.append(eth(ipv4(C4, S4, 50, struct.pack("!II", 0x1234, 7) + b"\x99" * 24), 0x0800))
    out.append(eth(ipv4(C4, S4, 50, struct.pack("!II", 0x1234, 7)), 0x0800))
    ah = struct.pack("!BBHII", 17, 4, 0, 0x100, 3) + b"\xaa" * 12
    out.append(eth(ipv4(C4, S4, 51, ah + u(C4, S4)), 0x0800))
    ah = struct.pack("!BBHII", 6, 1, 0x5a, 0x100, 4) + b"\xbb" * 4
    out.append(eth(ipv4(C4, S4, 51, ah + tcp(C4, S4, 1, 2, 3, 4, A)), 0x0800))
    out.append(eth(ipv4(C4, S4, 77, b"nd" * 4), 0x0800))
    out.append(eth(ipv4(C4, S4, 59, b""), 0x0800))
    out.append(eth(ipv4(C4, S4, 253, b"exp" * 3), 0x0800))
    out.append(eth(ipv4(C4, S4, 99, b""), 0x0800))
    out.append(eth(ipv4(C4, S4, 58, icmp(128, 0, b"\0\0\0\0")), 0x0800))


def udp_cases(out):
    out.append(eth(ipv4(C4, S4, 17, udp(C4, S4, 33000, 9999, b"plain old datagram")), 0x0800))
    out.append(eth(ipv4(C4, S4, 17, udp(C4, S4, 33000, 9999, b"no checksum", zero_csum=True)), 0x0800))
    t = bytearray(udp(C4, S4, 33000, 9999, b"bad checksum"))
    t[6] ^= 0x11
    out.append(eth(ipv4(C4, S4, 17, bytes(t)), 0x0800))
    out.append(eth(ipv4(C4, S4, 17, udp(C4, S4, 33000, 9999, b"long", ulen=40)), 0x0800))
    out.append(eth(ipv4(C4, S4, 17, udp(C4, S4, 33000, 9999, b"shrt", ulen=9)), 0x0800))
    out.append(eth(ipv4(C4, S4, 17, udp(C4, S4, 33000, 9999, b"", ulen=7)), 0x0800))
    out.append(eth(ipv4(C4, S4, 17, b"\x80\xe8\x27\x0f"), 0x0800))
    out.append(eth(ipv6(C6, S6, 17, udp(C6, S6, 33000, 9999, b"v6 datagram")), 0x86dd))
    inner = eth(ipv4("10.9.0.1", "10.9.0.2", 6, tcp("10.9.0.1", "10.9.0.2", 1000, 8000, 1, 0, S)), 0x0800)
    for flags, data in ((0x08, inner), (0x00, inner[:20]), (0x08, b"")):
        vx = struct.pack("!BxxxI", flags, 5001 << 8) + data
        out.append(eth(ipv4(C4, S4, 17, udp(C4, S4, 33001, 4789, vx)), 0x0800))
    out.append(eth(ipv4(C4, S4, 17, udp(C4, S4, 33001, 4789, b"\x08\0\0")), 0x0800))
    t = bytearray(udp(C6, S6, 33000, 9999, b"v6 bad"))
    t[6] ^= 0x11
    out.append(eth(ipv6(C6, S6, 17, bytes(t)), 0x86dd))


def icmp_cases(out):
    iu = ipv4(C4, S4, 17, udp(C4, S4, 40001, 33434, b"probe")) [:28]
    it = ipv4(C4, S4, 6, tcp(C4, S4, 40002, 8000, 1, 0, S))[:28]
    ig = ipv4(C4, S4, 99, b"\0\0\x08\0" * 2)[:28]
    q = lambda t, c, rest, data: eth(ipv4(S4, C4, 1, icmp(t, c, rest, data)), 0x0800, dst=M1, src=M2)
    out.append(eth(ipv4(C4, S4, 1, icmp(8, 0, struct.pack("!HH", 4321, 1), b"0123456789abcdef" * 3)), 0x0800))
    out.append(q(0, 0, struct.pack("!HH", 4321, 1), b"0123456789abcdef" * 3))
    for code in range(17):
        out.append(q(3, code, b"\0\0\0\0", iu))
    out.append(q(3, 3, b"\0\0\0\0", it))
    out.append(q(3, 3, b"\0\0\0\0", ig))
    out.append(q(3, 4, struct.pack("!HH", 0, 1400), iu))
    for code in range(5):
        out.append(q(5, code, ip4a(R4), iu))
    for code in range(3):
        out.append(q(11, code, b"\0\0\0\0", iu))
    out.append(q(12, 0, b"\x14\0\0\0", iu))
    out.append(q(12, 1, b"\0\0\0\0", iu))
    out.append(q(4, 0, b"\0\0\0\0", iu))
    out.append(q(13, 0, struct.pack("!HH", 7, 8), struct.pack("!III", 1000, 0, 0)))
    out.append(q(14, 0, struct.pack("!HH", 7, 8), struct.pack("!III", 45296789, 45296790, 86399999)))
    out.append(q(17, 0, struct.pack("!HH", 1, 1), b"\0\0\0\0"))
    out.append(q(18, 0, struct.pack("!HH", 1, 1), ip4a("255.255.255.0")))
    out.append(q(15, 0, struct.pack("!HH", 1, 1), b""))
    out.append(q(10, 0, b"\0\0\0\0", b""))
    for life in (30, 1800, 9000):
        out.append(q(9, 0, struct.pack("!BBH", 2, 2, life), ip4a(R4) + struct.pack("!I", 10) +
                     ip4a("192.0.2.253") + struct.pack("!I", 0xffffffff)))
    out.append(q(9, 0, struct.pack("!BBH", 1, 3, 60), ip4a(R4) + b"\0" * 8))
    out.append(q(42, 7, b"\0\0\0\0", b"???"))
    t = bytearray(icmp(8, 0, struct.pack("!HH", 1, 2), b"bad"))
    t[2] ^= 0x40
    out.append(eth(ipv4(C4, S4, 1, bytes(t)), 0x0800))
    # -v quotes the datagram; past 136 bytes RFC 4884 extensions may follow
    full = ipv4(C4, S4, 17, udp(C4, S4, 40001, 33434, b"x" * 100))
    orig = full + b"\0" * (128 - len(full))
    obj = struct.pack("!HBB", 8, 1, 1) + struct.pack("!I", (16000 << 12) | (5 << 9) | (1 << 8) | 64)
    obj2 = struct.pack("!HBB", 8, 2, 3) + b"\x01\x02\x03\x04"
    ext = struct.pack("!BBH", 0x20, 0, 0) + obj + obj2
    ext = ext[:2] + struct.pack("!H", csum(ext)) + ext[4:]
    out.append(q(11, 0, struct.pack("!BBH", 0, 32, 0), orig + ext))
    out.append(q(3, 1, struct.pack("!BBH", 0, 0, 0), orig + ext))
    out.append(q(3, 1, struct.pack("!BBH", 0, 0, 0), orig + b"\x20\0\x12\x34" + obj))
    out.append(q(3, 1, struct.pack("!BBH", 0, 32, 0), orig + b"\x10\0\0\0" + obj))
    out.append(q(3, 3, b"\0\0\0\0", full))


def arp_cases(out):
    arp = lambda op, sha, spa, tha, tpa, hrd=1, pro=0x0800, hln=6, pln=4: \
        struct.pack("!HHBBH", hrd, pro, hln, pln, op) + sha + spa + tha + tpa
    out.append(eth(arp(1, M1, ip4a(C4), b"\0" * 6, ip4a(S4)) + b"\0" * 18, 0x0806, dst=BCAST))
    out.append(eth(arp(2, M2, ip4a(S4), M1, ip4a(C4)) + b"\0" * 18, 0x0806, dst=M1, src=M2))
    out.append(eth(arp(1, M1, ip4a(C4), M2, ip4a(S4)), 0x0806, dst=M2))
    out.append(eth(arp(3, M1, b"\0" * 4, M1, b"\0" * 4), 0x8035, dst=BCAST))
    out.append(eth(arp(4, M2, ip4a(S4), M1, ip4a(C4)), 0x8035, dst=M1))
    out.append(eth(arp(8, M1, ip4a(C4), M2, b"\0" * 4), 0x0806, dst=M2))
    out.append(eth(arp(9, M2, ip4a(S4), M1, ip4a(C4)), 0x0806, dst=M1))
    out.append(eth(arp(10, M1, ip4a(C4), M2, ip4a(S4)), 0x0806, dst=M2))
    out.append(eth(arp(1, M1, ip6a(C6), b"\0" * 6, ip6a(S6), pro=0x86dd, pln=16), 0x0806, dst=BCAST))
    out.append(eth(arp(1, b"", ip4a(C4), b"", ip4a(S4), hln=0), 0x0806, dst=BCAST))
    out.append(eth(arp(2, b"\x01\x02\x03\x04", ip4a(S4), b"\x05\x06\x07\x08", ip4a(C4), hrd=6, hln=4), 0x0806))
    out.append(eth(arp(1, M1, ip4a(C4), M2, ip4a(S4), pro=0x1234), 0x0806))


def vlan_cases(out):
    ip = ipv4(C4, S4, 17, udp(C4, S4, 5000, 5001, b"tagged"))
    tag = lambda vid, pcp=0, dei=0: struct.pack("!H", (pcp << 13) | (dei << 12) | vid)
    out.append(M2 + M1 + b"\x81\x00" + tag(100, 5) + b"\x08\x00" + ip)
    out.append(M2 + M1 + b"\x88\xa8" + tag(300, 3) + b"\x81\x00" + tag(20, 1, 1) + b"\x08\x00" + ip)
    out.append(M2 + M1 + b"\x91\x00" + tag(4095) + b"\x86\xdd" + ipv6(C6, S6, 59, b""))
    arp = struct.pack("!HHBBH", 1, 0x0800, 6, 4, 1) + M1 + ip4a(C4) + b"\0" * 6 + ip4a(S4)
    out.append(BCAST + M1 + b"\x81\x00" + tag(7) + b"\x08\x06" + arp)
    out.append(M2 + M1 + b"\x81\x00" + tag(8) + b"\x12\x34" + b"unknown inside")
    out.append(M2 + M1 + b"\x81\x00" + tag(9))
    out.append(M2 + M1 + b"\x81\x00" + tag(9)[:1])


def link_cases(out):
    out.append(eth(b"type unknown to anyone", 0x1234))
    out.append(eth(b"\x01\x02\x03", 0x6558))
    out.append(eth(b"", 0x1234))
    out.append(M2 + M1 + b"\x08")
    out.append(M2 + M1)


def ip6_cases(out):
    u = udp(C6, S6, 5000, 5001, b"ext!")
    out.append(eth(ipv6(C6, S6, 17, u, tc=0xb8, flow=0xabcde, hlim=1), 0x86dd))
    hbh = struct.pack("!BB", 17, 0) + struct.pack("!BBH", 5, 2, 0) + b"\x01\x00"
    out.append(eth(ipv6(C6, S6, 0, hbh + u), 0x86dd))
    hbh = struct.pack("!BB", 60, 1) + b"\x00" + b"\x63\x02\xaa\xbb" + b"\x3e\x04\x01\x02\x03\x04" + b"\x01\x01\x00"
    dst = struct.pack("!BB", 43, 0) + b"\x01\x04\0\0\0\0"
    rt0 = struct.pack("!BBBBI", 17, 4, 0, 2, 7) + ip6a("2001:db8::a") + ip6a("2001:db8::b")
    out.append(eth(ipv6(C6, S6, 0, hbh + dst + rt0 + u), 0x86dd))
    rt2 = struct.pack("!BBBBI", 17, 2, 2, 1, 0) + ip6a("2001:db8::c")
    out.append(eth(ipv6(C6, S6, 43, rt2 + u), 0x86dd))
    rt4 = struct.pack("!BBBBBBH", 17, 4, 4, 1, 1, 0x80, 0xbeef) + ip6a("2001:db8::d") + ip6a("2001:db8::e")
    out.append(eth(ipv6(C6, S6, 43, rt4 + u), 0x86dd))
    rt5 = struct.pack("!BBBBI", 17, 0, 5, 0, 0)
    out.append(eth(ipv6(C6, S6, 43, rt5 + u), 0x86dd))
    rt0odd = struct.pack("!BBBBI", 17, 1, 0, 0, 0) + b"\0" * 8
    out.append(eth(ipv6(C6, S6, 43, rt0odd + u), 0x86dd))
    home = struct.pack("!BB", 17, 3) + b"\xc9\x14" + ip6a("2001:db8::77") + b"\x00\x01\x01\x00" + \
        b"\x01\x06" + b"\0" * 6
    out.append(eth(ipv6(C6, S6, 60, home + u), 0x86dd))
    hbh2 = struct.pack("!BB", 0, 0) + b"\x01\x04\0\0\0\0"
    out.append(eth(ipv6(C6, S6, 0, hbh2 + struct.pack("!BB", 17, 0) + b"\x01\x04\0\0\0\0" + u), 0x86dd))
    out.append(eth(ipv6(C6, S6, 60, struct.pack("!BB", 0, 0) + b"\x01\x04\0\0\0\0" +
                        struct.pack("!BB", 17, 0) + b"\x01\x04\0\0\0\0" + u), 0x86dd))
    out.append(eth(ipv6(C6, S6, 0, struct.pack("!BB", 17, 0) + b"\x05\x03\0\0\0\0" + u), 0x86dd))
    out.append(eth(ipv6(C6, S6, 0, struct.pack("!BB", 17, 0) + b"\x05\x02\0\0\x00\x07" + u), 0x86dd))
    out.append(eth(ipv6(C6, S6, 0, struct.pack("!BB", 17, 0) + b"\xc2\x04\0\x01\0\0" + u), 0x86dd))
    out.append(eth(ipv6(C6, S6, 60, struct.pack("!BB", 17, 0) + b"\xc2\x04\0\x01\0\0" + u), 0x86dd))
    out.append(eth(ipv6(C6, S6, 0, struct.pack("!BB", 17, 0) + b"\xc2\x04\0\x01\0\0" + u, plen=0), 0x86dd))
    out.append(eth(ipv6(C6, S6, 17, u, plen=0), 0x86dd))
    out.append(eth(ipv6(C6, S6, 59, b"", plen=0), 0x86dd))
    # fragments, first and later; AH, ESP; v6 in v6, v4 in v6; none
    d = udp(C6, S6, 6000, 6001, b"G" * 48)
    out.append(eth(ipv6(C6, S6, 44, struct.pack("!BBHI", 17, 0, 1, 0xcafe) + d[:32]), 0x86dd))
    out.append(eth(ipv6(C6, S6, 44, struct.pack("!BBHI", 17, 0, 32, 0xcafe) + d[32:]), 0x86dd))
    out.append(eth(ipv6(C6, S6, 44, struct.pack("!BBHI", 17, 0, 1, 0xcaff)), 0x86dd))
    out.append(eth(ipv6(C6, S6, 44, struct.pack("!BBHI", 6, 0, 1, 0xcb00) + tcp(C6, S6, 1, 2, 3, 4, A)), 0x86dd))
    ah = struct.pack("!BBHII", 6, 4, 0, 0x1001, 5) + b"\x11" * 12
    out.append(eth(ipv6(C6, S6, 51, ah + tcp(C6, S6, 179 + 1, 33000, 1, 1, A)), 0x86dd))
    out.append(eth(ipv6(C6, S6, 50, struct.pack("!II", 0xfeed, 9) + b"\x42" * 16), 0x86dd))
    out.append(eth(ipv6(C6, S6, 41, ipv6("2001:db8::10", "2001:db8::20", 59, b"")), 0x86dd))
    out.append(eth(ipv6(C6, S6, 4, ipv4("10.8.0.1", "10.8.0.2", 17, udp("10.8.0.1", "10.8.0.2", 1, 2, b""))), 0x86dd))
    out.append(eth(ipv6(C6, S6, 59, b"trailing"), 0x86dd))
    out.append(eth(ipv6(C6, S6, 1, icmp(8, 0, b"\0\0\0\0")), 0x86dd))
    out.append(eth(ipv6(C6, S6, 2, b"\x11" * 8), 0x86dd))
    out.append(eth(ipv6(C6, S6, 17, u, plen=100), 0x86dd))
    out.append(eth(ipv4(C4, S4, 17, b""), 0x86dd))
    out.append(eth(ipv6("::ffff:10.1.2.3", "::10.4.5.6", 59, b""), 0x86dd))
    out.append(eth(ipv6("::", "2001:db8:0:0:1::", 59, b""), 0x86dd))
    out.append(eth(ipv6("1::", "::1", 59, b""), 0x86dd))


def icmp6_cases(out):
    def i6(src, dst, typ, code, body, hlim=255, srcmac=M1, dstmac=M2):
        return eth(ipv6(src, dst, 58, icmp6(src, dst, typ, code, body), hlim=hlim), 0x86dd,
                   dst=dstmac, src=srcmac)
    out.append(i6(C6, S6, 128, 0, struct.pack("!HH", 99, 1) + b"ping" * 8, hlim=64))
    out.append(i6(S6, C6, 129, 0, struct.pack("!HH", 99, 1) + b"ping" * 8, hlim=64))
    iu = ipv6(S6, C6, 17, udp(S6, C6, 40000, 33434, b"probe"))
    it = ipv6(S6, C6, 6, tcp(S6, C6, 40001, 8000, 1, 0, S))
    ih = ipv6(S6, C6, 0, struct.pack("!BB", 17, 0) + b"\x01\x04\0\0\0\0" + udp(S6, C6, 40002, 53000, b""))
    ig = ipv6(S6, C6, 99, b"\0" * 8)
    for code in range(7):
        out.append(i6(C6, S6, 1, code, b"\0\0\0\0" + iu))
    out.append(i6(C6, S6, 1, 4, b"\0\0\0\0" + it))
    out.append(i6(C6, S6, 1, 4, b"\0\0\0\0" + ih))
    out.append(i6(C6, S6, 1, 4, b"\0\0\0\0" + ig))
    out.append(i6(C6, S6, 2, 0, struct.pack("!I", 1280) + iu))
    for code in range(3):
        out.append(i6(C6, S6, 3, code, b"\0\0\0\0" + iu))
    for code in range(6):
        out.append(i6(C6, S6, 4, code, struct.pack("!I", 40) + iu))
    lla = lambda t, m: struct.pack("!BB", t, 1) + m
    ns = "ff02::1:ff00:2"
    out.append(i6(C6, ns, 135, 0, b"\0\0\0\0" + ip6a(S6) + lla(1, M1)))
    out.append(i6("::", ns, 135, 0, b"\0\0\0\0" + ip6a(S6)))
    out.append(i6(S6, C6, 136, 0, struct.pack("!I", 0xe0000000) + ip6a(S6) + lla(2, M2)))
    out.append(i6(S6, C6, 136, 0, struct.pack("!I", 0) + ip6a(S6)))
    out.append(i6("fe80::1", "ff02::2", 133, 0, b"\0\0\0\0" + lla(1, M1)))
    pi = struct.pack("!BBBBIII", 3, 4, 64, 0xc0, 0xffffffff, 604800, 0) + ip6a("2001:db8:1::")
    mtu = struct.pack("!BBHI", 5, 1, 0, 1500)
    rdnss = struct.pack("!BBHI", 25, 5, 0, 3600) + ip6a("2001:db8::53") + ip6a("2001:db8::54")
    ri1 = struct.pack("!BBBBI", 24, 1, 0, 0x08, 1800)
    ri2 = struct.pack("!BBBBI", 24, 2, 48, 0x18, 1800) + ip6a("2001:db8:2::")[:8]
    ri3 = struct.pack("!BBBBI", 24, 3, 64, 0x00, 0xffffffff) + ip6a("2001:db8:3::")
    adv = struct.pack("!BBHI", 7, 1, 0, 600000)
    ha = struct.pack("!BBHHH", 8, 1, 0, 10, 1800)
    unk = struct.pack("!BB", 99, 1) + b"\x01\x02\x03\x04\x05\x06"
    ra = struct.pack("!BBHII", 64, 0xc8, 1800, 30000, 1000)
    out.append(i6("fe80::2", "ff02::1", 134, 0, ra + lla(1, M2) + mtu + pi + rdnss + ri1 + ri2 + ri3 + adv + ha))
    out.append(i6("fe80::2", "ff02::1", 134, 0, struct.pack("!BBHII", 0, 0x02, 0, 0, 0) + unk + mtu))
    out.append(i6("fe80::2", "ff02::1", 134, 0, struct.pack("!BBHII", 0, 0x10, 0, 0, 0) + b"\x05\x00" + b"\0" * 6))
    out.append(i6("fe80::2", "ff02::1", 134, 0, struct.pack("!BBHII", 0, 0x18, 0, 0, 0) + struct.pack("!BBBBI", 24, 4, 0, 0, 0) + b"\0" * 24))
    out.append(i6("fe80::2", "ff02::1", 134, 0, struct.pack("!BBHII", 0, 0, 0, 0, 0) + struct.pack("!BBBBIII", 3, 3, 64, 0x20, 1, 2, 0) + b"\0" * 8))
    redir = b"\0\0\0\0" + ip6a("fe80::9") + ip6a(S6) + lla(2, M3) + struct.pack("!BBHI", 4, 2, 0, 0) + b"\x60" + b"\0" * 7
    out.append(i6("fe80::1", C6, 137, 0, redir))
    out.append(i6("fe80::1", "ff02::1", 130, 0, struct.pack("!HH", 1000, 0) + b"\0" * 16, hlim=1))
    q2 = struct.pack("!HH", 0x8123, 0) + ip6a("ff02::fb") + struct.pack("!BBH", 0x0a, 125, 2) + ip6a("fe80::7") + ip6a("fe80::8")
    out.append(i6("fe80::1", "ff02::1", 130, 0, q2, hlim=1))
    out.append(i6("fe80::1", "ff02::1", 130, 0, struct.pack("!HH", 10, 0) + ip6a("ff02::fb") + b"\0\0\0\0" + b"\0" * 2, hlim=1))
    out.append(i6("fe80::1", "ff02::fb", 131, 0, struct.pack("!HH", 0, 0) + ip6a("ff02::fb"), hlim=1))
    out.append(i6("fe80::1", "ff02::2", 132, 0, struct.pack("!HH", 0, 0) + ip6a("ff02::fb"), hlim=1))
    rec1 = struct.pack("!BBH", 4, 0, 0) + ip6a("ff02::fb")
    rec2 = struct.pack("!BBH", 1, 0, 2) + ip6a("ff05::1:3") + ip6a("2001:db8::5") + ip6a("2001:db8::6")
    rec3 = struct.pack("!BBH", 9, 0, 0) + ip6a("ff05::9")
    out.append(i6("fe80::1", "ff02::16", 143, 0, struct.pack("!HH", 0, 3) + rec1 + rec2 + rec3, hlim=1))
    out.append(i6("fe80::1", "ff02::16", 143, 0, struct.pack("!HH", 0, 2) + rec1, hlim=1))
    out.append(i6(C6, S6, 141, 0, b"\0" * 4))
    out.append(i6(C6, S6, 144, 0, struct.pack("!HH", 0x1234, 0)))
    out.append(i6(S6, C6, 145, 0, struct.pack("!HH", 0x1234, 0) + ip6a("2001:db8::aa") + ip6a("2001:db8::bb")))
    out.append(i6(C6, S6, 146, 0, struct.pack("!HH", 0x4321, 0)))
    out.append(i6(S6, C6, 147, 0, struct.pack("!HH", 0x4321, 0xc000) + pi))
    out.append(i6(C6, S6, 250, 3, b"unknown type"))
    out.append(i6(C6, S6, 200, 0, b"\0" * 8))
    t = bytearray(icmp6(C6, S6, 128, 0, struct.pack("!HH", 1, 1)))
    t[2] ^= 0x01
    out.append(eth(ipv6(C6, S6, 58, bytes(t)), 0x86dd))
    out.append(eth(ipv6(C6, S6, 58, b""), 0x86dd))
    out.append(eth(ipv6(C6, S6, 44, struct.pack("!BBHI", 58, 0, 1, 7) + icmp6(C6, S6, 128, 0, struct.pack("!HH", 5, 5))), 0x86dd))


def igmp_cases(out):
    g = lambda body, dst="224.0.0.1": eth(ipv4(C4, dst, 2, body[:2] + struct.pack("!H", csum(body)) + body[4:],
                                                ttl=1, opts=struct.pack("!BBH", 148, 4, 0)), 0x0800)
    out.append(g(struct.pack("!BBHI", 0x11, 0, 0, 0)))
    out.append(g(struct.pack("!BBHI", 0x11, 100, 0, 0)))
    out.append(g(struct.pack("!BBH", 0x11, 50, 0) + ip4a("239.1.1.1") + b"\0\0"))
    out.append(g(struct.pack("!BBH", 0x11, 100, 0) + ip4a("0.0.0.0") + struct.pack("!BBH", 2, 125, 0)))
    out.append(g(struct.pack("!BBH", 0x11, 200, 0) + ip4a("239.1.1.1") + struct.pack("!BBH", 0x0a, 20, 2)
                 + ip4a("10.0.0.5") + ip4a("10.0.0.6")))
    out.append(g(struct.pack("!BBH", 0x11, 0x8f, 0) + ip4a("239.1.1.1") + struct.pack("!BBH", 0, 0, 0)))
    out.append(g(struct.pack("!BBH", 0x11, 0xff, 0) + ip4a("239.1.1.1") + struct.pack("!BBH", 0, 0, 9)))
    out.append(g(struct.pack("!BBH", 0x11, 100, 0) + ip4a("239.1.1.1") + b"\0\0\0"))
    out.append(g(struct.pack("!BBH", 0x12, 0, 0) + ip4a("239.2.2.2")))
    out.append(g(struct.pack("!BBH", 0x16, 0, 0) + ip4a("239.2.2.2")))
    out.append(g(struct.pack("!BBH", 0x17, 0, 0) + ip4a("239.2.2.2")))
    r1 = struct.pack("!BBH", 2, 0, 0) + ip4a("239.3.3.3")
    r2 = struct.pack("!BBH", 5, 0, 2) + ip4a("239.4.4.4") + ip4a("10.0.0.7") + ip4a("10.0.0.8")
    r3 = struct.pack("!BBH", 0x20, 0, 0) + ip4a("239.5.5.5")
    out.append(g(struct.pack("!BBHHH", 0x22, 0, 0, 0, 3) + r1 + r2 + r3, "224.0.0.22"))
    out.append(g(struct.pack("!BBHHH", 0x22, 0, 0, 0, 2) + r1, "224.0.0.22"))
    out.append(g(struct.pack("!BBHHH", 0x22, 0, 0, 0, 1) + r2[:12], "224.0.0.22"))
    out.append(g(struct.pack("!BBHHH", 0x22, 0, 0, 0, 0) + b"\0\0", "224.0.0.22"))
    out.append(g(struct.pack("!BBHI", 0x30, 0, 0, 0)))
    out.append(eth(ipv4(C4, "224.0.0.1", 2, struct.pack("!BBHI", 0x16, 0, 0x1234, 0)), 0x0800))


def dname(n):
    """A domain name in labels; "x.@12" ends in a pointer to offset 12."""
    out = b""
    for lab in n.split("."):
        if lab.startswith("@"):
            return out + struct.pack("!H", 0xc000 | int(lab[1:]))
        if lab:
            b = lab.encode("latin-1")
            out += bytes([len(b)]) + b
    return out + b"\0"


def rr(name, typ, data, cls=1, ttl=3600):
    return (name if isinstance(name, bytes) else dname(name)) + \
        struct.pack("!HHIH", typ, cls, ttl, len(data)) + data


def dns(ident, flags, qd=(), an=(), ns=(), ar=(), counts=None):
    c = counts or (len(qd), len(an), len(ns), len(ar))
    return struct.pack("!HHHHHH", ident, flags, *c) + b"".join(qd) + b"".join(an) + \
        b"".join(ns) + b"".join(ar)


def q(name, typ=1, cls=1):
    return (name if isinstance(name, bytes) else dname(name)) + struct.pack("!HH", typ, cls)


def opt(udp=1232, ext=0, do=False, opts=b""):
    return b"\0" + struct.pack("!HHBBHH", 41, udp, ext, 0, 0x8000 if do else 0, len(opts)) + opts


def eo(code, data):
    return struct.pack("!HH", code, len(data)) + data


def dns_cases(out):
    u = lambda m, sp=40000, dp=53: eth(ipv4(C4, S4, 17, udp(C4, S4, sp, dp, m)), 0x0800)
    r = lambda m, sp=53, dp=40000: eth(ipv4(S4, C4, 17, udp(S4, C4, sp, dp, m)), 0x0800, dst=M1, src=M2)
    out.append(u(dns(0x1234, 0x0100, qd=[q("example.com")])))
    out.append(u(dns(7, 0x0110, qd=[q("example.com", 28)], ar=[opt(opts=eo(10, b"\x01" * 8) + eo(8, struct.pack("!HBB", 1, 24, 0) + b"\xc0\x00\x02") + eo(12, b"\0" * 5) + eo(3, b""))])))
    out.append(u(dns(8, 0x0100, qd=[q("x.org", 16)], ar=[opt(do=True, opts=eo(11, b"\x00\x96") + eo(9, b"\0\0\x0e\x10") + eo(14, b"\x4f\x66\x00\x01") + eo(5, b"\x08\x0d\x63") + eo(6, b"\x01\x02") + eo(7, b"\x01") + eo(99, b"\xab\xcd"))])))
    out.append(u(dns(9, 0x0100, qd=[q("x.org", 1)], ar=[opt(opts=eo(8, struct.pack("!HBB", 2, 56, 0) + ip6a("2001:db8:1::")[:7]) + eo(8, b"\0\3") + eo(10, b"\0" * 9) + eo(11, b"\0") + eo(13, dname("a.b")))])))
    ex = dname("www.example.com")
    resp = dns(0x1234, 0x8180, qd=[ex + struct.pack("!HH", 1, 1)],
               an=[rr(b"\xc0\x0c", 5, dname("web.@16")), rr(b"\xc0\x2d", 1, ip4a("93.184.216.34"), ttl=90061)])
    out.append(r(resp))
    ans = [rr(b"\xc0\x0c", 28, ip6a("2001:db8::80")), rr(b"\xc0\x0c", 15, struct.pack("!H", 10) + dname("mx.@16")),
           rr(b"\xc0\x0c", 16, b"\x05hello\x0bworld \x01\xe9\x7f"), rr(b"\xc0\x0c", 33, struct.pack("!HHH", 1, 2, 5060) + dname("sip.@16")),
           rr(b"\xc0\x0c", 12, dname("ptr.example.net")), rr(b"\xc0\x0c", 2, dname("ns1.@16")),
           rr(b"\xc0\x0c", 39, dname("other.org")), rr(b"\xc0\x0c", 38, b"\x40" + b"\0" * 8 + b"\x11\x22\x33\x44\x55\x66\x77\x88" + dname("pfx.org")),
           rr(b"\xc0\x0c", 38, b"\x00" + ip6a("2001:db8::38")), rr(b"\xc0\x0c", 38, b"\x81"),
           rr(b"\xc0\x0c", 256, struct.pack("!HH", 10, 1) + b"https://example.org/"),
           rr(b"\xc0\x0c", 104, b"unspec ascii"), rr(b"\xc0\x0c", 65, b"\x00\x01\x00"),
           rr(b"\xc0\x0c", 6, dname("ns1.@16") + dname("hostmaster.@16") + struct.pack("!IIIII", 2023110501, 7200, 3600, 1209600, 300))]
    out.append(r(dns(0x4321, 0x8580, qd=[ex + struct.pack("!HH", 255, 1)], an=ans)))
    soa = rr(b"\xc0\x10", 6, dname("ns.@16") + dname("h.@16") + struct.pack("!IIIII", 1, 2, 3, 4, 5))
    out.append(r(dns(0x1111, 0x8183, qd=[ex + struct.pack("!HH", 1, 1)], ns=[soa], ar=[opt(udp=4096)])))
    out.append(r(dns(0x1112, 0x8300 | 0x20, qd=[ex + struct.pack("!HH", 1, 1)], ar=[opt(ext=1)])))
    out.append(r(dns(0x1113, 0x8000 | (4 << 11) | 0x0400 | 9, qd=[ex + struct.pack("!HH", 6, 1)])))
    out.append(r(dns(0x1114, 0x8000 | (5 << 11) | 5, counts=(0, 0, 0, 0))))
    out.append(r(dns(0x1115, 0x8180, qd=[q("version.bind", 16, 3)], an=[rr(b"\xc0\x0c", 16, b"\x059.18.1", cls=3, ttl=0)])))
    out.append(r(dns(0x1116, 0x8180, qd=[q("a.b"), q("c.d")], an=[rr("tsig.key", 250, dname("hmac-sha256") + b"\0\0\x65\x00\x00\x00" + struct.pack("!HH", 300, 4) + b"MAC!" + struct.pack("!HHH", 0x1116, 0, 0), cls=255, ttl=0)])))
    out.append(u(dns(0x2222, (1 << 11) | 0x0100, qd=[], an=[rr("a.b", 1, ip4a("10.0.0.9"))])))
    out.append(u(dns(0x2223, 0x06cf & ~0x8000, qd=[q("a.b"), q("c.d", 12)], an=[rr("e.f", 1, ip4a("10.0.0.8"))], ns=[rr("g.h", 2, dname("ns.g.h"))], ar=[rr("i.j", 28, ip6a("::1"))])))
    # broken names: a forward pointer, a loop, reserved and EDNS0 label types, too long
    out.append(u(dns(0x3333, 0x0100, qd=[b"\xc0\x20" + struct.pack("!HH", 1, 1)])))
    out.append(u(dns(0x3334, 0x0100, qd=[b"\x01a\xc0\x0c" + struct.pack("!HH", 1, 1)])))
    out.append(u(dns(0x3335, 0x0100, qd=[b"\x01a\x80" + struct.pack("!HH", 1, 1)])))
    out.append(u(dns(0x3336, 0x0100, qd=[b"\x41\x0c\xab\xcd" + b"\x03com\x00" + struct.pack("!HH", 1, 1)])))
    out.append(u(dns(0x3337, 0x0100, qd=[b"\x41\x00" + b"\x11" * 32 + b"\0" + struct.pack("!HH", 1, 1)])))
    out.append(u(dns(0x3338, 0x0100, qd=[b"\x42\x01\0" + struct.pack("!HH", 1, 1)])))
    out.append(u(dns(0x3339, 0x0100, qd=[dname(".".join(["x" * 60] * 5)) + struct.pack("!HH", 1, 1)])))
    out.append(u(dns(0x333a, 0x0100, qd=[q("caf\xe9.\x01\x02ctl")])))
    out.append(u(b"\x00\x01short"))
    out.append(u(dns(0x333b, 0x0100, counts=(3, 0, 0, 0)) + dname("only.one") + struct.pack("!HH", 1, 1)))
    out.append(r(dns(0x333c, 0x8180, qd=[q("a.b")], an=[rr(b"\xc0\x0c", 1, ip4a("1.2.3.4"))], counts=(1, 3, 1, 1))))
    out.append(r(dns(0x333d, 0x8180, qd=[q("a.b")], an=[rr(b"\xc0\x0c", 1, ip4a("1.2.3.4"))[:-2]])))
    # mDNS: QU question, cache-flush answers, DNS-SD names
    mu = lambda m, src=C4: eth(ipv4(src, "224.0.0.251", 17, udp(src, "224.0.0.251", 5353, 5353, m), ttl=255), 0x0800)
    out.append(mu(dns(0, 0, qd=[q("_services._dns-sd._udp.local", 12, 0x8001), q("_ipp._tcp.local", 12, 1)])))
    out.append(mu(dns(0, 0x8400, an=[rr("_ipp._tcp.local", 12, dname("printer.@12"), cls=0x8001, ttl=4500),
                                     rr("printer._ipp._tcp.local", 33, struct.pack("!HHH", 0, 0, 631) + dname("host.local"), cls=0x8001)])))
    # over IPv6, and over TCP with its length prefix
    m = dns(0x5555, 0x0100, qd=[q("v6.example", 28)])
    out.append(eth(ipv6(C6, S6, 17, udp(C6, S6, 40001, 53, m)), 0x86dd))
    c = Conv(out, (C4, 40100), (S4, 53), 100, 200)
    c.send(True, P | A, data=struct.pack("!H", len(m)) + m)
    c.send(True, P | A, data=struct.pack("!H", len(m) + 1) + m)
    c.send(True, P | A, data=b"\x00")
    c.send(False, P | A, data=struct.pack("!H", len(resp)) + resp)
    # ICMPv6 RA with a DNS search list
    dnssl = struct.pack("!BBHI", 31, 3, 0, 600) + dname("example.org") + dname("b.c") + b"\0\0"
    out.append(eth(ipv6("fe80::2", "ff02::1", 58, icmp6("fe80::2", "ff02::1", 134, 0, struct.pack("!BBHII", 64, 0, 1800, 0, 0) + dnssl), hlim=255), 0x86dd))


def ethernet():
    out = []
    for f in (tcp_cases, ip4_cases, udp_cases, icmp_cases, arp_cases, vlan_cases, link_cases,
              ip6_cases, icmp6_cases, igmp_cases, dns_cases):
        f(out)
    return out


def stamp(frames, t0=T0, step=1000137):
    return [(t0 + i * step, f) for i, f in enumerate(frames)]


def cut_all(frames, limit=150):
    """Each frame cut at every length from 1 to all of it (or to limit)."""
    recs = []
    t = T0
    for f in frames:
        for k in range(1, min(len(f), limit) + 1):
            recs.append((t, f, k))
            t += 1000
    return recs


def sll1(pkttype, proto, payload, halen=6, addr=M1):
    return struct.pack("!HHH", pkttype, 1, halen) + (addr + b"\0\0")[:8] + struct.pack("!H", proto) + payload


def sll2(pkttype, proto, payload, ifindex=1, halen=6, addr=M1):
    return struct.pack("!HHIHBB", proto, 0, ifindex, 1, pkttype, halen) + (addr + b"\0\0")[:8] + payload


def cooked(make):
    ip = ipv4(C4, S4, 17, udp(C4, S4, 5000, 5001, b"cooked"))
    ip6 = ipv6(C6, S6, 17, udp(C6, S6, 5000, 5001, b"cooked6"))
    arp = struct.pack("!HHBBH", 1, 0x0800, 6, 4, 1) + M1 + ip4a(C4) + b"\0" * 6 + ip4a(S4)
    tcps = tcp(C4, S4, 43000, 8000, 1, 0, S, opts=o_mss(1460))
    out = [make(t, 0x0800, ip) for t in (0, 1, 2, 3, 4, 7)]
    out += [make(0, 0x86dd, ip6), make(4, 0x0806, arp), make(0, 0x0800, ipv4(C4, S4, 6, tcps)),
            make(0, 0x0800, ip, halen=0), make(0, 0x0800, ip, halen=8, addr=b"\x01\x02\x03\x04\x05\x06\x07\x08"),
            make(0, 0x8100, struct.pack("!HH", (2 << 13) | 42, 0x0800) + ip),
            make(0, 0x8100, b"\0"),
            make(0, 0x1234, b"what is this"), make(0, 0x0003, b"short type"),
            make(0, 0x0800, b"")]
    return out


def raw_frames():
    out = [ipv4(C4, S4, 17, udp(C4, S4, 5000, 5001, b"raw")), ipv6(C6, S6, 59, b""),
           ipv4(C4, S4, 6, tcp(C4, S4, 43001, 8000, 5, 0, S)), b"\x50" + b"\0" * 19, b"\x45"]
    return out


def time_records():
    f = eth(ipv4(C4, S4, 17, udp(C4, S4, 5000, 5001, b"tick")), 0x0800)
    ts = [0, 1, 500000000, 1500000001, 1400000000,
          # around New York's change back from daylight time, 06:00 UTC
          1699163998 * 10**9 + 999999999, 1699163999 * 10**9 + 1, 1699164000 * 10**9,
          1699164000 * 10**9 + 5, 1699167600 * 10**9 + 999, 1699167599 * 10**9,
          # and into it (2024-03-10 07:00 UTC), a leap day, year ends
          1710053999 * 10**9 + 999999999, 1710054000 * 10**9, 1709164800 * 10**9 + 42,
          1704067199 * 10**9 + 999999000, 1704067200 * 10**9,
          # a day and more between packets; then past 2038
          1704067200 * 10**9 + 90061 * 10**9 + 7, 2147483647 * 10**9 + 999999999,
          2147483648 * 10**9, 4294967295 * 10**9 + 1, 1700000000 * 10**9]
    return [(t, f) for t in ts]


def names_frames():
    lo4, lo6 = "127.0.0.1", "::1"
    out = []
    for dport in (22, 80, 443, 8000, 25):
        out.append(eth(ipv4(lo4, lo4, 6, tcp(lo4, lo4, 45000, dport, 1, 0, S)), 0x0800, dst=M3, src=M1))
    out.append(eth(ipv4(lo4, lo4, 17, udp(lo4, lo4, 45001, 9999, b"x")), 0x0800, dst=BCAST, src=M3))
    out.append(eth(ipv6(lo6, lo6, 6, tcp(lo6, lo6, 45002, 443, 1, 0, S)), 0x86dd, dst=mac("00:00:5e:00:53:01")))
    out.append(eth(ipv6(lo6, lo6, 17, udp(lo6, lo6, 45003, 514 + 1000, b"y")), 0x86dd))
    out.append(eth(ipv4(lo4, lo4, 6, b"T" * 8, df=False, off=64), 0x0800))
    out.append(eth(ipv4(lo4, lo4, 132, b"S" * 8, df=False, off=64), 0x0800))
    out.append(eth(ipv4(lo4, lo4, 200, b"S" * 8, df=False, off=64), 0x0800))
    out.append(eth(ipv4(lo4, lo4, 132 - 1, b"?" * 4), 0x0800))
    out.append(eth(ipv4(lo4, lo4, 1, icmp(3, 3, b"\0\0\0\0", ipv4(lo4, lo4, 17, udp(lo4, lo4, 1, 514 + 1000, b""))[:28])), 0x0800))
    arp = struct.pack("!HHBBH", 1, 0x0800, 6, 4, 2) + M3 + ip4a(lo4) + M1 + ip4a(lo4)
    out.append(eth(arp, 0x0806, dst=M1, src=M3))
    return out


def big_frames():
    n = 70000
    body = bytes((i * 7) & 0xff for i in range(n))
    hbh = struct.pack("!BB", 17, 0) + b"\xc2\x04" + struct.pack("!I", n + 8 + 8)
    jumbo = ipv6(C6, S6, 0, hbh + struct.pack("!HHHH", 5000, 5001, 0, 0) + body, plen=0)
    return [eth(body[:66000], 0x1234), eth(jumbo, 0x86dd)]


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    frames = ethernet()
    write_pcap(os.path.join(out, "lines_eth.pcap"), stamp(frames))
    write_pcap(os.path.join(out, "lines_cut.pcap"), cut_all(frames, limit=200))
    write_pcap(os.path.join(out, "lines_cut_sll.pcap"), cut_all(cooked(sll1)), linktype=113)
    write_pcap(os.path.join(out, "lines_cut_sll2.pcap"), cut_all(cooked(sll2)), linktype=276)
    write_pcap(os.path.join(out, "lines_cut_raw.pcap"), cut_all(raw_frames()), linktype=101)
    write_pcap(os.path.join(out, "lines_sll.pcap"), stamp(cooked(sll1)), linktype=113)
    write_pcap(os.path.join(out, "lines_sll2.pcap"),
               stamp(cooked(sll2) + [sll2(4, 0x0800, raw_frames()[0], ifindex=999999)]),
               linktype=276)
    raw = raw_frames()
    write_pcap(os.path.join(out, "lines_raw.pcap"), stamp(raw), linktype=101)
    write_pcap(os.path.join(out, "lines_ipv4.pcap"), stamp([raw[0], raw[2]]), linktype=228)
    write_pcap(os.path.join(out, "lines_ipv6.pcap"), stamp([raw[1]]), linktype=229)
    write_pcap(os.path.join(out, "lines_time.pcap"), time_records())
    write_pcap(os.path.join(out, "lines_names.pcap"), stamp(names_frames()))
    write_pcap(os.path.join(out, "lines_big.pcap"), stamp(big_frames()))


if __name__ == "__main__":
    main()
