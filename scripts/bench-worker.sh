#!/usr/bin/env bash
# Worker drain benchmark: scripts/bench-worker.sh [N jobs] [R creates/s allowed upstream] [L latency ms] [fleet budget/s]
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q -DskipTests install >/dev/null
CP_FILE="$PWD/infra-tests/target/runtime-classpath.txt"
./mvnw -B -q -pl infra-tests dependency:build-classpath -Dmdep.outputFile="$CP_FILE" -Dmdep.includeScope=runtime >/dev/null
LOG_LEVEL=WARN exec java -cp "infra-tests/target/classes:$(cat "$CP_FILE")" io.voicedrop.bench.WorkerDrainBenchmark "$@" | grep -v '^{'
