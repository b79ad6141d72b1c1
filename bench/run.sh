#!/usr/bin/env bash
# The full performance comparison: builds in Release, then runs every scenario (hot-sku, spread) on every target
# (ceiling, naive PostgreSQL baseline, the engine), prints the table and writes bench/results/latest.json.
# Loopback only; each phase is bounded in time and count; every process and database it starts is stopped.
# Usage: ./bench/run.sh [driver options, e.g. --scenarios hot-sku --duration 10 --targets ceiling,engine-memory]
#        ./bench/run.sh --micro     the Router micro-benchmarks (BenchmarkDotNet) instead
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${1:-}" = "--micro" ]; then
  shift
  exec dotnet run -c Release --project bench/Routing.Bench.Micro -- --filter '*' --exporters markdown "$@"
fi

dotnet build Routing.sln -c Release -nologo -v q
exec dotnet bench/Routing.Bench/bin/Release/net10.0/Routing.Bench.dll "$@"
