#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# python/kcap in the VM: the README's one-liner, kcap.sniff(4,
# filter='icmp', device='lo') beside tcpdump while ping -c 4 runs, then
# the package's pytest suite (python/tests: files and decoders against
# scapy and tshark, live captures against tcpdump), one TAP line a test.
#
# Env: KCAP_KO (module; loaded here, unloaded at the end), KCAP_BIN (the
# tools), KCAP_OUT.
set -u

ROOT=$(cd "$(dirname "$0")/.." && pwd)
CTL=${KCAP_BIN:?KCAP_BIN: directory of the tools}/kcapctl
export PYTHONPATH=$ROOT/python
. "$(dirname "$0")/tap.sh"
tap_init kcap_python_test

if ! python3 -c 'import pytest' 2>/dev/null; then
	not_ok "python3-pytest is installed (make setup)"
	tap_done
fi
if [ ! -e "$ROOT/build/lib/libkcap.so.0" ]; then
	not_ok "libkcap.so.0 is built (make tools)"
	tap_done
fi
tap_insmod

# --- the README's line ------------------------------------------------------
tcpdump -i lo -nn -c 4 -w "$W/ref.pcap" icmp 2>"$W/ref.err" &
tpid=$!
wait_for "$W/ref.err" "listening on"
timeout 30 python3 -c "import kcap; print('\n'.join(str(p) for p in kcap.sniff(4, filter='icmp', device='lo')))" \
	>"$W/sniff.out" 2>"$W/sniff.err" &
ppid=$!
for i in $(seq 100); do
	"$CTL" list 2>/dev/null | grep -q '^live-' && break
	sleep 0.1
done
ping -c 4 -i 0.2 127.0.0.1 >/dev/null
wait $ppid
rc=$?
timeout 10 tail --pid=$tpid -f /dev/null
check "python3 -c \"import kcap; kcap.sniff(4, filter='icmp', device='lo')\": exit 0, 4 packets" \
	bash -c "[ $rc = 0 ] && [ \$(wc -l <'$W/sniff.out') = 4 ]" || diag "$W/sniff.out" "$W/sniff.err"
# "1796410543.152377 IP 127.0.0.1 > 127.0.0.1: ICMP echo-request, id 8276, seq 1, length 98"
sed -E 's/^[0-9.]+ IP ([^ ]+) > ([^:]+): ICMP echo-(request|reply), id ([0-9]+), seq ([0-9]+), length ([0-9]+)$/\1 \2 \3 \4 \5 \6/' \
	"$W/sniff.out" >"$W/sniff.fields"
tcpdump -nn -e -r "$W/ref.pcap" 2>/dev/null |
	sed -E 's/.*length ([0-9]+): ([^ ]+) > ([^:]+): ICMP echo (request|reply), id ([0-9]+), seq ([0-9]+), length [0-9]+$/\2 \3 \4 \5 \6 \1/' \
	>"$W/ref.fields"
check "they are tcpdump's 4: requests and replies, ids, seqs, lengths" \
	cmp -s "$W/sniff.fields" "$W/ref.fields" || diag "$W/sniff.fields" "$W/ref.fields"

# --- pytest -----------------------------------------------------------------
(cd "$W" && KCAP_BIN=$KCAP_BIN timeout 300 python3 -m pytest -v -p no:cacheprovider \
	"$ROOT/python/tests" >"$W/pytest.out" 2>&1)
prc=$?
while read -r name result; do
	case $result in
	PASSED) ok "pytest ${name#*::}" ;;
	SKIPPED) ok "pytest ${name#*::} # SKIP" ;;
	*) not_ok "pytest ${name#*::} ($result)" ;;
	esac
done < <(sed -nE 's/^[^ ]*python\/tests\/([^ ]+) (PASSED|FAILED|ERROR|SKIPPED).*/\1 \2/p' "$W/pytest.out")
check "pytest: exit 0 ($(tail -n 1 "$W/pytest.out" | tr -d '='))" [ $prc = 0 ] ||
	grep -E '^(E |FAILED|ERROR)' "$W/pytest.out" | head -n 30 | sed 's/^/# /'

# --- rate: kcap.sniff beside scapy's sniff, each in its own process ------
# One load for both: NPKT datagrams (N is tap.sh's count) at RATE a
# second. Each sniffer says how many it got and how long after the load's
# end it had them all.
NPKT=2000 RATE=1000 PORT=6100
cat >"$W/sniffers.py" <<'PY'
import sys, time
which, n, port, limit = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
filt = "udp dst port %d" % port
if which == "kcap":
    import kcap
    print("ready", flush=True)
    got = len({p.payload for p in kcap.sniff(n, filt, "lo", int(limit * 1000))})
else:
    # On lo scapy sees each datagram twice (out and in): count distinct ones.
    from scapy.all import Raw, sniff
    seen = set()
    def take(p):
        seen.add(bytes(p[Raw].load) if Raw in p else b"")
        return len(seen) >= n
    sniff(iface="lo", filter=filt, timeout=limit, stop_filter=take,
          started_callback=lambda: print("ready", flush=True))
    got = len(seen)
print("%s %d %.6f" % (which, got, time.time()), flush=True)
PY
limit=$((NPKT / RATE + 20))
python3 "$W/sniffers.py" kcap $NPKT $PORT $limit >"$W/rate.kcap" 2>&1 &
kp=$!
python3 "$W/sniffers.py" scapy $NPKT $PORT $limit >"$W/rate.scapy" 2>&1 &
sp=$!
wait_for "$W/rate.kcap" ready && wait_for "$W/rate.scapy" ready
for i in $(seq 100); do
	"$CTL" list 2>/dev/null | grep -q '^live-' && break
	sleep 0.1
done
end=$(python3 - $NPKT $RATE $PORT <<'PY'
import socket, sys, time
n, rate, port = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
t0 = time.monotonic()
for i in range(n):
    d = t0 + i / rate - time.monotonic()
    if d > 0:
        time.sleep(d)
    s.sendto(i.to_bytes(4, "big") + bytes(60), ("127.0.0.1", port))
print("%.6f" % time.time())
PY
)
wait $kp $sp
read -r _ kn kend < <(grep '^kcap ' "$W/rate.kcap")
read -r _ sn send_ < <(grep '^scapy ' "$W/rate.scapy")
lag() { awk -v a="$1" -v b="$end" 'BEGIN { printf "%.2f", a - b }'; }
echo "# rate: $NPKT datagrams at $RATE/s on lo: kcap.sniff got ${kn:-?}, all in hand $(lag "${kend:-0}") s after the load; scapy's sniff got ${sn:-?} ($(lag "${send_:-0}") s after)"
check "rate: kcap.sniff keeps up with $RATE datagrams/s (${kn:-?} of $NPKT)" [ "${kn:-0}" = $NPKT ] ||
	diag "$W/rate.kcap"

check "no private session is left" bash -c "! '$CTL' list | grep -q '^live-'"

tap_rmmod
tap_done
