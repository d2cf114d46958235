#!/usr/bin/env bash
# make bench: capture tools side by side under one load, in one VM boot per
# kernel. Absolute numbers mean little under emulation; the ratios to
# tcpdump, measured in the same boot, are the result.
#
# Output per kernel in build/bench/<kver>/: bench.csv (one row per run),
# table.txt (what is printed here) and captured.png.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
KVERS=${KVERS:-6.1 6.12}

make -s tools
# A reader and a producer on vCPUs of their own, as on real hardware (the
# tests default to one host thread for both).
export KCAP_VM_TCG=${KCAP_VM_TCG:-multi}

for k in $KVERS; do
	tests/vm/run.sh -q -k "$k" -T 900 -o "build/bench/<kver>/vm" -c "
		export BENCH_COUNT=${BENCH_COUNT:-100000}
		bash bench/guest.sh" || true
	out=$(ls -d build/bench/"$k".*-amd64/vm | grep -v -- -rt- | sort -V | tail -n 1)
	dest=$(dirname "$out")
	kver=$(basename "$dest")
	if [ ! -s "$out/bench.csv" ]; then
		echo "bench: no results from $kver (see $out/cmd.log)" >&2
		exit 1
	fi
	cp "$out/bench.csv" "$dest/"
	python3 bench/report.py "$dest/bench.csv" "$kver" | tee "$dest/table.txt"
	gnuplot -e "csv='$dest/bench.csv'; png='$dest/captured.png'; title='$kver'" \
		bench/captured.gp
	echo "bench: $dest/captured.png"
done

# Decoding speed needs no VM: kcapdump -r against tcpdump -r -nn -v.
bash tools/decode/bench.sh | tee build/bench/decode.txt
