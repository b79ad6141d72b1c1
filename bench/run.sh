#!/usr/bin/env bash
# The full performance comparison: builds in Release, then runs every scenario (hot-sku, spread) on every target
# (ceilings, naive PostgreSQL baseline, Redis peers, the engine), prints the table and writes bench/results/latest.json.
# Loopback only; each phase is bounded in time and count; every process and database it starts is stopped.
# Usage: ./bench/run.sh [driver options, e.g. --scenarios hot-sku --duration 10 --targets ceiling,engine-memory]
#        ./bench/run.sh --micro     the Router micro-benchmarks (BenchmarkDotNet) instead
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${1:-}" = "--micro" ]; then
  shift
  exec dotnet run -c Release --project bench/Routing.Bench.Micro -- --filter '*' --exporters markdown "$@"
fi

# The naive baseline and the engine on PostgreSQL need its server binaries, the Redis peers redis-server: as root,
# install what is missing (Debian packages); otherwise the driver says what to install when a target needs it.
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  missing=()
  ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || missing+=(postgresql-15)
  [ -x /usr/bin/redis-server ] || missing+=(redis-server)
  if [ ${#missing[@]} -gt 0 ]; then
    echo "bench: installing ${missing[*]}"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    # The packages may start servers of their own; the benchmark starts its own throwaway ones.
    (command -v pg_ctlcluster >/dev/null && pg_ctlcluster 15 main stop) >/dev/null 2>&1 || true
    (command -v service >/dev/null && service redis-server stop) >/dev/null 2>&1 || true
  fi
fi

dotnet build Routing.sln -c Release -nologo -v q
exec dotnet bench/Routing.Bench/bin/Release/net10.0/Routing.Bench.dll "$@"
