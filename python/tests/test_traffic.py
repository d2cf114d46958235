# SPDX-License-Identifier: GPL-2.0
"""kcap.traffic in the VM: the traffic package's profiles sent by kcapgen
send in one network namespace and counted by kcapgen recv in another,
across a veth pair, with tcpdump on the receiving side as the oracle."""
import shutil
import signal
import subprocess
import time

import pytest

import kcap
from conftest import live
from kcap.traffic import (BurstProfile, ContinuousProfile, ContinuousSportRange, Receiver,
                          Sender, StandardProfile, Stream)

pytestmark = [live, pytest.mark.skipif(not shutil.which("ip"), reason="needs ip(8)")]

A, B = "kcappyA", "kcappyB"


def sh(*cmd):
    subprocess.run(cmd, check=True, capture_output=True)


@pytest.fixture(scope="module")
def veth():
    for ns in (A, B):
        subprocess.run(["ip", "netns", "del", ns], capture_output=True)
        sh("ip", "netns", "add", ns)
        sh("ip", "-n", ns, "link", "set", "lo", "up")
    sh("ip", "link", "add", "pa0", "address", "02:00:00:00:0a:01", "netns", A, "type", "veth",
       "peer", "pb0", "address", "02:00:00:00:0b:01", "netns", B)
    sh("ip", "-n", A, "addr", "add", "10.9.0.1/24", "dev", "pa0")
    sh("ip", "-n", B, "addr", "add", "10.9.0.2/24", "dev", "pb0")
    sh("ip", "-n", A, "link", "set", "pa0", "up")
    sh("ip", "-n", B, "link", "set", "pb0", "up")
    sh("ip", "-n", A, "neigh", "replace", "10.9.0.2", "lladdr", "02:00:00:00:0b:01", "dev",
       "pa0", "nud", "permanent")
    yield
    for ns in (A, B):
        subprocess.run(["ip", "netns", "del", ns], capture_output=True)


def tcpdump_count(path):
    out = subprocess.run(["tcpdump", "-nn", "-r", path], capture_output=True, text=True).stdout
    return len(out.splitlines())


def run(profile, tmp_path, capfilter, wait=True, secs=1.0, expect=None):
    """Receiver, then Sender, with tcpdump on the receiving side: for
    expect packets (it ends by itself, having read them all: stopped by a
    signal it would lose what its ring still holds), or until stopped.
    Immediate mode, so that it has every packet soon; -s 256, because in
    immediate mode libpcap sizes each ring frame for the snapshot length
    on a device with offloads (veth), and 256 KiB frames leave a burst
    nowhere to go."""
    ref = str(tmp_path / "ref.pcap")
    count = ["-c", str(expect)] if expect else []
    td = subprocess.Popen(["ip", "netns", "exec", B, "tcpdump", "-i", "pb0", "-Q", "in", "-nn",
                           "-U", "--immediate-mode", "-s", "256", "-w", ref] + count +
                          [capfilter], stderr=subprocess.PIPE, text=True)
    assert "listening on" in td.stderr.readline()
    receiver = Receiver("recv", profile, "pb0", netns=B)
    receiver.start()
    sender = Sender("send", profile, "pa0", netns=A)
    sender.start()
    if wait:
        sender.wait()
    else:
        time.sleep(secs)
        sender.stop()
    time.sleep(0.5)
    rec = receiver.stop()
    try:
        td.wait(20 if expect else 2)
    except subprocess.TimeoutExpired:
        td.send_signal(signal.SIGINT)
        td.wait()
    return sender, receiver, rec, ref


def test_standard_udp(veth, tmp_path):
    stream = Stream(protocol="ip", proto="udp", dport=8000, src="10.9.0.1", dst="10.9.0.2")
    profile = StandardProfile(stream=stream, count=100, size=100, capfilter="udp port 8000")
    sender, receiver, rec, ref = run(profile, tmp_path, "udp port 8000", expect=100)
    assert sender.sent == receiver.recv == 100 == tcpdump_count(ref)
    assert receiver.corrupt == 0 and rec == ["Received=100", "Corrupted=0"]
    assert sender.poll() == ["Sent=100"]
    pkts = kcap.from_file(ref)
    assert all(p.udp.dport == 8000 and len(p.payload) == 100 for p in pkts)


def test_standard_icmp_fields(veth, tmp_path):
    stream = Stream(proto="icmp", dst="10.9.0.2", ttl=9, tos=16, id=777, ipflags="DF",
                    icmp_id=42)
    profile = StandardProfile(stream=stream, count=20, payload="spamspamspam",
                              capfilter="icmp")
    sender, receiver, _, ref = run(profile, tmp_path, "icmp", expect=20)
    assert sender.sent == receiver.recv == 20 == tcpdump_count(ref)
    p = kcap.from_file(ref)[0]
    assert (p.ip.ttl, p.ip.tos, p.ip.id, p.ip.df, p.icmp.id, p.payload) == \
        (9, 16, 777, True, 42, b"spamspamspam")


def test_bad_checksums_are_counted(veth, tmp_path):
    stream = Stream(proto="tcp", dport=9000, dst="10.9.0.2", flags="S", seq=1)
    profile = StandardProfile(stream=stream, count=30, capfilter="tcp port 9000",
                              bad_checksum=True)
    sender, receiver, _, _ = run(profile, tmp_path, "tcp port 9000")
    assert sender.sent == receiver.recv == receiver.corrupt == 30


def test_burst(veth, tmp_path):
    stream = Stream(proto="udp", dport=8001, dst="10.9.0.2")
    profile = BurstProfile(stream=stream, count=3, burst_count=10, burst_interval=0.3,
                           capfilter="udp port 8001")
    sender, receiver, _, ref = run(profile, tmp_path, "udp port 8001", expect=30)
    assert sender.sent == receiver.recv == 30 == tcpdump_count(ref)
    ts = [p.ts for p in kcap.from_file(ref)]
    assert ts[10] - ts[9] > 0.2 and ts[20] - ts[19] > 0.2


def test_continuous_until_stop(veth, tmp_path):
    stream = Stream(proto="udp", dport=8002, dst="10.9.0.2")
    profile = ContinuousProfile(stream=stream, rate=200, capfilter="udp port 8002")
    sender, receiver, _, ref = run(profile, tmp_path, "udp port 8002", wait=False)
    assert sender.sent > 50 and sender.sent == receiver.recv == tcpdump_count(ref)


def test_sport_range(veth, tmp_path):
    stream = Stream(proto="udp", dport=8003, dst="10.9.0.2")
    profile = ContinuousSportRange(stream=stream, startport=9100, endport=9109, count=50,
                                   capfilter="udp port 8003")
    sender, receiver, _, ref = run(profile, tmp_path, "udp port 8003", expect=50)
    assert sender.sent == receiver.recv == 50
    assert {p.udp.sport for p in kcap.from_file(ref)} == set(range(9100, 9110))


def test_bad_arguments():
    with pytest.raises(ValueError, match="proto 'sctp'"):
        Stream(proto="sctp", dst="10.9.0.2")
    with pytest.raises(ValueError, match="unknown field colour"):
        Stream(dst="10.9.0.2", colour=1)
    with pytest.raises(ValueError, match="dst"):
        Stream(proto="udp")
    with pytest.raises(ValueError, match="stream"):
        StandardProfile(stream="udp")
    with pytest.raises(ValueError, match="profile"):
        Sender("s", "nothing", "lo")
