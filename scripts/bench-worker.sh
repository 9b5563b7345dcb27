#!/usr/bin/env bash
# Worker drain benchmark (docs/benchmarks.md, "Worker drain"): N jobs dropped at once, drained by C concurrent
# workers against the Fish simulator, on a local emulator. Prints the drain time, 429s, duplicates and lost jobs,
# the AWS calls per job by function, service and operation (with conflicts, capacity units and the emulator's
# latency), the worker's own time per job and peak heap; then what 1,000 models cost in AWS. Asserts nothing.
#
#   scripts/bench-worker.sh [N] [R] [L] [C] [--budget B] [--uploads M] [--sample-mb S] [--retention-months K]
#
#   N        jobs (default 100)
#   R        creates per second the simulator allows (default 5)
#   L        simulated upstream latency in ms (default 200)
#   C        worker concurrency: the template's WorkerMaxConcurrency in AWS (default 5)
#   --budget B             the fleet's rate budget per second, UPSTREAM_REQUESTS_PER_SECOND (default R)
#   --uploads M            uploads measured through ingest and through the API for the cost table (default 20;
#                          0 skips the cost table)
#   --sample-mb S          audio per model for the storage and transfer costs (default 5)
#   --retention-months K   how long the samples are kept, for the storage cost (default 12)
#
# Example: scripts/bench-worker.sh 1000 50 200 50
set -o pipefail
source "$(dirname "$0")/lib/cli.sh"
check_options "ARGS --budget= --uploads= --sample-mb= --retention-months=" "$@"
positional=0
expect_value=
for a in "$@"; do
  if [[ -n "$expect_value" ]]; then
    [[ "$a" =~ ^[0-9]+([.][0-9]+)?$ ]] || usage_error "$expect_value needs a number, not: $a"
    expect_value=
  elif [[ "$a" == --* ]]; then
    expect_value="$a"
  else
    [[ "$a" =~ ^[0-9]+$ ]] || usage_error "not a whole number: $a"
    positional=$((positional + 1))
  fi
done
[[ $positional -le 4 ]] || usage_error "at most four numbers (N R L C)"
LOG_LEVEL=WARN "$(dirname "$0")/run-java.sh" io.voicedrop.bench.WorkerDrainBenchmark "$@" | grep --line-buffered -v '^{'
