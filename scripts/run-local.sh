#!/usr/bin/env bash
# Runs the whole VoiceDrop pipeline on this machine, no AWS account: see README "Run it locally".
# Arguments go to io.voicedrop.local.LocalRun (--demo, --aws-endpoint URL, --fish-url URL --fish-token T, --port N).
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q -DskipTests install >/dev/null
CP_FILE="$PWD/infra-tests/target/runtime-classpath.txt"
./mvnw -B -q -pl infra-tests dependency:build-classpath -Dmdep.outputFile="$CP_FILE" -Dmdep.includeScope=runtime >/dev/null
exec java -cp "infra-tests/target/classes:$(cat "$CP_FILE")" io.voicedrop.local.LocalRun "$@"
