#!/usr/bin/env bash
# Router benchmark, product path (issue #16): a real `nuage server` (Release build, access log to the log store and
# metrics on, as users run it) with a deployed Procfile app running bench/router/Backend (the same tiny backend as
# run.sh), against nginx proxying to that very instance, in one run: wrk at 64 and 256 connections, req/s, p50/p99
# and CPU per request of the proxy process (nuage server: the whole server; nginx: master + workers).
# The server runs with --insecure-host-network so the instance listens on host loopback where nginx can reach it
# too (the router connects to it the same way); everything else is the default configuration. Stock YARP
# (bench/router/Stock: MapForwarder to the same instance, nothing of Nuage's) runs beside them: the floor of the stack.
# Usage: bench/router/product.sh      (env: DURATION=10s WARMUP=8s BASE_PORT=29080 THREADS=2 PERF=0 SERVER_ARGS= SRC=<repo>)
# SRC builds nuage from another checkout (e.g. a worktree with a change), to compare two trees on the same machine.
# SERVER_ARGS adds server flags, e.g. SERVER_ARGS="--router process": the CPU of the `nuage router` process is then
# counted with the server's.
# PERF=1 also records the server with `perf record -g` during the c=64 run (JIT'd frames named via DOTNET_PerfMapEnabled)
# and prints the top of the report; the raw perf.data stays in the run's directory.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
. "$here/../lib.sh"
repo="$(cd "$here/../.." && pwd)"
src="${SRC:-$repo}"
duration="${DURATION:-10s}"
warmup="${WARMUP:-8s}"
threads="${THREADS:-2}"
perf_on="${PERF:-0}"
base="${BASE_PORT:-29080}"
base=$(free_base "$base" 4)
api_port=$base; router_port=$((base + 1)); nginx_port=$((base + 2)); stock_port=$((base + 3))
work="$(mktemp -d /tmp/nuage-bench-product.XXXXXX)"
server_pid=""
stock_pid=""

cleanup() {
  [[ -n "$stock_pid" ]] && kill "$stock_pid" 2>/dev/null || true
  [[ -f "$work/nginx.pid" ]] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
  stop_nuage "$work" "$api_port" "$server_pid"
}
trap cleanup EXIT

for tool in wrk nginx dotnet curl ss python3; do command -v "$tool" >/dev/null || { echo "missing $tool" >&2; exit 1; }; done

echo "== building nuage and the backend (Release)"
dotnet build -c Release -v q --nologo "$src/src/Nuage/Nuage.csproj" -o "$work/nuage" >/dev/null
mkdir -p "$work/app"
dotnet build -c Release -v q --nologo "$here/Backend/Backend.csproj" -o "$work/app" >/dev/null
dotnet build -c Release -v q --nologo "$here/Stock/Stock.csproj" -o "$work/stock" >/dev/null
printf 'web: exec dotnet Backend.dll $PORT\n' >"$work/app/Procfile"

echo "== starting nuage server (api :$api_port, router :$router_port)"
DOTNET_PerfMapEnabled="$perf_on" dotnet "$work/nuage/nuage.dll" server --data "$work/data" --api "127.0.0.1:$api_port" --http "127.0.0.1:$router_port" \
  --insecure-host-network --sandbox-read-only-path "$work/app" ${SERVER_ARGS:-} >"$work/server.log" 2>&1 &
server_pid=$!
wait_for_nuage "$work" "$api_port" "$server_pid"
deploy_app "$work" "$api_port" bench procfile "$work/app"
token="$(cat "$work/data/admin-token")"
api() { curl -sf -H "Authorization: Bearer $token" "$@"; }
instance_port="$(api "http://127.0.0.1:$api_port/v1/apps/bench/instances" | python3 -c 'import json,sys; print([i for i in json.load(sys.stdin) if i["kind"]=="web"][0]["port"])')"
echo "== app instance on 127.0.0.1:$instance_port"

write_nginx_proxy_conf "$work" "$nginx_port" "$instance_port"
nginx -c "$work/nginx.conf" -p "$work" -g 'daemon off;' &
DOTNET_gcServer=1 dotnet "$work/stock/Stock.dll" proxy "$stock_port" "$instance_port" >"$work/stock.log" 2>&1 &
stock_pid=$!
for port in "$nginx_port" "$stock_port"; do
  for _ in $(seq 1 50); do curl -sf -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.2; done
done
curl -sf -o /dev/null -H "Host: bench.localhost" "http://127.0.0.1:$router_port/" || { echo "router does not serve the app" >&2; exit 1; }

proxy_pids() { case "$1" in nginx) local m; m="$(cat "$work/nginx.pid")"; echo "$m $(pgrep -P "$m" | tr '\n' ' ')" ;; nuage) echo "$server_pid $(router_pid "$work")" ;; stock) echo "$stock_pid" ;; esac; }
declare -A rps p50 p99 cpu
run_wrk() { # name port connections
  wrk -t"$threads" -c"$3" -d"$warmup" -H "Host: bench.localhost" "http://127.0.0.1:$2/" >/dev/null
  local pids_of before out after total; pids_of="$(proxy_pids "$1")"
  # shellcheck disable=SC2086
  before="$(cpu_ticks $pids_of)"
  local server_before; server_before="$(cpu_ticks "$server_pid")"
  local perf_pid=""
  if [[ "$perf_on" == 1 && "$1" == nuage && "$3" == 64 ]]; then
    perf record -q -F 999 -g -p "$server_pid" -o "$work/perf.data" -- sleep "${duration%s}" 2>/dev/null & perf_pid=$!
  fi
  out="$(wrk -t"$threads" -c"$3" -d"$duration" --latency -H "Host: bench.localhost" "http://127.0.0.1:$2/")"
  [[ -n "$perf_pid" ]] && wait "$perf_pid"
  # shellcheck disable=SC2086
  after="$(cpu_ticks $pids_of)"
  total="$(echo "$out" | awk '/requests in/ { print $1 }')"
  echo "$out" >"$work/wrk-$1-$3.txt"
  cpu[$1,$3]="$(cpu_us_per_request "$before" "$after" "$total")"
  local split=""
  if [[ "$1" == nuage && -n "$(router_pid "$work")" ]]; then
    split="(server $(cpu_us_per_request "$server_before" "$(cpu_ticks "$server_pid")" "$total"), router process the rest)"
  fi
  rps[$1,$3]="$(echo "$out" | awk '/^Requests\/sec/ { printf "%.0f", $2 }')"
  p50[$1,$3]="$(echo "$out" | awk '$1=="50%" { print $2 }' | to_ms)"
  p99[$1,$3]="$(echo "$out" | awk '$1=="99%" { print $2 }' | to_ms)"
  printf '%-6s c=%-4s %8s req/s  p50 %7s ms  p99 %7s ms  cpu %6s us/req %s %s\n' "$1" "$3" "${rps[$1,$3]}" "${p50[$1,$3]}" "${p99[$1,$3]}" "${cpu[$1,$3]}" "$split" "$(echo "$out" | grep -E 'Socket errors|Non-2xx' || true)"
}

echo "== load: wrk -t$threads -d$duration --latency (after $warmup warm-up), loadavg $(cut -d' ' -f1-3 /proc/loadavg)"
for c in 64 256; do run_wrk nginx "$nginx_port" "$c"; run_wrk nuage "$router_port" "$c"; run_wrk stock "$stock_port" "$c"; done
echo
for c in 64 256; do
  awk -v c="$c" -v n="${rps[nuage,$c]}" -v g="${rps[nginx,$c]}" -v p="${p99[nuage,$c]}" -v q="${p99[nginx,$c]}" -v cn="${cpu[nuage,$c]}" -v cg="${cpu[nginx,$c]}" \
    -v s="${rps[stock,$c]}" -v cs="${cpu[stock,$c]}" \
    'BEGIN { printf "c=%s: Nuage/nginx throughput %.2fx, p99 Nuage - nginx %+.2f ms, CPU per request Nuage/nginx %.2fx\n", c, n/g, p-q, cn/cg
             printf "      stock YARP/nginx throughput %.2fx, CPU %.2fx; Nuage/stock YARP throughput %.2fx, CPU %.2fx\n", s/g, cs/cg, n/s, cn/cs }'
done
sleep 1
echo "access-log records of app bench in the store: $(api "http://127.0.0.1:$api_port/v1/apps/bench/logs?source=access&limit=1" >/dev/null && echo ok)"
echo "server RSS after the run: $(awk '/VmRSS/ { print $2/1024 " MiB" }' "/proc/$server_pid/status")"
if [[ -n "$(router_pid "$work")" ]]; then echo "router process RSS after the run: $(awk '/VmRSS/ { print $2/1024 " MiB" }' "/proc/$(router_pid "$work")/status")"; fi
if [[ "$perf_on" == 1 ]]; then
  echo "== perf: top self-time symbols of the server during nuage c=64"
  perf report -i "$work/perf.data" --no-children --sort symbol --stdio 2>/dev/null | grep -E '^ +[0-9]' | head -40
fi
echo "raw outputs: $work"
