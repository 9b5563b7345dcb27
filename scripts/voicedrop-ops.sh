#!/usr/bin/env bash
# Operator commands for a deployed VoiceDrop stack (docs/operations.md).
#
#   scripts/voicedrop-ops.sh --stack NAME status|resume|replay-dead-letters
#   scripts/voicedrop-ops.sh --stack NAME delete-model ID|erase-upload KEY_OR_JOB_ID
#   scripts/voicedrop-ops.sh --stack NAME backfill-indexes [--restart]
#
#   status                  whether upstream calls are paused (bad token, no balance) and since when
#   resume                  lifts the pause and sends the waiting jobs now
#   replay-dead-letters     sends dead-lettered job messages back, re-ingests failed ingest events
#   delete-model ID         deletes a model (by model id or job id) upstream and erases VoiceDrop's copies of it
#   erase-upload KEY|JOB_ID erases everything of one upload: every model it made, every version of its files,
#                           its status report
#   backfill-indexes        adds what was stored before an index existed to it (title search postings of older
#                           models, job list keys of older jobs); safe while the stack runs, repeatable, resumes
#                           where an interrupted run stopped (--restart: from the start)
#
# Needs the AWS CLI and credentials allowed to read the stack's outputs and use its tables, queues and bucket.
set -euo pipefail
source "$(dirname "$0")/lib/cli.sh"
check_options "--stack= --restart ARGS" "$@"
STACK=""
ARGS=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --stack) STACK="$2"; shift 2 ;;
    *) ARGS+=("$1"); shift ;;
  esac
done
[[ -n "$STACK" ]] || usage_error "--stack NAME is needed"
case "${ARGS[0]:-}" in
  status|resume|replay-dead-letters) [[ ${#ARGS[@]} -eq 1 ]] || usage_error "one command at a time" ;;
  delete-model|erase-upload) [[ ${#ARGS[@]} -eq 2 && -n "${ARGS[1]}" ]] || usage_error "${ARGS[0]} needs one id" ;;
  backfill-indexes) [[ ${#ARGS[@]} -eq 1 || ( ${#ARGS[@]} -eq 2 && "${ARGS[1]}" == "--restart" ) ]] \
                      || usage_error "backfill-indexes takes only --restart" ;;
  "") usage_error "a command is needed" ;;
  *) usage_error "unknown command ${ARGS[0]}" ;;
esac
output() { aws cloudformation describe-stacks --stack-name "$STACK" --query "Stacks[0].Outputs[?OutputKey=='$1'].OutputValue" --output text; }
export BUCKET_NAME="$(output BucketName)" JOBS_TABLE="$(output JobsTableName)" MODELS_TABLE="$(output ModelsTableName)" \
       API_KEYS_TABLE="$(output ApiKeysTableName)" JOBS_QUEUE_URL="$(output JobsQueueUrl)" \
       DEAD_LETTER_QUEUE_URL="$(output DeadLetterQueueUrl)" FISH_TOKEN_SECRET_ARN="$(output FishTokenSecretArn)"
exec "$(dirname "$0")/run-java.sh" io.voicedrop.ops.OpsCommand "${ARGS[@]}"
