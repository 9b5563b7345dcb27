#!/usr/bin/env bash
# Operator commands for a deployed VoiceDrop stack (docs/operations.md):
#   scripts/voicedrop-ops.sh --stack NAME status|resume|replay-dead-letters|delete-model ID|erase-upload KEY_OR_JOB_ID
# Needs the AWS CLI and credentials allowed to read the stack's outputs and use its tables, queues and bucket.
set -euo pipefail
[ "${1:-}" = "--stack" ] && [ -n "${2:-}" ] || { echo "usage: $0 --stack NAME status|resume|replay-dead-letters|delete-model ID|erase-upload KEY_OR_JOB_ID"; exit 2; }
STACK="$2"; shift 2
output() { aws cloudformation describe-stacks --stack-name "$STACK" --query "Stacks[0].Outputs[?OutputKey=='$1'].OutputValue" --output text; }
export BUCKET_NAME="$(output BucketName)" JOBS_TABLE="$(output JobsTableName)" MODELS_TABLE="$(output ModelsTableName)" \
       API_KEYS_TABLE="$(output ApiKeysTableName)" JOBS_QUEUE_URL="$(output JobsQueueUrl)" \
       DEAD_LETTER_QUEUE_URL="$(output DeadLetterQueueUrl)" FISH_TOKEN_SECRET_ARN="$(output FishTokenSecretArn)"
exec "$(dirname "$0")/run-java.sh" io.voicedrop.ops.OpsCommand "$@"
