#!/usr/bin/env bash
# Operator commands for a deployed VoiceDrop stack (docs/operations.md).
#
#   scripts/voicedrop-ops.sh --stack NAME status|resume|replay-dead-letters
#
#   status                whether upstream calls are paused (bad token, no balance) and since when
#   resume                lifts the pause and sends the waiting jobs now
#   replay-dead-letters   sends dead-lettered job messages back, re-ingests failed ingest events
#
# Needs the AWS CLI and credentials allowed to read the stack's outputs and use its tables, queues and bucket.
set -euo pipefail
source "$(dirname "$0")/lib/cli.sh"
check_options "--stack= ARGS" "$@"
STACK=""
COMMAND=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --stack) STACK="$2"; shift 2 ;;
    *) [[ -z "$COMMAND" ]] || usage_error "one command at a time"; COMMAND="$1"; shift ;;
  esac
done
[[ -n "$STACK" ]] || usage_error "--stack NAME is needed"
case "$COMMAND" in
  status|resume|replay-dead-letters) ;;
  "") usage_error "a command is needed" ;;
  *) usage_error "unknown command $COMMAND" ;;
esac
output() { aws cloudformation describe-stacks --stack-name "$STACK" --query "Stacks[0].Outputs[?OutputKey=='$1'].OutputValue" --output text; }
export BUCKET_NAME="$(output BucketName)" JOBS_TABLE="$(output JobsTableName)" MODELS_TABLE="$(output ModelsTableName)" \
       API_KEYS_TABLE="$(output ApiKeysTableName)" JOBS_QUEUE_URL="$(output JobsQueueUrl)" \
       DEAD_LETTER_QUEUE_URL="$(output DeadLetterQueueUrl)" FISH_TOKEN_SECRET_ARN="$(output FishTokenSecretArn)"
exec "$(dirname "$0")/run-java.sh" io.voicedrop.ops.OpsCommand "$COMMAND"
