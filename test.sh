#!/usr/bin/env bash
# Runs every test of Routing: the .NET tests (router, 2-silo grain cluster, API and hubs on the real host) and the
# ops console's browser tests (Debian Chromium + playwright-core). On a fresh machine it installs what they need.
# Usage: ./test.sh [extra dotnet test arguments, e.g. --filter FullyQualifiedName~Api]
set -euo pipefail
cd "$(dirname "$0")"

need() { command -v "$1" >/dev/null 2>&1 || { echo "test.sh: $1 is required: $2" >&2; exit 1; }; }
need dotnet "install the .NET SDK 10"
need node "install Node.js 20.19+ (apt-get install -y nodejs npm)"
need npm "install npm (apt-get install -y npm)"

# Debian's Chromium (never a downloaded browser) and a CJK font for the console's Chinese labels.
if [ ! -x /usr/bin/chromium ] || ! fc-list 2>/dev/null | grep -qi 'wenquanyi\|wqy'; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "test.sh: Chromium and fonts are missing; as root run: apt-get update && apt-get install -y chromium fonts-wqy-microhei" >&2
    exit 1
  fi
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-microhei >/dev/null
fi
# npm packages of the ops console (and its browser tests) are installed by the API's build.

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

# The benchmark's smoke test drives the Redis peer on a throwaway redis-server it starts (never the system service).
if [ ! -x /usr/bin/redis-server ]; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "test.sh: installing redis-server (the benchmark's smoke test drives the Redis peer)"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
    # The package may start a server of its own; the tests do not use it.
    (command -v service >/dev/null && service redis-server stop) >/dev/null 2>&1 || true
  fi
  if [ ! -x /usr/bin/redis-server ]; then
    echo "test.sh: /usr/bin/redis-server not found; install it as root: apt-get install -y redis-server" >&2
    exit 1
  fi
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
dotnet test Routing.sln --configuration Release "$@" 2>&1 | tee "$log" || status=$?
web-ops/e2e/run.sh 2>&1 | tee -a "$log" || status=1

# One closing line for CI: "tests: N passed, N failed". A skipped test fails the run: nothing is skipped silently.
read -r failed passed skipped <<<"$(grep -E '^(Passed|Failed)! +- Failed: ' "$log" \
  | sed -E 's/.*Failed: +([0-9]+), Passed: +([0-9]+), Skipped: +([0-9]+).*/\1 \2 \3/' | awk '{f+=$1; p+=$2; s+=$3} END {print f+0, p+0, s+0}')"
browser_passed=$(grep -E '^# pass ' "$log" | awk '{s+=$3} END {print s+0}')
browser_failed=$(grep -E '^# fail ' "$log" | awk '{s+=$3} END {print s+0}')
browser_skipped=$(grep -E '^# (skipped|todo) ' "$log" | awk '{s+=$3} END {print s+0}')
passed=$((passed + browser_passed)); failed=$((failed + browser_failed)); skipped=$((skipped + browser_skipped))
if [ "$browser_passed" -eq 0 ]; then
  echo "test.sh: the browser tests did not run" >&2
  status=1
fi
if [ "$skipped" -gt 0 ]; then
  echo "test.sh: $skipped test(s) skipped; every test must run" >&2
  status=1
fi
echo "tests: $passed passed, $failed failed"
exit "$status"
