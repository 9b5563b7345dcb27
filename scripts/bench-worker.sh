#!/usr/bin/env bash
# Worker drain benchmark (docs/benchmarks.md, "Worker drain"): scripts/bench-worker.sh [N jobs] [R creates/s allowed upstream]
# [L latency ms] [fleet budget/s]. Prints figures; asserts nothing.
set -o pipefail
LOG_LEVEL=WARN "$(dirname "$0")/run-java.sh" io.voicedrop.bench.WorkerDrainBenchmark "$@" | grep -v '^{'
