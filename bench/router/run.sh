#!/usr/bin/env bash
# Router benchmark (issue #5): wrk throughput and latency at 64 and 256 connections against
#   (a) the backend directly, (b) nginx reverse proxy with upstream keepalive, (c) the Nuage router, (d) stock YARP
#   (bench/router/Stock: MapForwarder with nothing of Nuage's, the floor of the stack the router is built on),
# all in front of the same tiny Kestrel backend, then a redeploy-under-load run (20 switches) counting failed requests.
# Usage: bench/router/run.sh            (env: DURATION=10s WARMUP=8s BASE_PORT=28080 THREADS=2)
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
. "$here/../lib.sh"
duration="${DURATION:-10s}"
warmup="${WARMUP:-8s}"  # long enough for .NET tiered JIT (tier-1 with PGO) to settle
threads="${THREADS:-2}"
base="${BASE_PORT:-28080}"  # below the ephemeral range (32768+), where outgoing connections take ports
# Other processes on this machine (tests, servers) may hold ports: move to the first range of 5 free ports.
base=$(free_base "$base" 6)
backend_port=$base; nginx_port=$((base + 1)); router_port=$((base + 2)); backend_b_port=$((base + 3)); switch_port=$((base + 4))
stock_port=$((base + 5))
work="$(mktemp -d /tmp/nuage-bench-router.XXXXXX)"
pids=()

cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  [[ -f "$work/nginx.pid" ]] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap cleanup EXIT

for tool in wrk nginx dotnet curl ss; do
  command -v "$tool" >/dev/null || { echo "missing $tool: run scripts/install-deps (see .ci/packages/router.apt)" >&2; exit 1; }
done

wait_port() { # port: waits for a 200 from our own process on it
  for _ in $(seq 1 100); do curl -sf -o /dev/null "http://127.0.0.1:$1/" -H "Host: bench.localhost" && return 0; sleep 0.2; done
  echo "no 200 on port $1 (see $work/*.log)" >&2; exit 1
}

echo "== building (Release)"
dotnet build -c Release -v q --nologo "$here/Backend/Backend.csproj" -o "$work/backend" >/dev/null
dotnet build -c Release -v q --nologo "$here/Host/Host.csproj" -o "$work/host" >/dev/null
dotnet build -c Release -v q --nologo "$here/Stock/Stock.csproj" -o "$work/stock" >/dev/null

echo "== starting backend :$backend_port, nginx :$nginx_port, router :$router_port, stock YARP :$stock_port"
DOTNET_gcServer=1 dotnet "$work/backend/Backend.dll" "$backend_port" >"$work/backend.log" 2>&1 & pids+=($!); backend_pid=$!
write_nginx_proxy_conf "$work" "$nginx_port" "$backend_port"
nginx -c "$work/nginx.conf" -p "$work" -g 'daemon off;' & pids+=($!)
DOTNET_gcServer=1 dotnet "$work/host/Host.dll" "$router_port" "$backend_port" >"$work/router.log" 2>&1 & pids+=($!); router_pid=$!
DOTNET_gcServer=1 dotnet "$work/stock/Stock.dll" proxy "$stock_port" "$backend_port" >"$work/stock.log" 2>&1 & pids+=($!); stock_pid=$!
wait_port "$backend_port"; wait_port "$nginx_port"; wait_port "$router_port"; wait_port "$stock_port"

proxy_pids() { # name
  case "$1" in
    backend) echo "$backend_pid" ;;
    nginx) local master; master="$(cat "$work/nginx.pid")"; echo "$master $(pgrep -P "$master" | tr '\n' ' ')" ;;
    nuage) echo "$router_pid" ;;
    stock) echo "$stock_pid" ;;
  esac
}

declare -A rps p50 p99 cpu
run_wrk() { # name port connections
  wrk -t"$threads" -c"$3" -d"$warmup" -H "Host: bench.localhost" "http://127.0.0.1:$2/" >/dev/null  # warm-up (JIT, pools)
  local pids_of; pids_of="$(proxy_pids "$1")"
  # shellcheck disable=SC2086
  local before; before="$(cpu_ticks $pids_of)"
  local out; out="$(wrk -t"$threads" -c"$3" -d"$duration" --latency -H "Host: bench.localhost" "http://127.0.0.1:$2/")"
  # shellcheck disable=SC2086
  local after; after="$(cpu_ticks $pids_of)"
  local total; total="$(echo "$out" | awk '/requests in/ { print $1 }')"
  cpu[$1,$3]="$(cpu_us_per_request "$before" "$after" "$total")"
  echo "$out" >"$work/wrk-$1-$3.txt"
  rps[$1,$3]="$(echo "$out" | awk '/^Requests\/sec/ { printf "%.0f", $2 }')"
  p50[$1,$3]="$(echo "$out" | awk '$1=="50%" { print $2 }' | to_ms)"
  p99[$1,$3]="$(echo "$out" | awk '$1=="99%" { print $2 }' | to_ms)"
  local errors; errors="$(echo "$out" | grep -E 'Socket errors|Non-2xx' || true)"
  printf '%-8s c=%-4s %8s req/s  p50 %7s ms  p99 %7s ms  cpu %6s us/req %s\n' "$1" "$3" "${rps[$1,$3]}" "${p50[$1,$3]}" "${p99[$1,$3]}" "${cpu[$1,$3]}" "$errors"
}

echo "== load: wrk -t$threads -d$duration --latency (after $warmup warm-up), loadavg $(cut -d' ' -f1-3 /proc/loadavg)"
for c in 64 256; do
  run_wrk backend "$backend_port" "$c"
  run_wrk nginx "$nginx_port" "$c"
  run_wrk nuage "$router_port" "$c"
  run_wrk stock "$stock_port" "$c"
done

echo
echo "| connections | target | req/s | p50 ms | p99 ms | CPU µs/request (proxy or backend process only) |"
echo "|---|---|---|---|---|---|"
for c in 64 256; do for t in backend nginx nuage stock; do
  echo "| $c | $t | ${rps[$t,$c]} | ${p50[$t,$c]} | ${p99[$t,$c]} | ${cpu[$t,$c]} |"
done; done
echo
for c in 64 256; do
  awk -v c="$c" -v n="${rps[nuage,$c]}" -v g="${rps[nginx,$c]}" -v b="${rps[backend,$c]}" -v p="${p99[nuage,$c]}" -v q="${p99[nginx,$c]}" \
    -v cn="${cpu[nuage,$c]}" -v cg="${cpu[nginx,$c]}" -v s="${rps[stock,$c]}" -v cs="${cpu[stock,$c]}" \
    'BEGIN { printf "c=%s: Nuage/nginx throughput %.2fx, Nuage/backend %.2fx, p99 Nuage - nginx %+.2f ms, CPU per request Nuage/nginx %.2fx\n", c, n/g, n/b, p-q, cn/cg
             printf "      stock YARP/nginx throughput %.2fx, CPU %.2fx; Nuage/stock YARP throughput %.2fx, CPU %.2fx\n", s/g, cs/cg, n/s, cn/cs }'
done

echo
echo "== redeploy under load: 20 switches between two backends while wrk -c64 runs"
DOTNET_gcServer=1 dotnet "$work/backend/Backend.dll" "$backend_b_port" >"$work/backend-b.log" 2>&1 & pids+=($!)
wait_port "$backend_b_port"
DOTNET_gcServer=1 dotnet "$work/host/Host.dll" "$switch_port" "$backend_port" "$backend_b_port" 20 >"$work/switch.log" 2>&1 & pids+=($!)
wait_port "$switch_port"
wrk -t"$threads" -c64 -d20s -H "Host: bench.localhost" "http://127.0.0.1:$switch_port/" >"$work/wrk-redeploy.txt"
switched="$(grep -c '^switch ' "$work/switch.log" || true)"
requests="$(awk '/requests in/ { print $1 }' "$work/wrk-redeploy.txt")"
non2xx="$(awk '/Non-2xx/ { print $5 }' "$work/wrk-redeploy.txt")"
sockerr="$(grep 'Socket errors' "$work/wrk-redeploy.txt" || echo 'Socket errors: none')"
echo "switches completed: $switched/20; requests: $requests; non-2xx: ${non2xx:-0}; $sockerr"
echo "raw outputs: $work"
trap - EXIT; cleanup
