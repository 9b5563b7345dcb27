#!/usr/bin/env bash
# Cold-start benchmark of the Lambda artifacts (docs/benchmarks.md, "Cold start"): for each function, fresh JVMs
# with Lambda's flags and only that function's deployment package on the classpath, against a local AWS emulator
# (moto, or LocalStack when Docker answers), beside a bare handler of the same event type. Prints a table and each
# artifact's zip size; asserts nothing. Takes about 5 minutes with the default 5 runs (uptime tells the load).
#
#   scripts/bench-cold-start.sh [--runs N] [--functions ingest,worker,api,notify,webhook] [--no-primed]
#                               [--xmx 900m] [--jvm-arg FLAG]... [--attribute] [--variant NAME=-jar,+jar]...
#                               [--logging-variants] [--appcds] [--no-build]
#
# --attribute adds, per row, the classes loaded and the time spent per jar (-Xlog:class+load); --variant runs rows
# with jars taken out (-prefix) or added (+prefix, from infra-tests/target/bench-ablation); --logging-variants
# swaps the logging stack for slf4j-nop and slf4j-simple; --appcds adds rows started with a dynamic AppCDS archive
# of each function (made by one training launch first).
#
# Needs what the local runner needs: a JDK 17+ and moto (pip install 'moto[server]') or Docker.
set -euo pipefail
source "$(dirname "$0")/lib/cli.sh"
check_options "--runs= --functions= --no-primed --xmx= --jvm-arg= --attribute --variant= --logging-variants --appcds --no-build" "$@"
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
# compile too: without a phase Maven cannot resolve the reactor's modules (their classes directories then serve)
./mvnw -B -q -pl infra-tests -am compile dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=runtime >/dev/null
exec java -cp "infra-tests/target/classes:$(cat "$CP_FILE")" io.voicedrop.bench.ColdStartBenchmark ${args[@]+"${args[@]}"}
