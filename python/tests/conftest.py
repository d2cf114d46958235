# SPDX-License-Identifier: GPL-2.0
"""Shared by the kcap package's tests: the tree's package on the path, and
what the live tests need (/dev/kcap, tcpdump, kcapctl)."""
import os
import shutil
import subprocess
import sys
import time

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "python"))

KCAPCTL = os.path.join(os.environ.get("KCAP_BIN", os.path.join(ROOT, "build", "bin")),
                       "kcapctl")

live = pytest.mark.skipif(not os.path.exists("/dev/kcap") or not shutil.which("tcpdump"),
                          reason="needs /dev/kcap (kcap.ko loaded) and tcpdump")


def live_sessions():
    out = subprocess.run([KCAPCTL, "list"], capture_output=True, text=True).stdout
    return [l.split()[0] for l in out.splitlines() if l.startswith("live-")]


def wait_for(pred, secs=10.0):
    end = time.monotonic() + secs
    while time.monotonic() < end:
        if pred():
            return True
        time.sleep(0.05)
    return False


class Tcpdump:
    """tcpdump -i lo -w FILE -c COUNT FILTER, started and waited for."""

    def __init__(self, path, count, filt):
        self.path = str(path)
        self.p = subprocess.Popen(["tcpdump", "-i", "lo", "-nn", "-U", "-w", self.path,
                                   "-c", str(count)] + filt.split(),
                                  stderr=subprocess.PIPE, text=True)
        line = self.p.stderr.readline()
        assert "listening on" in line, line

    def wait(self, secs=15):
        try:
            self.p.wait(secs)
        except subprocess.TimeoutExpired:
            self.p.kill()
            self.p.wait()


@pytest.fixture
def tcpdump():
    started = []

    def start(path, count, filt):
        t = Tcpdump(path, count, filt)
        started.append(t)
        return t
    yield start
    for t in started:
        if t.p.poll() is None:
            t.p.kill()
            t.p.wait()
