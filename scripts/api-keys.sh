#!/usr/bin/env bash
# Create, list and revoke API keys of a deployed stack (keys are stored only as SHA-256 hashes).
#
#   scripts/api-keys.sh [--stack NAME] [--region REGION] create --owner OWNER [--label LABEL] [--rate-limit N]
#   scripts/api-keys.sh [--stack NAME] [--region REGION] list
#   scripts/api-keys.sh [--stack NAME] [--region REGION] revoke HASH_PREFIX
#
# create prints the new key ONCE on stdout; --rate-limit N gives the key its own limit of N requests per minute
# (default: the API's API_RATE_LIMIT_PER_MINUTE). list prints hash, state, creation time, owner, label, limit.
# revoke disables the one key whose hash starts with HASH_PREFIX (8+ hex characters).
# The table comes from API_KEYS_TABLE if set, else from the stack output ApiKeysTableName (needs the AWS CLI and
# credentials allowed to read the stack and use the table). For an emulator, set AWS_ENDPOINT_URL.
set -euo pipefail
source "$(dirname "$0")/lib/cli.sh"
cd "$(dirname "$0")/.."
STACK="${STACK:-voicedrop}"
REGION="${AWS_REGION:-${AWS_DEFAULT_REGION:-}}"
while [[ $# -gt 0 ]]; do
  case "$1" in
    -h|--help) usage; exit 0 ;;
    --stack|--region) [[ $# -ge 2 && "$2" != --* ]] || usage_error "$1 needs a value"
      if [[ "$1" == --stack ]]; then STACK="$2"; else REGION="$2"; fi
      shift 2 ;;
    -*) usage_error "unknown option $1" ;;
    *) break ;;
  esac
done
[[ $# -gt 0 ]] || usage_error "a command is needed: create, list or revoke"
COMMAND="$1"
shift
case "$COMMAND" in
  create) check_options "--owner= --label= --rate-limit=" "$@"
    [[ " $* " == *" --owner "* ]] || usage_error "create needs --owner OWNER" ;;
  list) check_options "" "$@" ;;
  revoke) check_options "ARGS" "$@"; [[ $# -eq 1 ]] || usage_error "revoke needs one HASH_PREFIX" ;;
  *) usage_error "unknown command $COMMAND" ;;
esac
if [[ -z "${API_KEYS_TABLE:-}" ]]; then
  API_KEYS_TABLE=$(aws cloudformation describe-stacks --stack-name "$STACK" ${REGION:+--region "$REGION"} \
    --query "Stacks[0].Outputs[?OutputKey=='ApiKeysTableName'].OutputValue" --output text)
fi
export API_KEYS_TABLE AWS_REGION="${REGION:-us-east-1}"
# Only API_KEYS_TABLE is used; the command reads the functions' configuration, whose other names must be set.
export BUCKET_NAME="${BUCKET_NAME:--}" JOBS_TABLE="${JOBS_TABLE:--}" MODELS_TABLE="${MODELS_TABLE:--}" \
  JOBS_QUEUE_URL="${JOBS_QUEUE_URL:--}"
JAR=$(ls functions/api/target/voicedrop-api-*.jar 2>/dev/null | grep -v -- '-sources' | head -1 || true)
if [[ -z "$JAR" || ! -d functions/api/target/lambda/lib ]]; then
  ./mvnw -B -q -pl functions/api -am package -DskipTests >&2
  JAR=$(ls functions/api/target/voicedrop-api-*.jar | grep -v -- '-sources' | head -1)
fi
exec java -cp "$JAR:functions/api/target/lambda/lib/*" io.voicedrop.api.ApiKeysCommand "$COMMAND" "$@"
