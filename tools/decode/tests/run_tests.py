#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""libkcapdecode's tests, as TAP.

  golden      kcapdecode's tree, -q and JSON output on generated captures
              (several snaplens) against tests/golden/; --regen rewrites them
  json        every output of -T json parses, on every capture
  trunc       each packet cut at every length, under ASan/UBSan (test_trunc)
  tshark      the fields we print equal tshark -T fields on the same capture
  tcp         --conversations and --follow against known answers
  cli         argument errors exit 2 with one line, unreadable files exit 1
  fuzz        libFuzzer for a bounded time, seeded with the captures

Ends with "# N passed, N failed"; exits non-zero on any failure.
"""
import argparse
import difflib
import glob
import json
import os
import re
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
GOLDEN = os.path.join(HERE, "golden")

results = []


def tap(ok, name, detail=""):
    results.append(ok)
    print("%s %d %s" % ("ok" if ok else "not ok", len(results), name))
    if not ok and detail:
        for line in detail.rstrip("\n").split("\n")[:60]:
            print("#   " + line)
    sys.stdout.flush()


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, **kw)


def golden_cases():
    """(name, options, capture, filter expression)"""
    cases = [
        ("protocols.tree", [], "protocols.pcap", []),
        ("protocols.q", ["-q"], "protocols.pcap", []),
        ("protocols.json", ["-T", "json"], "protocols.pcap", []),
        ("protocols_hex.tree", ["-x", "-c", "4"], "protocols.pcap", []),
        ("protocols_hex.q", ["-q", "-x", "-c", "2"], "protocols.pcap", []),
        ("tcp.q", ["-q"], "tcp.pcap", []),
        ("tcp_filter.q", ["-q"], "tcp.pcap", ["udp", "or", "tcp[tcpflags]", "&", "tcp-rst", "!=", "0"]),
        ("raw.q", ["-q"], "raw.pcap", []),
        ("sll.tree", ["-c", "2"], "sll.pcap", []),
        ("sll.q", ["-q"], "sll.pcap", []),
        ("pcapng.q", ["-q"], "protocols.pcapng", []),
        ("tcp.conversations", ["--conversations"], "tcp.pcap", []),
        ("tcp.follow4", ["--follow", "10.1.0.1:41000-10.1.0.2:80"], "tcp.pcap", []),
        ("tcp.follow6", ["--follow", "[2001:db8::10]:42000-[2001:db8::20]:443"], "tcp.pcap", []),
    ]
    for s in (14, 34, 54, 64, 96):
        f = "protocols_s%d.pcap" % s
        cases.append(("protocols_s%d.tree" % s, [], f, []))
        cases.append(("protocols_s%d.q" % s, ["-q"], f, []))
        cases.append(("protocols_s%d.json" % s, ["-T", "json"], f, []))
    return cases


def test_golden(args, pc):
    os.makedirs(GOLDEN, exist_ok=True)
    for name, opts, cap, flt in golden_cases():
        # Run from the capture directory so names in the output are short.
        r = run([os.path.abspath(args.bin), "-r", cap] + opts + flt, cwd=pc)
        out = r.stdout
        path = os.path.join(GOLDEN, name + ".txt")
        if args.regen:
            with open(path, "w") as f:
                f.write(out)
            tap(r.returncode == 0, "golden %s (regenerated)" % name, r.stderr)
            continue
        try:
            want = open(path).read()
        except OSError:
            tap(False, "golden %s" % name, "missing %s: make -C tools/decode golden" % path)
            continue
        if r.returncode == 0 and out == want:
            tap(True, "golden %s" % name)
        else:
            d = "".join(difflib.unified_diff(want.splitlines(True), out.splitlines(True),
                                             "golden", "now", n=1))
            tap(False, "golden %s" % name, "exit %d\n%s%s" % (r.returncode, r.stderr, d))


def test_json(args, pc):
    for f in sorted(glob.glob(os.path.join(pc, "*.pcap*"))):
        if os.path.basename(f).startswith("cut"):
            continue  # ends in a damaged record on purpose
        r = run([args.bin, "-r", f, "-T", "json", "-x"])
        bad = ""
        n = 0
        for line in r.stdout.splitlines():
            try:
                o = json.loads(line)
                assert isinstance(o["layers"], list) and "number" in o
                n += 1
            except Exception as ex:  # noqa: BLE001
                bad = "%s: %r" % (ex, line[:200])
                break
        tap(r.returncode == 0 and not bad and n > 0,
            "json parses: %s (%d objects)" % (os.path.basename(f), n), bad + r.stderr)


# Captures where a cut anywhere but in the last N bytes must be marked.
STRICT_TRUNC = ["null.pcap", "loop.pcap", "ppp.pcap", "sll2.pcap", "wlan.pcap",
                "radiotap.pcap", "tunnels.pcap", "big.pcap", "analysis.pcap"]


def test_trunc(args, pc):
    files = [f for f in sorted(glob.glob(os.path.join(pc, "*.pcap*")))
             if os.path.basename(f) not in STRICT_TRUNC]
    files += ["-s", "16"] + [os.path.join(pc, f) for f in STRICT_TRUNC]
    r = run([args.trunc] + files)
    tap(r.returncode == 0, "every truncation point under ASan/UBSan: %s" % r.stdout.strip(),
        r.stdout + r.stderr[-3000:])


def first_layer(layers, name):
    for l in layers:
        if l["layer"] == name:
            return l
    return None


def ours(o):
    """The tshark fields, from our JSON object."""
    L = o["layers"]
    f = {"frame.len": str(o["wirelen"]), "frame.cap_len": str(o["caplen"])}
    ip4, ip6 = first_layer(L, "ipv4"), first_layer(L, "ipv6")
    tcp, udp = first_layer(L, "tcp"), first_layer(L, "udp")
    if ip4:
        f.update({"ip.src": ip4.get("src"), "ip.dst": ip4.get("dst"),
                  "ip.len": ip4.get("len"), "ip.ttl": ip4.get("ttl"), "ip.id": ip4.get("id")})
    if ip6:
        f.update({"ipv6.src": ip6.get("src"), "ipv6.dst": ip6.get("dst"),
                  "ipv6.plen": ip6.get("plen"), "ipv6.hlim": ip6.get("hlim")})
    if tcp:
        f.update({"tcp.srcport": tcp.get("sport"), "tcp.dstport": tcp.get("dport"),
                  "tcp.seq": tcp.get("seq"), "tcp.ack": tcp.get("ack"),
                  "tcp.flags": tcp["flags"]["value"] if "flags" in tcp else None,
                  "tcp.window_size_value": tcp.get("window")})
    if udp:
        f.update({"udp.srcport": udp.get("sport"), "udp.dstport": udp.get("dport"),
                  "udp.length": udp.get("len")})
    return {k: ("" if v is None else str(v)) for k, v in f.items()}


# Packets we decode further than tshark 4.0 does by default: an MPLS
# pseudowire's control word and the Ethernet frame after it.
DEEPER_THAN_TSHARK = {("tunnels.pcap", 10)}

FIELDS = ["frame.len", "frame.cap_len", "ip.src", "ip.dst", "ip.len", "ip.ttl", "ip.id",
          "ipv6.src", "ipv6.dst", "ipv6.plen", "ipv6.hlim",
          "tcp.srcport", "tcp.dstport", "tcp.seq", "tcp.ack", "tcp.flags",
          "tcp.window_size_value", "udp.srcport", "udp.dstport", "udp.length"]


def test_tshark(args, pc, names=("protocols.pcap", "tcp.pcap", "sll.pcap")):
    if not shutil.which("tshark"):
        tap(True, "tshark cross-check # SKIP tshark not installed")
        return
    for name in names:
        f = os.path.join(pc, name)
        cmd = ["tshark", "-n", "-r", f, "-o", "tcp.relative_sequence_numbers:FALSE",
               "-o", "tcp.analyze_sequence_numbers:FALSE",
               # We decode each fragment as captured; so must tshark.
               "-o", "ip.defragment:FALSE", "-o", "ipv6.defragment:FALSE", "-T", "fields",
               "-E", "separator=/t", "-E", "occurrence=f"]
        for fl in FIELDS:
            cmd += ["-e", fl]
        t = run(cmd, env=dict(os.environ, HOME=args.out))
        r = run([args.bin, "-r", f, "-T", "json"])
        mism = []
        tl = t.stdout.splitlines()
        ol = [json.loads(x) for x in r.stdout.splitlines()]
        if len(tl) != len(ol):
            mism.append("tshark %d packets, we %d" % (len(tl), len(ol)))
        checked = 0
        for tline, o in zip(tl, ol):
            tv = dict(zip(FIELDS, tline.split("\t")))
            ov = ours(o)
            for k in FIELDS:
                a, b = tv.get(k, ""), ov.get(k, "")
                if k == "tcp.flags" and a:
                    a = str(int(a, 16) & 0xfff)
                if k == "ip.id" and a:
                    a = str(int(a, 16))
                if a == "" and o.get("malformed"):
                    continue  # tshark gives up on a bad header; we print what we read
                if a == "" and (name, o["number"]) in DEEPER_THAN_TSHARK:
                    continue
                if a != b:
                    mism.append("packet %d %s: tshark %r, we %r" % (o["number"], k, a, b))
                else:
                    checked += a != ""
        tap(t.returncode == 0 and not mism,
            "tshark cross-check %s (%d fields equal)" % (name, checked),
            t.stderr[-500:] + "\n".join(mism[:30]))


def test_tcp(args, pc):
    f = os.path.join(pc, "tcp.pcap")
    r = run([args.bin, "-r", f, "--conversations"])
    out = r.stdout
    blocks = out.split("\nconversation ")[1:]
    want = [
        ("1: A 10.1.0.1:41000 <-> B 10.1.0.2:80", ["A->B: 6 packets", "B->A: 4 packets",
         "duration 1.290100000 s", "SYN->SYN-ACK 0.300000000 s", "end: FIN by A, then FIN by B",
         "A->B: 6 packets, 432 bytes, 100 payload bytes",
         "B->A: 4 packets, 2224 bytes, 2000 payload bytes"]),
        ("2: A 10.1.0.1:41001 <-> B 10.1.0.3:25", ["A->B: 1 packets", "B->A: 1 packets",
         "SYN without SYN-ACK", "end: RST by B"]),
        ("3: A [2001:db8::10]:42000 <-> B [2001:db8::20]:443", ["A->B: 4 packets", "B->A: 1 packets",
         "SYN->SYN-ACK 0.050000000 s", "end: RST by A", "duration 0.150000000 s"]),
        ("4: A 10.1.0.5:43000 <-> B 10.1.0.2:22", ["handshake: not seen", "end: still open",
         "A->B: 1 packets", "B->A: 1 packets"]),
    ]
    errs = []
    if "TCP conversations: 4\n" not in out:
        errs.append("want 4 conversations")
    for i, (head, lines) in enumerate(want):
        if i >= len(blocks) or not blocks[i].startswith(head):
            errs.append("conversation %d: want %r" % (i + 1, head))
            continue
        for ln in lines:
            if ln not in blocks[i]:
                errs.append("conversation %d lacks %r" % (i + 1, ln))
    tap(r.returncode == 0 and not errs, "--conversations known answers", "\n".join(errs) + "\n" + out)

    r = run([args.bin, "-r", f, "--follow", "10.1.0.1:41000-10.1.0.2:80"])
    rows = []
    for line in r.stdout.splitlines():
        m = re.match(r"^( *)(-->|<--)\[ *(\d+)\] *([\d.]+)s flag=(\S+) +seq=(\d+) +ack=(\d+) +len=(\d+) +win=(\d+)$", line)
        if m:
            rows.append((m.group(2), int(m.group(3)), m.group(4), m.group(5), int(m.group(6)),
                         int(m.group(7)), int(m.group(8)), int(m.group(9)), len(m.group(1))))
    want = [
        ("-->", 1, "0.000000", "S", 0, 0, 0, 64240, 0),
        ("<--", 2, "0.300000", "SA", 0, 1, 0, 65160, 66),
        ("-->", 3, "0.300500", "A", 1, 1, 0, 502 << 7, 0),
        ("-->", 6, "0.400000", "PA", 1, 1, 100, 502 << 7, 0),
        ("<--", 7, "0.700000", "A", 1, 101, 1400, 250 << 8, 66),
        ("<--", 8, "0.700100", "PA", 1401, 101, 600, 250 << 8, 66),
        ("-->", 9, "0.700200", "A", 101, 2001, 0, 501 << 7, 0),
        ("-->", 15, "1.000000", "FA", 101, 2001, 0, 501 << 7, 0),
        ("<--", 16, "1.290000", "FA", 2001, 102, 0, 250 << 8, 66),
        ("-->", 17, "1.290100", "A", 102, 2002, 0, 501 << 7, 0),
    ]
    ok = rows == want and "tcp.pcap contains 20 packets (10 interesting)" in r.stdout
    d = "\n".join("want %s\n got %s" % (w, g) for w, g in zip(want, rows + [None] * 20) if w != g)
    tap(r.returncode == 0 and ok, "--follow IPv4 with window scaling", d + "\n" + r.stdout)

    r = run([args.bin, "-r", f, "--follow", "[2001:db8::10]:42000-[2001:db8::20]:443"])
    lines = r.stdout.splitlines()
    ok = (len(lines) >= 5 and re.search(r"^-->\[ *12\] +0\.050100s flag=A +seq=1 +ack=1 +len=0 +win=600$", lines[2])
          and re.search(r"flag=RA +seq=6 +ack=1 +len=0 +win=0$", lines[4])
          and "Window scaling: not negotiated" in r.stdout
          and "(5 interesting)" in r.stdout)
    tap(r.returncode == 0 and bool(ok), "--follow IPv6, wscale on one SYN only: unscaled", r.stdout)

    r = run([args.bin, "-r", f, "--follow", "10.1.0.1:41000-10.1.0.2:80", "port", "25"])
    tap(r.returncode == 0 and "(0 interesting)" in r.stdout, "--follow with a filter that excludes it",
        r.stdout + r.stderr)


def test_cli(args, pc):
    f = os.path.join(pc, "tcp.pcap")
    cases = [
        (["-r", f, "-c", "0"], 2, "-c"),
        (["-r", f, "-c", "x"], 2, "-c"),
        (["-r", f, "-T", "xml"], 2, "-T"),
        (["-r", f, "--follow", "nonsense"], 1, "--follow"),
        (["-r", f, "--follow", "1.2.3.4:1-[::1]:2"], 1, "--follow"),
        (["-r", f, "-q", "-T", "json"], 2, "exclusive"),
        (["-r", f, "--conversations", "-q"], 2, "take no"),
        (["-q"], 2, "-r"),
        (["-r", f, "port", "and"], 1, "filter"),
        (["-r", os.path.join(pc, "nonexistent.pcap")], 1, "nonexistent"),
        (["-r", os.path.join(HERE, "gen_pcaps.py")], 1, ""),
    ]
    for argv, code, word in cases:
        r = run([args.bin] + argv)
        ok = r.returncode == code and word in r.stderr and r.stderr.count("\n") == 1
        tap(ok, "cli: %s exits %d" % (" ".join(a.replace(pc + "/", "") for a in argv), code),
            "exit %d, stderr %r" % (r.returncode, r.stderr))
    r = run([args.bin, "-r", f, "-c", "3", "-q"])
    tap(r.returncode == 0 and len(r.stdout.splitlines()) == 3, "cli: -c 3 prints 3 packets", r.stdout)


def test_fuzz(args, pc):
    if not args.fuzz:
        return
    corpus = os.path.join(args.out, "fuzz-corpus")
    shutil.rmtree(corpus, ignore_errors=True)
    os.makedirs(corpus)
    for f in glob.glob(os.path.join(pc, "*.pcap*")):
        shutil.copy(f, corpus)
    # Each packet of protocols.pcap on its own, as Ethernet (first byte 0).
    data = open(os.path.join(pc, "protocols.pcap"), "rb").read()
    off, i = 24, 0
    while off + 16 <= len(data):
        cap = int.from_bytes(data[off + 8:off + 12], "little")
        with open(os.path.join(corpus, "pkt%03d" % i), "wb") as w:
            w.write(b"\0" + data[off + 16:off + 16 + cap])
        off += 16 + cap
        i += 1
    crashes = os.path.join(args.out, "fuzz-crashes")
    os.makedirs(crashes, exist_ok=True)
    r = run([args.fuzz, "-max_total_time=%d" % args.fuzz_time, "-timeout=10",
             "-max_len=4096", "-artifact_prefix=" + crashes + "/", corpus])
    m = re.findall(r"#(\d+)\s+DONE\s+cov: (\d+)", r.stderr)
    tap(r.returncode == 0, "libFuzzer %ds over decoders and file reader%s" % (
        args.fuzz_time, " (%s runs, cov %s)" % m[-1] if m else ""), r.stderr[-3000:])


# ---- TCP analysis, link types, tunnels, exports, plots, comparison ----

TA_FLAGS = ["retransmission", "fast_retransmission", "spurious_retransmission",
            "out_of_order", "lost_segment", "ack_lost_segment", "duplicate_ack",
            "zero_window", "zero_window_probe", "zero_window_probe_ack", "window_full",
            "window_update", "keep_alive", "keep_alive_ack", "reused_ports"]
TA_VALUES = [("tcp.stream", "stream"), ("tcp.seq", "seq"), ("tcp.ack", "ack"),
             ("tcp.nxtseq", "nxtseq"), ("tcp.len", "len"), ("tcp.window_size", "window_size"),
             ("tcp.analysis.duplicate_ack_num", "duplicate_ack_num"),
             ("tcp.analysis.duplicate_ack_frame", "duplicate_ack_frame"),
             ("tcp.analysis.acks_frame", "acks_frame"), ("tcp.analysis.ack_rtt", "ack_rtt"),
             ("tcp.analysis.initial_rtt", "initial_rtt"), ("tcp.analysis.rto", "rto"),
             ("tcp.analysis.rto_frame", "rto_frame")]


def tshark_fields(args, f, fields, extra=()):
    cmd = ["tshark", "-n", "-r", f, "-T", "fields", "-E", "separator=/t",
           "-E", "occurrence=f"] + list(extra)
    for fl in fields:
        cmd += ["-e", fl]
    t = run(cmd, env=dict(os.environ, HOME=args.out))
    rows = [dict(zip(fields, ln.split("\t"))) for ln in t.stdout.splitlines()]
    return t, rows


def our_json(args, f, extra=()):
    r = run([args.bin, "-r", f, "-T", "json"] + list(extra))
    objs = []
    for ln in r.stdout.splitlines():
        try:
            objs.append(json.loads(ln))
        except ValueError:
            pass
    return r, objs


def test_analysis(args, pc):
    """Every packet's tcp.analysis flags and numbers, against tshark's."""
    if not shutil.which("tshark"):
        tap(True, "TCP analysis against tshark # SKIP tshark not installed")
        return
    fields = ["frame.number"] + [t for t, _ in TA_VALUES] + \
        ["tcp.analysis." + n for n in TA_FLAGS]
    for name in ANALYSIS_CAPTURES:
        f = os.path.join(pc, name)
        t, trows = tshark_fields(args, f, fields)
        r, objs = our_json(args, f, ["--analyze"])
        mism, flags, vals = [], 0, 0
        if len(trows) != len(objs):
            mism.append("tshark %d packets, we %d" % (len(trows), len(objs)))
        for tv, o in zip(trows, objs):
            ta = first_layer(o["layers"], "tcp_analysis") or {}
            no = o["number"]
            if str(no) != tv["frame.number"]:
                mism.append("packet %d: tshark's number %s" % (no, tv["frame.number"]))
            ours_f = set(x["kind"] for x in ta.get("flags", []))
            theirs_f = set(n for n in TA_FLAGS if tv.get("tcp.analysis." + n))
            if ours_f != theirs_f:
                mism.append("packet %d flags: tshark %s, we %s" % (no, sorted(theirs_f),
                                                                   sorted(ours_f)))
            flags += len(theirs_f)
            for tf, key in TA_VALUES:
                a, b = tv.get(tf, ""), ta.get(key, "")
                b = "" if b is None else str(b)
                if a != b:
                    mism.append("packet %d %s: tshark %r, we %r" % (no, tf, a, b))
                else:
                    vals += a != ""
        tap(t.returncode == 0 and r.returncode == 0 and not mism,
            "TCP analysis = tshark's on %s (%d packets, %d flags, %d values)" % (
                name, len(objs), flags, vals), t.stderr[-300:] + "\n".join(mism[:40]))


def test_expert_known(args, pc):
    """The expert events of analysis.pcap, by frame, as its generator says."""
    want = {8: "lost_segment", 9: "duplicate_ack", 10: "duplicate_ack", 11: "duplicate_ack",
            12: "fast_retransmission", 14: "spurious_retransmission", 16: "retransmission",
            17: "lost_segment", 18: "out_of_order", 20: "zero_window",
            21: "zero_window_probe", 22: "zero_window_probe_ack", 23: "window_update",
            24: "window_full", 25: "keep_alive", 26: "keep_alive_ack",
            31: "ack_lost_segment", 32: "reused_ports", 33: "retransmission",
            37: "ack_lost_segment"}
    r = run([args.bin, "-r", os.path.join(pc, "analysis.pcap"), "--expert", "-T", "json"])
    try:
        ev = json.loads(r.stdout)
    except ValueError as ex:
        tap(False, "--expert -T json on analysis.pcap", "%s\n%s" % (ex, r.stdout[:500]))
        return
    got = {}
    for e in ev:
        got.setdefault(e["frame"], set()).add(e["flag"])
    errs = ["frame %d lacks %s" % (k, v) for k, v in want.items() if v not in got.get(k, ())]
    errs += ["frame %d: unexpected %s" % (k, v) for k, v in got.items() if k not in want]
    tap(r.returncode == 0 and not errs and len(ev) == 23,
        "--expert: the %d known events of analysis.pcap (%d lines)" % (len(want), len(ev)),
        "\n".join(errs) + "\n" + r.stdout[:2000])
    r = run([args.bin, "-r", os.path.join(pc, "analysis.pcap"), "--analyze", "-q"])
    lines = r.stdout.splitlines()
    ok = (len(lines) == 38 and lines[9].endswith("[TCP Dup ACK 7#2]")
          and lines[21].endswith("[TCP ZeroWindowProbeAck] [TCP ZeroWindow]")
          and lines[11].endswith("length 1000 [TCP Fast Retransmission]"))
    tap(r.returncode == 0 and ok, "--analyze -q: tshark's Info words on each line", r.stdout[-3000:])


ANALYSIS_CAPTURES = ["analysis.pcap", "analysis_edges.pcap", "tcp.pcap", "protocols.pcap"]


LINK_CAPTURES = ["null.pcap", "loop.pcap", "ppp.pcap", "sll2.pcap", "wlan.pcap",
                 "radiotap.pcap", "tunnels.pcap", "big.pcap"]


def test_issue16(args, pc):
    test_tshark(args, pc, LINK_CAPTURES)
    test_analysis(args, pc)
    test_expert_known(args, pc)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--trunc")
    ap.add_argument("--fuzz")
    ap.add_argument("--fuzz-time", type=int, default=20)
    ap.add_argument("--out", required=True)
    ap.add_argument("--regen", action="store_true")
    args = ap.parse_args()

    pc = os.path.join(args.out, "pcaps")
    shutil.rmtree(pc, ignore_errors=True)
    r = run([sys.executable, os.path.join(HERE, "gen_pcaps.py"), pc])
    tap(r.returncode == 0, "generate captures", r.stderr)
    test_golden(args, pc)
    if not args.regen:
        test_json(args, pc)
        if args.trunc:
            test_trunc(args, pc)
        test_tshark(args, pc)
        test_tcp(args, pc)
        test_cli(args, pc)
        test_issue16(args, pc)
        test_fuzz(args, pc)
    failed = results.count(False)
    print("# %d passed, %d failed" % (len(results) - failed, failed))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
