# SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
"""A captured packet and its decoded layers.

Decoding is minimal and careful: Ethernet (and one 802.1Q tag), IPv4,
IPv6 (past its common extension headers), TCP, UDP, ICMP and ICMPv6, each
only when the captured bytes hold the whole header; what follows the last
header decoded is the payload. For everything else, .scapy() hands the
bytes to scapy (Debian's python3-scapy).
"""
import socket
import struct

from . import _lib

ICMP_TYPES = {0: "echo-reply", 3: "dest-unreach", 5: "redirect", 8: "echo-request",
              11: "time-exceeded"}
ICMP6_TYPES = {1: "dest-unreach", 128: "echo-request", 129: "echo-reply",
               133: "router-solicit", 134: "router-advert",
               135: "neighbor-solicit", 136: "neighbor-advert"}
TCP_FLAGS = "FSRPAUEC"


class Layer:
    """One protocol header: its name and its fields, as attributes."""

    def __init__(self, name, **fields):
        self.name = name
        self.fields = fields
        self.__dict__.update(fields)

    def __repr__(self):
        return "<%s %s>" % (self.name, " ".join("%s=%r" % kv for kv in self.fields.items()))


def _mac(b):
    return ":".join("%02x" % x for x in b)


def _tcp_flags(v):
    return "".join(c for i, c in enumerate(TCP_FLAGS) if v & (1 << i))


class Packet:
    """A packet from a capture or a file.

    ts (float seconds) and ts_ns (int nanoseconds, CLOCK_REALTIME), data
    (the captured bytes), caplen, wirelen, ifname and ifindex (None from a
    file), linktype (libpcap's DLT_*), direction ('in', 'out' or None),
    number (from 1), and the layers: eth, ip, ip6, tcp, udp, icmp, icmp6
    (None when absent), layers (their names in order) and payload.
    """

    def __init__(self, data, ts_ns, wirelen=None, ifname=None, ifindex=None,
                 linktype=_lib.KCAP_DLT_EN10MB, flags=0, number=0):
        self.data = bytes(data)
        self.ts_ns = ts_ns
        self.ts = ts_ns / 1e9
        self.caplen = len(self.data)
        self.wirelen = wirelen if wirelen is not None else self.caplen
        self.ifname = ifname
        self.ifindex = ifindex
        self.linktype = linktype
        self.flags = flags
        self.number = number
        self.direction = ("in" if flags & _lib.KCAP_PACKET_INBOUND else
                          "out" if flags & _lib.KCAP_PACKET_OUTBOUND else None)
        self.truncated = bool(flags & _lib.KCAP_PACKET_TRUNCATED) or self.caplen < self.wirelen
        self.eth = self.ip = self.ip6 = self.tcp = self.udp = None
        self.icmp = self.icmp6 = None
        self.layers = []
        self.payload = b""
        self._decode()

    @classmethod
    def _from_c(cls, cp):
        import ctypes
        c = cp.contents
        data = ctypes.string_at(c.data, c.caplen) if c.caplen else b""
        return cls(data, c.ts_ns, c.wirelen,
                   c.ifname.decode() if c.ifname else None,
                   c.ifindex or None, c.linktype, c.flags, c.number)

    # -- decoding ------------------------------------------------------
    def _add(self, layer):
        setattr(self, layer.name, layer)
        self.layers.append(layer.name)

    def _decode(self):
        d = self.data
        off = 0
        if self.linktype == _lib.KCAP_DLT_EN10MB:
            if len(d) < 14:
                self.payload = d
                return
            etype = struct.unpack_from("!H", d, 12)[0]
            vlan = None
            off = 14
            if etype in (0x8100, 0x88a8) and len(d) >= 18:
                vlan = struct.unpack_from("!H", d, 14)[0] & 0xfff
                etype = struct.unpack_from("!H", d, 16)[0]
                off = 18
            self._add(Layer("eth", dst=_mac(d[0:6]), src=_mac(d[6:12]), type=etype,
                            vlan=vlan))
        elif self.linktype == _lib.KCAP_DLT_RAW:
            etype = 0x0800 if d and d[0] >> 4 == 4 else 0x86dd if d and d[0] >> 4 == 6 else 0
        else:
            self.payload = d
            return
        proto = None
        if etype == 0x0800:
            off, proto = self._ip(d, off)
        elif etype == 0x86dd:
            off, proto = self._ip6(d, off)
        if proto == 6:
            off = self._tcp(d, off)
        elif proto == 17:
            off = self._udp(d, off)
        elif proto == 1:
            off = self._icmp(d, off, "icmp")
        elif proto == 58:
            off = self._icmp(d, off, "icmp6")
        self.payload = d[off:]

    def _ip(self, d, off):
        if len(d) < off + 20 or d[off] >> 4 != 4:
            return off, None
        ihl = (d[off] & 0xf) * 4
        if ihl < 20 or len(d) < off + ihl:
            return off, None
        (vi, tos, tlen, ident, frag, ttl, proto, csum, src, dst) = struct.unpack_from(
            "!BBHHHBBH4s4s", d, off)
        self._add(Layer("ip", version=4, ihl=ihl, tos=tos, len=tlen, id=ident,
                        df=bool(frag & 0x4000), mf=bool(frag & 0x2000),
                        frag=frag & 0x1fff, ttl=ttl, proto=proto, checksum=csum,
                        src=socket.inet_ntop(socket.AF_INET, src),
                        dst=socket.inet_ntop(socket.AF_INET, dst),
                        options=bytes(d[off + 20:off + ihl])))
        # Only a first fragment has the transport header.
        return off + ihl, proto if not frag & 0x1fff else None

    def _ip6(self, d, off):
        if len(d) < off + 40 or d[off] >> 4 != 6:
            return off, None
        vtf, plen, nh, hlim = struct.unpack_from("!IHBB", d, off)
        self._add(Layer("ip6", version=6, tc=(vtf >> 20) & 0xff, flow=vtf & 0xfffff,
                        plen=plen, nh=nh, hlim=hlim,
                        src=socket.inet_ntop(socket.AF_INET6, d[off + 8:off + 24]),
                        dst=socket.inet_ntop(socket.AF_INET6, d[off + 24:off + 40])))
        off += 40
        # Hop-by-hop, routing, destination options; a fragment header.
        while nh in (0, 43, 60, 44):
            if len(d) < off + 8:
                return off, None
            if nh == 44:
                if struct.unpack_from("!H", d, off + 2)[0] & 0xfff8:
                    return off + 8, None	# not the first fragment
                nh, off = d[off], off + 8
            else:
                nh, off = d[off], off + (d[off + 1] + 1) * 8
        return off, nh

    def _tcp(self, d, off):
        if len(d) < off + 20:
            return off
        sport, dport, seq, ack, do, flags, win, csum, urg = struct.unpack_from(
            "!HHIIBBHHH", d, off)
        hl = (do >> 4) * 4
        if hl < 20 or len(d) < off + hl:
            return off
        self._add(Layer("tcp", sport=sport, dport=dport, seq=seq, ack=ack, dataofs=hl,
                        flags=_tcp_flags(flags), flags_value=flags, window=win,
                        checksum=csum, urgptr=urg, options=bytes(d[off + 20:off + hl])))
        return off + hl

    def _udp(self, d, off):
        if len(d) < off + 8:
            return off
        sport, dport, ulen, csum = struct.unpack_from("!HHHH", d, off)
        self._add(Layer("udp", sport=sport, dport=dport, len=ulen, checksum=csum))
        return off + 8

    def _icmp(self, d, off, name):
        if len(d) < off + 8:
            return off
        t, code, csum, ident, seq = struct.unpack_from("!BBHHH", d, off)
        names = ICMP_TYPES if name == "icmp" else ICMP6_TYPES
        echo = (t in (0, 8)) if name == "icmp" else (t in (128, 129))
        self._add(Layer(name, type=t, code=code, checksum=csum,
                        type_name=names.get(t, str(t)),
                        id=ident if echo else None, seq=seq if echo else None))
        return off + 8

    # -- use -------------------------------------------------------------
    def haslayer(self, name):
        return getattr(self, name, None) is not None and name in self.layers

    def __getitem__(self, name):
        if not self.haslayer(name):
            raise KeyError("packet %d has no %s layer (it has: %s)" %
                           (self.number, name, ", ".join(self.layers) or "none"))
        return getattr(self, name)

    def __len__(self):
        return self.wirelen

    def summary(self):
        """One line, in tcpdump's manner."""
        parts = []
        net = self.ip or self.ip6
        if self.tcp:
            parts.append("%s.%d > %s.%d: TCP [%s] seq %d ack %d win %d" % (
                net.src, self.tcp.sport, net.dst, self.tcp.dport, self.tcp.flags,
                self.tcp.seq, self.tcp.ack, self.tcp.window))
        elif self.udp:
            parts.append("%s.%d > %s.%d: UDP, length %d" % (
                net.src, self.udp.sport, net.dst, self.udp.dport, len(self.payload)))
        elif self.icmp or self.icmp6:
            ic = self.icmp or self.icmp6
            s = "%s > %s: %s %s" % (net.src, net.dst, "ICMP" if self.icmp else "ICMP6",
                                    ic.type_name)
            if ic.id is not None:
                s += ", id %d, seq %d" % (ic.id, ic.seq)
            parts.append(s)
        elif net:
            parts.append("%s > %s: proto %d" % (net.src, net.dst,
                                                 net.proto if self.ip else net.nh))
        elif self.eth:
            parts.append("%s > %s, ethertype 0x%04x" % (self.eth.src, self.eth.dst,
                                                          self.eth.type))
        else:
            parts.append("%d bytes" % self.caplen)
        return "%.6f %s%s, length %d" % (self.ts, "IP6 " if self.ip6 else "IP " if self.ip else "",
                                         parts[0], self.wirelen)

    def show(self):
        """Every layer and field, as UMPA prints a packet."""
        lines = ["Packet %d contains %d protocols" % (self.number, len(self.layers) +
                                                     (1 if self.payload else 0))]
        for name in self.layers:
            layer = getattr(self, name)
            lines.append("+-< %s >" % name)
            for k, v in layer.fields.items():
                lines.append("|  %-10s : %s" % (k, v))
        if self.payload:
            lines.append("+-< payload >")
            lines.append("|  %-10s : %r" % ("data", self.payload[:64]))
        return "\n".join(lines)

    def __str__(self):
        return self.summary()

    def __repr__(self):
        return "<kcap.Packet %s>" % self.summary()

    def scapy(self):
        """The packet as a scapy packet (Ether, or IP/IPv6 for a raw link)."""
        try:
            from scapy.layers.l2 import Ether
            from scapy.layers.inet import IP
            from scapy.layers.inet6 import IPv6
        except ImportError as e:
            raise ImportError("kcap: Packet.scapy() needs scapy (apt-get install "
                              "python3-scapy): %s" % e)
        if self.linktype == _lib.KCAP_DLT_RAW:
            p = IP(self.data) if self.data[:1] and self.data[0] >> 4 == 4 else IPv6(self.data)
        else:
            p = Ether(self.data)
        p.time = self.ts
        return p
