#!/usr/bin/env bash
# Runs every test of Routing. On a fresh machine it installs what the tests need by itself.
# Usage: ./test.sh [extra dotnet test arguments, e.g. --filter FullyQualifiedName~Api]
set -euo pipefail
cd "$(dirname "$0")"

if ! command -v dotnet >/dev/null 2>&1; then
  echo "test.sh: the .NET SDK 10 is required (dotnet not found on PATH); see https://dot.net" >&2
  exit 1
fi

# The PostgreSQL tests start their own throwaway server from the PostgreSQL binaries (never a system service).
if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "test.sh: installing PostgreSQL 15 (the PostgreSQL tests need its server binaries)"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-15 >/dev/null
    # The package starts a cluster of its own; the tests do not use it.
    (command -v pg_ctlcluster >/dev/null && pg_ctlcluster 15 main stop) >/dev/null 2>&1 || true
  fi
  if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
    echo "test.sh: PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin; install them as root: apt-get install -y postgresql-15" >&2
    exit 1
  fi
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
dotnet test Routing.sln --configuration Release "$@" 2>&1 | tee "$log" || status=$?

# One closing line for CI: "tests: N passed, N failed". A skipped test fails the run: nothing is skipped silently.
summary=$(grep -E '^(Passed|Failed)! +- Failed: ' "$log" | sed -E 's/.*Failed: +([0-9]+), Passed: +([0-9]+), Skipped: +([0-9]+).*/\1 \2 \3/' \
  | awk '{f+=$1; p+=$2; s+=$3} END {print f+0, p+0, s+0}')
read -r failed passed skipped <<<"$summary"
if [ "$passed" -eq 0 ] && [ "$failed" -eq 0 ]; then
  echo "test.sh: no test ran" >&2
  exit 1
fi
if [ "$skipped" -gt 0 ]; then
  echo "test.sh: $skipped test(s) skipped; every test must run" >&2
  status=1
fi
echo "tests: $passed passed, $failed failed"
exit "$status"
