#!/usr/bin/env bash
# Firefox browser tests drive Debian's firefox-esr; install it when the machine lacks it (CI runs as root).
set -euo pipefail
if [ -x "${FIREFOX_PATH:-/usr/bin/firefox-esr}" ]; then exit 0; fi
if [ "$(id -u)" != "0" ]; then
  echo "Firefox is missing: run 'sudo apt-get install -y firefox-esr' (or set FIREFOX_PATH)." >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq firefox-esr >/dev/null
