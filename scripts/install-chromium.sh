#!/bin/sh
# Installs Debian's chromium for the report browser tests (reports/browsertest),
# which drive it headless through chromedp. Idempotent: does nothing when
# /usr/bin/chromium is already there, and only then runs apt-get update.
set -eu

if [ -x /usr/bin/chromium ]; then
	echo "chromium already installed: $(/usr/bin/chromium --version 2>/dev/null || echo /usr/bin/chromium)"
	exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
	echo "install-chromium.sh: apt-get not found; install Chromium so that /usr/bin/chromium exists" >&2
	exit 1
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
	SUDO="sudo"
fi

$SUDO apt-get update
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium
/usr/bin/chromium --version
