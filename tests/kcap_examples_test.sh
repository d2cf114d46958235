#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# examples/, the Npcap tutorial's lessons on libkcap.so, in the VM: each
# runs over traffic that tcpdump captures too, and what it prints or
# writes is compared with what tcpdump saw (frame lengths, addresses and
# ports, time stamps, bytes). Also: their bad arguments, and that the
# private sessions kcap_open_live() makes are gone when they exit, even
# by kill -9. TAP output.
#
# Env: KCAP_KO (module; loaded here, unloaded at the end), KCAP_BIN (the
# tools), KCAP_OUT; KCAP_EXAMPLES (default build/examples).
set -u

CTL=${KCAP_BIN:?KCAP_BIN: directory of the tools}/kcapctl
EX=${KCAP_EXAMPLES:-$(cd "$(dirname "$0")/.." && pwd)/build/examples}
PORT=5601
. "$(dirname "$0")/tap.sh"
tap_init kcap_examples_test

# Frame lengths, one a line: of a file as tshark reads it, of an example's
# "len:N" lines.
file_lens() { tshark -r "$1" -T fields -e frame.len 2>/dev/null; }
out_lens() { sed -n 's/.* len:\([0-9]*\).*/\1/p' "$1"; }
# same_lens OUT REF [N]: the example printed the frame lengths tcpdump
# captured, N of them (default: at least one).
same_lens()
{
	local a b n

	a=$(out_lens "$1" | tr '\n' ' ')
	b=$(file_lens "$2" | tr '\n' ' ')
	n=$(out_lens "$1" | wc -l)
	[ -n "$a" ] && [ "$a" = "$b" ] && [ "$n" = "${3:-$n}" ] && return 0
	echo "# printed: $a"
	echo "# tcpdump: $b"
	return 1
}

# until FILE or FILE2 holds TEXT (10 s)
wait_either()
{
	local i

	for i in $(seq 100); do
		grep -qs "$3" "$1" "$2" && return 0
		sleep 0.1
	done
	return 1
}

# vs_tcpdump NAME FILTER COUNT CMD...: CMD and tcpdump (with FILTER, for
# COUNT packets) side by side; then traffic() sends. CMD's stdout is
# $W/NAME.out, tcpdump's file $W/NAME.ref; RC is CMD's exit status.
vs_tcpdump()
{
	local name=$1 filter=$2 count=$3 tpid kpid
	shift 3

	tcpdump -i lo -nn -w "$W/$name.ref" -c "$count" $filter 2>"$W/$name.ref.err" &
	tpid=$!
	timeout 30 "$@" >"$W/$name.out" 2>"$W/$name.err" &
	kpid=$!
	wait_for "$W/$name.ref.err" "listening on"
	# A plain "sleep N" only holds tcpdump's capture open.
	[ "$1" = sleep ] || wait_either "$W/$name.out" "$W/$name.err" "listening on\|summary"
	traffic
	wait $kpid
	RC=$?
	timeout 10 tail --pid=$tpid -f /dev/null
	kill $tpid 2>/dev/null
	wait $tpid 2>/dev/null
	return 0
}

# bad_arg WANT CMD...: exit 2 and one line on stderr holding WANT.
bad_arg()
{
	local want=$1
	shift
	"$@" >/dev/null 2>"$W/bad.err"
	local rc=$?
	[ $rc = 2 ] && [ "$(wc -l <"$W/bad.err")" = 1 ] && grep -qF -- "$want" "$W/bad.err"
}

no_live_sessions() { ! "$CTL" list 2>/dev/null | grep -q '^live-'; }

if [ ! -x "$EX/capture" ]; then
	not_ok "the examples are built in $EX (make tools)"
	tap_done
fi
tap_insmod

# --- lessons 1 and 2: the device list ---------------------------------------
"$EX/devlist" >"$W/devlist.out" 2>&1
check "devlist: lo with 127.0.0.1/255.0.0.0 and ::1" \
	bash -c "grep -A8 '^lo\$' '$W/devlist.out' | grep -q 'Address: 127.0.0.1' &&
		 grep -A8 '^lo\$' '$W/devlist.out' | grep -q 'Netmask: 255.0.0.0' &&
		 grep -A12 '^lo\$' '$W/devlist.out' | grep -q 'Address: ::1'"
ip -o link | awk -F': ' '{ sub(/@.*/, "", $2); print $2 }' | sort >"$W/ip.devs"
{ grep -v '^[[:space:]]' "$W/devlist.out" | grep -v '^$' | grep -vx any; } | sort >"$W/devlist.devs"
check "devlist: the devices ip link lists ($(wc -l <"$W/ip.devs")), then any" \
	bash -c "cmp -s '$W/ip.devs' '$W/devlist.devs' && grep -qx any '$W/devlist.out'"
check "devlist: lo described as loopback" \
	bash -c "grep -A1 '^lo\$' '$W/devlist.out' | grep -q 'Description: loopback'"
check "devlist: an argument is an error (exit 2)" bad_arg "unexpected argument" "$EX/devlist" x

# --- lesson 3: capture with a callback --------------------------------------
COUNT=20
traffic() { send $PORT $COUNT 60; }
vs_tcpdump loop "" $COUNT "$EX/capture" lo $COUNT
check "capture lo $COUNT: exit 0" [ "$RC" = 0 ]
check "capture: the frame lengths tcpdump saw ($(out_lens "$W/loop.out" | wc -l) packets)" \
	same_lens "$W/loop.out" "$W/loop.ref" $COUNT
check "capture: time stamps printed as the tutorial's HH:MM:SS.usec" \
	grep -qE '^[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6} len:' "$W/loop.out"

# --- lesson 4: capture without a callback -----------------------------------
vs_tcpdump next "" $COUNT "$EX/capture_next" lo $COUNT
check "capture_next lo $COUNT: exit 0" [ "$RC" = 0 ]
check "capture_next: the frame lengths tcpdump saw" \
	same_lens "$W/next.out" "$W/next.ref" $COUNT
check "capture: a bad count is an error (exit 2)" bad_arg "COUNT 'many'" "$EX/capture" lo many
check "capture: no such device" \
	bash -c "'$EX/capture' nosuch0 1 2>&1 | grep -q 'nosuch0: no such device'"

# --- lesson 5: a filter, run by the kernel ----------------------------------
traffic() { send $((PORT + 1)) 10 40; send $PORT $COUNT 80; send $((PORT + 1)) 10 40; }
vs_tcpdump filter "udp dst port $PORT" $COUNT "$EX/filter" lo $COUNT "udp dst port $PORT"
check "filter 'udp dst port $PORT': exit 0" [ "$RC" = 0 ]
check "filter: the same packets as tcpdump's filter, none of the others" \
	same_lens "$W/filter.out" "$W/filter.ref" $COUNT
check "filter: one that does not compile (exit 2, libpcap's message)" \
	bad_arg "filter 'udp prot 5'" "$EX/filter" lo 1 "udp prot 5"

# --- lesson 6: UDPdump, with kcap_dispatch() --------------------------------
traffic() { send $PORT $COUNT 30; }
vs_tcpdump udp "ip and udp" $COUNT "$EX/udpdump" lo $COUNT
check "udpdump lo $COUNT: exit 0" [ "$RC" = 0 ]
grep -- ' -> ' "$W/udp.out" | sed 's/^\t//' >"$W/udp.pairs"
tcpdump -nn -r "$W/udp.ref" 2>/dev/null |
	sed -n 's/^[^ ]* IP \([^ ]*\) > \([^:]*\):.*/\1 -> \2/p' >"$W/udp.refpairs"
check "udpdump: addresses and ports as tcpdump decodes them ($(wc -l <"$W/udp.pairs"))" \
	bash -c "cmp -s '$W/udp.pairs' '$W/udp.refpairs' && [ \$(wc -l <'$W/udp.pairs') = $COUNT ]" ||
	diag "$W/udp.pairs"
# Nothing to read: kcap_dispatch() returns at each timeout.
timeout 10 "$EX/udpdump" lo 1 >"$W/disp.out" 2>"$W/disp.err" &
dpid=$!
wait_for "$W/disp.out" "listening on"
sleep 2.6
send $PORT 1 10
wait $dpid
RC=$?
n=$(grep -c 'no packet in 1000 ms' "$W/disp.err")
check "udpdump: kcap_dispatch() returned at each timeout with nothing to read ($n in 2.6 s)" \
	[ "$RC" = 0 -a "$n" -ge 2 -a "$n" -le 3 ]

# --- lesson 7: save to a file, read it back ---------------------------------
traffic() { send $PORT $COUNT 100 0.01; }
vs_tcpdump save "udp dst port $PORT" $COUNT "$EX/savedump" lo "$W/saved.pcap" $COUNT "udp dst port $PORT"
check "savedump: exit 0" [ "$RC" = 0 ]
check "savedump: tcpdump reads the file, $COUNT packets" \
	bash -c "[ \$(tcpdump -nr '$W/saved.pcap' 2>/dev/null | wc -l) = $COUNT ]"
# hex FILE: the packets' bytes as tcpdump -x prints them.
hex() { tcpdump -nn -x -r "$1" 2>/dev/null | grep -v '^[0-9]'; }
same_bytes() { [ -n "$(hex "$1")" ] && cmp -s <(hex "$1") <(hex "$2"); }
# near_ts FILE REF: nanosecond stamps, each within 20 ms of tcpdump's.
near_ts()
{
	paste <(tcpdump --time-stamp-precision=nano -tt -nr "$1" 2>/dev/null | cut -d' ' -f1) \
	      <(tcpdump -tt -nr "$2" 2>/dev/null | cut -d' ' -f1) |
		awk 'length($1) - index($1, ".") != 9 || $1 - $2 > 0.02 || $2 - $1 > 0.02 { bad = 1 }
		     END { exit bad || NR == 0 }'
}
check "savedump: the frame lengths tcpdump captured" \
	bash -c "[ \"\$(tshark -r '$W/saved.pcap' -T fields -e frame.len 2>/dev/null)\" = \
		   \"\$(tshark -r '$W/save.ref' -T fields -e frame.len 2>/dev/null)\" ] &&
		 [ -s '$W/saved.pcap' ]"
check "savedump: the bytes tcpdump captured" same_bytes "$W/saved.pcap" "$W/save.ref"
check "savedump: nanosecond time stamps, within 20 ms of tcpdump's" near_ts "$W/saved.pcap" "$W/save.ref"
check "tshark reads the file" bash -c "tshark -r '$W/saved.pcap' >/dev/null 2>&1"
"$EX/readfile" "$W/saved.pcap" >"$W/read.out" 2>&1
check "readfile: every packet, with tcpdump's time stamps and lengths" \
	bash -c "[ \"\$(cut -d' ' -f1,2 '$W/read.out')\" = \"\$(tcpdump -tt -nn -r '$W/saved.pcap' 2>/dev/null |
		 awk '{ print \$1 \" len:\" \$NF + 42 }')\" ]" || diag "$W/read.out"
"$EX/readfile" -n "$W/saved.pcap" 'udp[8] < 10' >"$W/readn.out" 2>&1
want=$(tcpdump -nr "$W/saved.pcap" 'udp[8] < 10' 2>/dev/null | wc -l)
check "readfile -n with a filter: tcpdump's $want packets" \
	bash -c "[ \$(wc -l <'$W/readn.out') = $want ] && [ $want -gt 0 ] && [ $want -lt $COUNT ]"
check "readfile: no such file" \
	bash -c "'$EX/readfile' '$W/nonexistent' 2>&1 | grep -q 'No such file'"

# --- lesson 8: send one packet ----------------------------------------------
traffic() { "$EX/sendpacket" lo 7777 >"$W/sent.out" 2>&1; }
vs_tcpdump send1 "udp dst port 7777" 1 sleep 2
check "sendpacket: tcpdump saw it: 100 bytes, 2:2:2:2:2:2 > 1:1:1:1:1:1, UDP to 7777" \
	bash -c "tcpdump -e -nn -r '$W/send1.ref' 2>/dev/null |
		 grep -q '02:02:02:02:02:02 > 01:01:01:01:01:01, ethertype IPv4 (0x0800), length 100: 127.0.0.1.40000 > 127.0.0.1.7777: UDP, length 58'" ||
	diag "$W/sent.out"
check "sendpacket: a bad port is an error (exit 2)" bad_arg "PORT '70000'" "$EX/sendpacket" lo 70000

# --- lesson 9: send queues --------------------------------------------------
# Five datagrams 200 ms apart in a file of their own.
python3 - "$W/q.pcap" <<'PY'
import struct, sys
out = open(sys.argv[1], "wb")
out.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
for i in range(5):
    payload = bytes([i]) * 20
    udp = struct.pack("!HHHH", 40001, 7778, 8 + len(payload), 0) + payload
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), i, 0, 64, 17, 0,
                     bytes([127, 0, 0, 1]), bytes([127, 0, 0, 1]))
    s = sum(struct.unpack("!10H", ip))
    s = (s & 0xffff) + (s >> 16)
    ip = ip[:10] + struct.pack("!H", ~s & 0xffff) + ip[12:]
    frame = bytes(12) + b"\x08\x00" + ip + udp
    out.write(struct.pack("<IIII", 1000 + i // 5, (i % 5) * 200000, len(frame), len(frame)))
    out.write(frame)
PY
traffic() { "$EX/sendqueue" "$W/q.pcap" lo >"$W/sq.out" 2>&1; SQRC=$?; }
vs_tcpdump sq "udp dst port 7778" 5 sleep 3
check "sendqueue: exit 0, 5 packets sent" \
	bash -c "[ $SQRC = 0 ] && grep -q 'Total packets sent = 5' '$W/sq.out'" || diag "$W/sq.out"
check "sendqueue: tcpdump saw the file's 5 packets, byte for byte" \
	same_bytes "$W/q.pcap" "$W/sq.ref"
el=$(sed -n 's/^Elapsed time: *//p' "$W/sq.out")
check "sendqueue: unsynchronised, all at once (${el:-?} s)" \
	awk -v e="${el:-9}" 'BEGIN { exit !(e < 0.2) }'
traffic() { "$EX/sendqueue" "$W/q.pcap" lo s >"$W/sqs.out" 2>&1; SQRC=$?; }
vs_tcpdump sqs "udp dst port 7778" 5 sleep 4
check "sendqueue s: exit 0, 5 packets sent" \
	bash -c "[ $SQRC = 0 ] && grep -q 'Total packets sent = 5' '$W/sqs.out'" || diag "$W/sqs.out"
gaps=$(tcpdump -tt -nr "$W/sqs.ref" 2>/dev/null |
	awk '{ if (NR > 1) printf "%.3f ", $1 - p; p = $1 }')
if timing_ok "sendqueue s: tcpdump's gaps are the file's 200 ms"; then
	check "sendqueue s: tcpdump's gaps are the file's 200 ms ($gaps)" \
		bash -c "echo '$gaps' | awk '{ if (NF != 4) exit 1; for (i = 1; i <= NF; i++)
			if (\$i < 0.19 || \$i > 0.23) exit 1 }'"
fi
check "sendqueue: a bad third argument (exit 2)" bad_arg "can only be s" "$EX/sendqueue" "$W/q.pcap" lo x

# --- lesson 10: statistics mode ---------------------------------------------
traffic() { send $PORT $COUNT 200; }
vs_tcpdump stat "udp dst port $PORT" $COUNT "$EX/tcptop" lo 3 "udp dst port $PORT"
check "tcptop lo 3: exit 0, three samples" \
	bash -c "[ $RC = 0 ] && [ \$(grep -c 'BPS=' '$W/stat.out') = 3 ]" || diag "$W/stat.out" "$W/stat.err"
p=$(sed -n 's/.*PKTS=\([0-9]*\).*/\1/p' "$W/stat.out" | awk '{ s += $1 } END { print s + 0 }')
b=$(sed -n 's/.*BYTES=\([0-9]*\).*/\1/p' "$W/stat.out" | awk '{ s += $1 } END { print s + 0 }')
rb=$(file_lens "$W/stat.ref" | awk '{ s += $1 } END { print s + 0 }')
check "tcptop: the samples count tcpdump's packets and bytes ($p/$COUNT, $b/$rb)" \
	[ "$p" = $COUNT -a "$b" = "$rb" ]

# --- private sessions -------------------------------------------------------
check "no session is left by the examples" no_live_sessions
"$EX/capture" lo 0 >"$W/k9.out" 2>&1 &
kpid=$!
wait_for "$W/k9.out" "listening on"
check "a running example has its private session" bash -c "'$CTL' list | grep -q '^live-'"
kill -9 $kpid
wait $kpid 2>/dev/null
check "kill -9 leaves no session behind" no_live_sessions

tap_rmmod
tap_done
