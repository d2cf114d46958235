#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Network mode, in the VM: kcapdump --listen serves its capture as a pcapng
# stream over TCP. dumpcap -i TCP@127.0.0.1:PORT and kcapdump -r
# tcp://127.0.0.1:PORT each record what tcpdump -i lo records of the same
# datagrams; a client that connects late still reads a valid stream; a
# client that reads nothing costs the capture nothing (it is counted,
# then cut off); a listener off loopback needs --allow, and peers outside
# it are refused.
#
# Env: KCAP_KO (module; loaded here, unloaded at the end), KCAP_BIN (the
# tools), KCAP_OUT (writable; failing runs leave their files there).
set -u

BIN=${KCAP_BIN:?KCAP_BIN: directory of the tools}
DUMP=$BIN/kcapdump
PORT=5555
. "$(dirname "$0")/tap.sh"
tap_init kcap_net_test

tap_cleanup() { rmmod kcap 2>/dev/null; }

# send N SIZE: N datagrams of SIZE bytes to 127.0.0.1:7777.
send()
{
	python3 - "$1" "$2" <<'PY'
import socket, sys
n, size = int(sys.argv[1]), int(sys.argv[2])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i in range(n):
    s.sendto(b"%06d" % i + b"." * (size - 6), ("127.0.0.1", 7777))
PY
}

# until a TCP client is connected to PORT (10 s)
wait_clients()
{
	local i

	for i in $(seq 100); do
		[ "$(ss -Htn state established "sport = :$PORT" | wc -l)" -ge "$1" ] && return 0
		sleep 0.1
	done
	return 1
}

tap_insmod

# --- what is refused before anything listens ------------------------------
"$DUMP" -i lo --listen 0.0.0.0:$PORT 2>"$W/noallow.err"
rc=$?
check "--listen off loopback without --allow: exit 2, one line" \
	bash -c "[ $rc = 2 ] && [ \$(wc -l <'$W/noallow.err') = 1 ] && grep -q -- '--allow' '$W/noallow.err'" ||
	diag "$W/noallow.err"
"$DUMP" -i lo --listen 127.0.0.1:99999 2>"$W/badport.err"
rc=$?
check "--listen with a bad port: exit 2 naming it" \
	bash -c "[ $rc = 2 ] && grep -q '127.0.0.1:99999' '$W/badport.err'"

# --- two clients and tcpdump on the same datagrams -------------------------
COUNT=20
"$DUMP" -i lo -Q in --listen 127.0.0.1:$PORT 'udp dst port 7777' 2>"$W/server.err" &
server=$!
check "kcapdump --listen says it listens" wait_for "$W/server.err" "listening on" ||
	diag "$W/server.err"
tcpdump -i lo -nn -U -w "$W/tcpdump.pcap" -c $COUNT 'udp dst port 7777' 2>"$W/tcpdump.err" &
tcpd=$!
dumpcap -q -i TCP@127.0.0.1:$PORT -c $COUNT -w "$W/dumpcap.pcapng" >"$W/dumpcap.out" 2>&1 &
dcap=$!
"$DUMP" -r tcp://127.0.0.1:$PORT -c $COUNT -w "$W/remote.pcapng" 2>"$W/remote.err" &
remote=$!
wait_for "$W/tcpdump.err" "listening on"
check "both clients are connected" wait_clients 2
# The kernel is told of each client as kcapdump's loop next comes round.
sleep 1.5
check "kcapctl list: where the dump goes, with its clients" \
	bash -c "'$BIN/kcapctl' list | grep -q '^kcapdump.$server .* listen 127.0.0.1:$PORT (2 clients)'" ||
	"$BIN/kcapctl" list | diag /dev/stdin
send $COUNT 100
timeout 30 tail --pid=$tcpd -f /dev/null
timeout 30 tail --pid=$dcap -f /dev/null
timeout 30 tail --pid=$remote -f /dev/null
tcpdump -nn -t -r "$W/tcpdump.pcap" >"$W/tcpdump.txt" 2>/dev/null
for c in dumpcap remote; do
	tcpdump -nn -t -r "$W/$c.pcapng" >"$W/$c.txt" 2>/dev/null
	check "$c over TCP: the same $COUNT packets as tcpdump -i lo" \
		bash -c "[ \$(wc -l <'$W/$c.txt') = $COUNT ] && cmp -s '$W/tcpdump.txt' '$W/$c.txt'" ||
		{ diff "$W/tcpdump.txt" "$W/$c.txt" | diag /dev/stdin; diag "$W/$c.out" "$W/$c.err" 2>/dev/null; }
done
check "the interface block names lo" \
	bash -c "tshark -r '$W/dumpcap.pcapng' -T fields -e frame.interface_name -c 1 2>/dev/null | grep -qx lo"
check "every connection is logged with its peer" \
	bash -c "[ \$(grep -c 'client 127.0.0.1:[0-9]* connected' '$W/server.err') -ge 2 ]"

# --- a late client still gets a stream that starts right --------------------
timeout 3 nc -d 127.0.0.1 $PORT >"$W/late.pcapng" &
late=$!
wait_clients 1
send 3 100
wait $late
check "a late client reads a valid pcapng: header, interface, then packets" \
	bash -c "tcpdump -nn -r '$W/late.pcapng' 2>/dev/null | grep -c '7777: UDP' | grep -qx 3"
kill -INT $server
wait $server

# --- a client that reads nothing does not hold the capture ------------------
"$DUMP" -i lo -Q in --listen 127.0.0.1:$PORT --client-buffer 64 'udp dst port 7777' \
	2>"$W/stuck.err" >/dev/null &
server=$!
wait_for "$W/stuck.err" "listening on"
python3 - $PORT >/dev/null 2>&1 <<'PY' &
import socket, sys, time
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
s.connect(("127.0.0.1", int(sys.argv[1])))
time.sleep(30)
PY
stuck=$!
wait_clients 1
send 2000 1000
check "the stuck client is counted and cut off after 5 s" \
	bash -c "for i in \$(seq 100); do grep -q 'cut off' '$W/stuck.err' && break; sleep 0.1; done
		 grep -Eq 'client 127.0.0.1:[0-9]+ cut off .*: [0-9]+ packets sent, [1-9][0-9]* dropped' '$W/stuck.err'" ||
	diag "$W/stuck.err"
kill -INT $server
wait $server
kill $stuck 2>/dev/null
check "the capture itself lost nothing to it" \
	bash -c "grep -q '^2000 packets captured' '$W/stuck.err' && grep -q '^0 packets dropped' '$W/stuck.err'" ||
	diag "$W/stuck.err"

# --- a peer outside --allow is refused --------------------------------------
"$DUMP" -i lo -Q in --listen 127.0.0.1:$PORT --allow 10.99.0.0/16 'udp dst port 7777' \
	2>"$W/allow.err" &
server=$!
wait_for "$W/allow.err" "listening on"
timeout 10 nc -d 127.0.0.1 $PORT >"$W/refused.out" &
nc=$!
send 3 100
wait $nc
check "a peer outside --allow is refused, and the refusal logged with the peer" \
	grep -q '^kcapdump: refused 127.0.0.1:[0-9]*: not in --allow' "$W/allow.err" ||
	diag "$W/allow.err"
check "the refused peer got not one byte" test ! -s "$W/refused.out"
kill -INT $server
wait $server

# --- kcapctl says where a file dump goes ------------------------------------
(cd "$W" && exec "$DUMP" -i lo -Z root -w d.pcapng --pcapng -C 1M -W 3 2>"$W/file.err") &
fdump=$!
wait_for "$W/file.err" "listening on"
"$BIN/kcapctl" list >"$W/list.file"
check "kcapctl list: a file dump, its path made absolute, format and rotation" \
	grep -q "^kcapdump.$fdump .* file $W/d.pcapng (pcapng, new file past 1M, 3 files)" "$W/list.file" ||
	diag "$W/list.file"
"$BIN/kcapctl" show "kcapdump.$fdump" >"$W/show.file"
check "kcapctl show: the same on its dump: line" grep -q "^  dump: *file $W/d.pcapng" "$W/show.file" ||
	diag "$W/show.file"
kill -INT $fdump
wait $fdump

tap_rmmod
tap_done
