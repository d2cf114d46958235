#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Faults kcapdump must survive while it writes, in the VM: kill -9 at
# random moments (every file still read by tcpdump, the session free for
# the next reader), a full disk and a read-only directory, in pcap and in
# pcapng. A savefile cut at every offset is the host's test (tools/tests,
# under ASan). TAP output.
#
# Env: KCAP_KO, KCAP_BIN, KCAP_OUT; KCAP_FAULT_SEED picks the kill times
# (the seed used is printed, to repeat a run).
set -u

CTL=${KCAP_BIN:?KCAP_BIN: directory of the tools}/kcapctl
DUMP=$KCAP_BIN/kcapdump
PORT=5566
KILLS=20
SEED=${KCAP_FAULT_SEED:-$(( $(date +%s) % 100000 ))}
RANDOM=$SEED
. "$(dirname "$0")/tap.sh"
tap_init kcap_userfault_test

tap_cleanup()
{
	umount "$W/small" "$W/ro" 2>/dev/null
	rmmod kcap 2>/dev/null
}

# flood SECONDS: UDP datagrams of 40 to 1400 bytes to 127.0.0.1:$PORT, in
# the background.
flood()
{
	python3 - "$PORT" "$1" <<'PY' &
import socket, sys, time
port, secs = int(sys.argv[1]), float(sys.argv[2])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
end, i = time.time() + secs, 0
while time.time() < end:
    s.sendto(bytes([i % 256]) * (40 + (i * 37) % 1360), ("127.0.0.1", port))
    i += 1
    if i % 50 == 0:
        time.sleep(0.001)
PY
}

# readable FILE [CUT_OK]: the packets tcpdump reads from FILE, printed;
# fails on any complaint but, with CUT_OK, a last record cut short (a
# write() that SIGKILL stopped part way stops at a page).
readable()
{
	local allowed='^reading from'

	[ -n "${2:-}" ] && allowed="$allowed|truncated (pcapng )?dump file|packet is bigger than"
	tcpdump -nr "$1" >"$W/td.out" 2>"$W/td.err"
	if grep -vE "$allowed" "$W/td.err" | grep -q .; then
		{ echo "# $1:"; diag "$W/td.err"; } >&2
		return 1
	fi
	wc -l <"$W/td.out"
}

# ext N: the format of the Nth file, alternating.
ext() { if [ $(($1 % 2)) = 0 ]; then echo pcapng; else echo pcap; fi; }
fmt_opt() { [ "$1" = pcapng ] && echo --pcapng; }

echo "# seed $SEED (KCAP_FAULT_SEED)"
tap_insmod
"$CTL" set dev=lo capture=ingress l4proto=udp dport=$PORT ring=4M >/dev/null

# --- kill -9 at random moments while writing ---------------------------------
unreadable=0 busy=0 packets=0 empty=0
for i in $(seq $KILLS); do
	e=$(ext "$i")
	f=$W/k$i.$e
	flood 3
	fpid=$!
	"$DUMP" --session default -q $(fmt_opt "$e") -w "$f" 2>"$W/k$i.err" &
	kpid=$!
	# 0.00 to 1.99 s: before the file, before the first packet, mid-flood.
	sleep "$((RANDOM % 2)).$((RANDOM % 10))$((RANDOM % 10))"
	kill -9 $kpid
	wait $kpid 2>/dev/null
	kill $fpid 2>/dev/null
	wait $fpid 2>/dev/null
	grep -q 'being read by' "$W/k$i.err" && busy=$((busy + 1))
	[ -e "$f" ] || continue		# killed before it opened the file
	if n=$(readable "$f" cut); then
		packets=$((packets + n))
		[ "$n" = 0 ] && empty=$((empty + 1))
	else
		unreadable=$((unreadable + 1))
	fi
done
check "kill -9 x$KILLS: tcpdump reads every file ($packets packets, $empty files with none)" \
	[ $unreadable = 0 ]
check "kill -9 x$KILLS: each next reader attached (the session freed each time)" [ $busy = 0 ]
check "kill -9 x$KILLS: packets were written before the kills" [ $packets -gt 0 ]

# A reader after all that gets packets: the ring is consistent.
timeout 20 "$DUMP" --session default -q -c 20 -w "$W/after.pcap" 2>"$W/after.err" &
kpid=$!
wait_reader
flood 2
fpid=$!
wait $kpid
check "after the kills: a reader captures 20 packets" \
	bash -c "[ \"\$(tcpdump -nr '$W/after.pcap' 2>/dev/null | wc -l)\" = 20 ]" || diag "$W/after.err"
wait $fpid

# --- full disk: stops with one clear line, the file cut to a whole record -----
mkdir -p "$W/small"
for e in pcap pcapng; do
	if ! mount -t tmpfs -o size=48k tmpfs "$W/small"; then
		ok "full disk ($e) # SKIP cannot mount tmpfs"
		continue
	fi
	flood 3
	fpid=$!
	timeout 20 "$DUMP" --session default -q $(fmt_opt $e) -w "$W/small/full.$e" 2>"$W/full.err"
	frc=$?
	wait $fpid
	# Besides tcpdump's first line and closing counts, one line: the error.
	grep -vE '^kcapdump: listening on |^[0-9]+ packets? (captured|received by filter|dropped by kernel|not written)' \
		"$W/full.err" >"$W/full.msg"
	check "full disk ($e): exit 1 with one line: No space left on device" \
		bash -c "[ $frc = 1 ] && [ \$(wc -l <'$W/full.msg') = 1 ] &&
			 grep -q 'full.$e: No space left on device' '$W/full.msg'" ||
		diag "$W/full.err"
	n=$(readable "$W/small/full.$e")
	said=$(sed -n 's/^\([0-9]*\) packets\? captured$/\1/p' "$W/full.err")
	check "full disk ($e): tcpdump reads every packet, none cut (${n:-0}), as many as reported (${said:-none})" \
		bash -c "[ '${n:-0}' -gt 0 ] && [ '${n:-0}' = '$said' ]"
	umount "$W/small"
done

# --- read-only output directory ----------------------------------------------
mkdir -p "$W/ro"
if mount -t tmpfs -o size=64k,ro tmpfs "$W/ro"; then
	for e in pcap pcapng; do
		timeout 10 "$DUMP" --session default -q $(fmt_opt $e) -w "$W/ro/x.$e" 2>"$W/ro.err"
		rrc=$?
		check "read-only directory ($e): exit 1 with one line naming the file" \
			bash -c "[ $rrc = 1 ] && [ \$(wc -l <'$W/ro.err') = 1 ] &&
				 grep -q 'ro/x.$e: Read-only file system' '$W/ro.err'" ||
			diag "$W/ro.err"
	done
	umount "$W/ro"
else
	ok "read-only directory # SKIP cannot mount tmpfs"
fi
check "the session is free after the failed writers" \
	bash -c "! '$CTL' list | grep -qE '^default +\S+ +[0-9]+ \('"

"$CTL" reset >/dev/null
tap_rmmod
tap_done
