#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# kcap as Wireshark's extcap, in the VM: Wireshark's extcap folder is a
# tmpfs holding the programs Debian ships and kcap-extcap, as make install
# leaves it; tshark -D lists kcap's interfaces (devices, any, shared
# sessions, never private ones); kcap-extcap answers Wireshark's questions
# (link types, options, a filter's check); and tshark -i kcap-lo captures
# what tcpdump -i lo captures of the same traffic, packet for packet.
#
# Env: KCAP_KO (module; loaded here, unloaded at the end), KCAP_BIN (the
# tools), KCAP_OUT (writable; failing runs leave their files there).
set -u

BIN=${KCAP_BIN:?KCAP_BIN: directory of the tools}
XC=/usr/lib/x86_64-linux-gnu/wireshark/extcap
. "$(dirname "$0")/tap.sh"
tap_init kcap_extcap_test

tap_cleanup()
{
	umount "$XC" 2>/dev/null
	"$BIN/kcapctl" del web 2>/dev/null
	rmmod kcap 2>/dev/null
}

tap_insmod

# The guest's / is the host's, read-only: a tmpfs over the folder, with
# what was there and ours. kcapdump is found through $KCAPDUMP, as the
# installed one would be through the path compiled in.
mkdir -p "$W/shipped"
cp -a "$XC"/. "$W/shipped/"
check "a tmpfs over Wireshark's extcap folder" mount -t tmpfs tmpfs "$XC"
cp -a "$W/shipped"/. "$XC/"
cp "$BIN/kcap-extcap" "$XC/"
export KCAPDUMP=$BIN/kcapdump

"$BIN/kcapctl" add web
tshark -D >"$W/D" 2>"$W/D.err"
check "tshark -D lists kcap-lo" grep -q '^[0-9]*\. kcap-lo (kcap: lo)$' "$W/D" || diag "$W/D" "$W/D.err"
check "tshark -D lists kcap-any" grep -q '^[0-9]*\. kcap-any ' "$W/D"
check "tshark -D lists the shared session as kcap-session-web" \
	grep -q '^[0-9]*\. kcap-session-web ' "$W/D"
check "tshark -D still lists Debian's extcaps (udpdump)" grep -q '\. udpdump ' "$W/D"

X="$XC/kcap-extcap"
check "--extcap-dlts: Ethernet" \
	bash -c "'$X' --extcap-interface kcap-lo --extcap-dlts | grep -qx 'dlt {number=1}{name=EN10MB}{display=Ethernet}'"
"$X" --extcap-interface kcap-lo --extcap-config >"$W/config"
check "--extcap-config offers direction, snaplen and ring size" \
	bash -c "grep -c '^arg ' '$W/config' | grep -qx 3 &&
		 grep -q 'call=--direction' '$W/config' &&
		 grep -q 'call=--snaplen' '$W/config' && grep -q 'call=--buffer' '$W/config'"
check "a good filter: nothing said" \
	bash -c "[ -z \"\$('$X' --extcap-interface kcap-lo --extcap-capture-filter 'udp port 7777')\" ]"
check "a bad filter: libpcap's message on one line" \
	bash -c "'$X' --extcap-interface kcap-lo --extcap-capture-filter 'udp port' | grep -q 'syntax error'"
"$X" --extcap-interface lo --extcap-dlts 2>"$W/bad.err"
rc=$?
check "an interface not kcap's: exit 2, one line naming it" \
	bash -c "[ $rc = 2 ] && [ \$(wc -l <'$W/bad.err') = 1 ] && grep -q \"'lo'\" '$W/bad.err'"

# The same 20 datagrams on lo, seen by tcpdump and by tshark through kcap.
COUNT=20
tcpdump -i lo -nn -U -w "$W/tcpdump.pcap" -c $COUNT 'udp dst port 7777' 2>"$W/tcpdump.err" &
tcpd=$!
tshark -i kcap-lo -f 'udp dst port 7777' -c $COUNT -w "$W/kcap.pcapng" >"$W/tshark.out" 2>&1 &
tsh=$!
wait_for "$W/tcpdump.err" "listening on"
# kcapdump says "listening" only into tshark's log; its private session
# appears in kcapctl list once it is attached.
for i in $(seq 100); do
	"$BIN/kcapctl" list 2>/dev/null | grep -q '(kcapdump)' && break
	sleep 0.1
done
python3 - <<'PY'
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i in range(20):
    s.sendto(b"kcap-extcap %02d" % i + b"." * i, ("127.0.0.1", 7777))
PY
timeout 30 tail --pid=$tcpd -f /dev/null
timeout 30 tail --pid=$tsh -f /dev/null
check "tshark -i kcap-lo wrote pcapng" \
	bash -c "capinfos -t '$W/kcap.pcapng' 2>/dev/null | grep -q pcapng" || diag "$W/tshark.out"
tcpdump -nn -t -r "$W/tcpdump.pcap" >"$W/tcpdump.txt" 2>/dev/null
tcpdump -nn -t -r "$W/kcap.pcapng" >"$W/kcap.txt" 2>/dev/null
check "tshark through kcap captured $COUNT packets" \
	bash -c "[ \$(wc -l <'$W/kcap.txt') = $COUNT ]" || diag "$W/tshark.out"
check "the same packets as tcpdump -i lo" cmp -s "$W/tcpdump.txt" "$W/kcap.txt" ||
	diff "$W/tcpdump.txt" "$W/kcap.txt" | diag /dev/stdin
check "kcapdump's private session is gone after the capture" \
	bash -c "! '$BIN/kcapctl' list | grep -q kcapdump"

umount "$XC"
tap_rmmod
tap_done
