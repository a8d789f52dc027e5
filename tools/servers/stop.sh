#!/usr/bin/env bash
# Stops the servers that start.sh started (by the PIDs it recorded) and removes their state.
set -euo pipefail

state="${TMPDIR:-/tmp}/bitearth-servers"
pids="$state/pids"

if [[ ! -f "$pids" ]]; then
  echo "no servers recorded in $pids"
  exit 0
fi
while read -r pid; do
  kill "$pid" 2>/dev/null || true
done < "$pids"
for _ in $(seq 1 20); do
  running=0
  while read -r pid; do kill -0 "$pid" 2>/dev/null && running=1; done < "$pids"
  (( running )) || break
  sleep 0.25
done
while read -r pid; do kill -9 "$pid" 2>/dev/null || true; done < "$pids"
rm -rf "$state"
echo "servers stopped"
