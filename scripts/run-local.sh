#!/usr/bin/env bash
# Runs the whole VoiceDrop pipeline on this machine, no AWS account: see README.md, "Quick start".
# Options: --demo, --aws-endpoint URL, --fish-url URL --fish-token TOKEN, --port N, --template PATH.
exec "$(dirname "$0")/run-java.sh" io.voicedrop.local.LocalRun "$@"
