#!/usr/bin/env bash
# Deploy benchmark (issue #4): time from the end of an upload (POST .../deployments answered 202) until the new
# release serves (deployment succeeded AND the router answers the new version), for examples/static and
# examples/node, on a real `nuage server` (Release build) with its own temp data dir on loopback high ports.
# Reports median and p90 of the total and of the platform's overhead (total minus the dependencies and build
# stages, i.e. time inside the runtime's own install/build commands), against the cold-start floor: starting the
# same node app directly with `node index.js` until it answers on a port.
# Usage: bench/deploy/run.sh          (env: RUNS=10 BASE_PORT=27070)
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
. "$here/../lib.sh"
repo="$(cd "$here/../.." && pwd)"
runs="${RUNS:-10}"
base="${BASE_PORT:-27070}"  # below the ephemeral range (32768+)
base=$(free_base "$base" 3)
api_port=$base; http_port=$((base + 1)); floor_port=$((base + 2))
work="$(mktemp -d /tmp/nuage-bench-deploy.XXXXXX)"
server_pid=""

cleanup() {
  if [[ -n "$server_pid" ]]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  delete_firewall_table "$work/data"
  rm -rf "$work"
}
trap cleanup EXIT

for tool in dotnet node python3 ss; do
  command -v "$tool" >/dev/null || { echo "missing $tool" >&2; exit 1; }
done

echo "== building nuage (Release)"
dotnet build -c Release -v q --nologo "$repo/src/Nuage/Nuage.csproj" -o "$work/nuage" >/dev/null

echo "== starting nuage server (api 127.0.0.1:$api_port, router 127.0.0.1:$http_port, data $work/data)"
dotnet "$work/nuage/nuage.dll" server --data "$work/data" --api "127.0.0.1:$api_port" --http "127.0.0.1:$http_port" \
  >"$work/server.log" 2>&1 &
server_pid=$!
wait_for_nuage "$work" "$api_port" "$server_pid"

python3 "$here/bench.py" --api "http://127.0.0.1:$api_port" --router "http://127.0.0.1:$http_port" \
  --token-file "$work/data/admin-token" --examples "$repo/examples" --work "$work" --runs "$runs" --floor-port "$floor_port"
