#!/usr/bin/env bash
# Voice-quality analysis benchmark (docs/benchmarks.md, "Voice-quality analysis"): for each decoded format, CPU and
# wall seconds, allocation and peak heap per minute of audio, on one thread. Prints figures; asserts nothing.
#
#   scripts/bench-analysis.sh [MINUTES] [RUNS]
#
#   MINUTES  minutes of generated speech-like audio per file (default 3)
#   RUNS     measured runs per format, after one warm-up; the median is printed (default 5)
set -o pipefail
source "$(dirname "$0")/lib/cli.sh"
check_options "ARGS" "$@"
[[ $# -le 2 ]] || usage_error "at most two numbers"
[[ $# -lt 1 || "$1" =~ ^[0-9]+([.][0-9]+)?$ ]] || usage_error "MINUTES is not a number: $1"
[[ $# -lt 2 || "$2" =~ ^[1-9][0-9]*$ ]] || usage_error "RUNS is not a whole number: $2"
LOG_LEVEL=WARN "$(dirname "$0")/run-java.sh" io.voicedrop.bench.AnalysisBenchmark "$@" | grep -v '^{'
