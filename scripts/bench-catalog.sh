#!/usr/bin/env bash
# Catalog scale benchmark: loads 10,000 and 100,000 models into a local AWS emulator (moto, started by the
# benchmark; or --endpoint URL) and prints DynamoDB calls, items read and latency per GET /fish/model query kind.
#
#   scripts/bench-catalog.sh [--models N[,N...]] [--requests N] [--endpoint URL]
#   scripts/bench-catalog.sh --concurrent [--models N] [--clients N] [--seconds N] [--endpoint URL]
#   scripts/bench-catalog.sh --isolation-check [--threads N] [--increments N] [--rounds N] [--endpoint URL]
#
#   (no options)        10k and 100k models, 30 requests per query kind
#   --concurrent        the catalog under load: 20 clients (each like one API instance) for 60 s against 100k models,
#                       mixing first pages, filters, deep pages, title searches and combined filters; prints
#                       p50/p95/p99 latency, requests/s, DynamoDB calls and items read per request by kind, errors
#                       and the emulator's memory; --seconds 0 only loads (what a catalog size costs the emulator).
#                       On moto, the emulator is started with indexed queries (a query reads only its partition,
#                       as DynamoDB does; moto_launcher.py): see docs/benchmarks.md "The catalog under load"
#   --isolation-check   does the emulator isolate concurrent TransactWriteItems? (exit 1 when not; moto does not,
#                       DynamoDB does)
#
# Needs: Java 17+, python3 with moto[server] (as for the integration tests).
set -euo pipefail
source "$(dirname "$0")/lib/cli.sh"
MAIN=io.voicedrop.bench.CatalogBenchmark
if [[ "${1:-}" == "--concurrent" ]]; then
  MAIN=io.voicedrop.bench.CatalogLoadBenchmark
  export VOICEDROP_MOTO_INDEXED_QUERIES="${VOICEDROP_MOTO_INDEXED_QUERIES:-true}"
  shift
  check_options "--models= --clients= --seconds= --endpoint=" "$@"
elif [[ "${1:-}" == "--isolation-check" ]]; then
  MAIN=io.voicedrop.bench.CatalogTransactionIsolationCheck
  shift
  check_options "--threads= --increments= --rounds= --endpoint=" "$@"
else
  check_options "--models= --requests= --endpoint=" "$@"
fi
export AWS_ACCESS_KEY_ID="${AWS_ACCESS_KEY_ID:-bench}" AWS_SECRET_ACCESS_KEY="${AWS_SECRET_ACCESS_KEY:-bench}"
export VOICEDROP_EMULATOR="${VOICEDROP_EMULATOR:-moto}"
exec "$(dirname "$0")/run-java.sh" "$MAIN" "$@"
