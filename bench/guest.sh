#!/usr/bin/env bash
# Runs inside the VM (bench/run.sh boots it): offer the same pktgen load to
# each capture tool in turn and write one CSV row per run to $KCAP_OUT.
#
# Load: pktgen in a network namespace sends a fixed count of UDP frames out
# of veth0 (queue_xmit: the full transmit path) to veth1, where the tools
# capture ingress; or pktgen feeds veth1's receive path directly
# (netif_receive). Each tool gets the same filter, "udp".
set -uo pipefail

OUT=${KCAP_OUT:?}
BIN=${KCAP_BIN:?}
COUNT=${BENCH_COUNT:-100000}
RING=${BENCH_RING:-$((32 << 20))}
CSV=$OUT/bench.csv
FILTER=udp
TMPFS=/tmp/bench

modprobe pktgen
modprobe veth
mkdir -p $TMPFS
mount -t tmpfs -o size=1g tmpfs $TMPFS

ip netns add gen
ip link add veth0 type veth peer name veth1
ip link set veth0 netns gen
ip -n gen link set veth0 up
ip link set veth1 up
ip -n gen addr add 10.9.0.1/24 dev veth0
ip addr add 10.9.0.2/24 dev veth1
MAC=$(cat /sys/class/net/veth1/address)

# Configure a pktgen device: pg_setup NETNS DEV MODE SIZE COUNT.
pg_setup()
{
	local ns=$1 dev=$2 mode=$3 size=$4 count=$5
	local pg="ip netns exec $ns"

	[ "$ns" = - ] && pg=
	$pg bash -c "
		echo rem_device_all >/proc/net/pktgen/kpktgend_0
		echo add_device $dev >/proc/net/pktgen/kpktgend_0
		d=/proc/net/pktgen/$dev
		echo count $count >\$d
		echo pkt_size $size >\$d
		echo dst 10.9.0.2 >\$d
		echo dst_mac $MAC >\$d
		echo udp_dst_min 9000 >\$d
		echo udp_dst_max 9000 >\$d
		echo xmit_mode $mode >\$d
		echo burst 1 >\$d
		echo delay 0 >\$d
	"
}

# Run the configured load to its end; prints packets sent and pps.
# A separate process writes pgctrl: pktgen stops early on a signal, and
# our shell gets SIGCHLD whenever a capture tool exits.
pg_run()
{
	local ns=$1 dev=$2 pg="ip netns exec $1"

	[ "$ns" = - ] && pg=
	$pg setsid bash -c "echo start >/proc/net/pktgen/pgctrl" </dev/null
	$pg awk '/pkts-sofar/ { sent = $2 }
		 { for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+pps$/) pps = $i + 0 }
		 END { print sent + 0, pps + 0 }' /proc/net/pktgen/$dev
}

softirq_ticks() { awk '/^cpu / { print $8 }' /proc/stat; }
proc_ticks() { awk '{ print $14 + $15 }' /proc/$1/stat 2>/dev/null || echo 0; }
rx_packets() { cat /sys/class/net/veth1/statistics/rx_packets; }

# The three numbers tcpdump-style tools print at exit.
tool_counts()
{
	awk '{ gsub(/\r/, "") }
	     /packets? captured/ { c = $1 } /received by filter|matched by filter/ { m = $1 }
	     /dropped by (kernel|kcap)/ { d = $1 }
	     /packets passed filter/ { c = $1 } /failed filter \(out of space\)/ { d = $1 }
	     END { print c + 0, m + 0, d + 0 }' "$1"
}

echo "tool,mode,size,offered,arrived,captured,matched,dropped,cpu_ms,softirq_ms,pps" >"$CSV"

# bench_one NAME MODE SIZE CMD...: one capture run under one load.
bench_one()
{
	local name=$1 mode=$2 size=$3 pid log=$OUT/$1-$2-$3.log
	local si0 si1 rx0 rx1 cpu res sent pps c m d hz

	shift 3
	hz=$(getconf CLK_TCK)
	if [ "$mode" = queue_xmit ]; then
		pg_setup gen veth0 queue_xmit "$size" "$COUNT"
	else
		pg_setup - veth1 netif_receive "$size" "$COUNT"
	fi
	"$@" >"$log" 2>&1 &
	pid=$!
	sleep 2		# let the tool attach before the load starts
	rx0=$(rx_packets)
	si0=$(softirq_ticks)
	if [ "$mode" = queue_xmit ]; then
		res=$(pg_run gen veth0)
	else
		res=$(pg_run - veth1)
	fi
	sleep 1		# let the tool drain its buffer
	si1=$(softirq_ticks)
	rx1=$(rx_packets)
	cpu=$(proc_ticks "$pid")
	kill -INT "$pid"
	wait "$pid"
	read -r sent pps <<<"$res"
	read -r c m d < <(tool_counts "$log")
	echo "$name,$mode,$size,$sent,$((rx1 - rx0)),$c,$m,$d,$((cpu * 1000 / hz)),$(((si1 - si0) * 1000 / hz)),$pps" >>"$CSV"
	echo "# $name $mode $size: offered $sent captured $c dropped $d"
	rm -f $TMPFS/*
}

insmod "$KCAP_KO"
"$BIN"/kcapctl set dev=veth1 capture=ingress filter="$FILTER" ring=$RING

for mode in queue_xmit netif_receive; do
	for size in 60 1514; do
		bench_one kcapdump-null $mode $size "$BIN"/kcapdump --session default -w /dev/null
		bench_one kcapdump-file $mode $size "$BIN"/kcapdump --session default -w $TMPFS/k.pcap
		bench_one tcpdump $mode $size tcpdump -i veth1 -n -w $TMPFS/t.pcap "$FILTER"
		bench_one tcpdump-B $mode $size tcpdump -i veth1 -n -B $((RING >> 10)) \
			-w $TMPFS/t.pcap "$FILTER"
		bench_one netsniff-ng $mode $size netsniff-ng --in veth1 --out $TMPFS/n.pcap \
			--silent --ring-size $((RING >> 20))MiB "$FILTER"
	done
done

# Statistics only: kcap counts in the kernel and copies nothing; the
# baseline is tcpdump throwing every packet away after its copy.
bench_one kcapdump-stats queue_xmit 60 "$BIN"/kcapdump --stats 1 -i veth1 -Q in \
	-B $((RING >> 10)) "$FILTER"
bench_one tcpdump-count queue_xmit 60 tcpdump -i veth1 -n -w /dev/null "$FILTER"

# What the hook costs when nothing matches: pktgen's own rate through
# veth1's receive path without the module, then with a session whose
# filter matches nothing, alternating three times each.
"$BIN"/kcapctl set dev=veth1 capture=bidirectional filter="tcp port 1"
for round in 1 2 3; do
	for state in loaded unloaded; do
		if [ $state = unloaded ]; then
			rmmod kcap
		elif ! lsmod | grep -q '^kcap '; then
			insmod "$KCAP_KO"
			"$BIN"/kcapctl set dev=veth1 capture=bidirectional filter="tcp port 1"
		fi
		pg_setup - veth1 netif_receive 60 "$COUNT"
		read -r sent pps < <(pg_run - veth1)
		echo "nomatch-$state,netif_receive,60,$sent,,,,,,,$pps" >>"$CSV"
		echo "# no-match path, module $state, round $round: $pps pps"
	done
done
echo "# bench done"
