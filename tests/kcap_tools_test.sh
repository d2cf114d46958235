#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# kcapctl and kcapdump end to end, in the VM: every file kcapdump writes
# is read back by tcpdump and tshark and compared with what tcpdump
# captured of the same traffic; rotation, stdout streaming, kill -9, a
# full disk, a busy session and the command lines' errors. TAP output.
#
# Env: KCAP_KO (module; loaded here, unloaded at the end), KCAP_BIN (the
# tools), KCAP_OUT (writable; failing runs leave their files there).
set -u

CTL=${KCAP_BIN:?KCAP_BIN: directory of the tools}/kcapctl
DUMP=$KCAP_BIN/kcapdump
PORT=5555
. "$(dirname "$0")/tap.sh"
tap_init kcap_tools_test

tap_cleanup()
{
	umount "$W/small" 2>/dev/null
}

# count FILE: packets tcpdump reads from FILE (and it must read all of it).
count() { tcpdump -nr "$1" 2>/dev/null | wc -l; }
# bytes FILE: the sum of the packets' wire lengths, as tshark reads them.
bytes() { tshark -r "$1" -T fields -e frame.len 2>/dev/null | awk '{s += $1} END {print s + 0}'; }
reads_clean() { tcpdump -nr "$1" >/dev/null 2>"$W/tcpdump.err"; }

# capture_vs_tcpdump NAME FILTER KCAPDUMP_ARGS...: run tcpdump and kcapdump
# side by side over the same traffic ($COUNT datagrams to $PORT).
capture_vs_tcpdump()
{
	local name=$1 filter=$2
	shift 2

	tcpdump -i lo -nn -w "$W/$name.ref" -c "$COUNT" "$filter" 2>"$W/$name.ref.err" &
	local tpid=$!
	timeout 30 "$DUMP" --session default "$@" -c "$COUNT" 2>"$W/$name.err" &
	local kpid=$!
	wait_for "$W/$name.ref.err" "listening on" && wait_for "$W/$name.err" "listening on"
	send $PORT "$COUNT" 100
	wait $kpid
	KRC=$?
	timeout 10 tail --pid=$tpid -f /dev/null
	kill $tpid 2>/dev/null
	wait $tpid 2>/dev/null
	return 0
}

tap_insmod

# --- kcapctl basics ---------------------------------------------------------
check "kcapctl version reports the kernel's ABI" \
	bash -c "'$CTL' version | grep -q 'kernel: kcap ABI 1'"
check "kcapctl set dev=lo dport=$PORT l4proto=udp capture=ingress" \
	"$CTL" set dev=lo dport=$PORT l4proto=udp capture=ingress
"$CTL" show >"$W/show1" 2>&1
check "kcapctl show prints what was set" \
	bash -c "grep -q 'capture: *ingress' '$W/show1' && grep -q 'dev: *lo' '$W/show1' &&
		 grep -q 'dport: *$PORT' '$W/show1' && grep -q 'l4proto: *udp' '$W/show1'"
"$CTL" set snaplen=0 && "$CTL" show >"$W/show2" 2>&1
check "kcapctl set merges: keys not given keep their values" \
	bash -c "grep -q 'dport: *$PORT' '$W/show2' && grep -q 'capture: *ingress' '$W/show2'"
check "kcapctl devices lists lo with its address" \
	bash -c "'$CTL' devices | grep -E '^1 +lo +up +loopback.*127.0.0.1/8' -q"

# --- user errors: exit 2, one line naming the culprit, nothing changed -----
"$CTL" show >"$W/before"
cli_error()
{
	local want=$1
	shift
	"$@" >/dev/null 2>"$W/cli.err"
	local rc=$?
	[ $rc = 2 ] && [ "$(wc -l <"$W/cli.err")" = 1 ] && grep -qF -- "$want" "$W/cli.err"
}
check "unknown key: exit 2, named" cli_error "unknown key 'bogus'" "$CTL" set bogus=1
check "duplicate key: exit 2, named" cli_error "duplicate key 'dport'" "$CTL" set dport=1 dport=2
check "bad prefix: exit 2, non-network bits" \
	cli_error "non-network bits set in '10.0.0.1/8'" "$CTL" set src=10.0.0.1/8
check "port out of range: exit 2, named" cli_error "dport: '65536'" "$CTL" set dport=65536
check "filter that does not compile: exit 2, named" \
	cli_error "filter 'udp prot 5'" "$CTL" set capture=off "filter=udp prot 5"
check "unknown device: exit 2, named" cli_error "no such device 'nosuch0'" "$CTL" set dev=nosuch0
check "kcapdump takes the same keys" cli_error "dport: '70000'" "$DUMP" dport=70000
"$CTL" show >"$W/after"
check "the errors changed nothing" cmp -s "$W/before" "$W/after"

# --- pcap: tcpdump, tshark and the same packets as tcpdump -----------------
COUNT=50
capture_vs_tcpdump pcap "udp dst port $PORT" -w "$W/a.pcap"
check "kcapdump -w -c $COUNT exits 0" [ "$KRC" = 0 ]
reads_clean "$W/a.pcap" && ok "tcpdump -r reads the pcap" ||
	{ not_ok "tcpdump -r reads the pcap"; diag "$W/tcpdump.err"; }
check "tshark reads the pcap" bash -c "tshark -r '$W/a.pcap' >/dev/null 2>&1"
c=$(count "$W/a.pcap"); r=$(count "$W/pcap.ref")
check "packet count equals tcpdump's ($c, tcpdump $r, sent $COUNT)" [ "$c" = "$r" -a "$c" = $COUNT ]
b=$(bytes "$W/a.pcap"); rb=$(bytes "$W/pcap.ref")
check "bytes equal tcpdump's ($b, tcpdump $rb)" [ "$b" = "$rb" -a "$b" != 0 ]
check "the pcap has nanosecond time stamps" \
	bash -c "tcpdump --time-stamp-precision=nano -nr '$W/a.pcap' 2>/dev/null | head -1 | grep -qE '\.[0-9]{9} '"
check "exit report as tcpdump's" \
	bash -c "grep -q '^$COUNT packets captured' '$W/pcap.err' &&
		 grep -q '^$COUNT packets received by filter' '$W/pcap.err' &&
		 grep -q '^0 packets dropped by kernel' '$W/pcap.err'"

# --- the live status line: on a terminal only --------------------------------
check "no status line when stderr is not a terminal" bash -c "! grep -q 'pkt/s' '$W/pcap.err'"
script -qfec "timeout 20 '$DUMP' --session default -w '$W/tty.pcap' -c 20" "$W/tty.log" >/dev/null 2>&1 &
spid=$!
wait_for "$W/tty.log" "listening on"
send $PORT 20 100 0.05
wait $spid
check "a status line on a terminal: packets, drops, rate, size" \
	grep -qE '20 packets, 0 dropped, [0-9.]+k? pkt/s, [0-9.]+k?B written' "$W/tty.log" ||
	diag "$W/tty.log"

# --- a pcap filter runs in the kernel --------------------------------------
"$CTL" set dport=any "filter=udp and dst port 5556" >/dev/null
"$CTL" show | grep -q 'filter: *[0-9]* BPF instructions' &&
	ok "show prints the filter as BPF instructions" || not_ok "show prints the filter as BPF instructions"
timeout 20 "$DUMP" --session default -w "$W/f.pcap" -c 5 2>"$W/f.err" &
kpid=$!
wait_for "$W/f.err" "listening on"
send 5557 10 50
send 5556 5 50
wait $kpid
check "filter=: only the matching port is captured" \
	bash -c "[ \$(tcpdump -nr '$W/f.pcap' 'udp dst port 5556' 2>/dev/null | wc -l) = 5 ] &&
		 [ \$(tcpdump -nr '$W/f.pcap' 2>/dev/null | wc -l) = 5 ]"
"$CTL" set "filter=" dport=$PORT >/dev/null

# --- pcapng: interface and direction per packet ----------------------------
timeout 20 "$DUMP" --session default --pcapng -w "$W/b.pcapng" -c 10 2>"$W/ng.err" &
kpid=$!
wait_for "$W/ng.err" "listening on"
send $PORT 10 80
wait $kpid
check "kcapdump --pcapng exits 0" [ $? = 0 ]
check "capinfos reads the pcapng" bash -c "capinfos '$W/b.pcapng' >/dev/null 2>&1"
check "tcpdump reads the pcapng" reads_clean "$W/b.pcapng"
tshark -r "$W/b.pcapng" -T fields -e frame.interface_name -e frame.packet_flags_direction \
	2>/dev/null | sort | uniq -c >"$W/ng.dirs"
check "tshark: interface lo, all 10 inbound" \
	bash -c "grep -qE '^ *10 lo\s+0x0*1$' '$W/ng.dirs' && [ \$(wc -l <'$W/ng.dirs') = 1 ]" ||
	diag "$W/ng.dirs"

# A veth pair with its peer in another namespace: pings leave and their
# replies arrive on kv0 (on lo, kcap hooks ingress only, as tcpdump shows
# each packet once there).
if modprobe veth 2>/dev/null && ip netns add kcappeer 2>/dev/null &&
   ip link add kv0 type veth peer name kv1 netns kcappeer 2>/dev/null; then
	ip addr add 10.77.0.1/24 dev kv0
	ip link set kv0 up
	ip -n kcappeer addr add 10.77.0.2/24 dev kv1
	ip -n kcappeer link set kv1 up
	ping -c 1 -W 2 10.77.0.2 >/dev/null 2>&1	# resolve ARP first
	"$CTL" add vs
	"$CTL" set vs dev=kv0 capture=bidirectional l4proto=icmp
	timeout 20 "$DUMP" --session vs --pcapng -w "$W/d.pcapng" -c 10 2>"$W/d.err" &
	kpid=$!
	wait_for "$W/d.err" "listening on"
	ping -c 5 -i 0.2 10.77.0.2 >/dev/null 2>&1
	wait $kpid
	tshark -r "$W/d.pcapng" -T fields -e frame.interface_name \
		-e frame.packet_flags_direction 2>/dev/null | sort | uniq -c >"$W/d.dirs"
	check "tshark: kv0, 5 pings outbound and 5 replies inbound" \
		bash -c "grep -qE '^ *5 kv0\s+0x0*1$' '$W/d.dirs' && grep -qE '^ *5 kv0\s+0x0*2$' '$W/d.dirs'" ||
		{ diag "$W/d.dirs"; "$CTL" stats vs | diag; }
	"$CTL" del vs
	ip netns del kcappeer
	ip link del kv0 2>/dev/null
else
	ok "pcapng directions on a veth pair # SKIP no veth or netns here"
fi

# --- stdout streaming ------------------------------------------------------
( timeout 20 "$DUMP" --session default -w - -c 10 2>"$W/pipe.err" | tcpdump -nr - 2>/dev/null | wc -l >"$W/pipe.n" ) &
ppid=$!
wait_for "$W/pipe.err" "listening on"
send $PORT 10 60
wait $ppid
check "kcapdump -w - | tcpdump -r - sees all 10" [ "$(cat "$W/pipe.n")" = 10 ]

# --- one line per packet without -w, with -q ---------------------------------------
timeout 20 "$DUMP" --session default -q -nn -c 3 >"$W/lines" 2>"$W/lines.err" &
kpid=$!
wait_reader
send $PORT 3 20
wait $kpid
check "without -w, -q: one line per packet, as tcpdump -q prints it" \
	bash -c "[ \$(wc -l <'$W/lines') = 3 ] && grep -q ' IP 127.0.0.1.[0-9]* > 127.0.0.1.$PORT: UDP, length' '$W/lines'" ||
	diag "$W/lines"

# --- rotation as tcpdump ---------------------------------------------------
mkdir "$W/rot"
timeout 30 "$DUMP" --session default -q -w "$W/rot/r.pcap" -C 4k -c 60 2>"$W/rot.err" &
kpid=$!
sleep 0.5
send $PORT 60 400
wait $kpid
files=$(ls "$W/rot" | tr '\n' ' ')
check "-C 4k: r.pcap, r.pcap1, r.pcap2... ($files)" \
	bash -c "[ -f '$W/rot/r.pcap' ] && [ -f '$W/rot/r.pcap1' ] && [ -f '$W/rot/r.pcap2' ]"
total=0; allread=1
for f in "$W"/rot/*; do
	reads_clean "$f" || allread=0
	total=$((total + $(count "$f")))
done
check "-C: every file reads, $total of 60 packets in all" [ $allread = 1 -a $total = 60 ]

mkdir "$W/ring"
timeout 30 "$DUMP" --session default -q -w "$W/ring/r" -C 4k -W 3 -c 60 2>"$W/ring.err" &
kpid=$!
sleep 0.5
send $PORT 60 400
wait $kpid
files=$(ls "$W/ring" | tr '\n' ' ')
check "-C 4k -W 3: three files r0 r1 r2 reused ($files)" [ "$files" = "r0 r1 r2 " ]

mkdir "$W/g"
timeout 30 "$DUMP" --session default -q -w "$W/g/g-%s.pcap" -G 1 -W 2 2>"$W/g.err" &
kpid=$!
sleep 0.5
send $PORT 40 100 0.1
wait $kpid
grc=$?
check "-G 1 -W 2: stops after two files, status 0 ($(ls "$W/g" | wc -l) files)" \
	bash -c "[ $grc = 0 ] && [ \$(ls '$W/g' | wc -l) = 2 ] && grep -q 'maximum file limit reached' '$W/g.err'"

# --- resilience ------------------------------------------------------------
"$DUMP" --session default -q -w "$W/k.pcap" 2>/dev/null &
kpid=$!
sleep 0.5
send $PORT 30 200
sleep 1
kill -9 $kpid
wait $kpid 2>/dev/null
check "kill -9: tcpdump reads every packet before it ($(count "$W/k.pcap") of 30)" \
	bash -c "tcpdump -nr '$W/k.pcap' >/dev/null 2>&1 && [ \$(tcpdump -nr '$W/k.pcap' 2>/dev/null | wc -l) = 30 ]"

"$DUMP" --session default -w "$W/s.pcap" 2>"$W/s.err" &
kpid=$!
wait_for "$W/s.err" "listening on"
send $PORT 7 200
sleep 0.5
kill -INT $kpid
wait $kpid
src=$?
check "SIGINT: exit 0, file closed, 7 packets reported and written" \
	bash -c "[ $src = 0 ] && grep -q '^7 packets captured' '$W/s.err' && [ \$(tcpdump -nr '$W/s.pcap' 2>/dev/null | wc -l) = 7 ]"

mkdir "$W/small"
if mount -t tmpfs -o size=64k tmpfs "$W/small"; then
	"$DUMP" --session default -q -w "$W/small/full.pcap" 2>"$W/full.err" &
	kpid=$!
	sleep 0.5
	send $PORT 200 1200
	timeout 10 tail --pid=$kpid -f /dev/null
	kill $kpid 2>/dev/null
	wait $kpid
	frc=$?
	check "full disk: non-zero exit with a clear message" \
		bash -c "[ $frc != 0 ] && grep -q 'No space left on device' '$W/full.err'" || diag "$W/full.err"
	check "full disk: the file is readable ($(count "$W/small/full.pcap") packets)" \
		bash -c "tcpdump -nr '$W/small/full.pcap' >/dev/null 2>&1 && [ \$(tcpdump -nr '$W/small/full.pcap' 2>/dev/null | wc -l) -gt 0 ]"
	umount "$W/small"
else
	ok "full disk # SKIP no tmpfs"
fi

# --- one reader per session ------------------------------------------------
"$DUMP" --session default -q -w "$W/busy1.pcap" 2>/dev/null &
kpid=$!
sleep 0.5
"$DUMP" --session default -w "$W/busy2.pcap" 2>"$W/busy.err"
brc=$?
check "a second reader is refused, naming the first (pid $kpid)" \
	bash -c "[ $brc = 1 ] && grep -q 'being read by pid $kpid (kcapdump)' '$W/busy.err'" || diag "$W/busy.err"
check "a refused reader does not touch its file" [ ! -e "$W/busy2.pcap" ]
check "kcapctl list shows the reader" bash -c "'$CTL' list | grep -qE '^default +\S+ +$kpid \(kcapdump\)'"
check "set while a reader is attached: other keys change" "$CTL" set sport=any
"$CTL" set ring=1M 2>"$W/ring.err"
rrc=$?
check "set ring= while read: refused, naming the reader" \
	bash -c "[ $rrc = 1 ] && grep -q 'ring size cannot change while session .default. is being read by pid $kpid' '$W/ring.err'" ||
	diag "$W/ring.err"
kill $kpid
wait $kpid

# --- sessions and statistics ----------------------------------------------
check "kcapctl add s1" "$CTL" add s1
check "kcapctl list shows s1" bash -c "'$CTL' list | grep -q '^s1 '"
check "kcapctl del s1" "$CTL" del s1
check "kcapctl list no longer shows s1" bash -c "! '$CTL' list | grep -q '^s1 '"
"$CTL" stats >"$W/stats" 2>&1
check "kcapctl stats: lo in and out, and totals" \
	bash -c "grep -qE '^lo +in +[0-9]+' '$W/stats' && grep -qE '^total +out' '$W/stats'" || diag "$W/stats"
(sleep 0.3; send $PORT 20 100 0.02) &
"$CTL" stats -i 1 -c 2 >"$W/rates" 2>&1
wait
check "kcapctl stats -i 1 -c 2: two intervals of rates" \
	bash -c "[ \$(grep -cE '^[0-9:]+ +lo +in ' '$W/rates') = 2 ]" || diag "$W/rates"
(sleep 0.3; send $PORT 20 100 0.02) &
"$DUMP" --stats 1 -c 2 -i lo -Q in udp dst port $PORT >"$W/dstats" 2>&1
wait
check "kcapdump --stats 1 -c 2 -i lo: rates, copying nothing" \
	bash -c "[ \$(grep -cE '^[0-9:]+ +lo +in ' '$W/dstats') = 2 ]" || diag "$W/dstats"
check "kcapdump --stats leaves stats-only as it found it" \
	bash -c "'$CTL' show | grep -q 'stats-only: *off'"

check "kcapctl reset" "$CTL" reset
check "after reset: capture off" bash -c "'$CTL' show | grep -q 'capture: *off'"

tap_rmmod
tap_done
