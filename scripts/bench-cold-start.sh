#!/usr/bin/env bash
# Cold-start benchmark of the three Lambda artifacts (docs/benchmarks.md, "Cold start"): for each function, fresh
# JVMs with Lambda's flags and only that function's artifact classpath, against a local AWS emulator (moto, or
# LocalStack when Docker answers). Prints a table; asserts nothing. Takes about 2-3 minutes with the default 5 runs.
#
#   scripts/bench-cold-start.sh [--runs N] [--functions ingest,worker,api] [--no-primed] [--xmx 900m] [--no-build]
#
# Needs what the local runner needs: a JDK 17+ and moto (pip install 'moto[server]') or Docker.
set -euo pipefail
source "$(dirname "$0")/lib/cli.sh"
check_options "--runs= --functions= --no-primed --xmx= --no-build" "$@"
cd "$(dirname "$0")/.."
build=1
args=()
for a in "$@"; do
  if [ "$a" = "--no-build" ]; then build=0; else args+=("$a"); fi
done
if [ "$build" = 1 ]; then
  # package fills functions/<fn>/target/lambda/lib, exactly what the Makefile copies into the SAM artifact
  # (emptied first, as the Makefile does: copy-dependencies never deletes a jar that is no longer a dependency)
  rm -rf functions/*/target/lambda
  ./mvnw -B -q -DskipTests package >/dev/null
fi
CP_FILE="$PWD/infra-tests/target/bench-classpath.txt"
./mvnw -B -q -pl infra-tests -am dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=runtime >/dev/null
exec java -cp "infra-tests/target/classes:$(cat "$CP_FILE")" io.voicedrop.bench.ColdStartBenchmark ${args[@]+"${args[@]}"}
