#!/usr/bin/env python3
"""Turn bench.csv into the table bench/run.sh prints, and captured.dat for
the plot: for each load, every tool's capture rate and cost next to
tcpdump's, then the targets of issue 7 checked against them."""
import csv
import statistics
import sys

path, kver = sys.argv[1], sys.argv[2]
rows = list(csv.DictReader(open(path)))


def num(r, k):
    try:
        return float(r[k])
    except (ValueError, KeyError):
        return 0.0


def per_mpkt(ms, pkts):
    return ms * 1e6 / pkts if pkts else float("nan")


runs = [r for r in rows if not r["tool"].startswith("nomatch")]
loads = []
for r in runs:
    key = (r["mode"], r["size"])
    if key not in loads:
        loads.append(key)

print(f"kcap bench on {kver}")
hdr = f"{'tool':15} {'offered':>8} {'captured':>9} {'cap%':>7} {'dropped':>8} " \
      f"{'cpu ms/Mpkt':>12} {'x tcpdump':>9} {'softirq ms/Mpkt':>16}"
dat = open(path.replace("bench.csv", "captured.dat"), "w")
tools = []
for r in runs:
    if r["tool"] not in tools:
        tools.append(r["tool"])
dat.write("load " + " ".join(tools) + "\n")
checks = []
for mode, size in loads:
    print(f"\n{mode}, {int(size) + 4}-byte frames")
    print(hdr)
    base = next((r for r in runs if r["tool"] == "tcpdump" and
                 (r["mode"], r["size"]) == (mode, size)), None)
    base_cpu = per_mpkt(num(base, "cpu_ms"), num(base, "captured")) if base else None
    line = {}
    for r in runs:
        if (r["mode"], r["size"]) != (mode, size):
            continue
        off, cap = num(r, "offered"), num(r, "captured")
        pct = 100.0 * cap / off if off else 0.0
        cpu = per_mpkt(num(r, "cpu_ms"), cap)
        ratio = cpu / base_cpu if base_cpu else float("nan")
        si = per_mpkt(num(r, "softirq_ms"), off)
        print(f"{r['tool']:15} {off:8.0f} {cap:9.0f} {pct:6.2f}% {num(r, 'dropped'):8.0f} "
              f"{cpu:12.1f} {ratio:9.2f} {si:16.1f}")
        line[r["tool"]] = pct
    dat.write(f"{mode}/{int(size) + 4}B " +
              " ".join(f"{line.get(t, 0):.2f}" for t in tools) + "\n")

    k = next((r for r in runs if r["tool"] == "kcapdump-null" and
              (r["mode"], r["size"]) == (mode, size)), None)
    tb = next((r for r in runs if r["tool"] == "tcpdump-B" and
               (r["mode"], r["size"]) == (mode, size)), None)
    if k and size == "60":
        loss = 100.0 - 100.0 * num(k, "captured") / max(num(k, "offered"), 1)
        tloss = 100.0 - 100.0 * num(tb, "captured") / max(num(tb, "offered"), 1) if tb else 0
        checks.append((f"{mode} 64B: kcap loss {loss:.3f}% (< 0.1%), tcpdump -B loss {tloss:.2f}%",
                       loss < 0.1))
    if k and base_cpu:
        ratio = per_mpkt(num(k, "cpu_ms"), num(k, "captured")) / base_cpu
        checks.append((f"{mode} {int(size) + 4}B: kcap CPU per packet {ratio:.2f}x tcpdump (<= 0.5x)",
                       ratio <= 0.5))

nm = [r for r in rows if r["tool"].startswith("nomatch")]
if nm:
    on = [num(r, "pps") for r in nm if r["tool"] == "nomatch-loaded"]
    off = [num(r, "pps") for r in nm if r["tool"] == "nomatch-unloaded"]
    if on and off:
        a, b = statistics.median(on), statistics.median(off)
        cost = 100.0 * (b - a) / b if b else float("nan")
        print(f"\nno-match filter: {a:.0f} pps loaded vs {b:.0f} pps unloaded "
              f"(medians of {len(on)}): cost {cost:.1f}%")
        checks.append((f"no-match hook cost {cost:.1f}% (< 3%)", cost < 3.0))

print("\ntargets:")
for text, ok in checks:
    print(f"  [{'met' if ok else 'MISSED'}] {text}")
