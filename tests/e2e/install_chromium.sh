#!/usr/bin/env bash
# Install Debian's Chromium for the browser tests, unless /usr/bin/chromium is already there.
# The tests drive this system browser; Playwright itself never downloads one.
set -euo pipefail

CHROMIUM=/usr/bin/chromium
if [ -x "$CHROMIUM" ]; then
    echo "install_chromium: $CHROMIUM is already installed"
    exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "install_chromium: no apt-get here; install Chromium yourself and point E2E_CHROMIUM at it" >&2
    exit 1
fi
as_root=()
if [ "$(id -u)" -ne 0 ]; then
    if ! command -v sudo >/dev/null 2>&1; then
        echo "install_chromium: installing a package needs root (or sudo)" >&2
        exit 1
    fi
    as_root=(sudo)
fi

echo "install_chromium: installing Debian's chromium with apt-get"
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium
if [ ! -x "$CHROMIUM" ]; then
    echo "install_chromium: apt-get finished but $CHROMIUM is still missing" >&2
    exit 1
fi
echo "install_chromium: $("$CHROMIUM" --version 2>/dev/null || echo "$CHROMIUM installed")"
