#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# kcapdump as a tcpdump user runs it, in the VM: kcapdump -i DEV and
# tcpdump -i DEV side by side on the same traffic print the same lines
# (several modes at once, each kcapdump on a private session of its own),
# -Q in/out, -s, -w read back by tcpdump, -i any, -Z; a private session
# gone after exit and after kill -9; the shared sessions left alone, and
# --stats not starving a shared session's reader. TAP output.
#
# Env: KCAP_KO (module; loaded here, unloaded at the end), KCAP_BIN (the
# tools), KCAP_OUT (writable; failing runs leave their files there).
set -u

CTL=${KCAP_BIN:?KCAP_BIN: directory of the tools}/kcapctl
DUMP=$KCAP_BIN/kcapdump
PORT=5575
. "$(dirname "$0")/tap.sh"
tap_init kcap_cli_test

tap_cleanup()
{
	ip netns del kcapcli 2>/dev/null
	ip link del kc0 2>/dev/null
}

# send PORT COUNT: COUNT UDP datagrams of 100 bytes to 127.0.0.1:PORT.
send()
{
	python3 - "$@" <<'PY'
import socket, sys, time
port, n = int(sys.argv[1]), int(sys.argv[2])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i in range(n):
    s.sendto(b"k" * (100 + i), ("127.0.0.1", port))
    time.sleep(0.02)
PY
}

PIDS=""
# both NAME DEV FLAGS...: tcpdump and kcapdump, same flags, in the background.
both()
{
	local name=$1 dev=$2
	shift 2

	timeout 30 tcpdump -i "$dev" "$@" >"$W/$name.t" 2>"$W/$name.t.err" &
	PIDS="$PIDS $!"
	timeout 30 "$DUMP" -i "$dev" "$@" >"$W/$name.k" 2>"$W/$name.k.err" &
	PIDS="$PIDS $!"
}

# ready NAME...: every capture started by both() said it is listening.
ready()
{
	local n

	for n in "$@"; do
		wait_for "$W/$n.t.err" "listening on" && wait_for "$W/$n.k.err" "listening on" ||
			return 1
	done
}

finish() { local p; for p in $PIDS; do wait "$p"; done; PIDS=""; }

# same NAME DESC: kcapdump's lines are tcpdump's, else the first pair that differs.
same()
{
	if [ -s "$W/$1.t" ] && cmp -s "$W/$1.k" "$W/$1.t"; then
		ok "$2 ($(wc -l <"$W/$1.k") lines)"
	else
		not_ok "$2"
		diff "$W/$1.k" "$W/$1.t" | head -n 6 | diag /dev/stdin
		diag "$W/$1.k.err"
	fi
}

tap_insmod
"$CTL" show >"$W/shared.before"

# --- kcapdump -i lo as tcpdump -i lo: four modes at once ----------------------
EXPR="icmp or udp dst port $PORT"
NPK=10	# 3 pings (request and reply) and 4 datagrams
both nn lo -nn -t -c $NPK "$EXPR"
both v lo -nn -t -v -c $NPK "$EXPR"
both e lo -nn -t -e -c $NPK "$EXPR"
both q lo -q -nn -t -c $NPK "$EXPR"
both x lo -nn -t -X -c $NPK "$EXPR"
if ready nn v e q x; then
	ok "ten captures listening side by side, five of them kcapdump's"
else
	not_ok "ten captures listening side by side"
	diag "$W"/*.err
fi
"$CTL" list >"$W/list.during"
ping -c 3 -i 0.2 -W 2 127.0.0.1 >/dev/null 2>&1
send $PORT 4
finish
same nn "kcapdump -i lo -nn prints what tcpdump -i lo -nn prints"
same v "kcapdump -i lo -nn -v prints what tcpdump prints"
same e "kcapdump -i lo -nn -e prints what tcpdump prints"
same q "kcapdump -i lo -q -nn prints what tcpdump prints"
same x "kcapdump -i lo -nn -X prints what tcpdump prints"
check "each kcapdump had a private session of its own (5 in kcapctl list)" \
	[ "$(grep -cE '^kcapdump\.[0-9]+ ' "$W/list.during")" = 5 ] || diag "$W/list.during"
check "the private sessions are gone after exit" \
	bash -c "! '$CTL' list | grep -q '^kcapdump\.'"
sed -n 's/^tcpdump: /kcapdump: /; /listening on\|verbose output/p' "$W/nn.t.err" >"$W/nn.t.head"
grep -E 'listening on|verbose output' "$W/nn.k.err" >"$W/nn.k.head"
check "the listening lines are tcpdump's" cmp -s "$W/nn.k.head" "$W/nn.t.head" ||
	diag "$W/nn.k.head" "$W/nn.t.head"
sed -n 's/^tcpdump: /kcapdump: /; /listening on/p' "$W/v.t.err" >"$W/v.t.head"
check "with -v, one listening line, as tcpdump's" \
	bash -c "grep 'listening on' '$W/v.k.err' | cmp -s - '$W/v.t.head'" || diag "$W/v.k.err"
check "the closing counts as tcpdump's: captured, received by filter, dropped by kernel" \
	bash -c "grep -q '^$NPK packets captured$' '$W/nn.k.err' &&
		 grep -qE '^[0-9]+ packets? received by filter$' '$W/nn.k.err' &&
		 grep -q '^0 packets dropped by kernel$' '$W/nn.k.err' &&
		 grep -q '^$NPK packets captured$' '$W/nn.t.err'" || diag "$W/nn.k.err"
"$CTL" show >"$W/shared.after"
check "the shared default session is untouched" cmp -s "$W/shared.before" "$W/shared.after"

# --- -w: the file tcpdump reads back is what tcpdump captured ----------------
PIDS=""
timeout 30 tcpdump -i lo -w "$W/t.pcap" -c 8 "udp dst port $PORT" 2>"$W/w.t.err" &
PIDS="$PIDS $!"
timeout 30 "$DUMP" -i lo -w "$W/k.pcap" -c 8 "udp dst port $PORT" 2>"$W/w.k.err" &
PIDS="$PIDS $!"
ready w
send $PORT 8
finish
tcpdump -nn -t -r "$W/k.pcap" >"$W/wk.lines" 2>/dev/null
tcpdump -nn -t -r "$W/t.pcap" >"$W/wt.lines" 2>/dev/null
check "-w: tcpdump -r reads back what tcpdump -w captured ($(wc -l <"$W/wk.lines") packets)" \
	bash -c "[ \$(wc -l <'$W/wk.lines') = 8 ] && cmp -s '$W/wk.lines' '$W/wt.lines'" ||
	{ diff "$W/wk.lines" "$W/wt.lines" | diag /dev/stdin; }
check "-w: 'kcapdump: listening on lo' as tcpdump -w says it" \
	grep -q '^kcapdump: listening on lo, link-type EN10MB (Ethernet), snapshot length 262144 bytes$' \
	"$W/w.k.err" || diag "$W/w.k.err"

# --- -s SNAPLEN -------------------------------------------------------------
PIDS=""
timeout 30 "$DUMP" -i lo -s 64 -w "$W/s.pcap" -c 3 "udp dst port $PORT" 2>"$W/s.k.err" &
PIDS=$!
wait_for "$W/s.k.err" "listening on"
send $PORT 3
finish
check "-s 64: 'snapshot length 64 bytes', and 64 bytes kept of each packet" \
	bash -c "grep -q 'snapshot length 64 bytes' '$W/s.k.err' &&
		 [ \"\$(tshark -r '$W/s.pcap' -T fields -e frame.cap_len 2>/dev/null | sort -u)\" = 64 ]" ||
	diag "$W/s.k.err"

# --- --print, -F, and -z after each rotation -----------------------------------
printf 'udp dst port %s # a comment, as tcpdump -F reads it\n' $PORT >"$W/filter"
PIDS=""
timeout 30 "$DUMP" -i lo -F "$W/filter" -w "$W/p.pcap" --print -nn -t -c 3 >"$W/p.k" 2>"$W/p.err" &
PIDS=$!
wait_for "$W/p.err" "listening on"
ping -c 1 -W 2 127.0.0.1 >/dev/null 2>&1	# what -F's filter keeps out
send $PORT 3
finish
check "--print with -w, -F: 3 lines printed, the same 3 packets in the file" \
	bash -c "[ \$(grep -c 'UDP, length' '$W/p.k') = 3 ] && [ \$(wc -l <'$W/p.k') = 3 ] &&
		 [ \$(tcpdump -nr '$W/p.pcap' 2>/dev/null | wc -l) = 3 ]" || diag "$W/p.k" "$W/p.err"
mkdir "$W/z"
printf '#!/bin/sh\necho "$1" >>"%s/z.log"\n' "$W" >"$W/z.sh"
chmod +x "$W/z.sh"
PIDS=""
timeout 30 "$DUMP" -i lo -Z root -w "$W/z/r.pcap" -C 2k -z "$W/z.sh" -c 30 \
	"udp dst port $PORT" 2>"$W/z.err" &
PIDS=$!
wait_for "$W/z.err" "listening on"
send $PORT 30
finish
sleep 0.5
check "-z: CMD FILE for each file a rotation closed ($(wc -l <"$W/z.log" 2>/dev/null) of $(ls "$W/z" | wc -l) files)" \
	bash -c "[ -s '$W/z.log' ] && grep -qx '$W/z/r.pcap' '$W/z.log' &&
		 [ \$(wc -l <'$W/z.log') = \$((\$(ls '$W/z' | wc -l) - 1)) ]" || diag "$W/z.err" "$W/z.log"

# --- a private session is gone after kill -9 ---------------------------------
"$DUMP" -i lo -w "$W/kill.pcap" 2>"$W/kill.err" &
kpid=$!
wait_for "$W/kill.err" "listening on"
check "a private session kcapdump.$kpid while it runs" \
	bash -c "'$CTL' list | grep -q '^kcapdump\.$kpid '"
check "-Z: by default kcapdump runs as tcpdump's user after opening" \
	bash -c "! id tcpdump >/dev/null 2>&1 || [ \"\$(ps -o user= -p $kpid)\" = tcpdump ]"
kill -9 $kpid
wait $kpid 2>/dev/null
check "after kill -9, its private session is gone" \
	bash -c "! '$CTL' list | grep -q '^kcapdump\.$kpid '"
"$DUMP" -i lo -Z root -w "$W/root.pcap" 2>"$W/root.err" &
kpid=$!
wait_for "$W/root.err" "listening on"
check "-Z root keeps root" [ "$(ps -o user= -p $kpid)" = root ]
kill -INT $kpid
wait $kpid
irc=$?
check "SIGINT: exit 0, and the private session is gone" \
	bash -c "[ $irc = 0 ] && ! '$CTL' list | grep -q '^kcapdump\.$kpid '"

# --- -i any: Linux cooked v2, as tcpdump's; -y EN10MB: kcap's frames ----------
PIDS=""
both any any -nn -t -c 2 icmp
both anye any -nn -t -e -c 2 icmp
timeout 30 "$DUMP" -i any -y EN10MB -nn -t -c 2 icmp >"$W/anyeth.k" 2>"$W/anyeth.err" &
PIDS="$PIDS $!"
ready any anye && wait_for "$W/anyeth.err" "listening on any" || diag "$W"/any*.err
ping -c 1 -W 2 127.0.0.1 >/dev/null 2>&1
finish
same any "-i any -nn: what tcpdump -i any -nn prints (device and direction)"
same anye "-i any -nn -e: what tcpdump -i any -nn -e prints"
check "-i any: tcpdump's listening line, link-type LINUX_SLL2" \
	bash -c "grep 'listening on' '$W/any.k.err' | cmp -s - <(sed -n 's/^tcpdump: /kcapdump: /; /listening on/p' '$W/any.t.err')" ||
	diag "$W/any.k.err" "$W/any.t.err"
check "-i any -y EN10MB: 'data link type EN10MB', Ethernet lines of the ping and its reply" \
	bash -c "grep -q '^kcapdump: data link type EN10MB$' '$W/anyeth.err' &&
		 grep -q 'link-type EN10MB (Ethernet)' '$W/anyeth.err' &&
		 grep -q '^IP 127.0.0.1 > 127.0.0.1: ICMP echo request' '$W/anyeth.k' &&
		 grep -q '^IP 127.0.0.1 > 127.0.0.1: ICMP echo reply' '$W/anyeth.k'" ||
	diag "$W/anyeth.k" "$W/anyeth.err"

# --- -D and -L ----------------------------------------------------------------
"$DUMP" -D >"$W/D" 2>&1
tcpdump -D 2>/dev/null | sed -n 's/^[0-9]*\.\(lo\|any\) /\1 /p' >"$W/D.t"
sed -n 's/^[0-9]*\.\(lo\|any\) /\1 /p' "$W/D" >"$W/D.k"
check "-D: numbered devices; lo and any with tcpdump -D's flags" \
	bash -c "grep -qE '^1\.' '$W/D' && [ -s '$W/D.k' ] && cmp -s '$W/D.k' '$W/D.t'" ||
	diag "$W/D" "$W/D.t"
"$DUMP" -L -i lo >"$W/L.k" 2>&1
tcpdump -L -i lo >"$W/L.t" 2>&1
check "-L -i lo: EN10MB, as tcpdump -L" \
	bash -c "grep -q '^  EN10MB (Ethernet)$' '$W/L.k' && cmp -s '$W/L.k' '$W/L.t'" ||
	diag "$W/L.k" "$W/L.t"

# --- -Q in and -Q out on a veth pair -------------------------------------------
if modprobe veth 2>/dev/null && ip netns add kcapcli 2>/dev/null &&
   ip link add kc0 type veth peer name kc1 netns kcapcli 2>/dev/null; then
	ip addr add 10.78.0.1/24 dev kc0
	ip link set kc0 up
	ip -n kcapcli addr add 10.78.0.2/24 dev kc1
	ip -n kcapcli link set kc1 up
	ping -c 1 -W 2 10.78.0.2 >/dev/null 2>&1	# resolve ARP first
	both qin kc0 -Q in -nn -t -c 4 icmp
	both qout kc0 -Q out -nn -t -c 4 icmp
	both qio kc0 -nn -t -c 8 icmp
	ready qin qout qio || diag "$W"/q*.err
	ping -c 4 -i 0.2 -W 2 10.78.0.2 >/dev/null 2>&1
	finish
	same qin "-Q in: what tcpdump -Q in prints"
	same qout "-Q out: what tcpdump -Q out prints"
	same qio "no -Q (inout): what tcpdump prints"
	check "-Q in: the replies only; -Q out: the requests only" \
		bash -c "[ \$(grep -c 'echo reply' '$W/qin.k') = 4 ] && ! grep -q 'echo request' '$W/qin.k' &&
			 [ \$(grep -c 'echo request' '$W/qout.k') = 4 ] && ! grep -q 'echo reply' '$W/qout.k'"
	ip netns del kcapcli
	ip link del kc0 2>/dev/null
else
	ok "-Q in and out on a veth pair # SKIP no veth or netns here"
fi

# --- --stats does not starve a shared session's reader --------------------------
"$CTL" add s1 >/dev/null
"$CTL" set s1 dev=lo capture=ingress l4proto=udp dport=$PORT >/dev/null
timeout 30 "$DUMP" --session s1 -w "$W/s1.pcap" -c 20 2>"$W/s1.err" &
rpid=$!
wait_for "$W/s1.err" "listening on"
(sleep 0.3; send $PORT 20) &
"$DUMP" --stats 1 -c 2 --session s1 >"$W/s1.stats" 2>&1
wait $rpid
check "--stats on a shared session: rates printed" \
	bash -c "[ \$(grep -cE '^[0-9:]+ +lo +in ' '$W/s1.stats') = 2 ]" || diag "$W/s1.stats"
check "--stats left the shared session copying, and its reader got all 20" \
	bash -c "'$CTL' show s1 | grep -q 'stats-only: *off' &&
		 [ \$(tcpdump -nr '$W/s1.pcap' 2>/dev/null | wc -l) = 20 ]" || diag "$W/s1.err"
wait
"$CTL" del s1 >/dev/null

"$CTL" reset >/dev/null
tap_rmmod
tap_done
