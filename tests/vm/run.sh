#!/usr/bin/env bash
# Boot Debian kernels under qemu and run kcap's tests (or a command) inside.
#
# The guest sees the host's / read-only over 9p and chroots into it, so it
# runs the freshly built module, tools and tests, and the host's tcpdump,
# tshark and python3, at the same paths as on the host. build/vm/<kver>/out
# is a second, writable share: TAP output, dmesg and test files come back
# through it. A run fails on a kernel splat in the guest's log even when
# every test passed, and on a guest that does not finish in time.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
KVERS=()
TESTS=()
CMD=
REV=
OUTDIR=
TIMEOUT=${KCAP_VM_TIMEOUT:-}
TEST_TIMEOUT=${KCAP_TEST_TIMEOUT:-}
DEBUG=0
MEM=${KCAP_VM_MEM:-2048}
QUIET=0

usage()
{
	cat <<USAGE
Usage: tests/vm/run.sh [-k KVER]... [-t TEST]... [-c CMD] [-r REV] [-o DIR] [-T SECONDS] [-q]

  -k KVER     kernel to boot: 6.1, 6.12 or a full version from /boot, or
              debug: the KASAN/lockdep/kmemleak kernel that
              scripts/debug-kernel.sh builds (booted with panic_on_warn)
              (repeatable; default: 6.1 and 6.12)
  -t TEST     run only this test (a name from build/tests, repeatable)
  -c CMD      run CMD in the guest (bash, in the repository, as root, module
              not loaded) instead of the tests; its output is shown
  -r REV      build the module from git revision REV, not the working tree
  -o DIR      the writable directory shared with the guest, \$KCAP_OUT
              (default build/vm/<kver>/out; <kver> in DIR is replaced)
  -T SECONDS  time limit for one boot (default 900, 5400 for debug; a test
              gets 600 s, 1800 on debug: \$KCAP_TEST_TIMEOUT)
  -q          print only the summary lines

Tests get KCAP_KO (the module for the booted kernel), KCAP_BIN (the tools),
KCAP_OUT (a writable directory that the host sees as build/vm/<kver>/out),
and KCAP_DEBUG_KERNEL=1 on the debug kernel. \$KCAP_VM_APPEND is added to the
guest's kernel command line (loglevel=7 shows every message on the console).
KCAP_VM_TCG=single or multi picks how qemu runs the two vCPUs: in one host
thread (the default on Debian's kernels) or one thread each (the default on
the debug kernel).
The last line is "N passed, N failed"; the exit status is 0 only when
nothing failed.
USAGE
}

die() { echo "run.sh: $*" >&2; exit 2; }

while getopts "k:t:c:r:o:T:qh" opt; do
	case $opt in
	k) KVERS+=("$OPTARG") ;;
	t) TESTS+=("$OPTARG") ;;
	c) CMD=$OPTARG ;;
	r) REV=$OPTARG ;;
	o) OUTDIR=$OPTARG ;;
	T) TIMEOUT=$OPTARG ;;
	q) QUIET=1 ;;
	h) usage; exit 0 ;;
	*) usage >&2; exit 2 ;;
	esac
done
[ ${#KVERS[@]} -gt 0 ] || KVERS=(6.1 6.12)
[ -z "$TIMEOUT" ] || [[ $TIMEOUT =~ ^[0-9]+$ ]] || die "-T: '$TIMEOUT' is not a number of seconds"

say() { [ "$QUIET" = 1 ] || echo "$@"; }

# Where scripts/debug-kernel.sh builds it.
DBGK=${KCAP_DBGK_DIR:-/var/cache/kcap/dbgk}/linux-source-6.1

# 6.1 -> 6.1.0-56-amd64; 6.12 -> 6.12.117+deb12-amd64 (never -rt or -cloud).
resolve_kver()
{
	local want=$1 k

	if [ "$want" = debug ]; then
		[ -f "$DBGK/arch/x86/boot/bzImage" ] ||
			die "no debug kernel (run scripts/debug-kernel.sh)"
		cat "$DBGK/include/config/kernel.release"
		return
	fi
	if [ -e "/boot/vmlinuz-$want" ]; then
		echo "$want"
		return
	fi
	k=$(find /boot -maxdepth 1 -name "vmlinuz-$want.*" -printf '%f\n' |
		sed 's/^vmlinuz-//' | grep -E -- '(^[0-9.]+-[0-9]+|\+deb[0-9]+)-amd64$' |
		sort -V | tail -n 1)
	[ -n "$k" ] || die "no kernel $want in /boot (run scripts/setup.sh)"
	echo "$k"
}

# Where each kernel's image and kbuild tree are.
kernel_image() { if [ "$DEBUG" = 1 ]; then echo "$DBGK/arch/x86/boot/bzImage"; else echo "/boot/vmlinuz-$1"; fi; }
kernel_build() { if [ "$DEBUG" = 1 ]; then echo "$DBGK"; else echo "/usr/src/linux-headers-$1"; fi; }

build_module()
{
	local kver=$1 dir=$ROOT/build/kmod/$1 kdir

	kdir=$(kernel_build "$kver")
	[ -d "$kdir" ] || die "no headers for $kver"
	# Kbuild's M= builds in place: give each kernel its own copy of the
	# sources, and only the sources, so no other kernel's objects leak in.
	rm -rf "$dir"
	mkdir -p "$dir"
	if [ -n "$REV" ]; then
		git -C "$ROOT" archive "$REV" kmod uapi | tar -x -C "$dir"
	else
		(cd "$ROOT" && git ls-files -co --exclude-standard kmod uapi |
			cpio -pdm --quiet "$dir")
	fi
	make -s -C "$kdir" M="$dir/kmod" modules >"$dir/build.log" 2>&1 ||
		{ cat "$dir/build.log" >&2; die "module build for $kver failed"; }
	[ -f "$dir/kmod/kcap.ko" ] || die "module build for $kver made no kcap.ko"
	echo "$dir/kmod/kcap.ko"
}

# The modules 9p needs, dependencies first, as modules.dep orders them.
ninep_modules()
{
	local kver=$1 dep=/lib/modules/$1/modules.dep

	awk -F': *' -v want="9p 9pnet_virtio virtio_pci" '
		BEGIN { n = split(want, w, " "); for (i = 1; i <= n; i++) need[w[i]] = 1 }
		{
			name = $1; sub(/.*\//, "", name); sub(/\.ko.*/, "", name)
			deps[name] = $2; path[name] = $1
		}
		function visit(m,   d, k, i) {
			if (seen[m]++) return
			k = split(deps[m], d, " ")
			for (i = k; i >= 1; i--) {
				x = d[i]; sub(/.*\//, "", x); sub(/\.ko.*/, "", x); visit(x)
			}
			print path[m]
		}
		END { for (m in need) visit(m) }' "$dep"
}

make_initramfs()
{
	local kver=$1 dir=$2 stage m

	stage=$(mktemp -d)
	mkdir -p "$stage"/{bin,dev,proc,sys,mnt,lib/modules}
	cp /bin/busybox "$stage/bin/busybox"
	touch "$stage/lib/modules/order"
	# The debug kernel has 9p and virtio built in.
	[ "$DEBUG" = 1 ] || for m in $(ninep_modules "$kver"); do
		cp "/lib/modules/$kver/$m" "$stage/lib/modules/"
		basename "$m" >>"$stage/lib/modules/order"
	done
	cp "$ROOT/tests/vm/init" "$stage/init"
	chmod +x "$stage/init"
	(cd "$stage" && find . | cpio -o -H newc --quiet | gzip -1) >"$dir/initramfs.cpio.gz"
	rm -rf "$stage"
}

# Kernel messages that fail a run whatever the tests said.
SPLAT='WARNING:|BUG:|Oops|general protection fault|Kernel panic|KASAN|UBSAN|'
SPLAT+='possible circular locking|possible recursive locking|'
SPLAT+='suspicious RCU usage|inconsistent lock state|'
SPLAT+='detected stalls|self-detected stall|scheduling while atomic|'
SPLAT+='Call Trace:|unreferenced object|refcount_t:|list_add corruption|'
SPLAT+='list_del corruption|blocked for more than|soft lockup|hard LOCKUP'

# The splats in the kernel's logs, one a line. A test that injects
# allocation failures brackets them with "kcap-test: allocation failure
# dumps expected" and "... end" in /dev/kmsg: in between, the stack dump
# that warn_alloc() prints is expected, so "Call Trace:" is forgiven
# there; every other pattern still counts.
splats()
{
	local f files=()

	for f in "$@"; do
		[ -f "$f" ] && files+=("$f")
	done
	[ ${#files[@]} -gt 0 ] || return 0
	awk -v all="$SPLAT" -v hard="${SPLAT/Call Trace:|/}" '
		FNR == 1 { w = 0 }
		/kcap-test: allocation failure dumps expected/ { w = 1; next }
		/kcap-test: allocation failure dumps end/ { w = 0; next }
		$0 ~ (w ? hard : all) { print FILENAME ": " $0 }' "${files[@]}"
}

PASS=0
FAIL=0
SKIP=0

tap_count()
{
	local file=$1 label=$2 line p=0 f=0 s=0

	while IFS= read -r line; do
		case $line in
		"ok "*"# SKIP"*|"ok "*"# skip"*) s=$((s + 1)) ;;
		"ok "*) p=$((p + 1)) ;;
		"not ok "*) f=$((f + 1)); echo "$label: $line" ;;
		esac
	done <"$file"
	PASS=$((PASS + p)); FAIL=$((FAIL + f)); SKIP=$((SKIP + s))
	TAP_LAST=$((p + f + s))
}

result()
{
	local ok=$1 what=$2

	if [ "$ok" = 1 ]; then
		PASS=$((PASS + 1)); say "ok - $what"
	else
		FAIL=$((FAIL + 1)); echo "not ok - $what"
	fi
}

run_kernel()
{
	local want=$1 kver dir out ko tests=() t rc append= tcg=single
	local boot_limit=${TIMEOUT:-900} test_limit=${TEST_TIMEOUT:-600}

	DEBUG=0
	if [ "$want" = debug ]; then
		DEBUG=1
		append="panic_on_warn=1"
		# Built without JUMP_LABEL (see tcg below): its vCPUs can run in
		# parallel and race for real.
		tcg=multi
		# KASAN and lockdep make everything some five times slower.
		boot_limit=${TIMEOUT:-5400}
		test_limit=${TEST_TIMEOUT:-1800}
	fi
	kver=$(resolve_kver "$want")
	dir=$ROOT/build/vm/$kver
	out=$dir/out
	if [ -n "$OUTDIR" ]; then
		out=$(realpath -m "${OUTDIR//<kver>/$kver}")
	fi
	rm -rf "$out"
	# -o puts the output elsewhere; the initramfs still goes in $dir.
	mkdir -p "$dir" "$out"

	if ! ko=$(build_module "$kver"); then
		result 0 "$kver: kcap.ko builds"
		return
	fi
	make_initramfs "$kver" "$dir"

	if [ -z "$CMD" ]; then
		if [ ${#TESTS[@]} -gt 0 ]; then
			tests=("${TESTS[@]}")
		else
			for t in "$ROOT"/build/tests/*_test "$ROOT"/tests/*_test.sh; do
				[ -e "$t" ] && tests+=("$(basename "$t")")
			done
		fi
	fi

	{
		echo "export KCAP_KO=$ko KCAP_BIN=$ROOT/build/bin KCAP_OUT=$out"
		echo "export KCAP_ROOT=$ROOT KCAP_KVER=$kver"
		# Tests that time things skip that on the KASAN kernel.
		[ "$DEBUG" = 1 ] && echo "export KCAP_DEBUG_KERNEL=1"
		echo "cd $ROOT"
		# kmemleak: forget what boot left behind; scan after the tests.
		leaks=/sys/kernel/debug/kmemleak
		[ "$DEBUG" = 1 ] && echo "echo clear >$leaks"
		if [ -n "$CMD" ]; then
			printf '%s\n' "$CMD"
		else
			for t in "${tests[@]}"; do
				if [ -x "$ROOT/build/tests/$t" ]; then
					path=$ROOT/build/tests/$t
				elif [ -f "$ROOT/tests/$t" ]; then
					path="bash $ROOT/tests/$t"
				else
					echo "echo 'not ok 1 $t: no such test' >$out/$t.tap"
					continue
				fi
				echo "timeout -k 5 $test_limit $path >$out/$t.tap 2>&1; echo \$? >$out/$t.rc"
			done
		fi
		# A leak needs two scans to be reported; their output is ours.
		[ "$DEBUG" = 1 ] &&
			echo "echo scan >$leaks; sleep 5; echo scan >$leaks; cat $leaks >$out/kmemleak.txt"
		true
	} >"$out/guest.sh"

	if [ -z "$CMD" ] && [ ${#tests[@]} = 0 ]; then
		result 0 "$kver: no tests found (build them with make)"
		return
	fi
	say "# booting $kver (${#tests[@]} tests)"
	# Under QEMU 7.2's multi-threaded TCG, a vCPU that runs through a jump
	# label while another patches it can keep a stale translation holding
	# text_poke_bp()'s int3: a livelock or "Oops: int3" in the guest,
	# whichever static key flips (netfilter's, on every first or last
	# hook). One host thread for both vCPUs never runs stale code, and on
	# two host cores the suites take no longer.
	tcg=${KCAP_VM_TCG:-$tcg}
	rc=0
	timeout -k 10 "$boot_limit" qemu-system-x86_64 \
		-machine q35 -cpu max -smp 2 -m "$MEM" -accel "tcg,thread=$tcg" \
		-display none -no-reboot -nic none \
		-serial "file:$dir/console.log" \
		-kernel "$(kernel_image "$kver")" -initrd "$dir/initramfs.cpio.gz" \
		-append "console=ttyS0 loglevel=5 panic=-1 $append ${KCAP_VM_APPEND:-} kcap.root=$ROOT kcap.out=$out" \
		-virtfs "local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap" \
		-virtfs "local,path=$out,mount_tag=out,security_model=none,multidevs=remap" ||
		rc=$?

	if [ -n "$CMD" ]; then
		cat "$out/cmd.log" 2>/dev/null || true
	fi
	if [ $rc = 0 ] && [ -f "$out/done" ]; then
		result 1 "$kver: guest ran and powered off (qemu status $rc)"
	else
		result 0 "$kver: guest ran and powered off (qemu status $rc)"
		# A guest that died has no dmesg.txt: its console is all there is.
		echo "# last lines of $dir/console.log:"
		tail -n 40 "$dir/console.log" | sed 's/^/#   /'
	fi

	if [ -z "$CMD" ]; then
		for t in "${tests[@]}"; do
			if [ ! -f "$out/$t.tap" ]; then
				result 0 "$kver: $t produced no output"
				continue
			fi
			[ "$QUIET" = 1 ] || sed "s/^/$kver: /" "$out/$t.tap" | grep -E '^[^:]+: (ok|not ok) ' || true
			tap_count "$out/$t.tap" "$kver: $t"
			trc=$(cat "$out/$t.rc" 2>/dev/null || echo none)
			if [ "$TAP_LAST" = 0 ] || { [ "$trc" != 0 ] && ! grep -q '^not ok ' "$out/$t.tap"; }; then
				result 0 "$kver: $t exited with status $trc (see $out/$t.tap)"
			fi
		done
	fi

	splats "$dir/console.log" "$out/dmesg.txt" "$out/kmemleak.txt" >"$dir/splats.txt"
	if [ -s "$dir/splats.txt" ]; then
		result 0 "$kver: kernel log has splats (see $dir/splats.txt):"
		head -n 20 "$dir/splats.txt" | sed 's/^/#   /'
	else
		result 1 "$kver: kernel log free of warnings and oopses"
	fi
}

# One VM at a time on this machine, from any copy of the tree: runs share
# build/vm and build/kmod, and two emulated two-CPU guests on two cores
# starve each other's vCPUs into soft lockups and RCU stall reports.
exec 9>"${KCAP_VM_LOCK:-/run/lock/kcap-vm.lock}"
if ! flock -n 9; then
	say "# waiting for another VM run to finish"
	flock 9
fi

for k in "${KVERS[@]}"; do
	run_kernel "$k"
done
[ "$SKIP" = 0 ] || say "# $SKIP skipped"
echo "$PASS passed, $FAIL failed"
[ "$FAIL" = 0 ]
