#!/usr/bin/env bash
# Router continuity benchmark (issue #16): `nuage server --router process` (Release build) with a deployed Procfile app
# (bench/router/Backend), wrk -c64 against the router while the server is (a) gracefully restarted 5 times, (b) replaced
# by another copy of the binary once (stopped, then started from a different directory: an upgrade), (c) SIGKILLed and
# restarted once. Reports, per case, requests answered and failed (socket errors + non-2xx) as wrk counts them.
# The server runs with --insecure-host-network like product.sh; everything else is the default configuration.
# Usage: bench/router/continuity.sh      (env: DURATION=30s (minimum per case) BASE_PORT=29180 THREADS=2)
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
. "$here/../lib.sh"
repo="$(cd "$here/../.." && pwd)"
duration="${DURATION:-30s}"
threads="${THREADS:-2}"
base="${BASE_PORT:-29180}"
base=$(free_base "$base" 2)
api_port=$base; router_port=$((base + 1))
work="$(mktemp -d /tmp/nuage-bench-continuity.XXXXXX)"
server_pid=""

cleanup() {
  if [[ -n "$server_pid" ]]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  # The router process and the instances outlive the server by design: stop this run's (their command lines name its
  # data directory), by pid.
  for proc in /proc/[0-9]*; do
    if tr '\0' ' ' 2>/dev/null <"$proc/cmdline" | grep -qF -- "$work/"; then kill -KILL "${proc#/proc/}" 2>/dev/null || true; fi
  done
}
trap cleanup EXIT

for tool in wrk dotnet curl ss python3; do command -v "$tool" >/dev/null || { echo "missing $tool" >&2; exit 1; }; done

echo "== building nuage (twice: the second copy is the 'new binary') and the backend (Release)"
dotnet build -c Release -v q --nologo "$repo/src/Nuage/Nuage.csproj" -o "$work/nuage" >/dev/null
cp -a "$work/nuage" "$work/nuage-next"
mkdir -p "$work/app"
dotnet build -c Release -v q --nologo "$here/Backend/Backend.csproj" -o "$work/app" >/dev/null
printf 'web: exec dotnet Backend.dll $PORT\n' >"$work/app/Procfile"

start_server() { # binary-directory
  dotnet "$1/nuage.dll" server --data "$work/data" --api "127.0.0.1:$api_port" --http "127.0.0.1:$router_port" --router process \
    --insecure-host-network --sandbox-read-only-path "$work/app" >>"$work/server.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 600); do
    [[ -s "$work/data/admin-token" ]] && curl -sf -o /dev/null "http://127.0.0.1:$api_port/healthz" && return 0
    kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log" >&2; exit 1; }
    sleep 0.1
  done
  echo "server did not start" >&2; exit 1
}
stop_server() { kill -TERM "$server_pid"; wait "$server_pid" || true; }
kill_server() { kill -KILL "$server_pid"; wait "$server_pid" 2>/dev/null || true; }

echo "== starting nuage server --router process (api :$api_port, router :$router_port)"
start_server "$work/nuage"
token="$(cat "$work/data/admin-token")"
api() { curl -sf -H "Authorization: Bearer $token" "$@"; }
api -X POST -H 'Content-Type: application/json' -d '{"name":"bench","runtime":"procfile"}' "http://127.0.0.1:$api_port/v1/apps" >/dev/null
tar -C "$work/app" -czf "$work/app.tgz" .
dep="$(api -X POST -H 'Content-Type: application/octet-stream' --data-binary "@$work/app.tgz" "http://127.0.0.1:$api_port/v1/apps/bench/deployments" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')"
for _ in $(seq 1 600); do
  state="$(api "http://127.0.0.1:$api_port/v1/apps/bench/deployments/$dep" | python3 -c 'import json,sys; print(json.load(sys.stdin)["state"])')"
  [[ "$state" == succeeded ]] && break
  [[ "$state" == failed || "$state" == cancelled ]] && { echo "deployment $state" >&2; exit 1; }
  sleep 0.2
done
curl -sf -o /dev/null -H "Host: bench.localhost" "http://127.0.0.1:$router_port/" || { echo "router does not serve the app" >&2; exit 1; }
router_pid="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["pid"])' "$work/data/run/router/router.pid")"
echo "== router process pid $router_pid; wrk -t$threads -c64 -d$duration per case, loadavg $(cut -d' ' -f1-3 /proc/loadavg)"

under_load() { # name, then the command run while wrk runs
  # wrk runs from 2 s before the case until 3 s after it and at least $duration (SIGINT ends it and prints its totals),
  # so the whole case is under load however long the restarts take on a busy machine.
  local name="$1"; shift
  wrk -t"$threads" -c64 -d3600s -H "Host: bench.localhost" "http://127.0.0.1:$router_port/" >"$work/wrk-$name.txt" &
  local wrk_pid=$! started=$SECONDS
  sleep 2
  "$@"
  sleep 3
  while (( SECONDS - started < ${duration%s} )); do sleep 1; done
  kill -INT "$wrk_pid"
  wait "$wrk_pid" || true
  local total errors non2xx
  total="$(awk '/requests in/ { print $1 }' "$work/wrk-$name.txt")"
  errors="$(awk '/Socket errors/ { gsub(",", ""); print $4 + $6 + $8 + $10 }' "$work/wrk-$name.txt")"
  non2xx="$(awk '/Non-2xx/ { print $5 }' "$work/wrk-$name.txt")"
  printf '%-22s %9s requests in %4ss  failed: %s socket errors, %s non-2xx\n' "$name" "$total" "$((SECONDS - started))" "${errors:-0}" "${non2xx:-0}"
}

restarts() { for _ in 1 2 3 4 5; do stop_server; start_server "$work/nuage"; sleep 1; done; }
upgrade() { stop_server; start_server "$work/nuage-next"; }
crash() { kill_server; sleep 1; start_server "$work/nuage-next"; }

under_load "graceful-restart-x5" restarts
under_load "binary-replaced" upgrade
under_load "kill-9-and-restart" crash
now_pid="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["pid"])' "$work/data/run/router/router.pid")"
echo "router process pid after all cases: $now_pid ($( [[ "$now_pid" == "$router_pid" ]] && echo "same process: adopted every time" || echo "REPLACED"))"
sleep 1
echo "access-log records of app bench in the store: $(api "http://127.0.0.1:$api_port/v1/apps/bench/logs?source=access&since=1h&limit=1" >/dev/null && echo ok)"
echo "router RSS: $(awk '/VmRSS/ { print $2/1024 " MiB" }' "/proc/$now_pid/status"), server RSS: $(awk '/VmRSS/ { print $2/1024 " MiB" }' "/proc/$server_pid/status")"
echo "raw outputs: $work"
