#!/usr/bin/env bash
# Cold-start benchmark of the Lambda artifacts (docs/benchmarks.md, "Cold start"): for each function, fresh JVMs
# with Lambda's flags and only that function's deployment package on the classpath, against a local AWS emulator
# (moto, or LocalStack when Docker answers), beside a bare handler of the same event type. Prints a table with each
# artifact's zip size and jar count; asserts nothing. About 5-10 minutes with the default 5 runs; note `uptime`.
#
#   scripts/bench-cold-start.sh [--runs N] [--functions ingest,worker,api,notify,webhook] [--no-primed]
#                               [--xmx 900m] [--jvm-arg FLAG]... [--attribute] [--variant NAME=-jar,+jar]...
#                               [--logging-variants] [--appcds] [--no-build]
#
# Rows and their ratio ("x baseline"):
#   baseline <Event>  a bare handler (no framework, the DynamoDB SDK only) that Lambda's serializer hands the same
#                     event as the function, and that does one GetItem: what any Java handler of that event pays.
#   <fn> cold         an on-demand cold start: JVM launch, handler init, first request. Ratio: (init + 1st request)
#                     / the baseline's.
#   <fn> primed       what a SnapStart instance's first request costs: init, then the priming hook (SnapStartPriming:
#                     SDK pipelines and a rehearsal of the function's own first request, offline), then the first
#                     real request. Restore is not simulated and init is not counted (a restored instance never
#                     runs it). Ratio: (1st request / a warm request of the same kind) / the same for the baseline
#                     primed as AWS documents (its request run once before the snapshot).
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
# package, not compile: without a phase Maven cannot resolve the reactor's modules, and voicedrop-shared's test-jar
# (which the api module depends on) exists only from the package phase on. Output is kept on failure.
log="$(mktemp)"
if ! ./mvnw -B -q -pl infra-tests -am -DskipTests package dependency:build-classpath \
     -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=runtime >"$log" 2>&1; then
  cat "$log" >&2; echo "bench-cold-start: could not build the benchmark's classpath (output above)" >&2; exit 1
fi
rm -f "$log"
exec java -cp "infra-tests/target/classes:$(cat "$CP_FILE")" io.voicedrop.bench.ColdStartBenchmark ${args[@]+"${args[@]}"}
