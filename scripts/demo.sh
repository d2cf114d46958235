#!/usr/bin/env bash
# The main job, end to end. This host may not be able to load modules, so
# it boots Debian's kernel in qemu, and there: loads kcap.ko, configures
# the default session as the design's first line does, makes HTTP traffic
# to port 80, and captures it with kcapdump. The capture comes back out to
# the host, which reads it with tcpdump and checks that it holds COUNT
# packets to port 80: the demo fails loudly rather than print a short file.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
KVER=${KVER:-6.1}
COUNT=${COUNT:-10}

make -s tools

# In the guest: nothing is sent before the server listens and kcapdump has
# said "listening", so no request races either; requests go on until
# kcapdump has its COUNT packets (each HTTP exchange gives about six).
tests/vm/run.sh -k "$KVER" -o "build/demo/<kver>" ${KCAP_DEMO_REV:+-r "$KCAP_DEMO_REV"} -c '
set -e
PATH=$KCAP_BIN:$PATH
cd /tmp
wait_for() # what, command...: up to 10 s
{
	local what=$1 i
	shift
	for i in $(seq 100); do
		"$@" && return 0
		sleep 0.1
	done
	echo "demo: $what did not happen within 10 s" >&2
	exit 1
}
echo "$ insmod kcap.ko"
insmod "$KCAP_KO"
echo "$ kcapctl set dev=lo dport=80 capture=ingress"
kcapctl set dev=lo dport=80 capture=ingress
kcapctl show
python3 -m http.server 80 --bind 127.0.0.1 >/dev/null 2>&1 &
server=$!
wait_for "the HTTP server listening on port 80" \
	sh -c "ss -Hltn \"sport = :80\" | grep -q LISTEN"
echo "$ kcapdump --session default -w out.pcap -c '"$COUNT"'"
timeout 60 kcapdump --session default -w "$KCAP_OUT/out.pcap" -c '"$COUNT"' 2>dump.err &
dump=$!
wait_for "kcapdump listening" grep -q "^kcapdump: listening" dump.err
cat dump.err
for i in $(seq 20); do
	kill -0 $dump 2>/dev/null || break
	python3 -c "
import sys, urllib.request
try:
    urllib.request.urlopen(\"http://127.0.0.1:80/\", timeout=5).read()
except OSError as e:
    sys.exit(\"demo: GET http://127.0.0.1:80/: %s\" % e)
"
done
rc=0
wait $dump || rc=$?
kill $server
[ $rc = 0 ] || { cat dump.err >&2; echo "demo: kcapdump exited with $rc" >&2; exit 1; }
echo "$ kcapctl stats"
kcapctl stats
'
out=$(ls -d build/demo/"$KVER".*-amd64 | grep -v -- -rt- | sort -V | tail -n 1)
echo
echo "On the host: tcpdump -nn -r $out/out.pcap"
tcpdump -nn -r "$out/out.pcap"
got=$(tcpdump -nn -r "$out/out.pcap" 'tcp dst port 80' 2>/dev/null | wc -l)
if [ "$got" != "$COUNT" ]; then
	echo "demo: FAILED: $got packets to port 80 in $out/out.pcap, wanted $COUNT" >&2
	exit 1
fi
echo "demo: ok: $got packets to port 80, read back by tcpdump"
