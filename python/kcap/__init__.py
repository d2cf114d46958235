# SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
"""kcap from Python: UMPA's sniffing functions over libkcap.so.

    import kcap
    pkts = kcap.sniff(4, filter="icmp", device="lo")
    for p in pkts:
        print(p.ts, p.ip.src, p.icmp.type_name)

sniff(), sniff_next(), sniff_any() and sniff_loop() capture live, in a
private kcap session that goes away with the capture; to_file() saves;
from_file() and from_file_loop() read pcap and pcapng files back. The
filter is pcap-filter(7), compiled by libpcap and run by the kernel.
Packets are kcap.Packet: decoded layers (eth, ip, ip6, tcp, udp, icmp,
icmp6), and .scapy() on request. Capturing needs /dev/kcap (kcap.ko
loaded) and CAP_NET_RAW; reading files needs neither.

Times: timeout is in milliseconds, as in UMPA and libpcap; 0 means none.

kcap.traffic has the traffic package's Stream, StandardProfile,
ContinuousProfile, BurstProfile, ContinuousSportRange, Sender and
Receiver, over kcapgen.
"""
import ctypes
import os
import time

from . import _lib
from .packet import Layer, Packet

__all__ = ["sniff", "sniff_next", "sniff_any", "sniff_loop", "to_file",
           "from_file", "from_file_loop", "Capture", "Packet", "Layer",
           "KcapError", "tcp_conversation"]
__version__ = "0.1.0"

# The longest a call into the library waits, so that Ctrl-C is seen.
_SLICE_MS = 100


class KcapError(OSError):
    """A libkcap call failed; the message is libkcap's one line."""


def _check_count(fn, count):
    if isinstance(count, bool) or not isinstance(count, int) or count < 0:
        raise ValueError("%s: count %r: must be an int, 0 or more" % (fn, count))


def _check_timeout(fn, timeout):
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or timeout < 0:
        raise ValueError("%s: timeout %r: must be milliseconds, 0 (none) or more" %
                         (fn, timeout))


def _check_str(fn, what, v, optional=True):
    if v is None and optional:
        return
    if not isinstance(v, (str, os.PathLike)) or not str(v):
        raise ValueError("%s: %s %r: must be a non-empty string" % (fn, what, v))


def _check_callback(fn, callback):
    if not callable(callback):
        raise ValueError("%s: callback %r: must be callable" % (fn, callback))


class Capture:
    """A live capture (kcap_open_live) or a file (kcap_open_offline).

    Iterating yields Packets; next_packet(timeout_ms) returns one or None.
    A context manager; close() ends the capture and its private session.
    """

    def __init__(self, device=None, filter=None, snaplen=0, promisc=False,
                 file=None, dump=None, _fn="Capture"):
        _check_str(_fn, "device", device)
        _check_str(_fn, "filter", filter) if filter else None
        _check_str(_fn, "dump", dump)
        if isinstance(snaplen, bool) or not isinstance(snaplen, int) or not 0 <= snaplen <= 262144:
            raise ValueError("%s: snaplen %r: must be 0 (whole packets) to 262144" %
                             (_fn, snaplen))
        lib = _lib.lib()
        self._lib = lib
        self._k = None
        self._d = None
        err = _lib.errbuf()
        if file is not None:
            _check_str(_fn, "filename", file, optional=False)
            self._k = lib.kcap_open_offline(os.fsencode(file), err)
        else:
            self._k = lib.kcap_open_live((device or "any").encode(), snaplen,
                                         1 if promisc else 0, 0, err)
        if not self._k:
            raise KcapError("%s: %s" % (_fn, err.value.decode(errors="replace")))
        try:
            if filter:
                self._call(lib.kcap_setfilter(self._k, filter.encode()), _fn)
            if dump is not None:
                self._d = lib.kcap_dump_open(self._k, os.fsencode(dump))
                if not self._d:
                    self._fail(_fn)
        except BaseException:
            self.close()
            raise
        self._pp = ctypes.POINTER(_lib.CPacket)()
        self.offline = file is not None

    def _fail(self, fn):
        raise KcapError("%s: %s" % (fn, self._lib.kcap_geterr(self._k).decode(errors="replace")))

    def _call(self, ret, fn):
        if ret < 0:
            self._fail(fn)
        return ret

    @property
    def session(self):
        return self._lib.kcap_session_name(self._k).decode()

    @property
    def datalink(self):
        return self._lib.kcap_datalink(self._k)

    def next_packet(self, timeout_ms=None):
        """The next packet; None when timeout_ms (None: no limit) passed
        or, on a file, at its end."""
        deadline = None if timeout_ms is None else time.monotonic() + timeout_ms / 1000
        while True:
            wait = _SLICE_MS
            if deadline is not None:
                left = (deadline - time.monotonic()) * 1000
                wait = max(0, min(_SLICE_MS, int(left)))
            ret = self._lib.kcap_next(self._k, ctypes.byref(self._pp), wait)
            if ret == 1:
                if self._d:
                    self._lib.kcap_dump(self._d, self._pp)
                return Packet._from_c(self._pp)
            if ret == -_lib.ENODATA:
                return None
            if ret < 0 and ret != -_lib.EINTR:
                self._fail("next")
            if deadline is not None and time.monotonic() >= deadline:
                return None

    def __iter__(self):
        while True:
            p = self.next_packet()
            if p is None:
                return
            yield p

    def inject(self, frame):
        """Sends one frame, from its Ethernet header, out of the device."""
        frame = bytes(frame)
        self._call(self._lib.kcap_inject(self._k, frame, len(frame)), "inject")

    def close(self):
        if self._d:
            ret = self._lib.kcap_dump_close(self._d)
            self._d = None
            if ret < 0:
                self._lib.kcap_close(self._k)
                self._k = None
                raise KcapError("dump: a write failed")
        if self._k:
            self._lib.kcap_close(self._k)
            self._k = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        try:
            self.close()
        except Exception:
            pass


def _run(cap, count, timeout, handle):
    """Hands packets to handle until count, the timeout, or a file's end."""
    deadline = time.monotonic() + timeout / 1000 if timeout else None
    n = 0
    while not count or n < count:
        left = None
        if deadline is not None:
            left = (deadline - time.monotonic()) * 1000
            if left <= 0:
                break
        p = cap.next_packet(left)
        if p is None:
            if cap.offline or deadline is not None:
                break
            continue
        handle(p)
        n += 1
    return n


def sniff(count=1, filter=None, device=None, timeout=0, snaplen=0, promisc=False,
          dump=None):
    """The first count packets (0: as many as come before the timeout) that
    match filter on device (None: every device), waiting at most timeout
    milliseconds (0: until count came). dump: also save them to this pcap
    file. Returns a list of Packets."""
    _check_count("sniff", count)
    _check_timeout("sniff", timeout)
    if not count and not timeout:
        raise ValueError("sniff: count 0 needs a timeout, or it never returns")
    out = []
    with Capture(device, filter, snaplen, promisc, dump=dump, _fn="sniff") as cap:
        _run(cap, count, timeout, out.append)
    return out


def sniff_next(filter=None, device=None, timeout=0, snaplen=0, promisc=False, dump=None):
    """sniff(1, ...): one packet, or None if the timeout passed first."""
    got = sniff(1, filter, device, timeout, snaplen, promisc, dump)
    return got[0] if got else None


def sniff_any(device=None, dump=None):
    """The first packet that arrives, whatever it is."""
    return sniff_next(None, device, 0, 0, False, dump)


def sniff_loop(count=0, filter=None, device=None, timeout=0, snaplen=0, promisc=False,
               dump=None, callback=None, *callback_args):
    """Calls callback(timestamp, packet, *callback_args) for each packet, as
    UMPA's: count packets (0: until the timeout, or without end). Returns
    the number handled."""
    _check_count("sniff_loop", count)
    _check_timeout("sniff_loop", timeout)
    _check_callback("sniff_loop", callback)
    with Capture(device, filter, snaplen, promisc, dump=dump, _fn="sniff_loop") as cap:
        return _run(cap, count, timeout, lambda p: callback(p.ts, p, *callback_args))


def to_file(filename, count=1, filter=None, device=None, timeout=0, snaplen=0,
            promisc=False):
    """Saves count matching packets to filename (a pcap file); returns how
    many were saved."""
    _check_str("to_file", "filename", filename, optional=False)
    _check_count("to_file", count)
    _check_timeout("to_file", timeout)
    if not count and not timeout:
        raise ValueError("to_file: count 0 needs a timeout, or it never returns")
    with Capture(device, filter, snaplen, promisc, dump=filename, _fn="to_file") as cap:
        return _run(cap, count, timeout, lambda p: None)


def from_file(filename, count=0, filter=None):
    """The packets of a pcap or pcapng file, the first count (0: all) that
    match filter."""
    _check_count("from_file", count)
    out = []
    with Capture(filter=filter, file=filename, _fn="from_file") as cap:
        _run(cap, count, 0, out.append)
    return out


def from_file_loop(filename, count=0, filter=None, callback=None, *callback_args):
    """Calls callback(timestamp, packet, *callback_args) for each packet of
    the file; returns the number handled."""
    _check_count("from_file_loop", count)
    _check_callback("from_file_loop", callback)
    with Capture(filter=filter, file=filename, _fn="from_file_loop") as cap:
        return _run(cap, count, 0, lambda p: callback(p.ts, p, *callback_args))


def tcp_conversation(packets, sport=None, dport=None):
    """One TCP connection as the analysis blog tabulates it: a row per
    segment with its time since the first, who sent it ('>' client, '<'
    server), relative seq and ack, flags, window and payload length. The
    connection is the first one seen, or the one with these ports; the
    client is the side that sent the first segment."""
    rows, first, isn = [], None, {}
    for p in packets:
        if not p.tcp or not (p.ip or p.ip6):
            continue
        net = p.ip or p.ip6
        a, b = (net.src, p.tcp.sport), (net.dst, p.tcp.dport)
        if first is None:
            if (sport is not None and sport not in (a[1], b[1])) or \
               (dport is not None and dport not in (a[1], b[1])):
                continue
            first = (p.ts, a, b)
        if {a, b} != {first[1], first[2]}:
            continue
        fwd = a == first[1]
        isn.setdefault(a, p.tcp.seq)
        rseq = (p.tcp.seq - isn[a]) & 0xffffffff
        rack = (p.tcp.ack - isn[b]) & 0xffffffff if b in isn and "A" in p.tcp.flags else 0
        rows.append({"time": p.ts - first[0], "dir": ">" if fwd else "<", "seq": rseq,
                     "ack": rack, "flags": p.tcp.flags, "window": p.tcp.window,
                     "len": len(p.payload)})
    return rows
