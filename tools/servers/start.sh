#!/usr/bin/env bash
# Starts the local Azure protocol servers the integration tests and the local host use:
#   Azurite (blob 10000, queue 10001, table 10002) and cosmosdb-server (https 8081), all on 127.0.0.1.
# Installs them from tools/servers/package-lock.json on first use. State (data, certificate, logs, PIDs) lives in
# ${TMPDIR:-/tmp}/bitearth-servers; stop.sh stops what this started.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
state="${TMPDIR:-/tmp}/bitearth-servers"
pids="$state/pids"

alive() { [[ -f "$pids" ]] && while read -r pid; do kill -0 "$pid" 2>/dev/null || return 1; done < "$pids"; }
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

if alive; then
  echo "servers already running (pids $(tr '\n' ' ' < "$pids"))"
  exit 0
fi
for port in 10000 10001 10002 8081; do
  if port_open "$port"; then
    echo "port $port is already taken by another process; stop it first" >&2
    exit 1
  fi
done

if [[ ! -x "$here/node_modules/.bin/azurite" || ! -f "$here/node_modules/@vercel/cosmosdb-server/package.json" ]]; then
  echo "installing azurite and cosmosdb-server into $here/node_modules"
  (cd "$here" && npm ci --no-audit --no-fund --loglevel=error)
fi

rm -rf "$state"
mkdir -p "$state/azurite"
openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=localhost" \
  -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" \
  -keyout "$state/cosmos-key.pem" -out "$state/cosmos-cert.pem" 2>/dev/null

"$here/node_modules/.bin/azurite" \
  --blobHost 127.0.0.1 --blobPort 10000 \
  --queueHost 127.0.0.1 --queuePort 10001 \
  --tableHost 127.0.0.1 --tablePort 10002 \
  --location "$state/azurite" --skipApiVersionCheck --loose \
  > "$state/azurite.log" 2>&1 &
echo $! > "$pids"
node "$here/cosmos.js" --host 127.0.0.1 --port 8081 \
  --cert "$state/cosmos-cert.pem" --key "$state/cosmos-key.pem" \
  > "$state/cosmos.log" 2>&1 &
echo $! >> "$pids"

deadline=$((SECONDS + 60))
for port in 10000 10001 10002 8081; do
  until port_open "$port"; do
    if ! alive || (( SECONDS > deadline )); then
      echo "servers did not come up on port $port; logs:" >&2
      tail -n 20 "$state"/*.log >&2
      "$here/stop.sh" >/dev/null 2>&1 || true
      exit 1
    fi
    sleep 0.5
  done
done
echo "Azurite on 127.0.0.1:10000-10002 and cosmosdb-server on https://127.0.0.1:8081 (pids $(tr '\n' ' ' < "$pids"))"
