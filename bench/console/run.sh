#!/usr/bin/env bash
# Console benchmark (issue #15): how long the console's Apps page takes to show a table of N apps in Debian's
# chromium (headless), on a real `nuage server` (Release build), measured from navigation to the last row drawn,
# beside the API call that page makes, timed from the same browser (the reference of the same run).
# Usage: bench/console/run.sh          (env: APPS=100 RUNS=20 BASE_PORT=26070)
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
. "$here/../lib.sh"
repo="$(cd "$here/../.." && pwd)"
apps="${APPS:-100}"
runs="${RUNS:-20}"
base="${BASE_PORT:-26070}"
base=$(free_base "$base" 2)
api_port=$base; http_port=$((base + 1))
work="$(mktemp -d /tmp/nuage-bench-console.XXXXXX)"
server_pid=""

cleanup() {
  if [[ -n "$server_pid" ]]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  delete_firewall_table "$work/data"
  rm -rf "$work"
}
trap cleanup EXIT

for tool in dotnet curl ss /usr/bin/chromium; do
  command -v "$tool" >/dev/null || { echo "missing $tool (chromium: apt-get install chromium)" >&2; exit 1; }
done

echo "== building nuage and the bench (Release)"
dotnet build -c Release -v q --nologo "$repo/src/Nuage/Nuage.csproj" -o "$work/nuage" >/dev/null
dotnet build -c Release -v q --nologo "$here/ConsoleBench/ConsoleBench.csproj" -o "$work/bench" >/dev/null

echo "== starting nuage server (api 127.0.0.1:$api_port)"
dotnet "$work/nuage/nuage.dll" server --data "$work/data" --api "127.0.0.1:$api_port" --http "127.0.0.1:$http_port" \
  >"$work/server.log" 2>&1 &
server_pid=$!
wait_for_nuage "$work" "$api_port" "$server_pid"
token="$(cat "$work/data/admin-token")"

echo "== creating $apps apps"
for i in $(seq 1 "$apps"); do
  curl -sf -o /dev/null -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    -d "{\"name\":\"app-$i\",\"runtime\":\"node\"}" "http://127.0.0.1:$api_port/v1/apps"
done

echo "== measuring ($runs loads)"
dotnet "$work/bench/ConsoleBench.dll" "http://127.0.0.1:$api_port" "$token" "$apps" "$runs"
