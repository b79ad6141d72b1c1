#!/usr/bin/env bash
# Browser tests of the ops console: starts the real API (embedded silo, demo data) on loopback ports it binds itself,
# reads its address from its start-up banner, mints tokens for fixed demo users, runs web-ops/e2e with Debian's
# Chromium driven by playwright-core, and stops the API. Each run starts a fresh API, so the tests' fixed data holds.
# Needs a Release build of the API (test.sh builds it) and web-ops/node_modules (npm ci).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
api_dll="$root/api/bin/Release/net10.0/Routing.Api.dll"
[ -f "$api_dll" ] || { echo "e2e: $api_dll is missing; build first: dotnet build api -c Release" >&2; exit 1; }
[ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ] || { echo "e2e: Chromium is missing; install it: apt-get install -y chromium" >&2; exit 1; }

log=$(mktemp)
export ASPNETCORE_ENVIRONMENT=Development

# Port 0 everywhere, so no other process can take a port between choosing and binding it: Kestrel and the silo's
# listener take what the OS gives them, and the embedded silo needs no gateway (the API is its in-process client).
(cd "$root/api" && exec dotnet "$api_dll" --urls http://127.0.0.1:0 --Orleans:SiloPort=0 --Orleans:GatewayPort=0 \
  --Logging:LogLevel:Default=Warning) >"$log" 2>&1 &
api_pid=$!
trap 'kill "$api_pid" 2>/dev/null || true; wait "$api_pid" 2>/dev/null || true; rm -f "$log"' EXIT

# The banner comes once the host has started (silo up, demo data seeded, Kestrel listening) and names the bound address.
banner='Routing is running at '
for _ in $(seq 1 600); do
  grep -q "$banner" "$log" && break
  kill -0 "$api_pid" 2>/dev/null || { echo "e2e: the API exited:" >&2; cat "$log" >&2; exit 1; }
  sleep 0.2
done
url=$(sed -n "s/^ *$banner\(http:[^ ,]*\).*/\1/p" "$log" | head -n 1)
[ -n "$url" ] || { echo "e2e: the API printed no address in 120 s:" >&2; cat "$log" >&2; exit 1; }
curl -fsS "$url/health" >/dev/null || { echo "e2e: the API at $url started but is not healthy:" >&2; cat "$log" >&2; exit 1; }

token() { (cd "$root/api" && dotnet "$api_dll" token "$@"); }
customers=""
for i in $(seq 1 12); do customers+="$(token --role customer --customer "$(printf 'c-%04d' "$i")"),"; done

cd "$root/web-ops"
ROUTING_URL="$url" OPS_TOKEN="$(token --role ops --sub e2e)" CUSTOMER_TOKENS="${customers%,}" \
DISTRIBUTOR_ID=d-01 OTHER_DISTRIBUTOR_ID=d-02 DISTRIBUTOR_TOKEN="$(token --role distributor --distributor d-01)" \
SALES_ID=S-e2e SALES_TOKEN="$(token --role sales --sales S-e2e)" \
  node --test --test-reporter=tap e2e/
