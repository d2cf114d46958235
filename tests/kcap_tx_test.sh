#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Injection through the tools, in the VM: kcapgen's profiles counted by
# kcapgen recv on the far end of a veth pair (sent == received, nothing
# corrupted, or everything with --bad-checksum), kcapgen replay
# sending a file in order and on time (checked against tcpdump on the
# peer), and the injection rate next to a plain AF_PACKET sender.
#
# Env: KCAP_KO (module; loaded here, unloaded at the end), KCAP_BIN (the
# tools), KCAP_OUT (writable; failing runs leave their files there).
set -u

GEN=${KCAP_BIN:?KCAP_BIN: directory of the tools}/kcapgen
ROOT=$(cd "$(dirname "$0")/.." && pwd)
A="ip netns exec kcapA"
B="ip netns exec kcapB"
. "$(dirname "$0")/tap.sh"
tap_init kcap_tx_test

tap_cleanup()
{
	ip netns del kcapA 2>/dev/null
	ip netns del kcapB 2>/dev/null
	rmmod kcap 2>/dev/null
}

# The same two namespaces as tests/kcap_net.h: a0 10.0.0.1 <-> b0 10.0.0.2.
net_setup()
{
	local ns

	ip netns add kcapA && ip netns add kcapB || return 1
	for ns in kcapA kcapB; do
		ip netns exec $ns sysctl -qw net.ipv6.conf.all.disable_ipv6=0 \
			net.ipv6.conf.default.addr_gen_mode=1 \
			net.ipv6.conf.default.accept_dad=0 \
			net.ipv6.conf.default.router_solicitations=0 || return 1
		ip -n $ns link set lo up
	done
	ip link add a0 address 02:00:00:00:0a:00 netns kcapA type veth \
		peer b0 address 02:00:00:00:0b:00 netns kcapB || return 1
	ip -n kcapA addr add 10.0.0.1/24 dev a0 &&
	ip -n kcapB addr add 10.0.0.2/24 dev b0 &&
	ip -n kcapA addr add fd00::1/64 dev a0 nodad &&
	ip -n kcapB addr add fd00::2/64 dev b0 nodad &&
	ip -n kcapA link set a0 up && ip -n kcapB link set b0 up &&
	ip -n kcapA neigh replace 10.0.0.2 lladdr 02:00:00:00:0b:00 dev a0 nud permanent &&
	ip -n kcapB neigh replace 10.0.0.1 lladdr 02:00:00:00:0a:00 dev b0 nud permanent
}

# recv_start TAG FILTER: kcapgen recv on b0, until recv_stop.
recv_start()
{
	$B "$GEN" recv -i b0 "$2" >"$W/$1.recv" 2>"$W/$1.err" &
	RECV=$!
	wait_for "$W/$1.err" listening
}

recv_stop()
{
	sleep 0.5
	kill -INT "$RECV"
	wait "$RECV"
}

# profile DESC TAG FILTER WANT_CORRUPT(0|all) SEND_ARGS...: sent == received.
profile()
{
	local desc=$1 tag=$2 filter=$3 corrupt=$4 sent rec bad
	shift 4

	if ! recv_start "$tag" "$filter"; then
		not_ok "$desc: receiver started"
		diag "$W/$tag.err"
		return
	fi
	$A "$GEN" send -i a0 "$@" >"$W/$tag.send" 2>&1
	recv_stop
	sent=$(sed -n 's/^sent=//p' "$W/$tag.send")
	rec=$(sed -n 's/^received=\([0-9]*\) .*/\1/p' "$W/$tag.recv" | tail -n 1)
	bad=$(sed -n 's/.*corrupted=//p' "$W/$tag.recv" | tail -n 1)
	[ "$corrupt" = all ] && corrupt=$sent
	if [ -n "$sent" ] && [ "$sent" -gt 0 ] && [ "$sent" = "$rec" ] &&
	   [ "$bad" = "$corrupt" ]; then
		ok "$desc: sent=$sent received=$rec corrupted=$bad"
	else
		not_ok "$desc: sent=$sent received=$rec corrupted=$bad (want $corrupt)"
		diag "$W/$tag.send" "$W/$tag.err"
	fi
}

tap_insmod
check "two namespaces joined by a veth pair" net_setup || tap_done

# --- kcapgen: every profile, counted by the receiver -----------------------
profile "standard UDP" std-udp "udp port 8000" 0 \
	--dst 10.0.0.2 --proto udp --dport 8000 -c 200 --size 100
profile "standard ICMP echo, every IP field set" std-icmp "icmp" 0 \
	--dst 10.0.0.2 --proto icmp -c 50 --ttl 9 --tos 16 --id 777 --df \
	--payload spamspamspam
profile "standard TCP, every TCP field set" std-tcp "tcp port 80" 0 \
	--dst 10.0.0.2 --proto tcp --sport 4444 --dport 80 --flags SA \
	--seq 1000 --ack 2000 --window 512 --urgptr 3 -c 50 --size 10
profile "IPv4 fragments (MF, offset)" frag "ip proto 17" 0 \
	--dst 10.0.0.2 --proto udp --mf --frag-off 0 -c 20
profile "IPv6 UDP" v6-udp "ip6 and udp port 8000" 0 \
	--dst fd00::2 --dst-mac 02:00:00:00:0b:00 --proto udp --dport 8000 -c 50
profile "IPv6 ICMPv6 echo" v6-icmp "icmp6" 0 \
	--dst fd00::2 --dst-mac 02:00:00:00:0b:00 --proto icmp -c 30
profile "burst: 50 packets every 0.5 s, 4 times" burst "udp port 8000" 0 \
	--dst 10.0.0.2 --profile burst --burst 50 --interval 0.5 --bursts 4
profile "source-port range 9000-9009, round robin" range \
	"udp src portrange 9000-9009" 0 \
	--dst 10.0.0.2 --profile sport-range --sport-range 9000-9009 -c 100
profile "bad checksums: UDP" bad-udp "udp port 8000" all \
	--dst 10.0.0.2 --proto udp -c 40 --bad-checksum
profile "bad checksums: TCP" bad-tcp "tcp" all \
	--dst 10.0.0.2 --proto tcp -c 40 --bad-checksum
profile "bad checksums: ICMP" bad-icmp "icmp" all \
	--dst 10.0.0.2 --proto icmp -c 40 --bad-checksum

# Continuous: until SIGINT.
if recv_start cont "udp port 8000"; then
	$A "$GEN" send -i a0 --dst 10.0.0.2 --profile continuous --rate 200 \
		>"$W/cont.send" 2>&1 &
	SEND=$!
	sleep 2
	kill -INT $SEND
	wait $SEND
	recv_stop
	sent=$(sed -n 's/^sent=//p' "$W/cont.send")
	rec=$(sed -n 's/^received=\([0-9]*\) .*/\1/p' "$W/cont.recv")
	bad=$(sed -n 's/.*corrupted=//p' "$W/cont.recv")
	if [ -n "$sent" ] && [ "$sent" -gt 100 ] && [ "$sent" = "$rec" ] && [ "$bad" = 0 ]; then
		ok "continuous at 200/s, stopped after 2 s: sent=$sent received=$rec"
	else
		not_ok "continuous: sent=$sent received=$rec corrupted=$bad"
	fi
else
	not_ok "continuous: receiver started"
fi

# The sport range went round robin: tcpdump counts 10 of each port.
$B tcpdump -i b0 -n -U -w "$W/range.pcap" -Q in udp >/dev/null 2>"$W/range.tcpd" &
TCPD=$!
wait_for "$W/range.tcpd" "listening on"
sleep 0.3
$A "$GEN" send -i a0 --dst 10.0.0.2 --profile sport-range --sport-range 9000-9009 -c 100 >/dev/null
sleep 1
kill -INT $TCPD
wait $TCPD
counts=$(tcpdump -n -r "$W/range.pcap" 2>/dev/null | sed -n 's/.*10\.0\.0\.1\.\([0-9]*\) >.*/\1/p' |
	sort | uniq -c | awk '{print $1}' | sort -u | tr '\n' ' ')
check "source ports round robin: 10 packets on each of 10 ports ($counts)" \
	test "$counts" = "10 "

check "kcapgen send needs a neighbour or --dst-mac" \
	bash -c "! $A $GEN send -i a0 --dst 10.0.0.99 -c 1 2>/dev/null"

# --- kcapgen replay: order, gaps, rate, loop -------------------------------
# gaps.pcap: 100 frames a0 -> b0, 10 ms apart (every tenth 30 ms), each
# with its number in the payload.
python3 - "$W/gaps.pcap" <<'PY'
import struct, sys
f = open(sys.argv[1], "wb")
f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
t = 1_000_000.0
for i in range(100):
    eth = bytes.fromhex("02000000 0b00 02000000 0a00".replace(" ", "")) + b"\x88\xb5"
    pl = struct.pack(">I", i) + bytes((i + k) % 256 for k in range(60 + i * 7))
    fr = eth + pl
    sec, usec = int(t), int(round((t - int(t)) * 1e6))
    f.write(struct.pack("<IIII", sec, usec, len(fr), len(fr)) + fr)
    t += 0.030 if i % 10 == 9 else 0.010
PY

$B tcpdump -i b0 -n -U -w "$W/sync.pcap" -Q in ether proto 0x88b5 >/dev/null 2>"$W/sync.tcpd" &
TCPD=$!
wait_for "$W/sync.tcpd" "listening on"
sleep 0.3
$A "$GEN" replay "$W/gaps.pcap" -i a0 --sync >"$W/sync.out" 2>&1
rc=$?
sleep 1
kill -INT $TCPD
wait $TCPD
diag "$W/sync.out"
check "--sync: replay succeeds" test $rc = 0
check "--sync: 100 packets sent" grep -q '^100 packets sent' "$W/sync.out"
# Order and bytes: what arrived is the file, frame for frame.
cmp_pcaps()
{
	python3 - "$1" "$2" <<'PY'
import struct, sys
def frames(p):
    d = open(p, "rb").read()
    magic = struct.unpack("<I", d[:4])[0]
    e = "<" if magic in (0xa1b2c3d4, 0xa1b23c4d) else ">"
    o, out = 24, []
    while o + 16 <= len(d):
        s, u, cl, l = struct.unpack(e + "IIII", d[o:o + 16])
        out.append(d[o + 16:o + 16 + cl]); o += 16 + cl
    return out
a, b = frames(sys.argv[1]), frames(sys.argv[2])
sys.exit(0 if a == b else 1)
PY
}
check "--sync: the peer got every frame, in order, byte for byte" \
	cmp_pcaps "$W/gaps.pcap" "$W/sync.pcap"
# The bound. Measured under TCG on both kernels, the mean deviation of
# send times from the schedule is well under 1 ms and the largest a few
# ms (a timer tick, or the emulator's host thread being descheduled);
# with 10 ms gaps, a mean under 2 ms and a maximum under 20 ms keep every
# frame's gap distinguishable from its neighbours' while not failing on a
# loaded host.
mean=$(sed -n 's/^pacing error: mean \([0-9.]*\) ms, max \([0-9.]*\) ms.*/\1/p' "$W/sync.out")
max=$(sed -n 's/^pacing error: mean \([0-9.]*\) ms, max \([0-9.]*\) ms.*/\2/p' "$W/sync.out")
timing_ok "--sync: pacing error" &&
	check "--sync: pacing error mean ${mean} ms < 2 ms, max ${max} ms < 20 ms" \
		awk -v m="$mean" -v x="$max" 'BEGIN { exit !(m != "" && m < 2 && x < 20) }'
# Gaps seen by the receiver, from tcpdump's timestamps.
gaps=$(python3 - "$W/sync.pcap" <<'PY'
import struct, sys
d = open(sys.argv[1], "rb").read()
o, ts = 24, []
while o + 16 <= len(d):
    s, u, cl, l = struct.unpack("<IIII", d[o:o + 16]); ts.append(s + u / 1e6); o += 16 + cl
want = [0.030 if i % 10 == 9 else 0.010 for i in range(len(ts) - 1)]
dev = [abs((ts[i + 1] - ts[i]) - want[i]) for i in range(len(ts) - 1)]
print("%.3f %.3f" % (1e3 * sum(dev) / len(dev), 1e3 * max(dev)))
PY
)
echo "# gaps at the receiver: mean and max deviation (ms): $gaps"

$A "$GEN" replay "$W/gaps.pcap" -i a0 --rate 1000 --loop 3 >"$W/rate.out" 2>&1
diag "$W/rate.out"
check "--rate 1000 --loop 3: 300 packets" grep -q '^300 packets sent' "$W/rate.out"
timing_ok "--rate 1000: in about 0.3 s" &&
	check "--rate 1000 --loop 3: 300 packets in about 0.3 s" \
		awk '/packets sent/ { exit !($1 == 300 && $6 > 0.25 && $6 < 1.0) }' "$W/rate.out"
$A "$GEN" replay "$W/gaps.pcap" -i a0 --mbps 1 -c 50 >"$W/mbps.out" 2>&1
diag "$W/mbps.out"
check "--mbps 1 -c 50: 50 packets" grep -q '^50 packets sent' "$W/mbps.out"
check "replay needs -i" bash -c "! $GEN replay $W/gaps.pcap 2>/dev/null"
check "replay on a device that is not there fails" \
	bash -c "! $A $GEN replay $W/gaps.pcap -i nosuch 2>/dev/null"

# --- the rate, next to AF_PACKET --------------------------------------------
if cc -O2 -I"$ROOT/uapi" -o "$W/tx_afpacket" "$ROOT/bench/tx_afpacket.c" 2>"$W/cc.err"; then
	# The debug kernel sends a few thousand frames a second.
	frames=200000
	[ -n "${KCAP_DEBUG_KERNEL:-}" ] && frames=2000
	for mode in afpacket kcap kcap-batch afpacket kcap kcap-batch; do
		$A "$W/tx_afpacket" a0 $frames 64 02:00:00:00:0b:00 $mode >>"$W/bench.out" 2>&1
	done
	python3 - "$W/one.pcap" <<'PY'
import struct, sys
f = open(sys.argv[1], "wb")
f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
for i in range(1000):
    fr = bytes.fromhex("020000000b00020000000a0088b5") + struct.pack(">I", i) + bytes(46)
    f.write(struct.pack("<IIII", 1, i, len(fr), len(fr)) + fr)
PY
	$A "$GEN" replay "$W/one.pcap" -i a0 --loop $((frames / 1000)) >"$W/dump-rate.out" 2>&1
	sed 's/^/# rate: /' "$W/bench.out"
	sed 's/^/# rate: kcapgen replay (64-frame writev): /' "$W/dump-rate.out"
	check "AF_PACKET and kcap senders ran" test "$(grep -c 'packets/s' "$W/bench.out")" = 6
else
	diag "$W/cc.err"
	ok "rate comparison # SKIP no compiler in the guest"
fi

tap_done
