#!/usr/bin/env bash
# Browser tests of the ops console: starts the real API (embedded silo, demo data) on free loopback ports,
# mints tokens, runs web-ops/e2e with Debian's Chromium driven by playwright-core, and stops the API.
# Needs a Release build of the API (test.sh builds it) and web-ops/node_modules (npm ci).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
api_dll="$root/api/bin/Release/net10.0/Routing.Api.dll"
[ -f "$api_dll" ] || { echo "e2e: $api_dll is missing; build first: dotnet build api -c Release" >&2; exit 1; }
[ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ] || { echo "e2e: Chromium is missing; install it: apt-get install -y chromium" >&2; exit 1; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
http_port=$(free_port); silo_port=$(free_port); gateway_port=$(free_port)
url="http://127.0.0.1:$http_port"
log=$(mktemp)
export ASPNETCORE_ENVIRONMENT=Development

(cd "$root/api" && exec dotnet "$api_dll" --urls "$url" --Orleans:SiloPort="$silo_port" --Orleans:GatewayPort="$gateway_port" \
  --Orleans:ClusterId="e2e-$http_port" --Logging:LogLevel:Default=Warning) >"$log" 2>&1 &
api_pid=$!
trap 'kill "$api_pid" 2>/dev/null || true; wait "$api_pid" 2>/dev/null || true; rm -f "$log"' EXIT

for _ in $(seq 1 120); do
  curl -fsS "$url/health" >/dev/null 2>&1 && break
  kill -0 "$api_pid" 2>/dev/null || { echo "e2e: the API exited:" >&2; cat "$log" >&2; exit 1; }
  sleep 0.5
done
curl -fsS "$url/health" >/dev/null || { echo "e2e: the API did not become healthy in 60 s:" >&2; cat "$log" >&2; exit 1; }

token() { (cd "$root/api" && dotnet "$api_dll" token "$@"); }
customers=""
for i in $(seq 1 12); do customers+="$(token --role customer --customer "c-$(printf '%04d' $((RANDOM % 1200 + 1)))"),"; done

cd "$root/web-ops"
ROUTING_URL="$url" OPS_TOKEN="$(token --role ops --sub e2e)" CUSTOMER_TOKENS="${customers%,}" \
DISTRIBUTOR_ID=d-01 OTHER_DISTRIBUTOR_ID=d-02 DISTRIBUTOR_TOKEN="$(token --role distributor --distributor d-01)" \
  node --test --test-reporter=tap e2e/
