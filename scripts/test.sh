#!/usr/bin/env bash
# The whole test suite on a fresh machine: installs what the browser tests need when it is missing (Debian's
# chromium and chromium-driver, with apt-get when run as root), then runs ./mvnw -B verify. CI (.ci/run) runs
# exactly this. Without root, install them yourself: sudo apt-get update && sudo apt-get install -y chromium chromium-driver
#
#   scripts/test.sh [MAVEN_ARGS...]
#
#   MAVEN_ARGS   passed on to Maven: -Dname=value, -Pprofile, -pl MODULES, -am, -q, -o,
#                e.g. -Dtest=ConsoleBrowserTest -Dsurefire.failIfNoSpecifiedTests=false
set -euo pipefail
source "$(dirname "$0")/lib/cli.sh"
args=("$@")
while [[ $# -gt 0 ]]; do
  case "$1" in
    -h|--help) usage; exit 0 ;;
    -D?*|-P?*|-am|-q|-o) shift ;;
    -pl|-rf) [[ $# -ge 2 && "$2" != -* ]] || usage_error "$1 needs a value"; shift 2 ;;
    -*) usage_error "unknown option $1" ;;
    *) usage_error "unexpected argument $1" ;;
  esac
done
cd "$(dirname "$0")/.."
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
exec ./mvnw -B verify ${args[@]+"${args[@]}"}
