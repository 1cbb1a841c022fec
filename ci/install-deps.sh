#!/bin/sh
# Install the Debian 12 packages vexit needs to build, boot and test (or, given
# package names, those instead: ci/install-lint.sh asks for node and npm so).
# As root it installs them with apt-get; otherwise it prints the exact
# command to run and fails, so a missing tool is never a mystery.
set -eu

PACKAGES="bochs bochsbios vgabios bochs-term grub-pc-bin grub-efi-amd64-bin grub-common xorriso mtools \
check gcc make binutils pkg-config libxml2-utils qemu-system-x86 ovmf clang libclang-rt-14-dev"
if [ $# -gt 0 ]; then
	PACKAGES="$*"
fi

if [ "$(id -u)" -ne 0 ]; then
	echo "install-deps: missing tools; run as root:" >&2
	echo "  apt-get update && apt-get install -y --no-install-recommends $PACKAGES" >&2
	exit 1
fi

export DEBIAN_FRONTEND=noninteractive
apt-get update -q
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $PACKAGES
