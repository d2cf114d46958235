#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Build the decoder tests' captures from scratch (standard library only).

Every protocol and option the decoders know appears at least once, with
correct checksums unless a packet is about a bad one. Output files:

  protocols.pcap        Ethernet: everything, one packet per case
  protocols_sNN.pcap    the same cut at snaplen NN (truncation points)
  tcp.pcap              several TCP connections with known answers
  raw.pcap, sll.pcap    the same IP packets as LINKTYPE_RAW and Linux cooked
  protocols.pcapng      a few packets as pcapng, to test libpcap's reader
"""
import os
import struct
import sys

BASE_NS = 1700000000 * 10**9


def csum(data):
    if len(data) & 1:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF


def ip4a(s):
    return bytes(int(x) for x in s.split("."))


def ip6a(s):
    import ipaddress
    return ipaddress.IPv6Address(s).packed


def mac(s):
    return bytes.fromhex(s.replace(":", ""))


M1, M2 = mac("02:00:00:00:00:01"), mac("02:00:00:00:00:02")


def eth(payload, etype, dst=M2, src=M1):
    return dst + src + struct.pack("!H", etype) + payload


def vlan(payload, etype, vid, pcp=0, dei=0, tpid=0x8100):
    return struct.pack("!HH", (pcp << 13) | (dei << 12) | vid, etype), tpid


def ipv4(src, dst, proto, payload, ttl=64, tos=0, ident=0x1234, df=True,
         mf=False, off=0, opts=b"", bad_csum=False, tot=None, ihl=None):
    hl = 20 + len(opts)
    if ihl is None:
        ihl = hl // 4
    flags = (0x4000 if df else 0) | (0x2000 if mf else 0) | (off // 8)
    if tot is None:
        tot = hl + len(payload)
    h = struct.pack("!BBHHHBBH4s4s", 0x40 | ihl, tos, tot, ident, flags, ttl,
                    proto, 0, ip4a(src), ip4a(dst)) + opts
    c = csum(h)
    if bad_csum:
        c ^= 0x5555
    h = h[:10] + struct.pack("!H", c) + h[12:]
    return h + payload


def ipv6(src, dst, nh, payload, hlim=64, tc=0, flow=0, plen=None):
    if plen is None:
        plen = len(payload)
    w = (6 << 28) | (tc << 20) | flow
    return struct.pack("!IHBB16s16s", w, plen, nh, hlim, ip6a(src),
                       ip6a(dst)) + payload


def pseudo(src, dst, proto, length):
    if ":" in src:
        return ip6a(src) + ip6a(dst) + struct.pack("!IxxxB", length, proto)
    return ip4a(src) + ip4a(dst) + struct.pack("!xBH", proto, length)


def tcp(src, dst, sport, dport, seq, ack, flags, win=65535, opts=b"",
        data=b"", urp=0, doff=None, bad=False):
    if len(opts) % 4:
        opts += b"\0" * (4 - len(opts) % 4)
    if doff is None:
        doff = (20 + len(opts)) // 4
    h = struct.pack("!HHIIHHHH", sport, dport, seq, ack, (doff << 12) | flags,
                    win, 0, urp) + opts
    c = csum(pseudo(src, dst, 6, len(h) + len(data)) + h + data)
    if bad:
        c ^= 0xFFFF
    return h[:16] + struct.pack("!H", c) + h[18:] + data


def udp(src, dst, sport, dport, data, zero_csum=False, ulen=None):
    if ulen is None:
        ulen = 8 + len(data)
    h = struct.pack("!HHHH", sport, dport, ulen, 0)
    c = 0 if zero_csum else (csum(pseudo(src, dst, 17, 8 + len(data)) + h + data) or 0xFFFF)
    return h[:6] + struct.pack("!H", c) + data


def icmp(typ, code, rest, data=b""):
    h = struct.pack("!BBH", typ, code, 0) + rest + data
    return h[:2] + struct.pack("!H", csum(h)) + h[4:]


def icmp6(src, dst, typ, code, body):
    h = struct.pack("!BBH", typ, code, 0) + body
    c = csum(pseudo(src, dst, 58, len(h)) + h)
    return h[:2] + struct.pack("!H", c) + h[4:]


# TCP options
def o_mss(v): return struct.pack("!BBH", 2, 4, v)
def o_ws(v): return struct.pack("!BBB", 3, 3, v)
def o_sackok(): return b"\x04\x02"
def o_ts(a, b): return struct.pack("!BBII", 8, 10, a, b)
def o_sack(*blocks): return struct.pack("!BB", 5, 2 + 8 * len(blocks)) + b"".join(struct.pack("!II", l, r) for l, r in blocks)
NOP, EOL = b"\x01", b"\x00"

S, F, R, P, A, U, E, C = 0x02, 0x01, 0x04, 0x08, 0x10, 0x20, 0x40, 0x80

A4, B4, G4 = "192.0.2.1", "198.51.100.7", "203.0.113.9"
A6, B6 = "2001:db8::1", "2001:db8:0:1::2"


def tcp4(sport, dport, seq, ack, flags, **kw):
    data = kw.pop("data", b"")
    opts = kw.pop("opts", b"")
    win = kw.pop("win", 65535)
    urp = kw.pop("urp", 0)
    t = tcp(A4, B4, sport, dport, seq, ack, flags, win=win, opts=opts,
            data=data, urp=urp)
    return eth(ipv4(A4, B4, 6, t, **kw), 0x0800)


def protocols():
    pk = []
    syn_opts = o_mss(1460) + o_sackok() + o_ts(100, 0) + NOP + o_ws(7)
    # TCP handshake-ish, with DSCP EF + ECT(0)
    pk.append(tcp4(40000, 80, 1000, 0, S, opts=syn_opts, tos=(46 << 2) | 2, win=64240))
    pk.append(eth(ipv4(B4, A4, 6, tcp(B4, A4, 80, 40000, 5000, 1001, S | A,
                                      opts=o_mss(1400) + NOP + NOP + o_sackok() + NOP + o_ws(8),
                                      win=65160)), 0x0800, dst=M1, src=M2))
    pk.append(tcp4(40000, 80, 1001, 5001, P | A, data=b"GET / HTTP/1.1\r\nHost: example\r\n\r\n",
                   opts=NOP + NOP + o_ts(101, 200)))
    # every flag bit, urgent pointer, SACK blocks, unknown option, EOL
    pk.append(tcp4(443, 51000, 7, 9, C | E | U | A | P | R | S | F, urp=3,
                   opts=o_sack((10, 20), (30, 40)) + struct.pack("!BBH", 99, 4, 0xabcd) + EOL,
                   data=b"xyz"))
    pk.append(tcp4(40000, 80, 1035, 5001, F | A))
    pk.append(tcp4(40000, 80, 1036, 0, R))
    # bad TCP checksum
    t = tcp(A4, B4, 22, 2222, 1, 2, A, bad=True)
    pk.append(eth(ipv4(A4, B4, 6, t), 0x0800))
    # UDP: DNS-ish, zero checksum, odd length payload
    pk.append(eth(ipv4(A4, B4, 17, udp(A4, B4, 53000, 53, b"\x12\x34\x01\x00\x00\x01query")), 0x0800))
    pk.append(eth(ipv4(A4, B4, 17, udp(A4, B4, 123, 123, b"ntp!", zero_csum=True)), 0x0800))
    # ICMP echo request / reply with data
    pk.append(eth(ipv4(A4, B4, 1, icmp(8, 0, struct.pack("!HH", 77, 1), b"abcdefgh")), 0x0800))
    pk.append(eth(ipv4(B4, A4, 1, icmp(0, 0, struct.pack("!HH", 77, 1), b"abcdefgh")), 0x0800, dst=M1, src=M2))
    # ICMP port unreachable quoting an IPv4/UDP datagram; time exceeded; frag needed
    inner = ipv4(A4, B4, 17, udp(A4, B4, 40001, 33434, b"probe"))[:28]
    pk.append(eth(ipv4(B4, A4, 1, icmp(3, 3, b"\0\0\0\0", inner)), 0x0800))
    pk.append(eth(ipv4(G4, A4, 1, icmp(11, 0, b"\0\0\0\0", inner), ttl=250), 0x0800))
    pk.append(eth(ipv4(G4, A4, 1, icmp(3, 4, struct.pack("!HH", 0, 1400), inner)), 0x0800))
    pk.append(eth(ipv4(G4, A4, 1, icmp(5, 1, ip4a("192.0.2.254"), inner)), 0x0800))
    # IPv4 options: RR, NOP, router alert, EOL (+pad)
    opts = struct.pack("!BBB", 7, 11, 4) + ip4a("10.0.0.1") + ip4a("0.0.0.0") + NOP + \
        struct.pack("!BBH", 148, 4, 0) + EOL + b"\0\0\0"
    pk.append(eth(ipv4(A4, "224.0.0.22", 2, b"\x22\x00\xfa\x02\0\0\0\0", opts=opts, ttl=1), 0x0800))
    # fragments: first with MF carrying UDP header, then the rest
    payload = udp(A4, B4, 5000, 5001, b"F" * 40)
    pk.append(eth(ipv4(A4, B4, 17, payload[:24], df=False, mf=True, ident=0xbeef), 0x0800))
    pk.append(eth(ipv4(A4, B4, 17, payload[24:], df=False, off=24, ident=0xbeef), 0x0800))
    # bad IPv4 header checksum
    pk.append(eth(ipv4(A4, B4, 17, udp(A4, B4, 1, 2, b""), bad_csum=True), 0x0800))
    # ARP request and reply
    arp = struct.pack("!HHBBH6s4s6s4s", 1, 0x0800, 6, 4, 1, M1, ip4a(A4), b"\0" * 6, ip4a(B4))
    pk.append(eth(arp + b"\0" * 18, 0x0806, dst=b"\xff" * 6))
    arp = struct.pack("!HHBBH6s4s6s4s", 1, 0x0800, 6, 4, 2, M2, ip4a(B4), M1, ip4a(A4))
    pk.append(eth(arp + b"\0" * 18, 0x0806, dst=M1, src=M2))
    # 802.1Q, and QinQ (802.1ad outer, 802.1Q inner)
    ip = ipv4(A4, B4, 17, udp(A4, B4, 4789, 4789, b"vlan!"))
    tag, tpid = vlan(ip, 0x0800, 100, pcp=5)
    pk.append(M2 + M1 + struct.pack("!H", tpid) + tag + ip)
    itag, itpid = vlan(ip, 0x0800, 20, pcp=1, dei=1)
    otag, otpid = vlan(b"", itpid, 300, pcp=3, tpid=0x88a8)
    pk.append(M2 + M1 + struct.pack("!H", otpid) + otag + itag + ip)
    # IPv6: TCP SYN, UDP
    pk.append(eth(ipv6(A6, B6, 6, tcp(A6, B6, 50000, 443, 77, 0, S, opts=syn_opts)), 0x86dd))
    pk.append(eth(ipv6(A6, B6, 17, udp(A6, B6, 546, 547, b"dhcp6"), tc=0xb8, flow=0x12345), 0x86dd))
    # IPv6 ext headers: HBH(router alert + PadN) -> DSTOPTS(PadN, unknown) -> Routing type 4 -> UDP
    u = udp(A6, B6, 7000, 7001, b"ext!")
    rh = struct.pack("!BBBBBBH", 17, 4, 4, 1, 1, 0, 0) + ip6a("2001:db8::a") + ip6a("2001:db8::b")
    do = struct.pack("!BB", 43, 0) + struct.pack("!BB", 0x3e, 2) + b"\xaa\xbb" + b"\x00" + b"\x00"
    hbh = struct.pack("!BB", 60, 0) + struct.pack("!BBH", 5, 2, 0) + struct.pack("!BB", 1, 0)
    pk.append(eth(ipv6(A6, B6, 0, hbh + do + rh + u), 0x86dd))
    # IPv6 fragments (first, with UDP; second) and AH before TCP
    u = udp(A6, B6, 8000, 8001, b"G" * 40)
    fh1 = struct.pack("!BBHI", 17, 0, (0 << 3) | 1, 0xdeadbeef)
    fh2 = struct.pack("!BBHI", 17, 0, 3 << 3, 0xdeadbeef)  # offset 24 bytes
    pk.append(eth(ipv6(A6, B6, 44, fh1 + u[:24]), 0x86dd))
    pk.append(eth(ipv6(A6, B6, 44, fh2 + u[24:]), 0x86dd))
    ah = struct.pack("!BBHII", 6, 4, 0, 0x1001, 5) + b"\x11" * 12
    pk.append(eth(ipv6(A6, B6, 51, ah + tcp(A6, B6, 179, 33000, 1, 1, A)), 0x86dd))
    # ICMPv6: echo, NS, NA, RS, RA, packet too big, MLD report, unknown type
    pk.append(eth(ipv6(A6, B6, 58, icmp6(A6, B6, 128, 0, struct.pack("!HH", 9, 3) + b"ping6")), 0x86dd))
    ns_dst = "ff02::1:ff00:2"
    body = b"\0\0\0\0" + ip6a(B6) + struct.pack("!BB", 1, 1) + M1
    pk.append(eth(ipv6(A6, ns_dst, 58, icmp6(A6, ns_dst, 135, 0, body), hlim=255), 0x86dd))
    body = struct.pack("!I", 0x60000000) + ip6a(B6) + struct.pack("!BB", 2, 1) + M2
    pk.append(eth(ipv6(B6, A6, 58, icmp6(B6, A6, 136, 0, body), hlim=255), 0x86dd, dst=M1, src=M2))
    rs_dst = "ff02::2"
    pk.append(eth(ipv6("fe80::1", rs_dst, 58, icmp6("fe80::1", rs_dst, 133, 0, b"\0\0\0\0" + struct.pack("!BB", 1, 1) + M1), hlim=255), 0x86dd))
    ra_dst = "ff02::1"
    ra = struct.pack("!BBHII", 64, 0xc0, 1800, 0, 0) + struct.pack("!BB", 1, 1) + M2 + \
        struct.pack("!BBH", 5, 1, 0) + struct.pack("!I", 1500) + \
        struct.pack("!BBBBIII", 3, 4, 64, 0xc0, 86400, 14400, 0) + ip6a("2001:db8:1::")
    pk.append(eth(ipv6("fe80::2", ra_dst, 58, icmp6("fe80::2", ra_dst, 134, 0, ra), hlim=255), 0x86dd, src=M2))
    inner6 = ipv6(A6, B6, 17, udp(A6, B6, 9, 9, b"big" * 10))[:48]
    pk.append(eth(ipv6(B6, A6, 58, icmp6(B6, A6, 2, 0, struct.pack("!I", 1280) + inner6)), 0x86dd))
    pk.append(eth(ipv6("fe80::1", "ff02::16", 58, icmp6("fe80::1", "ff02::16", 131, 0, struct.pack("!HH", 0, 0) + ip6a("ff02::fb")), hlim=1), 0x86dd))
    pk.append(eth(ipv6(A6, B6, 58, icmp6(A6, B6, 200, 1, b"\0\0\0\0zz")), 0x86dd))
    # non-IP: LLDP ethertype, an 802.3 length frame with LLC (STP)
    pk.append(eth(b"\x02\x07\x04" + M1 + b"\0" * 20, 0x88cc, dst=mac("01:80:c2:00:00:0e")))
    llc = b"\x42\x42\x03" + b"\0" * 35
    pk.append(mac("01:80:c2:00:00:00") + M1 + struct.pack("!H", len(llc)) + llc)
    # malformed: IHL 3; TCP data offset 3; TCP option length 0; UDP length 4
    pk.append(eth(ipv4(A4, B4, 6, b"\0" * 20, ihl=3), 0x0800))
    pk.append(eth(ipv4(A4, B4, 6, tcp(A4, B4, 1, 2, 3, 4, A, doff=3)), 0x0800))
    t = tcp(A4, B4, 1, 2, 3, 4, A, opts=b"\x02\x00\x00\x00")
    pk.append(eth(ipv4(A4, B4, 6, t), 0x0800))
    pk.append(eth(ipv4(A4, B4, 17, udp(A4, B4, 1, 2, b"abcd", ulen=4)), 0x0800))
    # Ethernet padding: a 40-byte IP datagram in a 60-byte frame
    pk.append(eth(ipv4(A4, B4, 6, tcp(A4, B4, 40000, 80, 1036, 5001, A)), 0x0800) + b"\0" * 6)
    return pk


def tcp_conversations():
    """(time offset in us, frame) for several interleaved connections."""
    out = []
    c1, s1 = ("10.1.0.1", 41000), ("10.1.0.2", 80)
    c2, s2 = ("10.1.0.1", 41001), ("10.1.0.3", 25)
    c3, s3 = ("2001:db8::10", 42000), ("2001:db8::20", 443)
    c4, s4 = ("10.1.0.5", 43000), ("10.1.0.2", 22)

    def pkt(src, dst, seq, ack, flags, data=b"", win=1000, opts=b""):
        t = tcp(src[0], dst[0], src[1], dst[1], seq, ack, flags, win=win, opts=opts, data=data)
        if ":" in src[0]:
            return eth(ipv6(src[0], dst[0], 6, t), 0x86dd)
        return eth(ipv4(src[0], dst[0], 6, t), 0x0800)

    ws = lambda n: NOP + o_ws(n)
    # conn 1: both SYNs carry wscale (client 7, server 8); FIN client then server
    out.append((0, pkt(c1, s1, 1000, 0, S, win=64240, opts=o_mss(1460) + ws(7))))
    out.append((300000, pkt(s1, c1, 5000, 1001, S | A, win=65160, opts=o_mss(1460) + ws(8))))
    out.append((300500, pkt(c1, s1, 1001, 5001, A, win=502)))
    # conn 2 starts: refused with RST-ACK by the server
    out.append((301000, pkt(c2, s2, 7000, 0, S, win=64240)))
    out.append((302000, pkt(s2, c2, 0, 7001, R | A, win=0)))
    out.append((400000, pkt(c1, s1, 1001, 5001, P | A, data=b"x" * 100, win=502)))
    out.append((700000, pkt(s1, c1, 5001, 1101, A, data=b"y" * 1400, win=250)))
    out.append((700100, pkt(s1, c1, 6401, 1101, P | A, data=b"z" * 600, win=250)))
    out.append((700200, pkt(c1, s1, 1101, 7001, A, win=501)))
    # conn 3 (IPv6): only the client's SYN offers wscale: windows stay unscaled
    out.append((800000, pkt(c3, s3, 90000, 0, S, win=64800, opts=ws(7))))
    out.append((850000, pkt(s3, c3, 123456, 90001, S | A, win=64000)))
    out.append((850100, pkt(c3, s3, 90001, 123457, A, win=600)))
    out.append((900000, pkt(c3, s3, 90001, 123457, P | A, data=b"hello", win=600)))
    out.append((950000, pkt(c3, s3, 90006, 123457, R | A, win=0)))
    # conn 1 ends
    out.append((1000000, pkt(c1, s1, 1101, 7001, F | A, win=501)))
    out.append((1290000, pkt(s1, c1, 7001, 1102, F | A, win=250)))
    out.append((1290100, pkt(c1, s1, 1102, 7002, A, win=501)))
    # conn 4: mid-stream (no handshake seen), still open; a UDP packet between
    out.append((1300000, pkt(c4, s4, 555, 777, P | A, data=b"ssh", win=300)))
    out.append((1300500, eth(ipv4("10.1.0.5", "10.1.0.9", 17, udp("10.1.0.5", "10.1.0.9", 5353, 5353, b"mdns")), 0x0800)))
    out.append((1301000, pkt(s4, c4, 777, 558, A, win=400)))
    return out


def write_pcap(path, frames, snaplen=65535, linktype=1):
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B23C4D, 2, 4, 0, 0, snaplen, linktype))
        for i, fr in enumerate(frames):
            if isinstance(fr, tuple):
                t_ns, data = BASE_NS + fr[0] * 1000, fr[1]
            else:
                t_ns, data = BASE_NS + i * 1000000 + 123, fr
            cap = data[:snaplen]
            f.write(struct.pack("<IIII", t_ns // 10**9, t_ns % 10**9, len(cap), len(data)))
            f.write(cap)


def write_pcapng(path, frames):
    def block(t, body):
        pad = (-len(body)) % 4
        ln = 12 + len(body) + pad
        return struct.pack("<II", t, ln) + body + b"\0" * pad + struct.pack("<I", ln)
    with open(path, "wb") as f:
        f.write(block(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1)))
        # if_tsresol = 9 (nanoseconds)
        opts = struct.pack("<HHB3x", 9, 1, 9) + struct.pack("<HH", 0, 0)
        f.write(block(1, struct.pack("<HHI", 1, 0, 65535) + opts))
        for i, data in enumerate(frames):
            t = BASE_NS + i * 1000000 + 123
            body = struct.pack("<IIIII", 0, t >> 32, t & 0xFFFFFFFF, len(data), len(data)) + data
            body += b"\0" * ((-len(data)) % 4)
            f.write(block(6, body))


# ---- Captures for the TCP analysis, link types, tunnels and exports ----
#
# Each has answers the tests know: the expert flags are cross-checked with
# tshark's tcp.analysis fields, and the notes below say what each packet is.

def tcp_flow(c, s, isn_c=1000, isn_s=5000):
    """A helper building frames of one connection, client c, server s."""
    def pkt(src, dst, seq, ack, flags, data=b"", win=502, opts=b""):
        t = tcp(src[0], dst[0], src[1], dst[1], seq, ack, flags, win=win, opts=opts, data=data)
        if ":" in src[0]:
            return eth(ipv6(src[0], dst[0], 6, t), 0x86dd)
        return eth(ipv4(src[0], dst[0], 6, t), 0x0800)
    return pkt


def tcp_analysis():
    """(us, frame): one connection with every expert event tshark knows.

    Frame numbers (1-based) and what tshark 4.0 calls them:
      8 previous segment not captured   9-11 duplicate ACK #1-#3 (of 7)
      12 fast retransmission            14 spurious retransmission
      16 retransmission                 17 previous segment not captured
      18 out-of-order                   20 zero window
      21 zero window probe              22 zero window probe ACK (+ zero window)
      23 window update                  24 window full
      25 keep-alive                     26 keep-alive ACK
      31 ACKed unseen segment           32 port numbers reused
      33 retransmission (of the SYN)
    Stream 2 (32-38) also carries a short exchange for --follow.
    """
    c, s = ("10.2.0.1", 50000), ("10.2.0.2", 80)
    p = tcp_flow(c, s)
    C = lambda *a, **k: p(c, s, *a, **k)
    Sv = lambda *a, **k: p(s, c, *a, **k)
    d = lambda n, ch=b"d": ch * n
    out = [
        (0, C(1000, 0, S, win=64240, opts=o_mss(1460) + NOP + o_ws(7))),      # 1
        (10000, Sv(5000, 1001, S | A, win=65160, opts=o_mss(1460) + NOP + o_ws(2))),  # 2
        (10100, C(1001, 5001, A)),                                             # 3
        (10200, C(1001, 5001, P | A, data=b"GET /big HTTP/1.1\r\nHost: x\r\n\r\n")),  # 4
        (20000, Sv(5001, 1031, A, data=d(1000, b"a"), win=1000)),              # 5
        (20010, Sv(6001, 1031, A, data=d(1000, b"b"), win=1000)),              # 6
        (20020, C(1031, 7001, A)),                                             # 7 acks 5, 6
        # 7001..8000 lost on the way
        (20030, Sv(8001, 1031, A, data=d(1000, b"D"), win=1000)),              # 8
        (20100, C(1031, 7001, A)),                                             # 9
        (20110, C(1031, 7001, A)),                                             # 10
        (20120, C(1031, 7001, A)),                                             # 11
        (20130, Sv(7001, 1031, A, data=d(1000, b"c"), win=1000)),              # 12
        (20200, C(1031, 9001, A)),                                             # 13
        (30000, Sv(8001, 1031, A, data=d(1000, b"D"), win=1000)),              # 14
        (30100, Sv(9001, 1031, P | A, data=d(1000, b"e"), win=1000)),          # 15
        (250000, Sv(9001, 1031, P | A, data=d(1000, b"e"), win=1000)),         # 16
        (260000, Sv(11001, 1031, A, data=d(1000, b"g"), win=1000)),            # 17
        (260500, Sv(10001, 1031, A, data=d(1000, b"f"), win=1000)),            # 18
        (261000, C(1031, 12001, A)),                                           # 19
        (300000, C(1031, 12001, A, win=0)),                                    # 20
        (400000, Sv(12001, 1031, A, data=b"h", win=1000)),                     # 21
        (400100, C(1031, 12001, A, win=0)),                                    # 22
        (500000, C(1031, 12001, A, win=8)),                                    # 23
        (500100, Sv(12001, 1031, A, data=d(1024, b"h"), win=1000)),            # 24
        (600000, C(1030, 13025, A, win=8)),                                    # 25
        (600100, Sv(13025, 1031, A, win=1000)),                                # 26
        (700000, C(1031, 13025, F | A, win=8)),                                # 27
        (700100, Sv(13025, 1032, F | A, win=1000)),                            # 28
        (700200, C(1032, 13026, A, win=8)),                                    # 29
    ]
    # Another connection seen mid-stream: the client acks what the capture missed.
    c2, s2 = ("10.2.0.3", 50001), ("10.2.0.2", 22)
    p2 = tcp_flow(c2, s2)
    out.append((800000, p2(s2, c2, 3000, 500, P | A, data=b"x" * 100)))       # 30
    out.append((800100, p2(c2, s2, 500, 3300, A)))                             # 31
    # The first connection's ports again, with a new ISN; then its SYN again.
    out.append((900000, C(99999, 0, S, win=64240, opts=o_mss(1460))))         # 32
    out.append((1900000, C(99999, 0, S, win=64240, opts=o_mss(1460))))        # 33
    out.append((1900500, Sv(777, 100000, S | A, win=64000, opts=o_mss(1460))))  # 34
    out.append((1900600, C(100000, 778, A, win=64000)))                        # 35
    out.append((1900700, C(100000, 778, P | A, data=b"hello\t\x00\x01\x7f\n", win=64000)))  # 36
    out.append((1900800, Sv(778, 100010, P | A, data=b"world\r\n", win=64000)))  # 37
    out.append((1900900, C(100010, 785, R | A, win=0)))                        # 38
    return out


def tcp_analysis_edges():
    """Where tshark 4.0's rules are subtle (its answers in the comments).

      4 previous segment not captured    5 retransmission (the SYN again:
      6 previous segment not captured      expected-next goes back to 101)
      7 retransmission (SYN-ACK again)   8 port numbers reused + not captured
      9 ACKed unseen segment            10 retransmission (a FIN 100 us later
     11 retransmission                     is not out-of-order: SYN/FIN count)
     12 ACKed unseen segment            13 window update   14 duplicate ACK
    """
    c, s = ("10.4.0.1", 1111), ("10.4.0.2", 80)
    p = tcp_flow(c, s)
    C = lambda *a, **k: p(c, s, *a, **k)
    Sv = lambda *a, **k: p(s, c, *a, **k)
    return [
        (0, C(100, 0, S)), (1000, Sv(900, 101, S | A)), (1100, C(101, 901, A)),
        (1200, C(200, 901, P | A, data=b"x" * 10)), (1300, C(100, 0, S)),
        (1400, C(210, 901, P | A, data=b"y" * 10)), (1500, Sv(900, 101, S | A)),
        (1600, Sv(950, 101, S | A)), (1700, Sv(951, 220, F | A)),
        (1800, Sv(951, 220, F | A)), (900000, Sv(951, 220, F | A)),
        (900100, C(220, 952, A)), (900200, C(220, 952, A, win=600)),
        (900300, C(220, 952, A, win=600)),
    ]


def link_captures():
    """One file per link type, each reaching IPv4 and IPv6 where it can."""
    a4, b4, a6, b6 = "192.0.2.10", "192.0.2.20", "2001:db8:5::1", "2001:db8:5::2"
    ip4 = ipv4(a4, b4, 6, tcp(a4, b4, 33000, 80, 1, 0, S, opts=o_mss(1460)))
    ip4u = ipv4(a4, b4, 17, udp(a4, b4, 5000, 53, b"name"))
    ip6 = ipv6(a6, b6, 17, udp(a6, b6, 5000, 53, b"name6"))
    ip6t = ipv6(a6, b6, 6, tcp(a6, b6, 33001, 443, 7, 9, P | A, data=b"tls"))
    files = {}
    # BSD loopback: host order (little-endian here, big-endian from another
    # host) and LOOP's network order; IPv6 by several systems' numbers.
    files["null.pcap"] = (0, [struct.pack("<I", 2) + ip4, struct.pack("<I", 24) + ip6,
                              struct.pack(">I", 2) + ip4u, struct.pack("<I", 30) + ip6t,
                              struct.pack("<I", 7) + b"\x81" * 20])
    files["loop.pcap"] = (108, [struct.pack(">I", 2) + ip4, struct.pack(">I", 28) + ip6,
                                struct.pack(">I", 30) + ip6t])
    lcp = struct.pack("!BBH", 1, 1, 10) + b"\x01\x04\x05\xdc\x05\x06"
    files["ppp.pcap"] = (9, [b"\xff\x03\x00\x21" + ip4, b"\xff\x03\x00\x57" + ip6,
                             b"\x21" + ip4u, b"\xff\x03\xc0\x21" + lcp,
                             b"\xff\x03\x02\x81" + struct.pack("!I", (16 << 12) | 0x100 | 64) + ip4u])

    def sll2(proto, pkttype, payload, ifindex=3):
        return struct.pack("!HHIHBB8s", proto, 0, ifindex, 1, pkttype, 6, M1 + b"\0\0") + payload
    files["sll2.pcap"] = (276, [sll2(0x0800, 0, ip4), sll2(0x86dd, 4, ip6), sll2(0x0800, 4, ip4u),
                                sll2(0x0806, 1, struct.pack("!HHBBH6s4s6s4s", 1, 0x0800, 6, 4, 1, M1,
                                                            ip4a(a4), b"\0" * 6, ip4a(b4)))])
    snap = lambda et: b"\xaa\xaa\x03\x00\x00\x00" + struct.pack("!H", et)
    AP, STA = mac("02:aa:00:00:00:01"), mac("02:bb:00:00:00:02")
    qos_tods = struct.pack("<HH", 0x0188, 44) + AP + STA + M2 + struct.pack("<H", 0x120) + b"\x05\x00"
    data_fromds = struct.pack("<HH", 0x0208, 44) + STA + AP + M1 + struct.pack("<H", 0x130)
    beacon = struct.pack("<HH", 0x0080, 0) + b"\xff" * 6 + AP + AP + struct.pack("<H", 0x140) + \
        struct.pack("<QHH", 123456, 100, 0x0431) + b"\x00\x04kcap" + b"\x01\x02\x82\x84"
    ack = struct.pack("<HH", 0x00d4, 0) + STA
    rts = struct.pack("<HH", 0x00b4, 300) + AP + STA
    prot = struct.pack("<HH", 0x4108, 44) + AP + STA + M2 + struct.pack("<H", 0x150) + \
        b"\x01\x00\x00\x20\x00\x00\x00\x00" + b"\x99" * 40
    null = struct.pack("<HH", 0x0148, 44) + AP + STA + AP + struct.pack("<H", 0x160)
    wlan = [qos_tods + snap(0x0800) + ip4, data_fromds + snap(0x86dd) + ip6, beacon, ack, rts,
            prot, null, data_fromds + snap(0x0800) + ip4u]
    files["wlan.pcap"] = (105, wlan)

    def radiotap(frame, fcs):
        # present: TSFT, flags, rate, channel, dBm signal, antenna; the
        # extended bitmap word shows the fields still start after it.
        present = 0x80000000 | (1 << 0) | (1 << 1) | (1 << 2) | (1 << 3) | (1 << 5) | (1 << 11)
        body = struct.pack("<I", 0)          # second present word
        body += b"\0" * 4                    # pad to 8 for TSFT
        body += struct.pack("<Q", 987654321) + struct.pack("<BB", 0x10 if fcs else 0, 12)
        body += struct.pack("<HH", 2437, 0x00a0) + struct.pack("<bB", -42, 1)
        hdr = struct.pack("<BBHI", 0, 0, 8 + len(body), present) + body
        if fcs:
            import zlib
            frame = frame + struct.pack("<I", zlib.crc32(frame) & 0xFFFFFFFF)
        return hdr + frame
    files["radiotap.pcap"] = (127, [radiotap(f, i % 2 == 0) for i, f in enumerate(wlan)])
    return files


def tunnel_captures():
    """Ethernet frames whose IP is inside tunnels and encapsulations."""
    o4a, o4b = "198.18.0.1", "198.18.0.2"
    i4a, i4b = "10.9.0.1", "10.9.0.2"
    i6a, i6b = "2001:db8:9::1", "2001:db8:9::2"
    itcp = ipv4(i4a, i4b, 6, tcp(i4a, i4b, 40000, 8080, 100, 200, P | A, data=b"inner"))
    iudp6 = ipv6(i6a, i6b, 17, udp(i6a, i6b, 1000, 2000, b"in6"))
    iicmp = ipv4(i4a, i4b, 1, icmp(8, 0, struct.pack("!HH", 5, 6), b"gre-ping"))
    iudp = ipv4(i4a, i4b, 17, udp(i4a, i4b, 3000, 4000, b"mpls"))
    ieth = lambda ip, et: eth(ip, et, dst=mac("02:00:00:00:0a:01"), src=mac("02:00:00:00:0a:02"))
    outer_udp = lambda sport, dport, payload: eth(ipv4(o4a, o4b, 17, udp(o4a, o4b, sport, dport, payload)), 0x0800)
    pk = []
    # VXLAN, VNI 5000, inner Ethernet/IPv4/TCP
    pk.append(outer_udp(51000, 4789, struct.pack("!BxxxI", 0x08, 5000 << 8) + ieth(itcp, 0x0800)))
    # Geneve with one option, inner Ethernet/IPv6/UDP
    gopt = struct.pack("!HBB", 0x0102, 0x80, 1) + b"\x11\x22\x33\x44"
    pk.append(outer_udp(51001, 6081, struct.pack("!BBHI", len(gopt) // 4, 0, 0x6558, 77 << 8) + gopt + ieth(iudp6, 0x86dd)))
    # GRE with checksum, key and sequence number, IPv4/ICMP inside
    body = iicmp
    g = struct.pack("!HHHHII", 0xB000, 0x0800, 0, 0, 0x01020304, 42) + body
    c = csum(g)
    g = g[:4] + struct.pack("!H", c) + g[6:]
    pk.append(eth(ipv4(o4a, o4b, 47, g), 0x0800))
    # GRE transparent Ethernet bridging, key only
    pk.append(eth(ipv4(o4a, o4b, 47, struct.pack("!HHI", 0x2000, 0x6558, 99) + ieth(itcp, 0x0800)), 0x0800))
    # Enhanced GRE (PPTP): key = payload length + call id, sequence number, PPP/IPv4
    ppp = b"\xff\x03\x00\x21" + iudp
    pk.append(eth(ipv4(o4a, o4b, 47, struct.pack("!HHHHI", 0x3001, 0x880b, len(ppp), 7, 3) + ppp), 0x0800))
    # ERSPAN type II, sequence number, mirrored Ethernet/IPv4/TCP
    er = struct.pack("!HHI", (1 << 12) | 10, 33, 5)
    pk.append(eth(ipv4(o4a, o4b, 47, struct.pack("!HHI", 0x1000, 0x88be, 8) + er + ieth(itcp, 0x0800)), 0x0800))
    # GRE over IPv6 carrying IPv6
    pk.append(eth(ipv6("2001:db8:8::1", "2001:db8:8::2", 47, struct.pack("!HH", 0, 0x86dd) + iudp6), 0x86dd))
    # MPLS: two labels then IPv4/UDP; explicit null then IPv6; a pseudowire
    mpls = lambda label, bos, ttl=64: struct.pack("!I", (label << 12) | (bos << 8) | ttl)
    pk.append(eth(mpls(1000, 0) + mpls(2000, 1) + iudp, 0x8847))
    pk.append(eth(mpls(2, 1) + iudp6, 0x8847))
    pk.append(eth(mpls(3000, 1) + b"\0\0\0\x07" + ieth(itcp, 0x0800), 0x8847))
    # MPLS in UDP (RFC 7510) and in GRE
    pk.append(outer_udp(51002, 6635, mpls(400, 1) + iudp))
    pk.append(eth(ipv4(o4a, o4b, 47, struct.pack("!HH", 0, 0x8847) + mpls(500, 1) + itcp), 0x0800))
    # 802.1ad outer tag, 802.1Q inner tag, IPv4/TCP
    pk.append(M2 + M1 + struct.pack("!HHHH", 0x88a8, (2 << 13) | 100, 0x8100, 200) + struct.pack("!H", 0x0800) + itcp)
    # MACsec, integrity only (with SCI), then encrypted; 16-byte ICVs
    sectag = struct.pack("!BBI", 0x20 | 1, 0, 77) + b"\x02\x00\x00\x00\x00\x01\x00\x01"
    pk.append(eth(sectag + struct.pack("!H", 0x0800) + iudp + b"\xcc" * 16, 0x88e5))
    pk.append(eth(struct.pack("!BBI", 0x0c, 0, 78) + b"\xee" * 40 + b"\xcc" * 16, 0x88e5))
    # IP in IP, IPv6 in IPv4, PPPoE session
    pk.append(eth(ipv4(o4a, o4b, 4, itcp), 0x0800))
    pk.append(eth(ipv4(o4a, o4b, 41, iudp6), 0x0800))
    pk.append(eth(struct.pack("!BBHHH", 0x11, 0, 0x1234, len(iudp) + 2, 0x0021) + iudp, 0x8864))
    return pk


def deep_capture():
    """VXLAN in VXLAN, 20 deep: decoded to the depth cap, then payload."""
    o4a, o4b, i4a, i4b = "198.18.0.1", "198.18.0.2", "10.9.0.1", "10.9.0.2"
    inner = eth(ipv4(i4a, i4b, 6, tcp(i4a, i4b, 40000, 8080, 100, 200, P | A, data=b"deep")), 0x0800)
    for i in range(20):
        inner = eth(ipv4(o4a, o4b, 17, udp(o4a, o4b, 51000 + i, 4789,
                                           struct.pack("!BxxxI", 0x08, i << 8) + inner)), 0x0800)
    # and GRE in GRE, IP in IP, MPLS in GRE: mixed, 30 deep
    mixed = ipv4(i4a, i4b, 17, udp(i4a, i4b, 1, 2, b"m"))
    for i in range(30):
        kind = i % 3
        if kind == 0:
            mixed = ipv4(o4a, o4b, 47, struct.pack("!HH", 0, 0x0800) + mixed)
        elif kind == 1:
            mixed = ipv4(o4a, o4b, 4, mixed)
        else:
            mixed = ipv4(o4a, o4b, 47, struct.pack("!HHI", 0, 0x8847, (7 << 12) | 0x100 | 9) + mixed)
    return [inner, eth(mixed, 0x0800)]


def big_captures():
    """Datagrams longer than their length fields can say."""
    a6, b6 = "2001:db8:7::1", "2001:db8:7::2"
    a4, b4 = "10.7.0.1", "10.7.0.2"
    t6 = tcp(a6, b6, 44000, 80, 1, 1, A, data=bytes(range(256)) * 274)  # 70144 bytes
    hbh = struct.pack("!BBBBI", 6, 0, 0xc2, 4, 8 + len(t6))
    jumbo = eth(ipv6(a6, b6, 0, hbh + t6, plen=0), 0x86dd)
    u6 = udp(a6, b6, 5000, 5001, b"u" * 70000, ulen=0)
    # the checksum covers the 32-bit length: recompute it
    u6 = u6[:6] + b"\0\0" + u6[8:]
    c = csum(pseudo(a6, b6, 17, len(u6)) + u6) or 0xFFFF
    u6 = u6[:6] + struct.pack("!H", c) + u6[8:]
    hbh = struct.pack("!BBBBI", 17, 0, 0xc2, 4, 8 + len(u6))
    ujumbo = eth(ipv6(a6, b6, 0, hbh + u6, plen=0), 0x86dd)
    tso = eth(ipv4(a4, b4, 6, tcp(a4, b4, 45000, 80, 1, 1, A, data=b"t" * 3000), tot=0), 0x0800)
    # plen 0 without a jumbo option: malformed, as tcpdump and tshark say
    nojumbo = eth(ipv6(a6, b6, 0, struct.pack("!BBBBI", 59, 0, 1, 4, 0), plen=0), 0x86dd)
    return [jumbo, ujumbo, tso, nojumbo]


def ts_captures(out):
    """Classic pcap stamps from 2038 to 2106, and sub-second fields out of range."""
    f = eth(ipv4("10.8.0.1", "10.8.0.2", 17, udp("10.8.0.1", "10.8.0.2", 1, 2, b"ts")), 0x0800)
    recs = [(0x7FFFFFFF, 999999), (0x80000000, 0), (0xF0000000, 5), (0xFFFFFFFF, 999999),
            (1700000000, 0xFFFFFFFF), (1700000000, 1000000), (1700000000, 0x80000000)]
    for magic, scale, name in ((0xA1B2C3D4, 1, "ts_usec.pcap"), (0xA1B23C4D, 1000, "ts_nsec.pcap")):
        with open(os.path.join(out, name), "wb") as w:
            w.write(struct.pack("<IHHiIII", magic, 2, 4, 0, 0, 65535, 1))
            for sec, frac in recs:
                # in range scaled to nanoseconds; one second's worth stays out of range
                if scale == 1000 and frac <= 1000000:
                    frac *= 1000
                w.write(struct.pack("<IIII", sec, frac, len(f), len(f)) + f)


def link_and_tunnel_captures(out):
    for name, (lt, frames) in link_captures().items():
        write_pcap(os.path.join(out, name), frames, linktype=lt)
    write_pcap(os.path.join(out, "tunnels.pcap"), tunnel_captures())
    write_pcap(os.path.join(out, "deep.pcap"), deep_capture())
    write_pcap(os.path.join(out, "big.pcap"), big_captures(), snaplen=262144)
    ts_captures(out)
    # tcp.pcap ending in the middle of its last record
    data = open(os.path.join(out, "tcp.pcap"), "rb").read()
    with open(os.path.join(out, "cut.pcap"), "wb") as w:
        w.write(data[:-20])


def follow_capture():
    """(us, frame, caplen or None): a stream whose reassembly has every case."""
    c, s = ("10.5.0.1", 2000), ("10.5.0.2", 21)
    p = tcp_flow(c, s)
    C = lambda *a, **k: p(c, s, *a, **k)
    Sv = lambda *a, **k: p(s, c, *a, **k)
    return [
        (0, C(500, 0, S), None),
        (10, Sv(7000, 501, S | A), None),
        (20, C(501, 7001, A), None),
        (30, C(501, 7001, P | A, data=b"USER a\r\n"), None),
        (40, Sv(7001, 509, P | A, data=b"331 ok\r\n"), None),
        (50, C(517, 7009, P | A, data=b"QUIT\r\n"), None),       # 509-516 not captured
        (60, Sv(7009, 523, A), None),                              # ... but ACKed
        (70, C(509, 7009, P | A, data=b"PASS x\r\n"), None),     # too late
        (80, Sv(7005, 523, P | A, data=b"ok\r\n221 bye\r\n"), None),  # overlaps 4 bytes
        (90, C(529, 7022, P | A, data=b"later"), None),            # out of order ...
        (100, C(523, 7022, P | A, data=b"first!"), None),          # ... then the gap filled
        (110, Sv(7022, 534, P | A, data=b"x" * 100), 54 + 30),     # captured 30 of 100
        (120, Sv(7122, 534, P | A, data=b"tail\x00\xff"), None),
        (130, C(534, 7128, F | A), None),
        (140, Sv(7128, 535, F | A), None),
        (150, C(535, 7129, A), None),
    ]


def write_pcap_caplen(path, recs):
    """Records with their own capture length (a snaplen per packet)."""
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B23C4D, 2, 4, 0, 0, 65535, 1))
        for us, data, cap in recs:
            t_ns = BASE_NS + us * 1000
            d = data[:cap] if cap else data
            f.write(struct.pack("<IIII", t_ns // 10**9, t_ns % 10**9, len(d), len(data)) + d)


def compare_captures(out):
    """The same traffic seen at a SPAN port (A, Ethernet) and on the server
    (B, Linux cooked v2, three hops later: TTL - 3). Client to server
    packets reach B 2 ms (+10 us each) after A; the server's reach A 1.5 ms
    after B. Two client packets are lost between A and B, one server packet
    between B and A. Writes compare_expect.json with the answers."""
    import json
    cl, sv, dns = "10.6.0.1", "10.6.0.2", "10.6.0.53"
    c6, s6 = "2001:db8:6::1", "2001:db8:6::2"
    ev = []     # (time in A's clock us, direction, ip packet bytes, lost)

    def t4(src, dst, sp, dp, seq, ack, fl, data=b"", ident=0, ttl=64):
        return ipv4(src, dst, 6, tcp(src, dst, sp, dp, seq, ack, fl, data=data), ident=ident, ttl=ttl)
    seqc, seqs = 1000, 9000
    conv = [("c", S, b""), ("s", S | A, b""), ("c", A, b""), ("c", P | A, b"GET / HTTP/1.0\r\n\r\n")]
    for i in range(8):
        conv.append(("s", A, bytes([65 + i]) * 1000))
    conv += [("c", A, b""), ("c", F | A, b""), ("s", F | A, b""), ("c", A, b"")]
    t = 0
    for i, (who, fl, data) in enumerate(conv):
        t += 700
        if who == "c":
            pkt = lambda ttl, ident=0x100 + i, fl=fl, data=data, sc=seqc, ss=seqs: t4(
                cl, sv, 40000, 80, sc, ss if fl & A else 0, fl, data, ident, ttl)
            seqc += len(data) + (1 if fl & (S | F) else 0)
        else:
            pkt = lambda ttl, ident=0x900 + i, fl=fl, data=data, sc=seqc, ss=seqs: t4(
                sv, cl, 80, 40000, ss, sc, fl, data, ident, ttl)
            seqs += len(data) + (1 if fl & (S | F) else 0)
        ev.append((t, who, pkt))
    for i in range(6):      # DNS queries and answers
        t += 300
        q = b"\x12" + bytes([i]) + b"\x01\x00\x00\x01" + b"q%d" % i
        ev.append((t, "c", lambda ttl, q=q, i=i: ipv4(cl, dns, 17, udp(cl, dns, 5300 + i, 53, q), ident=0x200 + i, ttl=ttl)))
    for i in range(4):      # IPv6 UDP, the last two packets alike in every byte
        t += 500
        body = b"same" if i >= 2 else b"v6-%d" % i
        ev.append((t, "c", lambda ttl, body=body: ipv6(c6, s6, 17, udp(c6, s6, 7000, 7001, body), hlim=ttl)))
    lost_in_b = {5, 20}     # client packets dropped between A and B (indexes)
    lost_in_a = {9}         # a server packet dropped between B and A
    a, b, expect = [], [], {"a_frames": [], "matched": [], "only_a": [], "only_b": []}
    for i, (ta, who, pkt) in enumerate(ev):
        tb = ta + 2000 + 10 * i if who == "c" else ta - 1500
        if i not in lost_in_a:
            a.append((ta, eth(pkt(64 if who == "c" else 61), 0x0800 if pkt(1)[0] >> 4 == 4 else 0x86dd)))
        if i not in lost_in_b:
            ip = pkt(61 if who == "c" else 64)
            b.append((tb, struct.pack("!HHIHBB8s", 0x0800 if ip[0] >> 4 == 4 else 0x86dd, 0, 2, 1,
                                      4 if who == "s" else 0, 6, M1 + b"\0\0") + ip))
        expect["a_frames"].append(None if i in lost_in_a else len(a))
    b.sort(key=lambda x: x[0])
    # B's frame numbers, in B's time order
    order_b = sorted([i for i in range(len(ev)) if i not in lost_in_b],
                     key=lambda i: (ev[i][0] + 2000 + 10 * i) if ev[i][1] == "c" else ev[i][0] - 1500)
    bno = {i: n + 1 for n, i in enumerate(order_b)}
    delays = []
    for i, (ta, who, _) in enumerate(ev):
        if i in lost_in_a:
            expect["only_b"].append(bno[i])
        elif i in lost_in_b:
            expect["only_a"].append(expect["a_frames"][i])
        else:
            d = (2000 + 10 * i) if who == "c" else -1500
            expect["matched"].append([expect["a_frames"][i], bno[i], d * 1000])
            delays.append(d * 1000)
    expect["only_b"].sort()
    for p, recs, lt in (("compare_a.pcap", a, 1), ("compare_b.pcap", b, 276)):
        write_pcap(os.path.join(out, p), recs, linktype=lt)
    expect["delays_ns"] = sorted(delays)
    with open(os.path.join(out, "compare_expect.json"), "w") as f:
        json.dump(expect, f)


def tcp_random(seed=16, conns=24):
    """Connections with random losses, reorderings, duplicates, window
    changes and keep-alives, interleaved: no known answers, only tshark's,
    on every packet."""
    import random
    rnd = random.Random(seed)
    events = []
    for k in range(conns):
        c = ("10.20.%d.1" % k, 30000 + k)
        s = ("10.20.%d.2" % k, 8000 + k % 3)
        p = tcp_flow(c, s)
        t = rnd.randrange(0, 2000000)
        ws_c, ws_s = (rnd.choice([None, 2, 7]), rnd.choice([None, 0, 3]))
        opt = lambda ws: (o_mss(1460) + NOP + o_ws(ws)) if ws is not None else o_mss(1460)
        cs, ss = rnd.randrange(1, 2**32), rnd.randrange(1, 2**32)
        rtt = rnd.choice([200, 1000, 5000, 30000])
        seq = lambda x: x & 0xFFFFFFFF
        out = []
        out.append((t, p(c, s, cs, 0, S, win=64240, opts=opt(ws_c))))
        t += rtt
        out.append((t, p(s, c, ss, seq(cs + 1), S | A, win=65160, opts=opt(ws_s))))
        t += rtt // 10 + 1
        cs, ss = seq(cs + 1), seq(ss + 1)
        out.append((t, p(c, s, cs, ss, A, win=502)))
        rcv = ss           # what the client has, contiguously
        win = 502
        sent = []
        for i in range(rnd.randrange(10, 40)):
            t += rnd.randrange(1, 3000)
            ln = rnd.choice([1, 100, 536, 1000, 1448])
            seg = (ss, ln)
            ss = seq(ss + ln)
            r = rnd.random()
            if r < 0.1:
                sent.append(seg)                       # lost: sent later
                continue
            if r < 0.15 and sent:
                out.append((t, p(s, c, seg[0], cs, A, data=b"r" * seg[1], win=1000)))
                t += rnd.randrange(1, 100)
                old_seg = sent.pop(0)
                out.append((t, p(s, c, old_seg[0], cs, A, data=b"o" * old_seg[1], win=1000)))
            else:
                out.append((t, p(s, c, seg[0], cs, P | A if r > 0.9 else A, data=b"d" * ln, win=1000)))
            if rnd.random() < 0.05:
                out.append((t + 5, p(s, c, seg[0], cs, A, data=b"d" * ln, win=1000)))   # duplicate
            # the client ACKs what it has (from its view, approximately)
            if rnd.random() < 0.7:
                t += rnd.randrange(1, rtt)
                if not sent:
                    rcv = ss
                w = rnd.choice([win, win, win, 0, 8, 600]) if rnd.random() < 0.2 else win
                win = w
                n = 1 + (rnd.random() < 0.2) * rnd.randrange(1, 4)
                for _ in range(n):
                    out.append((t, p(c, s, cs, rcv, A, win=win)))
                    t += rnd.randrange(1, 50)
            if rnd.random() < 0.04:
                t += 100000
                out.append((t, p(c, s, seq(cs - 1), rcv, A, win=win)))   # keep-alive
                t += rtt
                out.append((t, p(s, c, ss, cs, A, win=1000)))
            if rnd.random() < 0.05:
                t += rnd.randrange(1, 200)
                out.append((t, p(c, s, cs, rcv, P | A, data=b"c" * rnd.choice([1, 20]), win=win)))
                cs = seq(cs + 20) if out[-1][1][-1:] == b"c" and len(out[-1][1]) > 60 else seq(cs + 1)
        for seg in sent:
            t += rtt * 3
            out.append((t, p(s, c, seg[0], cs, A, data=b"l" * seg[1], win=1000)))
        t += rtt
        out.append((t, p(c, s, cs, ss, F | A, win=win)))
        out.append((t + rtt, p(s, c, ss, seq(cs + 1), F | A, win=1000)))
        out.append((t + rtt + 10, p(c, s, seq(cs + 1), seq(ss + 1), A, win=win)))
        events += out
    events.sort(key=lambda x: x[0])
    return events


def issue16_captures(out):
    write_pcap(os.path.join(out, "analysis.pcap"), tcp_analysis())
    write_pcap(os.path.join(out, "analysis_edges.pcap"), tcp_analysis_edges())
    link_and_tunnel_captures(out)
    write_pcap_caplen(os.path.join(out, "follow.pcap"), follow_capture())
    compare_captures(out)
    write_pcap(os.path.join(out, "analysis_random.pcap"), tcp_random())


SNAPLENS = (14, 34, 54, 64, 96)


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    pk = protocols()
    write_pcap(os.path.join(out, "protocols.pcap"), pk)
    for s in SNAPLENS:
        write_pcap(os.path.join(out, "protocols_s%d.pcap" % s), pk, snaplen=s)
    write_pcap(os.path.join(out, "tcp.pcap"), tcp_conversations())
    ip_only = [p[14:] for p in pk if p[12:14] in (b"\x08\x00", b"\x86\xdd")][:12]
    write_pcap(os.path.join(out, "raw.pcap"), ip_only, linktype=101)
    sll = []
    for i, p in enumerate(ip_only):
        et = 0x0800 if p[0] >> 4 == 4 else 0x86DD
        sll.append(struct.pack("!HHH8sH", 4 if i % 2 else 0, 1, 6, M1 + b"\0\0", et) + p)
    write_pcap(os.path.join(out, "sll.pcap"), sll, linktype=113)
    write_pcapng(os.path.join(out, "protocols.pcapng"), pk[:6])
    issue16_captures(out)


if __name__ == "__main__":
    main()

