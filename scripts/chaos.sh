#!/usr/bin/env bash
# Seeded kill-a-silo flash sales: a throwaway durable PostgreSQL, 3 headless silos and 1 API node (Orleans client) per
# run, clients retrying ambiguous answers with the same Idempotency-Key, one silo killed (kill -9) mid-sale; then the
# audit through the REST API prints oversold, lost acknowledgements, phantom reservations and stranded units per run
# and in total. See README "Recovery" → "Chaos: killing a silo mid-sale".
# Usage: scripts/chaos.sh [--runs N=10] [--seed S=1] [--cap U=2000] [--clients C=48] [--expect-exact]
# Exit code: 0 when every run was measured (--expect-exact: 1 unless every run was exact); 2 when one could not be.
# Ctrl-C stops every process it started and deletes the database. Needs the .NET 10 SDK and postgresql-15.
set -euo pipefail
cd "$(dirname "$0")/.."
LOG=$(mktemp /tmp/routing-chaos-build.XXXXXX)
# The driver, the silo host and the API (client mode); the ops console is not needed.
for project in silo/Routing.Silo.csproj api/Routing.Api.csproj tools/Routing.Chaos/Routing.Chaos.csproj; do
  dotnet build -c Release -v quiet -nologo -p:SkipOpsConsoleBuild=true "$project" >"$LOG" 2>&1 || { cat "$LOG" >&2; rm -f "$LOG"; exit 2; }
done
rm -f "$LOG"
exec dotnet tools/Routing.Chaos/bin/Release/net10.0/Routing.Chaos.dll "$@"
