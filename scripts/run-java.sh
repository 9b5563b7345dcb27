#!/usr/bin/env bash
# Builds the project (tests skipped) and runs one main class of the infra-tests module with its runtime classpath.
# The other scripts call this; usage: scripts/run-java.sh <main class> [args...]
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q -DskipTests install >/dev/null
CP_FILE="$PWD/infra-tests/target/runtime-classpath.txt"
./mvnw -B -q -pl infra-tests dependency:build-classpath -Dmdep.outputFile="$CP_FILE" -Dmdep.includeScope=runtime >/dev/null
MAIN="$1"; shift
exec java -cp "infra-tests/target/classes:$(cat "$CP_FILE")" "$MAIN" "$@"
