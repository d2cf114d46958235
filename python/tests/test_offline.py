# SPDX-License-Identifier: GPL-2.0
"""kcap's files and decoders, on the host as in the VM: pcaps made here,
read back through libkcap.so (kcap_open_offline), and their layers
against scapy's decoding of the same bytes."""
import socket
import struct

import pytest

import kcap
from kcap.packet import Packet


def eth(payload, etype=0x0800, vlan=None):
    h = bytes.fromhex("020000000001") + bytes.fromhex("020000000002")
    if vlan is not None:
        h += struct.pack("!HH", 0x8100, vlan)
    return h + struct.pack("!H", etype) + payload


def ipv4(proto, payload, src="10.0.0.1", dst="10.0.0.2", ident=1, frag=0x4000):
    h = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), ident, frag, 64,
                    proto, 0, socket.inet_aton(src), socket.inet_aton(dst))
    s = sum(struct.unpack("!10H", h))
    s = (s & 0xffff) + (s >> 16)
    return h[:10] + struct.pack("!H", ~s & 0xffff) + h[12:] + payload


def ipv6(nh, payload, src="fd00::1", dst="fd00::2"):
    return (struct.pack("!IHBB", 6 << 28, len(payload), nh, 64) +
            socket.inet_pton(socket.AF_INET6, src) +
            socket.inet_pton(socket.AF_INET6, dst) + payload)


def tcp(sport, dport, seq, ack, flags, win=512, data=b""):
    return struct.pack("!HHIIBBHHH", sport, dport, seq, ack, 5 << 4, flags, win, 0, 0) + data


def udp(sport, dport, data):
    return struct.pack("!HHHH", sport, dport, 8 + len(data), 0) + data


def icmp_echo(t, ident, seq, data=b"ping"):
    return struct.pack("!BBHHH", t, 0, 0, ident, seq) + data


FRAMES = [
    eth(ipv4(6, tcp(40551, 80, 1000, 0, 0x02))),
    eth(ipv4(6, tcp(80, 40551, 5000, 1001, 0x12), "10.0.0.2", "10.0.0.1")),
    eth(ipv4(6, tcp(40551, 80, 1001, 5001, 0x10))),
    eth(ipv4(6, tcp(40551, 80, 1001, 5001, 0x18, data=b"this is\n"))),
    eth(ipv4(6, tcp(80, 40551, 5001, 1009, 0x10, win=513), "10.0.0.2", "10.0.0.1")),
    eth(ipv4(17, udp(5353, 53, b"query"))),
    eth(ipv4(1, icmp_echo(8, 7, 1))),
    eth(ipv4(1, icmp_echo(0, 7, 1))),
    eth(ipv6(17, udp(1000, 2000, b"six")), 0x86dd),
    eth(ipv6(58, icmp_echo(128, 9, 3)), 0x86dd),
    eth(ipv4(17, udp(1, 2, b"tagged")), vlan=42),
    eth(ipv4(17, b"\x00" * 8, ident=2, frag=0x0010)),  # a later fragment
]


def write_pcap(path, frames, snaplen=65535, t0=1249423424.454845):
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, snaplen, 1))
        for i, fr in enumerate(frames):
            ts = t0 + i * 0.25
            cap = fr[:snaplen]
            f.write(struct.pack("<IIII", int(ts), round((ts % 1) * 1e6), len(cap), len(fr)))
            f.write(cap)


@pytest.fixture
def pcap(tmp_path):
    p = tmp_path / "a.pcap"
    write_pcap(p, FRAMES)
    return str(p)


def test_from_file_reads_every_packet(pcap):
    pkts = kcap.from_file(pcap)
    assert [p.data for p in pkts] == FRAMES
    assert [p.number for p in pkts] == list(range(1, len(FRAMES) + 1))
    assert pkts[1].ts - pkts[0].ts == pytest.approx(0.25, abs=1e-6)
    assert all(p.ifname is None for p in pkts)


def test_from_file_count_and_filter(pcap):
    assert len(kcap.from_file(pcap, 3)) == 3
    assert [p.tcp.flags for p in kcap.from_file(pcap, filter="tcp port 80")] == \
        ["S", "SA", "A", "PA", "A"]
    assert len(kcap.from_file(pcap, 0, "ip6")) == 2
    assert len(kcap.from_file(pcap, 1, "ip6")) == 1


def test_from_file_loop_callback_args(pcap):
    seen = []
    n = kcap.from_file_loop(pcap, 0, "udp", lambda ts, p, a, b: seen.append((ts, p, a, b)),
                            "x", 2)
    # IPv4 and IPv6 UDP, and the later fragment; the tagged one needs "vlan".
    assert n == len(seen) == 3
    assert all(a == "x" and b == 2 and ts == p.ts for ts, p, a, b in seen)


def test_layers(pcap):
    p = kcap.from_file(pcap)
    assert p[0].layers == ["eth", "ip", "tcp"]
    assert (p[0].ip.src, p[0].ip.dst, p[0].tcp.sport, p[0].tcp.dport) == \
        ("10.0.0.1", "10.0.0.2", 40551, 80)
    assert (p[1].ip.src, p[1].tcp.sport) == ("10.0.0.2", 80)
    assert p[3].payload == b"this is\n" and p[3].tcp.flags == "PA"
    assert p[5].udp.dport == 53 and p[5].payload == b"query"
    assert (p[6].icmp.type_name, p[6].icmp.id, p[6].icmp.seq) == ("echo-request", 7, 1)
    assert p[8].ip6.src == "fd00::1" and p[8].udp.sport == 1000 and p[8].payload == b"six"
    assert p[9].icmp6.type_name == "echo-request"
    assert p[10].eth.vlan == 42 and p[10].udp.dport == 2
    assert p[11].ip.frag == 16 and p[11].udp is None  # no UDP header in a later fragment
    with pytest.raises(KeyError, match="no tcp layer"):
        p[5]["tcp"]
    assert "ICMP echo-request, id 7, seq 1" in str(p[6])
    assert "40551 > 10.0.0.2.80: TCP [S]" in str(p[0])


def test_every_truncation_decodes_without_error():
    for fr in FRAMES:
        for n in range(len(fr) + 1):
            p = Packet(fr[:n], 0, len(fr))
            assert p.truncated == (n < len(fr))
            # What was decoded lies inside what was captured.
            assert len(p.payload) <= n


def test_snaplen_truncated_file(tmp_path):
    path = tmp_path / "short.pcap"
    write_pcap(path, FRAMES, snaplen=54)
    pkts = kcap.from_file(str(path))
    assert all(p.caplen <= 54 and p.wirelen == len(f) for p, f in zip(pkts, FRAMES))
    assert pkts[3].truncated and pkts[3].tcp is not None and pkts[3].payload == b""


def test_against_scapy(pcap):
    scapy = pytest.importorskip("scapy.all")
    for p in kcap.from_file(pcap):
        s = p.scapy()
        assert bytes(s) == p.data
        if p.ip:
            assert (s[scapy.IP].src, s[scapy.IP].ttl, s[scapy.IP].id) == \
                (p.ip.src, p.ip.ttl, p.ip.id)
        if p.tcp:
            t = s[scapy.TCP]
            assert (t.sport, t.dport, t.seq, t.ack, t.window, str(t.flags)) == \
                (p.tcp.sport, p.tcp.dport, p.tcp.seq, p.tcp.ack, p.tcp.window, p.tcp.flags)
        if p.udp:
            assert s[scapy.UDP].dport == p.udp.dport
        if p.ip6:
            assert s[scapy.IPv6].dst == p.ip6.dst


def test_tcp_conversation(pcap):
    rows = kcap.tcp_conversation(kcap.from_file(pcap))
    assert [(r["dir"], r["seq"], r["ack"], r["flags"], r["window"], r["len"]) for r in rows] == [
        (">", 0, 0, "S", 512, 0),
        ("<", 0, 1, "SA", 512, 0),
        (">", 1, 1, "A", 512, 0),
        (">", 1, 1, "PA", 512, 8),
        ("<", 1, 9, "A", 513, 0),
    ]
    assert rows[4]["time"] == pytest.approx(1.0, abs=1e-6)


def test_bad_arguments(pcap, tmp_path):
    with pytest.raises(ValueError, match="from_file: count -1"):
        kcap.from_file(pcap, -1)
    with pytest.raises(kcap.KcapError, match="filter 'udp prot 5'"):
        kcap.from_file(pcap, 0, "udp prot 5")
    with pytest.raises(kcap.KcapError, match="No such file"):
        kcap.from_file(str(tmp_path / "none.pcap"))
    with pytest.raises(ValueError, match="callback"):
        kcap.from_file_loop(pcap, 0, None, None)
    with pytest.raises(ValueError, match="sniff: count 'x'"):
        kcap.sniff("x")
    with pytest.raises(ValueError, match="timeout -5"):
        kcap.sniff(1, timeout=-5)
    with pytest.raises(ValueError, match="count 0 needs a timeout"):
        kcap.sniff(0)
    with pytest.raises(ValueError, match="snaplen"):
        kcap.sniff(1, snaplen=-1)
    (tmp_path / "junk").write_bytes(b"not a pcap at all")
    with pytest.raises(kcap.KcapError, match="from_file"):
        kcap.from_file(str(tmp_path / "junk"))
