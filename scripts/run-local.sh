#!/usr/bin/env bash
# Runs the whole VoiceDrop pipeline on this machine, no AWS account needed (README.md, "Quick start").
#
#   scripts/run-local.sh [--demo] [--verbose] [--aws-endpoint URL] [--fish-url URL --fish-token TOKEN]
#                        [--port N] [--template PATH]
#
#   --demo               upload generated audio, follow its job to the model, print the list API's answer, exit
#   --verbose            print the functions' JSON logs and EMF metric lines here, not in target/local/voicedrop.log
#   --aws-endpoint URL   use this AWS-protocol endpoint (e.g. a running LocalStack) instead of starting an emulator
#   --fish-url URL --fish-token TOKEN
#                        the real upstream instead of the Fish simulator (every model created costs money)
#   --port N             port of the local API (default: any free port)
#   --template PATH      the SAM template whose resources are created (default: ./template.yaml)
#   --help               this text
#
# Without --demo it keeps running and prints the bucket, the API URL and a key; Ctrl-C stops it. The emulator is
# LocalStack when a Docker engine answers, else moto (python3 -m moto.server); VOICEDROP_EMULATOR=moto|localstack
# forces one. Needs Java 17+ and, without Docker, python3 with moto[server].
set -euo pipefail
source "$(dirname "$0")/lib/cli.sh"
check_options "--demo --verbose --aws-endpoint= --fish-url= --fish-token= --port= --template=" "$@"
echo "run-local: building (./mvnw -q -DskipTests package; the first build downloads the dependencies)…" >&2
exec "$(dirname "$0")/run-java.sh" io.voicedrop.local.LocalRun "$@"
