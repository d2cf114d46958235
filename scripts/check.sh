#!/usr/bin/env bash
# Every test kcap has, in one run: host-side checks first (they are quick
# and need no VM), then every suite inside the VM on Debian's 6.1, the
# kselftest suites on 6.12 and on the debug kernel (KASAN, lockdep,
# kmemleak; built the first time, beside the other tests, then cached).
# KCAP_KVERS="6.1" picks kernels.
# The last line is "N passed, N failed".
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
KVERS=${KCAP_KVERS:-6.1 6.12 debug}
PASS=0
FAIL=0
LOG=build/check
mkdir -p "$LOG"

step()
{
	local name=$1 log=$LOG/$2.log

	shift 2
	if "$@" >"$log" 2>&1; then
		PASS=$((PASS + 1)); echo "ok - $name"
	else
		FAIL=$((FAIL + 1)); echo "not ok - $name (see $log)"
		tail -n 15 "$log" | sed 's/^/#   /'
	fi
}

# A summary line "N passed, N failed" from a sub-runner, added to ours.
add_summary()
{
	local line

	line=$(grep -E '^#? ?[0-9]+ passed, [0-9]+ failed' "$1" | tail -n 1 | tr -d '#')
	if [ -z "$line" ]; then
		FAIL=$((FAIL + 1)); echo "not ok - $2 printed no summary (see $1)"
		return
	fi
	set -- $line
	PASS=$((PASS + $1)); FAIL=$((FAIL + ${3%,}))
}

# The debug kernel's first build takes some 20 minutes of both cores: it
# runs niced beside everything up to its own suites, which the VM's single
# emulation thread leaves room for, instead of after them.
debug_build=
if [[ " $KVERS " == *" debug "* ]]; then
	nice -n 19 scripts/debug-kernel.sh >"$LOG/debug-kernel.log" 2>&1 &
	debug_build=$!
fi

step "ksrc: harness and checkpatch extracted" ksrc scripts/ksrc.sh
for k in ${KVERS/debug/}; do
	hdr=$(ls -d /usr/src/linux-headers-"$k".*-amd64 2>/dev/null | grep -v -- -rt- | sort -V | tail -n 1)
	step "kmod builds with W=1 -Werror against $k" "w1-$k" \
		bash -c "rm -rf build/w1/$k && mkdir -p build/w1/$k &&
			 git ls-files -co --exclude-standard kmod uapi | cpio -pdm --quiet build/w1/$k &&
			 make -C $hdr M=$ROOT/build/w1/$k/kmod W=1 KCFLAGS=-Werror modules"
done
step "checkpatch: kmod/ and uapi/ clean" style make -s style
step "sparse: kmod/ clean" sparse make -s sparse
step "tools and tests build" build make -s tools tests

# Host unit tests, ASan and UBSan builds: libkcap and the tools, then the
# decoders (goldens, every truncation, tshark cross-check, a bounded fuzz),
# then libFuzzer over the key=value parser and the pcap reader.
for suite in tools tools/decode tests/fuzz; do
	make -s -C "$suite" check >"$LOG/unit-${suite//\//-}.log" 2>&1
	grep -E '^(not )?ok ' "$LOG/unit-${suite//\//-}.log" | sed "s|^|$suite: |"
	add_summary "$LOG/unit-${suite//\//-}.log" "$suite unit tests"
done

# vm NAME ARGS...: one tests/vm/run.sh run, its lines shown, its summary ours.
vm()
{
	local name=$1

	shift
	tests/vm/run.sh "$@" 2>&1 | tee "$LOG/$name.log" | grep -E '^(not ok|ok -|# booting)'
	add_summary "$LOG/$name.log" "VM tests ($name)"
}

# Every suite on the first kernel; on the others the kselftest suites,
# the kernel's side (the shell suites drive the tools, which do not change
# with the kernel). make check-debug runs the shell suites there too.
ksuites=()
for t in build/tests/*_test; do
	ksuites+=(-t "$(basename "$t")")
done
first=1
for k in ${KVERS/debug/}; do
	if [ $first = 1 ]; then
		vm "vm-$k" -k "$k"
		first=0
	else
		vm "vm-$k" -k "$k" "${ksuites[@]}"
	fi
done

if [ -n "$debug_build" ]; then
	if wait "$debug_build"; then
		PASS=$((PASS + 1)); echo "ok - debug kernel builds (KASAN, lockdep, kmemleak)"
		vm vm-debug -k debug "${ksuites[@]}"
	else
		FAIL=$((FAIL + 1))
		echo "not ok - debug kernel builds (see $LOG/debug-kernel.log)"
		tail -n 15 "$LOG/debug-kernel.log" | sed 's/^/#   /'
	fi
fi

echo "$PASS passed, $FAIL failed"
[ "$FAIL" = 0 ]
