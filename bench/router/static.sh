#!/usr/bin/env bash
# Static-site benchmark (issue #16): a real `nuage server` (Release build, access log and metrics on) serving a
# deployed static site from its release directory, against nginx serving that very directory, in one run: wrk on a
# small file (index.html) and on a 1 MiB file, req/s, p50/p99 and CPU per request (nuage server, plus the `nuage
# router` process with SERVER_ARGS="--router process"; nginx master + workers).
# nginx runs as a production static server would: sendfile, tcp_nopush, open_file_cache off (Nuage opens each file
# per request too), buffered access log. Stock Kestrel (bench/router/Stock: UseStaticFiles over the same directory, nothing
# of Nuage's) runs beside them: the floor of the stack Nuage serves static files with.
# Usage: bench/router/static.sh      (env: DURATION=10s WARMUP=5s CONNECTIONS=64 THREADS=2 BASE_PORT=29180 SERVER_ARGS=)
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
. "$here/../lib.sh"
repo="$(cd "$here/../.." && pwd)"
duration="${DURATION:-10s}"
warmup="${WARMUP:-5s}"
connections="${CONNECTIONS:-64}"
threads="${THREADS:-2}"
base=$(free_base "${BASE_PORT:-29180}" 4)
api_port=$base; router_port=$((base + 1)); nginx_port=$((base + 2)); stock_port=$((base + 3))
work="$(mktemp -d /tmp/nuage-bench-static.XXXXXX)"
server_pid=""
stock_pid=""

cleanup() {
  [[ -n "$stock_pid" ]] && kill "$stock_pid" 2>/dev/null || true
  [[ -f "$work/nginx.pid" ]] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
  stop_nuage "$work" "$api_port" "$server_pid"
}
trap cleanup EXIT

for tool in wrk nginx dotnet curl ss python3; do command -v "$tool" >/dev/null || { echo "missing $tool" >&2; exit 1; }; done

echo "== building nuage (Release)"
dotnet build -c Release -v q --nologo "$repo/src/Nuage/Nuage.csproj" -o "$work/nuage" >/dev/null
dotnet build -c Release -v q --nologo "$here/Stock/Stock.csproj" -o "$work/stock" >/dev/null
mkdir -p "$work/site"
cp "$repo/examples/static/index.html" "$repo/examples/static/health" "$work/site/"
head -c 1048576 /dev/urandom >"$work/site/big.bin"

echo "== starting nuage server (api :$api_port, router :$router_port)"
# shellcheck disable=SC2086
dotnet "$work/nuage/nuage.dll" server --data "$work/data" --api "127.0.0.1:$api_port" --http "127.0.0.1:$router_port" \
  ${SERVER_ARGS:-} >"$work/server.log" 2>&1 &
server_pid=$!
wait_for_nuage "$work" "$api_port" "$server_pid"
deploy_app "$work" "$api_port" site static "$work/site"
release="$(dirname "$(find "$work/data/apps" -path '*/releases/*' -name big.bin | head -1)")"
[[ -d "$release" ]] || { echo "release directory not found" >&2; exit 1; }
echo "== release directory $release"

cat >"$work/nginx.conf" <<NGINX
user root; # the release lives under the data directory, which only its owner may read
worker_processes auto;
pid $work/nginx.pid;
error_log $work/nginx-error.log warn;
events { worker_connections 4096; }
http {
  include /etc/nginx/mime.types;
  sendfile on; tcp_nopush on;
  access_log $work/nginx-access.log combined buffer=64k flush=1s;
  client_body_temp_path $work/body; proxy_temp_path $work/proxy; fastcgi_temp_path $work/fcgi;
  uwsgi_temp_path $work/uwsgi; scgi_temp_path $work/scgi;
  server { listen 127.0.0.1:$nginx_port; root $release; }
}
NGINX
nginx -c "$work/nginx.conf" -p "$work" -g 'daemon off;' &
dotnet "$work/stock/Stock.dll" static "$stock_port" "$release" >"$work/stock.log" 2>&1 &
stock_pid=$!
for port in "$nginx_port" "$stock_port"; do
  for _ in $(seq 1 50); do curl -sf -o /dev/null "http://127.0.0.1:$port/index.html" && break; sleep 0.2; done
done
for port in "$nginx_port" "$router_port" "$stock_port"; do
  cmp -s <(curl -sf -H "Host: site.localhost" "http://127.0.0.1:$port/big.bin") "$work/site/big.bin" \
    || { echo "127.0.0.1:$port does not serve big.bin intact" >&2; exit 1; }
done

proxy_pids() { case "$1" in nginx) local m; m="$(cat "$work/nginx.pid")"; echo "$m $(pgrep -P "$m" | tr '\n' ' ')" ;; nuage) echo "$server_pid $(router_pid "$work")" ;; stock) echo "$stock_pid" ;; esac; }
declare -A rps p99 cpu
run() { # name port file
  wrk -t"$threads" -c"$connections" -d"$warmup" -H "Host: site.localhost" "http://127.0.0.1:$2/$3" >/dev/null
  local pids_of before out after total; pids_of="$(proxy_pids "$1")"
  # shellcheck disable=SC2086
  before="$(cpu_ticks $pids_of)"
  out="$(wrk -t"$threads" -c"$connections" -d"$duration" --latency -H "Host: site.localhost" "http://127.0.0.1:$2/$3")"
  # shellcheck disable=SC2086
  after="$(cpu_ticks $pids_of)"
  echo "$out" >"$work/wrk-$1-$3.txt"
  total="$(awk '/requests in/ { print $1 }' <<<"$out")"
  cpu[$1,$3]="$(cpu_us_per_request "$before" "$after" "$total")"
  rps[$1,$3]="$(awk '/^Requests\/sec/ { printf "%.0f", $2 }' <<<"$out")"
  p99[$1,$3]="$(awk '$1=="99%" { print $2 }' <<<"$out" | to_ms)"
  printf '%-6s %-11s %8s req/s  %8s MiB/s  p99 %7s ms  cpu %7s us/req %s\n' "$1" "$3" "${rps[$1,$3]}" \
    "$(awk '/^Transfer\/sec/ { v=$2; if (v ~ /GB$/) { sub(/GB$/,"",v); v*=1024 } else if (v ~ /KB$/) { sub(/KB$/,"",v); v/=1024 } else sub(/MB$/,"",v); printf "%.1f", v }' <<<"$out")" \
    "${p99[$1,$3]}" "${cpu[$1,$3]}" "$(grep -E 'Socket errors|Non-2xx' <<<"$out" || true)"
}

echo "== load: wrk -t$threads -c$connections -d$duration --latency (after $warmup warm-up), loadavg $(cut -d' ' -f1-3 /proc/loadavg)"
for file in index.html big.bin; do run nginx "$nginx_port" "$file"; run nuage "$router_port" "$file"; run stock "$stock_port" "$file"; done
echo
for file in index.html big.bin; do
  awk -v f="$file" -v n="${rps[nuage,$file]}" -v g="${rps[nginx,$file]}" -v p="${p99[nuage,$file]}" -v q="${p99[nginx,$file]}" \
    -v cn="${cpu[nuage,$file]}" -v cg="${cpu[nginx,$file]}" -v s="${rps[stock,$file]}" -v cs="${cpu[stock,$file]}" \
    'BEGIN { printf "%s: Nuage/nginx throughput %.2fx, p99 Nuage - nginx %+.2f ms, CPU per request Nuage/nginx %.2fx\n", f, n/g, p-q, cn/cg
             printf "    stock Kestrel/nginx throughput %.2fx, CPU %.2fx; Nuage/stock Kestrel throughput %.2fx, CPU %.2fx\n", s/g, cs/cg, n/s, cn/cs }'
done
echo "raw outputs: $work"
