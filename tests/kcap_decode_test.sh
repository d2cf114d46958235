#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# kcapdump's decoded output, in the VM: live trees, -q lines and JSON of
# real traffic on lo; files kcapdump wrote read back with -r and compared
# with tcpdump -r; --conversations and --follow on an HTTP exchange;
# and the flush policy, counted in write() calls. TAP output.
#
# Env: KCAP_KO (module; loaded here, unloaded at the end), KCAP_BIN (the
# tools), KCAP_OUT (writable; failing runs leave their files there).
set -u

CTL=${KCAP_BIN:?KCAP_BIN: directory of the tools}/kcapctl
DUMP=$KCAP_BIN/kcapdump
PORT=5565
HTTP=8765
. "$(dirname "$0")/tap.sh"
tap_init kcap_decode_test

# send PORT COUNT [GAP]: COUNT UDP datagrams of 100 bytes to 127.0.0.1.
send()
{
	python3 - "$@" <<'PY'
import socket, sys, time
port, n = int(sys.argv[1]), int(sys.argv[2])
gap = float(sys.argv[3]) if len(sys.argv) > 3 else 0
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i in range(n):
    s.sendto(b"k" * 100, ("127.0.0.1", port))
    if gap:
        time.sleep(gap)
PY
}

# syscw PID: write-type system calls the process has made (-1 when the
# kernel does not count them: no CONFIG_TASK_IO_ACCOUNTING).
syscw() { awk '/^syscw:/ { n = $2 } END { print n == "" ? -1 : n }' "/proc/$1/io" 2>/dev/null || echo -1; }

tap_insmod
"$CTL" set dev=lo capture=ingress l4proto=icmp >/dev/null

# --- live: a decoded tree of a ping ----------------------------------------
timeout 20 "$DUMP" --session default -V -c 2 >"$W/ping.tree" 2>"$W/ping.err" &
kpid=$!
wait_for "$W/ping.err" "listening on"
ping -c 1 -W 2 127.0.0.1 >/dev/null 2>&1
wait $kpid
check "live tree of a ping: exit 0" [ $? = 0 ]
check "live tree: ICMP echo request and reply with their fields" \
	bash -c "grep -q '^Packet 1: 98 bytes on wire, 98 captured, .*, lo, in$' '$W/ping.tree' &&
		 grep -q 'Type  *\] 8 (Echo Request)' '$W/ping.tree' &&
		 grep -q 'Type  *\] 0 (Echo Reply)' '$W/ping.tree' &&
		 grep -q 'Identifier  *\] [0-9]' '$W/ping.tree' &&
		 grep -q 'Sequence Number  *\] 1$' '$W/ping.tree' &&
		 grep -q 'Source Address  *\] 127.0.0.1' '$W/ping.tree'" || diag "$W/ping.tree"

# --- -q: one line per packet, as many as were captured ---------------------
"$CTL" set l4proto=udp dport=$PORT >/dev/null
"$DUMP" --session default -q -nn >"$W/q.lines" 2>"$W/q.err" &
kpid=$!
wait_reader
send $PORT 37 0.002
sleep 0.5
kill -INT $kpid
wait $kpid
qrc=$?
captured=$(awk '/packets? captured/ { print $1 }' "$W/q.err")
check "-q: exit 0 on SIGINT" [ $qrc = 0 ]
check "-q: one line per packet captured ($(wc -l <"$W/q.lines") lines, $captured captured, 37 sent)" \
	bash -c "[ \$(wc -l <'$W/q.lines') = '$captured' ] && [ '$captured' = 37 ]"
check "-q -nn: tcpdump -q's form" \
	grep -qE "^[0-9:.]+ IP 127\.0\.0\.1\.[0-9]+ > 127\.0\.0\.1\.$PORT: UDP, length 100$" "$W/q.lines" ||
	diag "$W/q.lines"

# --- -T json and -x ----------------------------------------------------------
timeout 20 "$DUMP" --session default -T json -c 3 >"$W/j" 2>"$W/j.err" &
kpid=$!
wait_for "$W/j.err" "listening on"
send $PORT 3
wait $kpid
check "-T json: three objects that python's json reads, lo and in" \
	python3 -c "
import json, sys
objs = [json.loads(l) for l in open('$W/j')]
sys.exit(not (len(objs) == 3 and all(o['ifname'] == 'lo' and o['direction'] == 'in' for o in objs)))" ||
	diag "$W/j"
timeout 20 "$DUMP" --session default -V -x -c 1 >"$W/x" 2>"$W/x.err" &
kpid=$!
wait_for "$W/x.err" "listening on"
send $PORT 1
wait $kpid
check "-x: a tree and a hex dump of the payload" \
	bash -c "grep -q 'Destination Port  *\] $PORT' '$W/x' && grep -qE '^0070  .*kkkk' '$W/x'" ||
	diag "$W/x"

# --- a file kcapdump wrote, read back by kcapdump -r and tcpdump -r ---------
timeout 20 "$DUMP" --session default -w "$W/f.pcap" -c 20 2>"$W/f.err" &
kpid=$!
wait_for "$W/f.err" "listening on"
send $PORT 20 0.01
wait $kpid
"$DUMP" -r "$W/f.pcap" -T json 2>"$W/r.err" |
	python3 -c "import json, sys; [print(json.loads(l)['ts']) for l in sys.stdin]" >"$W/r.ts"
tcpdump --time-stamp-precision=nano -tt -nn -r "$W/f.pcap" 2>/dev/null | awk '{ print $1 }' >"$W/t.ts"
check "-r: the same 20 packets as tcpdump -r, to the nanosecond" \
	bash -c "[ \$(wc -l <'$W/r.ts') = 20 ] && cmp -s '$W/r.ts' '$W/t.ts'" ||
	{ diff "$W/r.ts" "$W/t.ts" | diag; }
"$DUMP" -r "$W/f.pcap" -q -nn 2>/dev/null | cut -d' ' -f2- | tr A-Z a-z >"$W/r.q"
tcpdump -q -nn -r "$W/f.pcap" 2>/dev/null | cut -d' ' -f2- | tr A-Z a-z >"$W/t.q"
check "-r -q: addresses, ports and lengths as tcpdump -q -nn prints them" \
	bash -c "[ -s '$W/r.q' ] && cmp -s '$W/r.q' '$W/t.q'" || { diff "$W/r.q" "$W/t.q" | diag; }
"$DUMP" -r "$W/f.pcap" -q -nn -c 5 >"$W/r5" 2>/dev/null
check "-r -c 5: five packets" [ "$(wc -l <"$W/r5")" = 5 ]

# --- --conversations and --follow on HTTP ----------------------------------
"$CTL" set l4proto=any dport=any >/dev/null
(cd "$W" && exec python3 -m http.server --bind 127.0.0.1 $HTTP) >/dev/null 2>&1 &
hpid=$!
for i in $(seq 50); do
	curl -s -o /dev/null "http://127.0.0.1:$HTTP/" 2>/dev/null && break
	sleep 0.1
done
# A live filter given as words, as tcpdump takes it, set on the shared
# session as asked.
"$DUMP" --session default --configure -w "$W/http.pcap" tcp port $HTTP 2>"$W/http.err" &
kpid=$!
wait_for "$W/http.err" "listening on"
curl -s -o "$W/page" "http://127.0.0.1:$HTTP/" 2>/dev/null
send $PORT 5	# what the expression must keep out
sleep 1
kill -INT $kpid
wait $kpid
kill $hpid
wait $hpid 2>/dev/null
check "a live filter expression: only port $HTTP captured, not the UDP sent alongside" \
	bash -c "[ \$(tcpdump -nn -r '$W/http.pcap' 2>/dev/null | wc -l) -gt 5 ] &&
		 [ \$(tcpdump -nn -r '$W/http.pcap' 'not tcp port $HTTP' 2>/dev/null | wc -l) = 0 ]"
check "the expression is the session's filter, as filter= sets it" \
	bash -c "'$CTL' show | grep -q 'filter: *[0-9]* BPF instructions'"
"$DUMP" -r "$W/http.pcap" --conversations >"$W/conv" 2>&1
cport=$(sed -nE "s/.*A 127\.0\.0\.1:([0-9]+) <-> B 127\.0\.0\.1:$HTTP.*/\1/p" "$W/conv" | head -1)
check "--conversations: the HTTP connection, client to :$HTTP, ended by FINs" \
	bash -c "grep -q 'TCP conversations: 1$' '$W/conv' && [ -n '$cport' ] &&
		 grep -qE 'end: FIN by [AB], then FIN by [AB]' '$W/conv' &&
		 grep -q 'handshake: SYN->SYN-ACK' '$W/conv'" || diag "$W/conv"
"$DUMP" -r "$W/http.pcap" --follow "127.0.0.1:${cport:-1}-127.0.0.1:$HTTP" >"$W/follow" 2>&1
check "--follow: handshake, the request with its length, relative numbers" \
	bash -c "grep -qE '^-->\[ +1\] +0\.000000s flag=S +seq=0 ' '$W/follow' &&
		 grep -qE '<--\[ +2\] .* flag=SA +seq=0 +ack=1 ' '$W/follow' &&
		 grep -qE '^-->.* flag=PA +seq=1 +ack=1 +len=[1-9]' '$W/follow'" || diag "$W/follow"

# --- flush policy: writes per batch of time, not per packet ----------------
# (the expression above was filter=: it stays on the session until unset)
"$CTL" set filter= l4proto=udp dport=$PORT >/dev/null
flush_run()
{
	local name=$1 p w0 w1
	shift

	"$DUMP" --session default -q -w "$W/$name.pcap" "$@" 2>"$W/$name.err" &
	p=$!
	wait_reader
	w0=$(syscw $p)
	[ "$w0" -ge 0 ] || not_ok "$name: /proc/$p/io has no syscw"
	send $PORT 200 0.003
	sleep 0.5
	w1=$(syscw $p)
	WRITES=$((w1 - w0))
	PKTS=$(tcpdump -nr "$W/$name.pcap" 2>/dev/null | wc -l)
	kill -INT $p
	wait $p
}
flush_run paced
check "200 packets over ~1 s: at most 12 writes ($WRITES), all in the file before exit ($PKTS)" \
	[ "$WRITES" -le 12 -a "$PKTS" = 200 ]
flush_run ubuf -U
check "-U: a write per batch again ($WRITES writes for 200 paced packets)" \
	[ "$WRITES" -ge 50 -a "$PKTS" = 200 ]
"$DUMP" --session default -q -w "$W/late.pcap" 2>/dev/null &
kpid=$!
wait_reader
send $PORT 1
sleep 0.5
check "one packet reaches the file within 300 ms (100 ms wakeup, 200 ms flush), kcapdump still running" \
	bash -c "[ \$(tcpdump -nr '$W/late.pcap' 2>/dev/null | wc -l) = 1 ] && kill -0 $kpid"
kill $kpid
wait $kpid

"$CTL" reset >/dev/null
tap_rmmod
tap_done
