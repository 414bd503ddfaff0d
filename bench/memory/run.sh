#!/usr/bin/env bash
# Memory benchmark (issue #16): resident memory (RSS) of a real `nuage server` (Release build) at 0 apps, after
# creating N idle apps (no release), and after deploying examples/static to each of them (static sites), summed over
# every process that belongs to this server's data directory (the server itself, and any instance process with its
# sandbox wrappers). First, the floor: a stock slim ASP.NET Core host with one endpoint (bench/router/Stock idle), nothing
# of Nuage's, measured the same way. Run it on two checkouts to compare (e.g. before/after a change): SRC=/path/to/checkout.
# After each step it also reports the server's idle CPU: milliseconds of CPU per second over CPU_WINDOW seconds in which
# nothing is asked of it (timers, polling, thread-pool spinning), against the stock host's.
# Usage: bench/memory/run.sh        (env: APPS=100 SRC=<repo> BASE_PORT=28070 SETTLE=5 CPU_WINDOW=10 SERVER_ARGS=...)
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
. "$here/../lib.sh"
repo="$(cd "$here/../.." && pwd)"
src="${SRC:-$repo}"
apps="${APPS:-100}"
base="${BASE_PORT:-28070}"
settle="${SETTLE:-5}"
cpu_window="${CPU_WINDOW:-10}"
base=$(free_base "$base" 3)
api_port=$base; http_port=$((base + 1)); stock_port=$((base + 2))
work="$(mktemp -d /tmp/nuage-bench-memory.XXXXXX)"
server_pid=""

cleanup() {
  stop_nuage "$work" "$api_port" "$server_pid"
  rm -rf "$work"
}
trap cleanup EXIT

echo "== building nuage (Release) from $src"
dotnet build -c Release -v q --nologo "$src/src/Nuage/Nuage.csproj" -o "$work/nuage" >/dev/null
dotnet build -c Release -v q --nologo "$repo/bench/router/Stock/Stock.csproj" -o "$work/stock" >/dev/null

dotnet "$work/stock/Stock.dll" idle "$stock_port" >"$work/stock.log" 2>&1 &
stock_pid=$!
for _ in $(seq 1 100); do curl -sf -o /dev/null "http://127.0.0.1:$stock_port/healthz" && break; sleep 0.2; done
sleep "$settle"
rss="$(awk '/VmRSS/ { print $2 / 1024 }' "/proc/$stock_pid/status")"
before="$(cpu_ticks "$stock_pid")"; sleep "$cpu_window"; after="$(cpu_ticks "$stock_pid")"
printf '%-28s %7.1f MiB   idle CPU %5.1f ms/s (floor: nothing of Nuage)\n' "stock slim ASP.NET host" "$rss" \
  "$(awk -v t=$((after - before)) -v hz="$(getconf CLK_TCK)" -v w="$cpu_window" 'BEGIN { print t * 1000 / hz / w }')"
kill "$stock_pid"; wait "$stock_pid" 2>/dev/null || true

echo "== starting nuage server (api 127.0.0.1:$api_port, router 127.0.0.1:$http_port)"
# shellcheck disable=SC2086
dotnet "$work/nuage/nuage.dll" server --data "$work/data" --api "127.0.0.1:$api_port" --http "127.0.0.1:$http_port" ${SERVER_ARGS:-} \
  >"$work/server.log" 2>&1 &
server_pid=$!
wait_for_nuage "$work" "$api_port" "$server_pid"

python3 "$here/measure.py" --api "http://127.0.0.1:$api_port" --router "http://127.0.0.1:$http_port" \
  --token-file "$work/data/admin-token" --example "$repo/examples/static" --data "$work/data" \
  --server-pid "$server_pid" --apps "$apps" --settle "$settle" --cpu-window "$cpu_window"
