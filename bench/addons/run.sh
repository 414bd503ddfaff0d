#!/usr/bin/env bash
# Add-on provisioning benchmark: time from `POST /v1/addons` to the first successful query, and idle memory (PSS, so
# PostgreSQL's shared buffers count once) of each add-on's database processes 5 s after it is ready. Reference in the same run: the same client
# query against the already running server (what "first query" costs on its own).
# Usage: bench/addons/run.sh [ROUNDS]   (run as root: add-ons run sandboxed under their own uid; needs the packages
# of .ci/packages/addons.apt). Builds nuage in Release first.
set -euo pipefail
rounds=${1:-3}
root=$(cd "$(dirname "$0")/../.." && pwd)
. "$root/bench/lib.sh"
work=$(mktemp -d /tmp/nuage-bench-addons.XXXXXX)
api=$((20000 + RANDOM % 20000))
dotnet publish "$root/src/Nuage" -c Release -o "$work/bin" >/dev/null
dotnet "$work/bin/nuage.dll" server --data "$work/data" --api "127.0.0.1:$api" --http 127.0.0.1:0 >"$work/server.log" 2>&1 &
server=$!
cleanup() {
  kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true
  delete_firewall_table "$work/data"
  rm -rf "$work"
}
trap cleanup EXIT
for _ in $(seq 1 300); do curl -fs "http://127.0.0.1:$api/healthz" >/dev/null && break; sleep 0.1; done
token=$(cat "$work/data/admin-token")
call() { curl -fs -H "Authorization: Bearer $token" -H 'content-type: application/json' "$@"; }
now() { date +%s.%N; }

query() { # type name -> runs one query with the add-on's credentials
  local vars; vars=$(call "http://127.0.0.1:$api/v1/addons/$2/credentials")
  v() { echo "$vars" | python3 -c "import json,sys; print(json.load(sys.stdin)['variables']['$1'])"; }
  case $1 in
    postgresql) PGPASSWORD=$(v POSTGRESQL_ADDON_PASSWORD) psql -h "$(v POSTGRESQL_ADDON_HOST)" -p "$(v POSTGRESQL_ADDON_PORT)" -U "$(v POSTGRESQL_ADDON_USER)" -d "$(v POSTGRESQL_ADDON_DB)" -w -tAc 'SELECT 1' >/dev/null ;;
    mysql) MYSQL_PWD=$(v MYSQL_ADDON_PASSWORD) mariadb -h "$(v MYSQL_ADDON_HOST)" -P "$(v MYSQL_ADDON_PORT)" -u "$(v MYSQL_ADDON_USER)" "$(v MYSQL_ADDON_DB)" -e 'SELECT 1' >/dev/null ;;
    redis) REDISCLI_AUTH=$(v REDIS_PASSWORD) redis-cli -h "$(v REDIS_HOST)" -p "$(v REDIS_PORT)" PING | grep -q PONG ;;
  esac
}

rss_kib() { # pid of the add-on's wrapper -> summed PSS (KiB) of the database's processes in its session (shared memory counted once)
  local total=0
  for p in $(ps -o pid=,comm= -s "$(ps -o sid= -p "$1" | tr -d ' ')" | awk '$2 != "bash" && $2 != "bwrap" && $2 != "setpriv" {print $1}'); do
    total=$((total + $(awk '/^Pss:/ {print $2}' "/proc/$p/smaps_rollup" 2>/dev/null || echo 0)))
  done
  echo "$total"
}

printf '%-11s %5s %12s %14s %10s\n' type round provision_s query_alone_s idle_pss_mib
for type in postgresql redis mysql; do
  for round in $(seq 1 "$rounds"); do
    name="b-$type-$round"
    start=$(now)
    call -d "{\"name\":\"$name\",\"type\":\"$type\"}" "http://127.0.0.1:$api/v1/addons" >/dev/null
    until query "$type" "$name" 2>/dev/null; do sleep 0.05; done
    provisioned=$(now)
    qstart=$(now); query "$type" "$name"; qend=$(now)
    sleep 5
    pid=$(call "http://127.0.0.1:$api/v1/addons/$name" | python3 -c "import json,sys; print(json.load(sys.stdin)['pid'])")
    rss=$(rss_kib "$pid")
    printf '%-11s %5s %12.2f %14.3f %10.1f\n' "$type" "$round" "$(echo "$provisioned - $start" | bc)" "$(echo "$qend - $qstart" | bc)" "$(echo "$rss / 1024" | bc -l)"
    call -X DELETE "http://127.0.0.1:$api/v1/addons/$name?force=true" >/dev/null
  done
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
