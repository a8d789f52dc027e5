#!/bin/sh
# Runs after `azd deploy` (azd exports the provisioning outputs as environment variables) or by hand with the
# same variables set. Two steps need the deployed app or a registry, so they cannot be part of provisioning:
#  1. The Event Grid subscription to IngestPatch: its webhook URL carries the host's blobs_extension system key,
#     which the Functions host creates only after code with an Event Grid blob trigger has started.
#  2. The trainer image: built from trainer/Dockerfile in the registry (az acr build, no local Docker) and set on
#     the job; TRAINER_IMAGE is remembered in the azd environment so a later `azd provision` keeps it.
set -eu

: "${AZURE_RESOURCE_GROUP:?}" "${AZURE_FUNCTION_APP_NAME:?}" "${EVENT_GRID_SYSTEM_TOPIC_NAME:?}" "${API_BASE_URL:?}"
: "${AZURE_CONTAINER_REGISTRY_NAME:?}" "${AZURE_CONTAINER_REGISTRY_ENDPOINT:?}" "${TRAINER_JOB_NAME:?}"

root="$(cd "$(dirname "$0")/../.." && pwd)"

echo "Waiting for the Functions host to create the blobs_extension key..."
key=""
for attempt in $(seq 1 30); do
  curl -fsS -o /dev/null "$API_BASE_URL/health" || true
  key="$(az functionapp keys list -g "$AZURE_RESOURCE_GROUP" -n "$AZURE_FUNCTION_APP_NAME" \
    --query systemKeys.blobs_extension -o tsv 2>/dev/null || true)"
  [ -n "$key" ] && break
  echo "  not yet (attempt $attempt/30)"; sleep 10
done
[ -n "$key" ] || { echo "blobs_extension key never appeared; is IngestPatch deployed?" >&2; exit 1; }
unset key # only its existence matters: the template reads it itself and never outputs it

az deployment group create -g "$AZURE_RESOURCE_GROUP" -n ingest-events \
  -f "$root/infra/modules/ingest-events.bicep" \
  -p functionAppName="$AZURE_FUNCTION_APP_NAME" systemTopicName="$EVENT_GRID_SYSTEM_TOPIC_NAME" \
  --only-show-errors -o none
azd env set INGEST_EVENTS_ENABLED true
echo "Event Grid now delivers BlobCreated events of 'patches' to IngestPatch."

if [ -f "$root/trainer/Dockerfile" ]; then
  image="$AZURE_CONTAINER_REGISTRY_ENDPOINT/bitearth-trainer:$(date -u +%Y%m%d%H%M%S)"
  az acr build -r "$AZURE_CONTAINER_REGISTRY_NAME" -t "${image#*/}" -f "$root/trainer/Dockerfile" "$root" -o none
  az containerapp job update -g "$AZURE_RESOURCE_GROUP" -n "$TRAINER_JOB_NAME" --image "$image" -o none
  azd env set TRAINER_IMAGE "$image"
  echo "Trainer job now runs $image."
else
  echo "No trainer/Dockerfile; the trainer job keeps its placeholder image."
fi
