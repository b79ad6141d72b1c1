#!/usr/bin/env bash
# A local Routing cluster to try scale-out: a throwaway PostgreSQL, 3 headless silos and 1 API node (Orleans client).
# Usage: scripts/local-cluster.sh [silos=3]     Ctrl-C stops everything and deletes the database.
# Needs the .NET 10 SDK and the PostgreSQL server binaries (apt-get install -y postgresql-15).
set -euo pipefail
cd "$(dirname "$0")/.."
SILOS=${1:-3}
PG_PORT=${PG_PORT:-55432}
API_PORT=${API_PORT:-5080}
WORK=$(mktemp -d /tmp/routing-cluster.XXXXXX)
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
if [ -z "$PG_BIN" ] || [ ! -x "$PG_BIN/postgres" ]; then
  echo "local-cluster: PostgreSQL server binaries not found; install them: sudo apt-get install -y postgresql-15" >&2
  exit 1
fi

as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[ "$(id -u)" -eq 0 ] && chown postgres:postgres "$WORK"

pids=()
cleanup() {
  trap - EXIT INT TERM
  echo; echo "stopping…"
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  as_pg "$PG_BIN/pg_ctl" -D "$WORK/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

echo "PostgreSQL on 127.0.0.1:$PG_PORT (data in $WORK)"
as_pg "$PG_BIN/initdb" -D "$WORK/data" -U postgres --auth=trust -E UTF8 --no-instructions >/dev/null
as_pg "$PG_BIN/pg_ctl" -D "$WORK/data" -l "$WORK/postgres.log" -o "-p $PG_PORT -k $WORK -c listen_addresses=127.0.0.1" -w start >/dev/null
as_pg "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -qc "CREATE DATABASE routing" >/dev/null

export Storage__Provider=Postgres
export ConnectionStrings__Routing="Host=127.0.0.1;Port=$PG_PORT;Database=routing;Username=postgres"
export Orleans__ClusterId=local Orleans__ServiceId=routing
export Auth__SigningKey=${Auth__SigningKey:-routing-local-cluster-signing-key-0123456789}

# Building the API builds the silo too.
dotnet build -c Release -v quiet -nologo api/Routing.Api.csproj >"$WORK/build.log" 2>&1 || { cat "$WORK/build.log" >&2; exit 1; }
dotnet run --no-build -c Release --project silo -- migrate

for i in $(seq 1 "$SILOS"); do
  Orleans__SiloPort=$((11110 + i)) Orleans__GatewayPort=$((30000 + i)) \
    dotnet run --no-build -c Release --project silo >"$WORK/silo-$i.log" 2>&1 &
  pids+=($!)
  echo "silo $i: silo port $((11110 + i)), gateway $((30000 + i)), log $WORK/silo-$i.log"
done

Orleans__Mode=Client Urls="http://localhost:$API_PORT" \
  dotnet run --no-build -c Release --project api >"$WORK/api.log" 2>&1 &
pids+=($!)
echo "api: http://localhost:$API_PORT (Orleans client), log $WORK/api.log"

for _ in $(seq 1 120); do
  curl -fsS "http://localhost:$API_PORT/health" >/dev/null 2>&1 && break
  sleep 1
done
curl -fsS "http://localhost:$API_PORT/health" >/dev/null || { echo "the API did not become healthy; see $WORK/api.log" >&2; exit 1; }
echo
echo "ready. an ops token:"
dotnet run --no-build -c Release --project api -- token --role ops
echo
echo "membership:  psql -h 127.0.0.1 -p $PG_PORT -U postgres routing -c 'SELECT address, port, status FROM orleansmembershiptable'"
echo "Ctrl-C stops the cluster."
wait
