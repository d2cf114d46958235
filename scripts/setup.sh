#!/usr/bin/env bash
# Install every Debian package the build, the VM test bed and the tests need.
# Idempotent: a second run only checks. Kernel 6.12 comes from bookworm-backports,
# whose archive URI is copied from the machine's own Debian source entry.
set -euo pipefail

export DEBIAN_FRONTEND=noninteractive

PKGS=(
	build-essential make gcc libc6-dev pkg-config sparse libpcap-dev
	qemu-system-x86 busybox-static cpio kmod
	linux-image-amd64 linux-headers-amd64 linux-source-6.1 xz-utils
	tcpdump tshark iproute2 iputils-ping netcat-openbsd python3 procps
	python3-pytest python3-scapy
	netsniff-ng gnuplot-nox time
	flex bison bc libelf-dev libssl-dev
)

sources=/etc/apt/sources.list.d/debian.sources
bpo=/etc/apt/sources.list.d/kcap-backports.sources

add_backports()
{
	local uri

	[ -f "$bpo" ] && return 0
	[ -f "$sources" ] || { echo "setup: no $sources to take the archive URI from" >&2; return 1; }
	uri=$(awk '/^URIs:/ { print $2; exit }' "$sources")
	[ -n "$uri" ] || { echo "setup: no URIs: line in $sources" >&2; return 1; }
	cat >"$bpo" <<SRC
Types: deb
URIs: $uri
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
}

missing()
{
	local p

	for p in "$@"; do
		dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed' ||
			echo "$p"
	done
}

# The newest generic 6.12 image in backports (not -rt, -cloud, -dbg or
# -unsigned), e.g. linux-image-6.12.117+deb12-amd64.
bpo_kernel()
{
	apt-cache search --names-only '^linux-image-6\.12\.[0-9]+\+deb12-amd64$' 2>/dev/null |
		awk '{ print $1 }' | sort -V | tail -n 1
}

add_backports
need=$(missing "${PKGS[@]}")
if ! ls /boot/vmlinuz-6.12.*+deb12-amd64 >/dev/null 2>&1 || [ -n "$need" ]; then
	apt-get update -qq
	img=$(bpo_kernel)
	[ -n "$img" ] || { echo "setup: no 6.12 kernel found in backports" >&2; exit 1; }
	hdr=${img/linux-image-/linux-headers-}
	# shellcheck disable=SC2086
	apt-get install -y -qq --no-install-recommends $need "$img" "$hdr" >/dev/null
fi
echo "setup: packages present"
