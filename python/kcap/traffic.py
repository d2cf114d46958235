# SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
"""The traffic package's streams, profiles, senders and receivers, over
kcapgen's engine (kcapgen send and kcapgen recv, run as programs).

    from kcap.traffic import Stream, StandardProfile, Sender, Receiver
    stream = Stream(protocol="ip", proto="udp", dport=8000, dst="10.0.0.2")
    profile = StandardProfile(stream=stream, count=100, size=100,
                              capfilter="udp port 8000")
    receiver = Receiver("recv-udp", profile, device="b0", netns="B")
    sender = Sender("send-udp", profile, device="a0", netns="A")
    receiver.start(); sender.start(); sender.wait(); receiver.stop()
    assert sender.sent == receiver.recv and receiver.corrupt == 0

Where the traffic package logs in to a host, these run on this one,
inside a network namespace when netns is given (ip netns exec). kcapgen
is $KCAPGEN, else build/bin/kcapgen of the tree, else the one on $PATH.
"""
import os
import re
import shutil
import signal
import subprocess
import threading

HERE = os.path.dirname(os.path.abspath(__file__))

# Stream fields, scapy's names as the traffic package has them, and the
# kcapgen option each becomes.
FIELDS = {
    "src": "--src", "dst": "--dst", "ttl": "--ttl", "tos": "--tos", "id": "--id",
    "frag": "--frag-off", "sport": "--sport", "dport": "--dport", "seq": "--seq",
    "ack": "--ack", "window": "--window", "urgptr": "--urgptr", "flags": "--flags",
    "icmp_id": "--icmp-id", "src_mac": "--src-mac", "dst_mac": "--dst-mac",
}


def kcapgen():
    env = os.environ.get("KCAPGEN")
    if env:
        return env
    tree = os.path.normpath(os.path.join(HERE, "..", "..", "build", "bin", "kcapgen"))
    if os.path.exists(tree):
        return tree
    found = shutil.which("kcapgen")
    if not found:
        raise FileNotFoundError("kcap.traffic: kcapgen not found (make tools, or set KCAPGEN)")
    return found


class Stream:
    """Headers to send: protocol "ip" (or "ipv6"), proto "icmp", "udp" or
    "tcp", and fields by scapy's names (src, dst, sport, dport, ttl, tos,
    id, ipflags "DF"/"MF", frag, seq, ack, window, urgptr, flags "SA"...,
    icmp_id, src_mac, dst_mac)."""

    def __init__(self, protocol="ip", proto="udp", **fields):
        if protocol not in ("ip", "ipv6"):
            raise ValueError("Stream: protocol %r: must be 'ip' or 'ipv6'" % protocol)
        if proto not in ("icmp", "udp", "tcp"):
            raise ValueError("Stream: proto %r: must be 'icmp', 'udp' or 'tcp'" % proto)
        if "dst" not in fields:
            raise ValueError("Stream: dst: the destination address is needed")
        ipflags = fields.pop("ipflags", "")
        unknown = set(fields) - set(FIELDS)
        if unknown:
            raise ValueError("Stream: unknown field %s (known: %s)" % (
                ", ".join(sorted(unknown)), ", ".join(sorted(FIELDS) + ["ipflags"])))
        if not re.fullmatch(r"(DF|MF|DF,MF|MF,DF)?", str(ipflags).upper()):
            raise ValueError("Stream: ipflags %r: DF, MF or both" % ipflags)
        self.protocol, self.proto, self.fields = protocol, proto, fields
        self.ipflags = str(ipflags).upper()

    @staticmethod
    def help():
        return sorted(FIELDS) + ["ipflags"]

    def args(self):
        a = ["--proto", self.proto]
        for k, v in self.fields.items():
            a += [FIELDS[k], str(v)]
        if "DF" in self.ipflags:
            a.append("--df")
        if "MF" in self.ipflags:
            a.append("--mf")
        return a


class _Profile:
    def __init__(self, stream, size=None, payload=None, capfilter=None, chksum=True,
                 listener=None, rate=None, bad_checksum=False):
        if not isinstance(stream, Stream):
            raise ValueError("%s: stream: a kcap.traffic.Stream is needed" %
                             type(self).__name__)
        if size is not None and payload is not None:
            raise ValueError("%s: size and payload: one or the other" % type(self).__name__)
        self.stream, self.size, self.payload = stream, size, payload
        # chksum: the receiver checks them (kcapgen recv always does);
        # bad_checksum: the sender spoils them, to see them counted.
        self.capfilter, self.chksum, self.listener, self.rate = capfilter, chksum, listener, rate
        self.bad_checksum = bad_checksum

    def args(self):
        a = self.stream.args()
        if self.listener:
            a[a.index("--dst") + 1] = self.listener
        if self.size is not None:
            a += ["--size", str(self.size)]
        if self.payload is not None:
            a += ["--payload", str(self.payload)]
        if self.rate:
            a += ["--rate", str(self.rate)]
        if self.bad_checksum:
            a.append("--bad-checksum")
        return a + self.profile_args()


class StandardProfile(_Profile):
    """count packets."""

    def __init__(self, stream, count=10, **kw):
        super().__init__(stream, **kw)
        self.count = count

    def profile_args(self):
        return ["--profile", "standard", "-c", str(self.count)]


class ContinuousProfile(_Profile):
    """Packets until stop() (or duration seconds)."""

    def __init__(self, stream, duration=None, **kw):
        super().__init__(stream, **kw)
        self.duration = duration

    def profile_args(self):
        a = ["--profile", "continuous"]
        return a + (["--duration", str(self.duration)] if self.duration else [])


class BurstProfile(_Profile):
    """count bursts of burst_count packets, burst_interval seconds apart."""

    def __init__(self, stream, count=1, burst_count=10, burst_interval=1, **kw):
        super().__init__(stream, **kw)
        self.count, self.burst_count, self.burst_interval = count, burst_count, burst_interval

    def profile_args(self):
        return ["--profile", "burst", "--burst", str(self.burst_count), "--interval",
                str(self.burst_interval), "--bursts", str(self.count)]


class ContinuousSportRange(_Profile):
    """Source ports startport..endport in turn, until stop() (or count
    packets, or duration seconds)."""

    def __init__(self, stream, startport=8001, endport=8100, count=None, duration=None, **kw):
        super().__init__(stream, **kw)
        self.startport, self.endport = startport, endport
        self.count, self.duration = count, duration

    def profile_args(self):
        a = ["--profile", "sport-range", "--sport-range", "%d-%d" % (self.startport, self.endport)]
        if self.count:
            a += ["-c", str(self.count)]
        if self.duration:
            a += ["--duration", str(self.duration)]
        return a


class _Helper:
    def __init__(self, name, profile, device, netns=None, logger=None):
        if not isinstance(profile, _Profile):
            raise ValueError("%s %s: profile: a kcap.traffic profile is needed" %
                             (type(self).__name__, name))
        self.name, self.profile, self.device, self.netns = name, profile, device, netns
        self.logger = logger
        self.proc = None
        self.out = ""

    def _cmd(self, args):
        pre = ["ip", "netns", "exec", self.netns] if self.netns else []
        return pre + [kcapgen()] + args

    def _start(self, args):
        if self.proc:
            raise RuntimeError("%s: already started" % self.name)
        self.proc = subprocess.Popen(self._cmd(args), stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True)

    def _finish(self, sig, timeout=30):
        if self.proc.poll() is None and sig:
            self.proc.send_signal(sig)
        out, err = self.proc.communicate(timeout=timeout)
        self.out += out
        if self.proc.returncode not in (0, -signal.SIGINT):
            raise RuntimeError("%s: kcapgen exited %d: %s" % (self.name, self.proc.returncode,
                                                             err.strip()))
        return err


class Sender(_Helper):
    """kcapgen send with the profile on device; sent once it ends."""

    def __init__(self, name, profile, device, netns=None, logger=None):
        super().__init__(name, profile, device, netns, logger)
        self.sent = None

    def start(self):
        self._start(["send", "-i", self.device] + self.profile.args())

    def poll(self):
        if self.proc and self.proc.poll() is not None and self.sent is None:
            self._collect(None)
        return ["Sent=%s" % ("?" if self.sent is None else self.sent)]

    def _collect(self, sig):
        self._finish(sig)
        m = re.search(r"^sent=(\d+)", self.out, re.M)
        self.sent = int(m.group(1)) if m else 0

    def wait(self, timeout=60):
        """Until a profile with an end has ended."""
        self.proc.wait(timeout)
        return self.poll()

    def stop(self):
        if self.sent is None:
            self._collect(signal.SIGINT)
        return self.poll()


class Receiver(_Helper):
    """kcapgen recv on device with the profile's capfilter: packets
    received, and the corrupted ones (bad IPv4, TCP, UDP or ICMP
    checksums), updated once a second while it runs."""

    def __init__(self, name, profile, device, netns=None, logger=None):
        super().__init__(name, profile, device, netns, logger)
        self.recv = self.corrupt = None
        self._reader = None

    def start(self):
        args = ["recv", "-i", self.device, "-v"]
        if self.profile.capfilter:
            args.append(self.profile.capfilter)
        self._start(args)
        # It says "listening" on stderr once it captures.
        line = self.proc.stderr.readline()
        if "listening" not in line:
            self.proc.kill()
            self.proc.wait()
            raise RuntimeError("%s: kcapgen recv did not start: %s%s" % (
                self.name, line.strip(), self.proc.stderr.read().strip()))
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self):
        for line in self.proc.stdout:
            m = re.match(r"received=(\d+) corrupted=(\d+)", line)
            if m:
                self.recv, self.corrupt = int(m.group(1)), int(m.group(2))

    def poll(self):
        return ["Received=%s" % self.recv, "Corrupted=%s" % self.corrupt]

    def stop(self, timeout=30):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
        if self.proc:
            self.proc.wait(timeout)
            self._reader.join(timeout)
            err = self.proc.stderr.read()
            if self.proc.returncode not in (0, -signal.SIGINT):
                raise RuntimeError("%s: kcapgen recv exited %d: %s" % (
                    self.name, self.proc.returncode, err.strip()))
        return self.poll()
