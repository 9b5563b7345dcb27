#!/usr/bin/env bash
# Builds the project (tests skipped) and runs one main class of the infra-tests module with its runtime classpath.
# The other scripts call this.
#
#   scripts/run-java.sh MAIN_CLASS [ARGS...]
#
# The classpath comes from this checkout's reactor build (module jars under */target), never from ~/.m2: nothing is
# installed, so two checkouts on one machine cannot pick up each other's SNAPSHOT jars.
set -euo pipefail
source "$(dirname "$0")/lib/cli.sh"
case "${1:-}" in
  -h|--help) usage; exit 0 ;;
  "") usage_error "a main class is needed" ;;
  -*) usage_error "unknown option $1" ;;
esac
cd "$(dirname "$0")/.."
# Relative outputFile: each module writes its own target/runtime-classpath.txt; infra-tests' is the one used.
./mvnw -B -q -DskipTests package dependency:build-classpath \
  -Dmdep.outputFile=target/runtime-classpath.txt -Dmdep.includeScope=runtime >/dev/null
CP_FILE="$PWD/infra-tests/target/runtime-classpath.txt"
MAIN="$1"; shift
exec java -cp "infra-tests/target/classes:$(cat "$CP_FILE")" "$MAIN" "$@"
