#!/usr/bin/env bash
# The SAP stand-in against a running API: builds tools/Routing.SapSim (Release) and runs it.
# Usage: scripts/sap-sim.sh demo [--follow]          master data, stock, a reconciliation and the ERP feed, as SAP would
#        scripts/sap-sim.sh import --kind stock --batch B --file stock.csv
#        scripts/sap-sim.sh snapshot --file snapshot.json --as-of 2026-12-02T06:00:00+08:00 --tolerance 2
#        scripts/sap-sim.sh feed [--follow]          scripts/sap-sim.sh bench --rows 100000
# Options: --url (default $ROUTING_URL or http://localhost:5080), --token (default $ROUTING_TOKEN, else an erp token
# minted with this checkout's built API: `dotnet api/bin/*/net10.0/Routing.Api.dll token --role erp --sub sap`).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
built=$(dotnet build "$root/tools/Routing.SapSim" -c Release -nologo -v q 2>&1) || { echo "$built" >&2; exit 1; }
exec dotnet "$root/tools/Routing.SapSim/bin/Release/net10.0/Routing.SapSim.dll" "$@"
