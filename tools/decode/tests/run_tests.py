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
  lines       kcapdecode --tcpdump against tcpdump -r itself, line for line,
              in each of tcpdump's print modes, on gen_lines.py's captures
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


def test_trunc(args, pc, lc):
    files = [f for f in sorted(glob.glob(os.path.join(pc, "*.pcap*")))
             if os.path.basename(f) not in STRICT_TRUNC]
    files += ["-s", "16"] + [os.path.join(pc, f) for f in STRICT_TRUNC]
    r = run([args.trunc] + files)
    tap(r.returncode == 0, "every truncation point under ASan/UBSan: %s" % r.stdout.strip(),
        r.stdout + r.stderr[-3000:])
    # tcpdump's lines' captures (not lines_cut*, cut already, nor the big one)
    files = [f for f in sorted(glob.glob(os.path.join(lc, "lines_*.pcap")))
             if "lines_cut" not in f and not f.endswith("lines_big.pcap")]
    r = run([args.trunc, "--no-marks"] + files)
    tap(r.returncode == 0, "every truncation point of the lines' captures: %s" % r.stdout.strip(),
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


# tcpdump's print modes; each runs on every lines_*.pcap but lines_names.
LINE_MODES = [
    "-nn", "-nn -v", "-nn -vv", "-nn -vvv", "-nn -e", "-q -nn", "-qq -nn",
    "-q -e -nn", "-nn -x", "-nn -xx", "-nn -X", "-nn -XX", "-nn -A", "-nn -AA",
    "-nn -t", "-nn -tt", "-nn -ttt", "-nn -tttt", "-nn -ttttt", "-nn -S",
    "-nn --time-stamp-precision=nano", "-nn -ttt --time-stamp-precision=nano",
    "-n -e -vv", "-nn -K -v", "-nn -# -e", "-nn -v -X", "-nn -e -x", "-nn -S -v",
]
# Names (no -n) only where they come from /etc/hosts and services.
NAME_MODES = ["", "-e", "-v", "-q -e", "-vv -e -S"]
# New York's rules without tzdata; a half-hour zone south of the equator.
LINE_TZ = "EST5EDT,M3.2.0,M11.1.0"
OTHER_TZ = "ACST-9:30ACDT,M10.1.0,M4.1.0/3"


def compare_lines(args, cap, flags, tz):
    """(tcpdump's lines, ours, error text or "")"""
    env = dict(os.environ, TZ=tz)
    t = subprocess.run(["tcpdump", "-r", cap] + flags, capture_output=True, env=env)
    o = subprocess.run([args.bin, "--tcpdump", "-r", cap] + flags, capture_output=True, env=env)
    err = ""
    if t.returncode:
        err = "tcpdump exit %d: %s" % (t.returncode, t.stderr.decode(errors="replace")[-300:])
    elif o.returncode:
        err = "kcapdecode exit %d: %s" % (o.returncode, o.stderr.decode(errors="replace")[-2000:])
    # -A prints payload bytes as they are: compare bytes, split on LF
    return t.stdout.split(b"\n"), o.stdout.split(b"\n"), err


def excused(want, got):
    """tcpdump 4.99.3 takes classic pcap's unsigned 32-bit seconds as signed,
    kcap as the format says (issue 16): around a time past 2038 the two see
    a time difference (-ttt, -ttttt) of opposite signs, and the one that
    sees it negative prints "[Error converting time]". The rest of the line
    must be the same."""
    err = b"[Error converting time]"

    def rest(line):
        if err in line:
            return line.split(err, 1)[1].lstrip()
        return line.lstrip().split(b" ", 1)[-1]

    if (err in want) == (err in got):
        return False
    return rest(want) == rest(got)


def test_lines(args, lc):
    if not shutil.which("tcpdump"):
        tap(True, "lines against tcpdump # SKIP tcpdump not installed")
        return
    caps = sorted(glob.glob(os.path.join(lc, "lines_*.pcap")))
    runs = [(m, LINE_TZ, [c for c in caps if "names" not in c]) for m in LINE_MODES]
    runs += [(m, LINE_TZ, [os.path.join(lc, "lines_names.pcap")]) for m in NAME_MODES]
    runs += [("-nn -tttt", OTHER_TZ, [os.path.join(lc, "lines_time.pcap")]),
             ("-nn", OTHER_TZ, [os.path.join(lc, "lines_time.pcap")])]
    shares = []
    for mode, tz, cs in runs:
        same = total = 0
        first = ""
        for cap in cs:
            want, got, err = compare_lines(args, cap, mode.split(), tz)
            n = max(len(want), len(got))
            eq = sum(1 for a, b in zip(want, got) if a == b or excused(a, b))
            same += eq
            total += n
            if (err or eq != n) and not first:
                i = next((k for k in range(n) if k >= len(want) or k >= len(got)
                          or (want[k] != got[k] and not excused(want[k], got[k]))), n)
                w = want[i].decode(errors="replace") if i < len(want) else "(no line)"
                g = got[i].decode(errors="replace") if i < len(got) else "(no line)"
                first = "%s%s, line %d:\ntcpdump:    %s\nkcapdecode: %s" % (
                    err + "\n" if err else "", os.path.basename(cap), i + 1, w, g)
        name = "tcpdump %s%s" % (mode or "(no flags)", "" if tz == LINE_TZ else " TZ=" + tz)
        shares.append((name, same, total))
        tap(not first and total > 0,
            "lines: %s: %d/%d lines identical" % (name, same, total), first)
    for name, same, total in shares:
        print("# %-52s %6.2f%% (%d/%d)" % (name, 100.0 * same / max(total, 1), same, total))


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
    # One packet of each link type, its first byte picking the type (fuzz_decode.c).
    for name, sel in (("null.pcap", 4), ("loop.pcap", 5), ("ppp.pcap", 6), ("sll2.pcap", 7),
                      ("wlan.pcap", 8), ("radiotap.pcap", 9), ("tunnels.pcap", 0)):
        data = open(os.path.join(pc, name), "rb").read()
        off, i = 24, 0
        while off + 16 <= len(data):
            cap = int.from_bytes(data[off + 8:off + 12], "little")
            with open(os.path.join(corpus, "%s%03d" % (name[:4], i)), "wb") as w:
                w.write(bytes([sel]) + data[off + 16:off + 16 + cap])
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


def tshark_fields(args, f, fields, extra=(), occ="f"):
    cmd = ["tshark", "-n", "-r", f, "-T", "fields", "-E", "separator=/t",
           "-E", "occurrence=" + occ] + list(extra)
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
            31: "ack_lost_segment", 32: "reused_ports", 33: "retransmission"}
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
    tap(r.returncode == 0 and not errs and len(ev) == 22,
        "--expert: the %d known events of analysis.pcap (%d lines)" % (len(want), len(ev)),
        "\n".join(errs) + "\n" + r.stdout[:2000])
    r = run([args.bin, "-r", os.path.join(pc, "analysis.pcap"), "--analyze", "-q"])
    lines = r.stdout.splitlines()
    ok = (len(lines) == 38 and lines[9].endswith("[TCP Dup ACK 7#2]")
          and lines[21].endswith("[TCP ZeroWindowProbeAck] [TCP ZeroWindow]")
          and lines[11].endswith("length 1000 [TCP Fast Retransmission]"))
    tap(r.returncode == 0 and ok, "--analyze -q: tshark's Info words on each line", r.stdout[-3000:])


def tshark_text(args, cmd):
    t = run(["tshark", "-n"] + cmd, env=dict(os.environ, HOME=args.out))
    return t


def test_follow_payload(args, pc):
    """--follow SPEC --payload MODE is tshark -q -z follow,tcp,MODE,SPEC byte for byte."""
    cases = [("analysis.pcap", "0", "0"), ("analysis.pcap", "1", "1"), ("analysis.pcap", "2", "2"),
             ("follow.pcap", "0", "0"), ("big.pcap", "0", "0"),
             ("tcp.pcap", "[2001:db8::10]:42000-[2001:db8::20]:443",
              "[2001:db8::10]:42000,[2001:db8::20]:443"),
             ("tcp.pcap", "10.1.0.1:41000,10.1.0.2:80", "10.1.0.1:41000,10.1.0.2:80"),
             ("tcp.pcap", "7", "7")]
    for name, ours_spec, their_spec in cases:
        f = os.path.join(pc, name)
        bad = []
        for mode in ("ascii", "hex", "raw"):
            t = tshark_text(args, ["-r", f, "-q", "-z", "follow,tcp,%s,%s" % (mode, their_spec)])
            r = run([args.bin, "-r", f, "--follow", ours_spec, "--payload", mode])
            if r.returncode or t.returncode or r.stdout != t.stdout:
                d = "".join(difflib.unified_diff(t.stdout.splitlines(True)[:400],
                                                 r.stdout.splitlines(True)[:400],
                                                 "tshark", "kcapdecode", n=1))
                bad.append("%s: exit %d/%d\n%s%s" % (mode, r.returncode, t.returncode,
                                                      r.stderr, d[:3000]))
        tap(not bad, "--follow %s --payload ascii|hex|raw = tshark's on %s" % (ours_spec, name),
            "\n".join(bad))
    # JSON chunks carry the same bytes as tshark's raw lines
    f = os.path.join(pc, "follow.pcap")
    t = tshark_text(args, ["-r", f, "-q", "-z", "follow,tcp,raw,0"])
    raw = [(1 if ln.startswith("\t") else 0, ln.strip()) for ln in t.stdout.splitlines()
           if ln.strip() and not ln.startswith(("=", "Follow", "Filter", "Node"))]
    r = run([args.bin, "-r", f, "--follow", "0", "--payload", "ascii", "-T", "json"])
    try:
        o = json.loads(r.stdout)
        got = [(c["node"], c["data"]) for c in o["chunks"]]
        ok = got == raw and o["node0"] == "10.5.0.1:2000" and len(o["chunks"]) == 11
    except (ValueError, KeyError) as ex:
        ok, got = False, str(ex)
    tap(r.returncode == 0 and ok, "--follow --payload -T json: tshark's chunks, as hex",
        "want %r\n got %r" % (raw, got))
    r = run([args.bin, "-r", f, "--follow", "0", "--payload", "hex", "-T", "csv"])
    rows = [ln.split(",") for ln in r.stdout.splitlines()[1:]]
    ok = [(int(a), d) for a, _, _, d in rows] == raw if rows and all(len(x) == 4 for x in rows) else False
    tap(r.returncode == 0 and ok and r.stdout.startswith("node,frame,len,data\n"),
        "--follow --payload -T csv: the same chunks", r.stdout[:1000])


def test_follow_table_export(args, pc):
    f = os.path.join(pc, "tcp.pcap")
    txt = run([args.bin, "-r", f, "--follow", "10.1.0.1:41000-10.1.0.2:80"]).stdout
    want = []
    for ln in txt.splitlines():
        m = re.match(r"^ *(-->|<--)\[ *(\d+)\] *([\d.]+)s flag=(\S+) +seq=(\d+) +ack=(\d+) +len=(\d+) +win=(\d+)$", ln)
        if m:
            want.append((m.group(1), int(m.group(2)), m.group(4), int(m.group(5)), int(m.group(6)),
                         int(m.group(7)), int(m.group(8))))
    r = run([args.bin, "-r", f, "--follow", "10.1.0.1:41000-10.1.0.2:80", "-T", "json"])
    try:
        o = json.loads(r.stdout)
        got = [(p["direction"], p["frame"], p["flags"], p["seq"], p["ack"], p["len"], p["win"])
               for p in o["packets"]]
        ok = got == want and len(want) == 10 and o["packets_total"] == 20 and \
            o["window_scaling"] == "negotiated, windows scaled"
    except (ValueError, KeyError) as ex:
        ok, got = False, str(ex)
    tap(r.returncode == 0 and ok, "--follow -T json: the table's rows", "want %r\n got %r" % (want, got))
    r = run([args.bin, "-r", f, "--follow", "0", "-T", "csv"])
    rows = [ln.split(",") for ln in r.stdout.splitlines()[1:]]
    got = [(x[1], int(x[0]), x[3], int(x[4]), int(x[5]), int(x[6]), int(x[7])) for x in rows]
    tap(r.returncode == 0 and got == want, "--follow STREAM -T csv: stream 0 is the same connection",
        r.stdout)


def conv_from_tshark(args, f, proto, dfilter=""):
    """Per stream: {frozenset of both endpoints: (frames/bytes each way, rel start, duration)}."""
    p = proto
    fields = ["frame.number", "frame.len", "frame.time_relative", p + ".stream", "ip.src", "ipv6.src",
              p + ".srcport", "ip.dst", "ipv6.dst", p + ".dstport"]
    t, rows = tshark_fields(args, f, fields, ["-Y", p + dfilter], occ="l")  # the innermost headers
    conv = {}
    for x in rows:
        if not x.get(p + ".stream"):
            continue
        src = (x["ip.src"] or x["ipv6.src"], int(x[p + ".srcport"]))
        dst = (x["ip.dst"] or x["ipv6.dst"], int(x[p + ".dstport"]))
        c = conv.setdefault(int(x[p + ".stream"]), {"eps": frozenset([src, dst]), "n": {}, "t": []})
        n = c["n"].setdefault(src, [0, 0])
        n[0] += 1
        n[1] += int(x["frame.len"])
        c["t"].append(x["frame.time_relative"])
    return t, conv


def test_conversations(args, pc):
    """--conversations -T json, TCP and UDP, against tshark's streams."""
    for name in ("tcp.pcap", "analysis.pcap", "follow.pcap", "compare_a.pcap", "tunnels.pcap"):
        f = os.path.join(pc, name)
        # tshark does not look into an MPLS pseudowire (DEEPER_THAN_TSHARK): leave MPLS out
        ours_f, theirs_f = (["not", "mpls"], " && !(eth.type == 0x8847)") if name == "tunnels.pcap" \
            else ([], "")
        r = run([args.bin, "-r", f, "--conversations", "-T", "json"] + ours_f)
        try:
            o = json.loads(r.stdout)
        except ValueError as ex:
            tap(False, "--conversations -T json on %s" % name, str(ex) + r.stdout[:500])
            continue
        errs, n = [], 0
        for proto in ("tcp", "udp"):
            t, conv = conv_from_tshark(args, f, proto, theirs_f)
            if name == "tunnels.pcap" and proto == "udp":
                continue  # tshark's udp.stream counts the outer VXLAN/Geneve flows too
            if len(conv) != len(o[proto]):
                errs.append("%s: tshark %d conversations, we %d" % (proto, len(conv), len(o[proto])))
            for c in o[proto]:
                a, b = (c["addr_a"], c["port_a"]), (c["addr_b"], c["port_b"])
                tc = conv.get(c["stream"])
                if proto == "udp":  # udp.stream: the same 5-tuple in another order
                    tc = next((v for v in conv.values() if v["eps"] == frozenset([a, b])), None)
                if not tc or tc["eps"] != frozenset([a, b]):
                    errs.append("%s stream %d: %s <-> %s not tshark's" % (proto, c["stream"], a, b))
                    continue
                want = (tc["n"].get(a, [0, 0]), tc["n"].get(b, [0, 0]),
                        "%.6f" % float(min(tc["t"], key=float)),
                        "%.6f" % (float(max(tc["t"], key=float)) - float(min(tc["t"], key=float))))
                got = ([c["frames_ab"], c["bytes_ab"]], [c["frames_ba"], c["bytes_ba"]],
                       "%.6f" % float(c["rel_start"]), "%.6f" % float(c["duration"]))
                if want != got:
                    errs.append("%s stream %d: tshark %s, we %s" % (proto, c["stream"], want, got))
                n += 1
        tap(r.returncode == 0 and not errs and n > 0,
            "--conversations -T json = tshark's tcp/udp streams on %s (%d)" % (name, n), "\n".join(errs))
    f = os.path.join(pc, "tcp.pcap")
    r = run([args.bin, "-r", f, "--conversations", "-T", "csv"])
    lines = r.stdout.splitlines()
    ok = (len(lines) == 6 and lines[0].startswith("proto,stream,addr_a,port_a,addr_b,port_b,")
          and lines[1].startswith("tcp,0,10.1.0.1,41000,10.1.0.2,80,6,432,100,4,2224,2000,1,")
          and lines[1].endswith(",0.300000000,fin_both") and lines[5].startswith("udp,0,10.1.0.5,5353,"))
    tap(r.returncode == 0 and ok, "--conversations -T csv: a header and one row per conversation", r.stdout)


# Where tshark counts otherwise, and we as tcpdump reads the headers:
# tshark's IPv6 endpoints leave out a non-first fragment, and it takes a
# segment routing header's last segment as the destination of the UDP inside.
ENDPOINTS_NOT_TSHARKS = {
    ("protocols.pcap", "ipv6"): True,
    ("protocols.pcap", "udp-rows"): [("2001:db8::a", "7001"), ("2001:db8:0:1::2", "7001")],
}


def endpoints_from_tshark(args, f, kind):
    # We count IP fragments as they were captured; so must tshark.
    t = tshark_text(args, ["-r", f, "-q", "-o", "ip.defragment:FALSE", "-o", "ipv6.defragment:FALSE",
                           "-z", "endpoints," + kind])
    rows = {}
    for ln in t.stdout.splitlines():
        x = ln.split()
        if kind in ("tcp", "udp") and len(x) == 8 and x[1].isdigit():
            rows[(x[0], x[1])] = [int(v) for v in x[2:]]
        elif kind in ("ip", "ipv6") and len(x) == 7 and x[1].isdigit():
            rows[(x[0], "")] = [int(v) for v in x[1:]]
    return t, rows


def test_endpoints(args, pc):
    for name in ("tcp.pcap", "analysis.pcap", "compare_a.pcap", "protocols.pcap"):
        f = os.path.join(pc, name)
        r = run([args.bin, "-r", f, "--endpoints", "-T", "csv"])
        ours_rows = {}
        for ln in r.stdout.splitlines()[1:]:
            x = ln.split(",")
            ours_rows.setdefault({"ipv4": "ip", "ipv6": "ipv6"}.get(x[0], x[0]), {})[(x[1], x[2])] = \
                [int(v) for v in x[3:]]
        errs, n = [], 0
        for kind in ("ip", "ipv6", "tcp", "udp"):
            if (name, kind) in ENDPOINTS_NOT_TSHARKS:
                continue
            t, theirs = endpoints_from_tshark(args, f, kind)
            mine = ours_rows.get(kind, {})
            for k in ENDPOINTS_NOT_TSHARKS.get((name, kind + "-rows"), ()):
                theirs.pop(k, None)
                mine.pop(k, None)
            if theirs != mine:
                errs.append("%s: tshark %s\n      we %s" % (kind, sorted(theirs.items()), sorted(mine.items())))
            n += len(theirs)
        tap(r.returncode == 0 and not errs and n > 0,
            "--endpoints = tshark -z endpoints,ip|ipv6|tcp|udp on %s (%d rows)" % (name, n), "\n".join(errs))
    r = run([args.bin, "-r", os.path.join(pc, "tcp.pcap"), "--endpoints", "-T", "json"])
    try:
        o = json.loads(r.stdout)
        ok = o["ipv4"][0] == {"address": "10.1.0.1", "packets": 12, "bytes": 2764, "tx_packets": 7,
                              "tx_bytes": 486, "rx_packets": 5, "rx_bytes": 2278} and len(o["tcp"]) == 8
    except (ValueError, KeyError, IndexError):
        ok = False
    tap(r.returncode == 0 and ok, "--endpoints -T json", r.stdout[:800])


def test_filter_numbers(args, pc):
    """Packet numbers under a filter are the file's, as tshark's frame.number."""
    f = os.path.join(pc, "tcp.pcap")
    r, objs = our_json(args, f, ["tcp", "port", "25", "or", "udp"])
    t, rows = tshark_fields(args, f, ["frame.number"], ["-Y", "tcp.port==25 or udp"])
    tap([o["number"] for o in objs] == [int(x["frame.number"]) for x in rows] == [4, 5, 19],
        "a filter keeps frame numbers: %s" % [o["number"] for o in objs], r.stdout[:300])
    r = run([args.bin, "-r", f, "--analyze", "-T", "json", "host", "10.1.0.3"])
    objs = [json.loads(x) for x in r.stdout.splitlines()]
    st = [first_layer(o["layers"], "tcp_analysis")["stream"] for o in objs]
    tap(r.returncode == 0 and st == [1, 1], "--analyze under a filter: tcp.stream counts every packet", r.stdout[:500])


def png_ok(path):
    try:
        with open(path, "rb") as fh:
            return fh.read(8) == b"\x89PNG\r\n\x1a\n" and os.path.getsize(path) > 1000
    except OSError:
        return False


def read_dat(path):
    rows = []
    with open(path) as fh:
        for ln in fh:
            if ln.startswith("#") or not ln.strip():
                continue
            rows.append(ln.strip().split(","))
    return rows


def io_stat(args, f, interval, expr):
    z = "io,stat,%s,%s" % (interval, expr) if expr else "io,stat," + interval
    t = tshark_text(args, ["-r", f, "-q", "-z", z])
    vals = []
    for ln in t.stdout.splitlines():
        cells = [c.strip() for c in ln.strip().strip("|").split("|")]
        if len(cells) >= 2 and "<>" in cells[0]:
            vals.append([int(c) for c in cells[1:] if c.isdigit()])
    return t, vals


def test_plots(args, pc):
    if not shutil.which("gnuplot"):
        tap(True, "--plot # SKIP gnuplot not installed")
        return
    f = os.path.join(pc, "analysis.pcap")
    out = os.path.join(args.out, "plots")
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    t, tv = tshark_fields(args, f, ["frame.number", "frame.time_relative", "tcp.window_size", "tcp.seq",
                                    "tcp.len", "tcp.nxtseq", "tcp.analysis.acks_frame",
                                    "tcp.analysis.ack_rtt", "ip.src"], ["-Y", "tcp.stream==0"])
    by = {int(x["frame.number"]): x for x in tv}
    checks = {
        "window": lambda d: [(int(x[0]), x[1][:11], x[3]) for x in d] ==
        [(k, v["frame.time_relative"][:11], v["tcp.window_size"]) for k, v in sorted(by.items())],
        "seq": lambda d: [(int(x[0]), x[3], x[4], x[5]) for x in d] ==
        [(k, v["tcp.seq"], v["tcp.len"], v["tcp.nxtseq"]) for k, v in sorted(by.items())],
        "rtt": lambda d: [(int(x[0]), x[3], x[4]) for x in d] ==
        [(k, v["tcp.analysis.acks_frame"], v["tcp.analysis.ack_rtt"]) for k, v in sorted(by.items())
         if v["tcp.analysis.ack_rtt"]],
    }
    for kind in ("window", "seq", "rtt", "throughput"):
        png = os.path.join(out, kind + ".png")
        r = run([args.bin, "-r", f, "--plot", kind, "0", "-o", png] +
                (["--interval", "0.1"] if kind == "throughput" else []))
        ok = r.returncode == 0 and png_ok(png) and os.path.exists(png + ".gp")
        d = read_dat(png + ".dat") if os.path.exists(png + ".dat") else []
        if kind == "throughput":
            _, a = io_stat(args, f, "0.1", "SUM(tcp.len)tcp.len&&tcp.stream==0&&ip.src==10.2.0.1")
            _, b = io_stat(args, f, "0.1", "SUM(tcp.len)tcp.len&&tcp.stream==0&&ip.src==10.2.0.2")
            want = [(x[0], y[0]) for x, y in zip(a, b)][:len(d)]
            got = [(int(x[1]), int(x[2])) for x in d]
            good = got == want and len(d) == 8
        else:
            good = bool(d) and checks[kind](d)
            want, got = "tshark's", d[:12]
        tap(ok and good, "--plot %s -o PNG: a PNG, and its %d data rows = tshark's" % (kind, len(d)),
            "exit %d %s\nwant %s\n got %s" % (r.returncode, r.stderr, want, got))
    # one command, the blog's picture: the client's window over time
    png = os.path.join(out, "client window.png")
    r = run([args.bin, "-r", os.path.join(pc, "tcp.pcap"), "--plot", "window",
             "10.1.0.1:41000-10.1.0.2:80", "-o", png])
    d = read_dat(png + ".dat") if r.returncode == 0 else []
    tap(r.returncode == 0 and png_ok(png) and [x[3] for x in d if x[2] == "0"][-1] == str(501 << 7),
        "--plot window of the blog's connection (a file name with a space)", r.stderr)
    # the I/O graph: frames and bytes per interval, as tshark -z io,stat
    for interval in ("0.1", "0.25"):
        png = os.path.join(out, "io%s.png" % interval)
        r = run([args.bin, "-r", f, "--io-graph", interval, "-o", png])
        d = read_dat(png + ".dat") if r.returncode == 0 else []
        _, want = io_stat(args, f, interval, "")
        got = [[int(x[1]), int(x[2])] for x in d]
        tap(r.returncode == 0 and png_ok(png) and got == want and len(got) > 5,
            "--io-graph %s: a PNG, packets and bytes per interval = tshark's" % interval,
            "want %s\n got %s\n%s" % (want, got, r.stderr))
    r = run([args.bin, "-r", f, "--io-graph", "0.5", "-T", "csv", "tcp", "port", "22"])
    tap(r.returncode == 0 and r.stdout.splitlines()[1:] == ["0.000000000,0,0,0.000",
                                                          "0.500000000,2,208,3328.000"],
        "--io-graph -T csv with a filter", r.stdout)


def test_compare(args, pc):
    want = json.load(open(os.path.join(pc, "compare_expect.json")))
    a, b = os.path.join(pc, "compare_a.pcap"), os.path.join(pc, "compare_b.pcap")
    r = run([args.bin, "--compare", a, b, "-T", "csv"])
    pairs, only_a, only_b = [], [], []
    for x in [ln.split(",") for ln in r.stdout.splitlines()[1:]]:
        if x[0] and x[1]:
            d = x[2]
            ns = (-1 if d.startswith("-") else 1) * int(d.lstrip("-").replace(".", ""))
            pairs.append([int(x[0]), int(x[1]), ns])
        elif x[0]:
            only_a.append(int(x[0]))
        else:
            only_b.append(int(x[1]))
    ok = sorted(pairs) == sorted(want["matched"]) and only_a == want["only_a"] and only_b == want["only_b"]
    tap(r.returncode == 0 and ok, "--compare -T csv: every pair and its delay, the missing on each side",
        "want %s %s %s\n got %s %s %s" % (want["matched"], want["only_a"], want["only_b"], pairs, only_a, only_b))
    r = run([args.bin, "--compare", a, b, "-T", "json"])
    dl = want["delays_ns"]
    fmt = lambda ns: ("-" if ns < 0 else "") + "%d.%09d" % (abs(ns) // 10**9, abs(ns) % 10**9)
    try:
        o = json.loads(r.stdout)
        ok = (o["matched"] == len(dl) and o["delay"]["min"] == fmt(dl[0]) and o["delay"]["max"] == fmt(dl[-1])
              and o["delay"]["median"] == fmt(dl[(len(dl) + 1) // 2 - 1])
              and o["only_a"] == want["only_a"] and o["only_b"] == want["only_b"]
              and {x["sender"]: x["mean"] for x in o["by_sender"]}["10.6.0.2"] == "-0.001500000")
    except (ValueError, KeyError) as ex:
        ok = False
    tap(r.returncode == 0 and ok, "--compare -T json: matched, missing, one-way delay statistics", r.stdout)
    r = run([args.bin, "--compare", a, b])
    ok = ("matched: 23\nonly in A: 2\nonly in B: 1\n" in r.stdout and "only in A (frames): 6, 20" in r.stdout
          and "only in B (frames): 9" in r.stdout and "min -0.001500000" in r.stdout)
    tap(r.returncode == 0 and ok, "--compare: the text report", r.stdout)
    r = run([args.bin, "--compare", a, b, "-T", "json", "udp"])
    o = json.loads(r.stdout) if r.returncode == 0 else {}
    tap(o.get("matched") == 9 and o.get("only_a") == [want["a_frames"][20]] and o.get("only_b") == [],
        "--compare with a filter (udp: both files' UDP, frame numbers the files')", r.stdout)


def test_wrong_before(args, pc):
    """Each "wrong today" of issue 16, right."""
    big = os.path.join(pc, "big.pcap")
    r = run([args.bin, "-r", big, "-q"])
    lines = r.stdout.splitlines()
    ok = (len(lines) == 4 and lines[0].endswith("IP6 2001:db8:7::1.44000 > 2001:db8:7::2.80: tcp [.], length 70144")
          and lines[1].endswith("IP6 2001:db8:7::1.5000 > 2001:db8:7::2.5001: udp, length 70000")
          and lines[2].endswith("IP 10.7.0.1.45000 > 10.7.0.2.80: tcp [.], length 3000")
          and "malformed: payload length 0 without a Jumbo Payload option" in lines[3])
    tap(r.returncode == 0 and ok, "jumbograms (TCP, UDP) and a TSO datagram (IPv4 length 0)", r.stdout)
    r = run([args.bin, "-r", big, "-c", "2"])
    ok = (r.stdout.count("Jumbo Payload          } payload length 70172") == 1
          and r.stdout.count("(correct)") == 2 and "| +-[ Checksum                 ] 0x" in r.stdout)
    tap(r.returncode == 0 and ok, "jumbogram tree: TCP and UDP inside, checksums over 32-bit lengths",
        r.stdout[-2000:])
    r = run([args.bin, "-r", big, "--conversations", "-T", "json"])
    o = json.loads(r.stdout) if r.returncode == 0 else {"tcp": [], "udp": []}
    tap(r.returncode == 0 and [c["payload_ab"] for c in o["tcp"]] == [70144, 3000] and
        [c["payload_ab"] for c in o["udp"]] == [70000],
        "jumbogram and TSO reach --conversations", r.stdout)
    r = run([args.bin, "-r", big, "-x", "-c", "1", "-q"])
    offs = [ln.split()[0] for ln in r.stdout.splitlines()[1:]]
    tap(r.returncode == 0 and offs[4095] == "fff0" and offs[4096] == "10000" and
        offs[-1] == "%x" % ((70226 - 1) & ~15),
        "-x offsets past 64 KiB: ffff0, 10000, ... as tcpdump's 0x10000", "%s" % offs[4090:4100])
    # timestamps: seconds are unsigned 32-bit; a sub-second out of range stays in its second
    want = ["2147483647.999999000", "2147483648.000000000", "4026531840.000005000", "4294967295.999999000",
            "1700000000.999999999", "1700000000.999999999", "1700000000.999999999"]
    for name in ("ts_usec.pcap", "ts_nsec.pcap"):
        f = os.path.join(pc, name)
        r, objs = our_json(args, f)
        got = [o["ts"] for o in objs]
        t, rows = tshark_fields(args, f, ["frame.time_epoch"])
        theirs = [x["frame.time_epoch"] for x in rows][:4]
        tap(r.returncode == 0 and got == want and theirs == want[:4],
            "%s: 2038-2106 stamps as tshark's; bad sub-seconds not moved by seconds" % name,
            "want %s\n got %s\ntshark %s" % (want, got, theirs))
    r = run([args.bin, "-r", os.path.join(pc, "ts_usec.pcap"), "-c", "4"])
    tap("2106-02-07 06:28:15.999999000 UTC" in r.stdout and "2038-01-19 03:14:08.000000000 UTC" in r.stdout,
        "the tree prints 2038 and 2106 as such", r.stdout[:300])
    # a file ending in a cut record: what was read, then the error, exit 1 (as tcpdump)
    cut = os.path.join(pc, "cut.pcap")
    td = run(["tcpdump", "-nn", "-r", cut]) if shutil.which("tcpdump") else None
    for argv, what in ((["--conversations"], "TCP conversations: 4\n"),
                       (["--conversations", "-T", "json"], '{"tcp":['),
                       (["--endpoints"], "IPv4 endpoints: 5"),
                       (["--follow", "10.1.0.1:41000-10.1.0.2:80"], "cut.pcap contains 19 packets (10 interesting)"),
                       (["--follow", "0", "--payload", "ascii"], "===\n"),
                       (["--expert"], "0 expert events"),
                       (["-q"], "22:13:21.300500000 IP 10.1.0.5.5353 > 10.1.0.9.5353: udp, length 4\n")):
        r = run([args.bin, "-r", cut] + argv)
        ok = (r.returncode == 1 and what in r.stdout and "truncated" in r.stderr
              and r.stderr.count("\n") == 1 and (td is None or td.returncode == 1))
        tap(ok, "cut record: %s prints what it read, then the error, exit 1" % " ".join(argv),
            "exit %d\n%s\n%s" % (r.returncode, r.stdout[-600:], r.stderr))
    # link types: the layers by name, and IP reached
    for name, layer, line in (("null.pcap", "Loopback", "IP 192.0.2.10.33000 > 192.0.2.20.80: tcp [S]"),
                              ("loop.pcap", "Loopback", "IP6 2001:db8:5::1.33001 > 2001:db8:5::2.443: tcp [P.]"),
                              ("ppp.pcap", "PPP", "IP 192.0.2.10.5000 > 192.0.2.20.53: udp, length 4"),
                              ("sll2.pcap", "Linux cooked capture v2", "Out IP6 2001:db8:5::1.5000"),
                              ("wlan.pcap", "IEEE 802.11", "IP6 2001:db8:5::1.5000 > 2001:db8:5::2.53: udp"),
                              ("radiotap.pcap", "Radiotap", "IP 192.0.2.10.33000 > 192.0.2.20.80: tcp [S]")):
        f = os.path.join(pc, name)
        tree = run([args.bin, "-r", f]).stdout
        q = run([args.bin, "-r", f, "-q"])
        tap(q.returncode == 0 and ("+-< %s" % layer) in tree and line in q.stdout and
            "Unknown link type" not in tree,
            "link type %s decoded to IP" % name, q.stdout + tree[:1500])
    f = os.path.join(pc, "radiotap.pcap")
    tree = run([args.bin, "-r", f, "-c", "3"]).stdout
    tap("Channel Frequency        ] 2437 (MHz)" in tree and "SSID                     ] kcap" in tree
        and "FCS at End             } 1" in tree, "radiotap fields, the FCS flag, a beacon's SSID", tree[:3000])
    # tunnels: to the inner packet, with the outer headers' fields
    f = os.path.join(pc, "tunnels.pcap")
    q = run([args.bin, "-r", f, "-q"]).stdout.splitlines()
    inner = [ln for ln in q if "10.9.0.1" in ln or "2001:db8:9::1" in ln]
    tree = run([args.bin, "-r", f]).stdout
    want = ["VNI                      ] 5000", "Key                      ] 0x01020304",
            "Sequence Number          ] 42", "Checksum                 ] 0x43cf (correct)",
            "label 1000, tc 0, ttl 64", "label 2000, tc 0, bottom, ttl 64", "Call ID                  ] 7",
            "+-< ERSPAN type II", "+-< Geneve", "+-< PW Ethernet Control Word", "+-< MACsec",
            "+-< PPPoE session", "802.1ad VLAN", "Encrypted Data"]
    missing = [w for w in want if w not in tree]
    tap(len(inner) == 17 and len(q) == 18 and not missing,
        "tunnels: VXLAN, Geneve, GRE (+key/seq/csum, v1, ERSPAN), MPLS, QinQ, MACsec, IPIP reach the inner packet",
        "\n".join(q) + "\nmissing: %s" % missing)
    r = run([args.bin, "-r", os.path.join(pc, "deep.pcap"), "-q"])
    tap(r.returncode == 0 and r.stdout.count("[malformed: too many nested encapsulations]") == 2,
        "nested encapsulations stop at the depth cap", r.stdout)


def test_cli16(args, pc):
    f = os.path.join(pc, "analysis.pcap")
    cases = [
        (["-r", f, "--follow", "0", "--payload", "ebcdic"], 2, "--payload"),
        (["-r", f, "--payload", "hex"], 2, "--payload"),
        (["-r", f, "--plot", "pie", "0", "-o", "/dev/null"], 2, "--plot"),
        (["-r", f, "--plot", "window"], 2, "--plot"),
        (["-r", f, "--plot", "window", "0"], 2, "-o"),
        (["-r", f, "--plot", "window", "nonsense", "-T", "csv"], 1, "--plot"),
        (["-r", f, "--plot", "window", "99", "-T", "csv"], 1, "no packets"),
        (["-r", f, "--io-graph", "fast", "-T", "csv"], 2, "--io-graph"),
        (["-r", f, "--io-graph", "0", "-T", "csv"], 2, "--io-graph"),
        (["-r", f, "--plot", "throughput", "0", "--interval", "x", "-T", "csv"], 2, "--interval"),
        (["-r", f, "-T", "csv"], 2, "-T csv"),
        (["-r", f, "--conversations", "--endpoints"], 2, "exclusive"),
        (["--compare", f], 2, "--compare"),
        (["--compare", f, os.path.join(pc, "nonexistent.pcap")], 1, "nonexistent"),
        (["-r", f, "--expert", "-c", "3"], 2, "take no"),
    ]
    for argv, code, word in cases:
        r = run([args.bin] + argv)
        ok = r.returncode == code and word in r.stderr and r.stderr.count("\n") == 1
        tap(ok, "cli: %s exits %d" % (" ".join(a.replace(pc + "/", "") for a in argv), code),
            "exit %d, stderr %r" % (r.returncode, r.stderr))


ANALYSIS_CAPTURES = ["analysis.pcap", "analysis_edges.pcap", "tcp.pcap", "protocols.pcap", "follow.pcap",
                     "big.pcap", "compare_a.pcap", "compare_b.pcap", "radiotap.pcap", "null.pcap",
                     "analysis_random.pcap"]


LINK_CAPTURES = ["null.pcap", "loop.pcap", "ppp.pcap", "sll2.pcap", "wlan.pcap",
                 "radiotap.pcap", "tunnels.pcap", "big.pcap"]


def test_issue16(args, pc):
    test_tshark(args, pc, LINK_CAPTURES)
    test_analysis(args, pc)
    test_expert_known(args, pc)
    test_follow_payload(args, pc)
    test_follow_table_export(args, pc)
    test_conversations(args, pc)
    test_endpoints(args, pc)
    test_filter_numbers(args, pc)
    test_plots(args, pc)
    test_compare(args, pc)
    test_wrong_before(args, pc)
    test_cli16(args, pc)


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
    # tcpdump's lines have captures of their own, kept out of the others' globs
    lc = os.path.join(args.out, "lines")
    shutil.rmtree(lc, ignore_errors=True)
    r = run([sys.executable, os.path.join(HERE, "gen_lines.py"), lc])
    tap(r.returncode == 0, "generate captures for tcpdump's lines", r.stderr)
    test_golden(args, pc)
    if not args.regen:
        test_json(args, pc)
        if args.trunc:
            test_trunc(args, pc, lc)
        test_tshark(args, pc)
        test_tcp(args, pc)
        test_cli(args, pc)
        test_lines(args, lc)
        test_issue16(args, pc)
        test_fuzz(args, pc)
    failed = results.count(False)
    print("# %d passed, %d failed" % (len(results) - failed, failed))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
