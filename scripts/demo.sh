#!/usr/bin/env bash
# The main job, end to end. This host may not be able to load modules, so
# it boots Debian's kernel in qemu, and there: loads kcap.ko, configures
# the default session as the design's first line does, makes HTTP traffic
# to port 80, and captures it with kcapdump. The capture comes back out to
# the host, which reads it with tcpdump.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
KVER=${KVER:-6.1}
COUNT=${COUNT:-10}

make -s tools

tests/vm/run.sh -k "$KVER" -o "build/demo/<kver>" ${KCAP_DEMO_REV:+-r "$KCAP_DEMO_REV"} -c '
set -e
PATH=$KCAP_BIN:$PATH
cd /tmp
echo "$ insmod kcap.ko"
insmod "$KCAP_KO"
echo "$ kcapctl set dev=lo dport=80 capture=ingress"
kcapctl set dev=lo dport=80 capture=ingress
kcapctl show
python3 -m http.server 80 --bind 127.0.0.1 >/dev/null 2>&1 &
server=$!
echo "$ kcapdump -w out.pcap -c '"$COUNT"'"
timeout 60 kcapdump -w "$KCAP_OUT/out.pcap" -c '"$COUNT"' &
dump=$!
sleep 1
for i in 1 2 3 4; do
	python3 -c "import urllib.request as u; u.urlopen(\"http://127.0.0.1:80/\").read()"
done
wait $dump
kill $server
echo "$ kcapctl stats"
kcapctl stats
'
out=$(ls -d build/demo/"$KVER".*-amd64 | grep -v -- -rt- | sort -V | tail -n 1)
echo
echo "On the host: tcpdump -nn -r $out/out.pcap"
tcpdump -nn -r "$out/out.pcap"
