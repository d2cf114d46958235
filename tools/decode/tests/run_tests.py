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


def test_trunc(args, pc, lc):
    files = sorted(glob.glob(os.path.join(pc, "*.pcap*")))
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


FIELDS = ["frame.len", "frame.cap_len", "ip.src", "ip.dst", "ip.len", "ip.ttl", "ip.id",
          "ipv6.src", "ipv6.dst", "ipv6.plen", "ipv6.hlim",
          "tcp.srcport", "tcp.dstport", "tcp.seq", "tcp.ack", "tcp.flags",
          "tcp.window_size_value", "udp.srcport", "udp.dstport", "udp.length"]


def test_tshark(args, pc):
    if not shutil.which("tshark"):
        tap(True, "tshark cross-check # SKIP tshark not installed")
        return
    for name in ("protocols.pcap", "tcp.pcap", "sll.pcap"):
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
            eq = sum(1 for a, b in zip(want, got) if a == b)
            same += eq
            total += n
            if (err or eq != n) and not first:
                i = next((k for k in range(n) if k >= len(want) or k >= len(got)
                          or want[k] != got[k]), n)
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
    crashes = os.path.join(args.out, "fuzz-crashes")
    os.makedirs(crashes, exist_ok=True)
    r = run([args.fuzz, "-max_total_time=%d" % args.fuzz_time, "-timeout=10",
             "-max_len=4096", "-artifact_prefix=" + crashes + "/", corpus])
    m = re.findall(r"#(\d+)\s+DONE\s+cov: (\d+)", r.stderr)
    tap(r.returncode == 0, "libFuzzer %ds over decoders and file reader%s" % (
        args.fuzz_time, " (%s runs, cov %s)" % m[-1] if m else ""), r.stderr[-3000:])


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
        test_fuzz(args, pc)
    failed = results.count(False)
    print("# %d passed, %d failed" % (len(results) - failed, failed))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
