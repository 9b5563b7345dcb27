#!/usr/bin/env bash
# Worker drain benchmark (docs/benchmarks.md, "Worker drain"): N jobs dropped at once, drained by 5 concurrent
# workers against the Fish simulator. Prints figures; asserts nothing.
#
#   scripts/bench-worker.sh [N] [R] [L] [BUDGET]
#
#   N        jobs (default 100)
#   R        creates per second the simulator allows (default 5)
#   L        simulated upstream latency in ms (default 200)
#   BUDGET   the fleet's request-rate budget per second (default R)
set -o pipefail
source "$(dirname "$0")/lib/cli.sh"
check_options "ARGS" "$@"
[[ $# -le 4 ]] || usage_error "at most four numbers"
for a in "$@"; do
  [[ "$a" =~ ^[0-9]+([.][0-9]+)?$ ]] || usage_error "not a number: $a"
done
LOG_LEVEL=WARN "$(dirname "$0")/run-java.sh" io.voicedrop.bench.WorkerDrainBenchmark "$@" | grep -v '^{'
