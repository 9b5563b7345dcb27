#!/usr/bin/env bash
# Operator commands for a deployed VoiceDrop stack: status | resume | replay-dead-letters | api-keys ...
# Usage: scripts/voicedrop-ops.sh --stack voicedrop resume
# Needs AWS credentials allowed to read the stack's outputs and use its table, queues and bucket.
set -euo pipefail
cd "$(dirname "$0")/.."
[ "${1:-}" = "--stack" ] && [ -n "${2:-}" ] || { echo "usage: $0 --stack NAME status|resume|replay-dead-letters|api-keys ..."; exit 2; }
STACK="$2"; shift 2
output() { aws cloudformation describe-stacks --stack-name "$STACK" --query "Stacks[0].Outputs[?OutputKey=='$1'].OutputValue" --output text; }
export BUCKET_NAME="$(output BucketName)" JOBS_TABLE="$(output JobsTableName)" MODELS_TABLE="$(output ModelsTableName)" \
       API_KEYS_TABLE="$(output ApiKeysTableName)" JOBS_QUEUE_URL="$(output JobsQueueUrl)" \
       DEAD_LETTER_QUEUE_URL="$(output DeadLetterQueueUrl)" FISH_TOKEN_SECRET_ARN="$(output FishTokenSecretArn)"
./mvnw -B -q -DskipTests install >/dev/null
CP_FILE="$PWD/infra-tests/target/runtime-classpath.txt"
./mvnw -B -q -pl infra-tests dependency:build-classpath -Dmdep.outputFile="$CP_FILE" -Dmdep.includeScope=runtime >/dev/null
if [ "${1:-}" = "api-keys" ]; then shift; exec java -cp "infra-tests/target/classes:$(cat "$CP_FILE")" io.voicedrop.api.ApiKeysCommand "$@"; fi
exec java -cp "infra-tests/target/classes:$(cat "$CP_FILE")" io.voicedrop.ops.OpsCommand "$@"
