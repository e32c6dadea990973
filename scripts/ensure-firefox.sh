#!/usr/bin/env bash
# Firefox browser tests drive Debian's firefox-esr; install it when the machine lacks it, or
# upgrade it when it is older than the add-on's strict_min_version (wxt.config.ts), which it would
# refuse to install (CI runs as root).
set -euo pipefail
# The one place the minimum is written is the manifest's settings.
MIN_MAJOR=$(sed -nE "s/.*strict_min_version: '([0-9]+)\..*/\1/p" "$(dirname "$0")/../wxt.config.ts")
MIN_MAJOR=${MIN_MAJOR:-0}
FIREFOX="${FIREFOX_PATH:-/usr/bin/firefox-esr}"
if [ -x "$FIREFOX" ]; then
  major=$("$FIREFOX" --version 2>/dev/null | sed -nE 's/.* ([0-9]+)\..*/\1/p')
  if [ "${major:-0}" -ge "$MIN_MAJOR" ]; then exit 0; fi
  echo "Firefox ${major:-of unknown version} is older than ${MIN_MAJOR}, the add-on's minimum." >&2
  if [ -n "${FIREFOX_PATH:-}" ]; then exit 1; fi
fi
if [ "$(id -u)" != "0" ]; then
  echo "Firefox ${MIN_MAJOR} or newer is missing: run 'sudo apt-get update && sudo apt-get install -y firefox-esr' (or set FIREFOX_PATH)." >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq firefox-esr >/dev/null
