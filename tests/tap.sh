# SPDX-License-Identifier: GPL-2.0
#
# What kcap's shell tests share; source it after set -u. TAP lines, a
# scratch directory that is kept in $KCAP_OUT when a test failed, the
# module loaded and unloaded as tests of their own, and waits for a
# reader started in the background.
#
#   tap_init NAME       W: a scratch directory; at exit, background jobs
#                       are killed and the test's tap_cleanup runs if it
#                       defines one
#   ok DESC, not_ok DESC, check DESC CMD..., diag FILE...
#   tap_insmod          insmod $KCAP_KO, or end here with a failure
#   tap_rmmod           rmmod kcap, as a test
#   tap_done            the plan and the summary; use it as the last command
#   timing_ok DESC      true where time can be measured; on the debug
#                       kernel (KASAN, lockdep) it reports DESC skipped
#   wait_for FILE TEXT  until FILE holds TEXT (10 s)
#   wait_reader         until a kcapdump reads the default session (10 s)
#   send PORT COUNT SIZE [GAP]  UDP datagrams to 127.0.0.1:PORT (a test
#                       with traffic of another shape defines its own)

N=0
FAILED=0

ok() { N=$((N + 1)); echo "ok $N - $*"; }
not_ok() { N=$((N + 1)); FAILED=$((FAILED + 1)); echo "not ok $N - $*"; }
# check DESC CMD...: one test line from a command's status.
check() { local d=$1; shift; if "$@"; then ok "$d"; else not_ok "$d"; return 1; fi; }
diag() { sed 's/^/# /' "$@" | head -n 20; }

tap_exit()
{
	local p

	for p in $(jobs -p); do kill -9 "$p" 2>/dev/null; done
	wait 2>/dev/null
	if declare -F tap_cleanup >/dev/null; then
		tap_cleanup
	fi
	if [ "$FAILED" != 0 ]; then
		cp -r "$W" "${KCAP_OUT:-/tmp}/$TAP_NAME.files" 2>/dev/null
	fi
	rm -rf "$W"
}

tap_init()
{
	TAP_NAME=$1
	W=$(mktemp -d "/tmp/$TAP_NAME.XXXXXX")
	trap tap_exit EXIT
	echo "# $TAP_NAME on $(uname -r)"
}

tap_insmod()
{
	rmmod kcap 2>/dev/null
	if insmod "${KCAP_KO:?KCAP_KO: path of kcap.ko}"; then
		ok "insmod kcap.ko"
		return
	fi
	not_ok "insmod $KCAP_KO"
	tap_done
}

tap_rmmod()
{
	if rmmod kcap; then ok "rmmod kcap"; else not_ok "rmmod kcap"; fi
}

tap_done()
{
	echo "1..$N"
	echo "# $((N - FAILED)) passed, $FAILED failed"
	[ "$FAILED" = 0 ]
	exit
}

timing_ok()
{
	[ -z "${KCAP_DEBUG_KERNEL:-}" ] && return 0
	ok "$1 # SKIP timing on the debug kernel measures KASAN and lockdep"
	return 1
}

wait_for()
{
	local i

	for i in $(seq 100); do
		grep -q "$2" "$1" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

# -q prints no "listening" line to wait for, and $! may be timeout's pid
# rather than kcapdump's: ask the module who reads the session.
wait_reader()
{
	local i

	for i in $(seq 100); do
		"$KCAP_BIN/kcapctl" list 2>/dev/null |
			grep -qE '^default +\S+ +[0-9]+ \(kcapdump\)' && return 0
		sleep 0.1
	done
	return 1
}

# COUNT datagrams of SIZE to SIZE+6 bytes, the i-th filled with byte i, GAP
# seconds apart: lengths and contents tell them apart in a capture.
send()
{
	python3 - "$@" <<'PY'
import socket, sys, time
port, n, size = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
gap = float(sys.argv[4]) if len(sys.argv) > 4 else 0
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i in range(n):
    s.sendto(bytes([i % 256]) * (size + i % 7), ("127.0.0.1", port))
    if gap:
        time.sleep(gap)
PY
}
