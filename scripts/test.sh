#!/usr/bin/env bash
# The whole test suite on a fresh machine: installs what the browser tests need when it is missing (Debian's
# chromium and chromium-driver, with apt-get when run as root), then runs ./mvnw -B verify. CI (.ci/run) runs
# exactly this. Without root, install them yourself: sudo apt-get update && sudo apt-get install -y chromium chromium-driver
# Usage: scripts/test.sh [extra Maven arguments, e.g. -Dtest=ConsoleBrowserTest -Dsurefire.failIfNoSpecifiedTests=false]
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ "${1:-}" == "--help" || "${1:-}" == "-h" ]]; then
  sed -n '2,5p' "$0" | sed 's/^# \{0,1\}//'
  exit 0
fi
if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
  if [[ "$(id -u)" == "0" ]] && command -v apt-get >/dev/null; then
    echo "Installing Debian's chromium and chromium-driver for the console's browser tests..."
    apt-get update -q >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium chromium-driver >/dev/null
  else
    echo "Note: chromium/chromedriver are missing; the browser tests will fail until they are installed" \
      "(apt-get update && apt-get install -y chromium chromium-driver)." >&2
  fi
fi
exec ./mvnw -B verify "$@"
