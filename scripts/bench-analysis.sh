#!/usr/bin/env bash
# Voice-quality analysis benchmark (docs/benchmarks.md, "Voice-quality analysis"): scripts/bench-analysis.sh [minutes
# of audio per file, default 3] [measured runs, default 5]. Prints CPU seconds, allocation and peak heap per minute
# of audio for each decoded format; asserts nothing.
set -o pipefail
LOG_LEVEL=WARN "$(dirname "$0")/run-java.sh" io.voicedrop.bench.AnalysisBenchmark "$@" | grep -v '^{'
