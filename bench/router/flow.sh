#!/usr/bin/env bash
# Request-flow cost on the router (issue #17): wrk throughput of the bench router host with
#   compression off vs on (8 KiB HTML page, client sends Accept-Encoding: gzip, br; and the 13-byte answer, too small to compress),
#   basic-auth protection off vs on (a signed-in client: valid Authorization header on every request),
#   OIDC protection off vs on (a signed-in client: a valid session cookie on every request; the issuer is never contacted).
# Each pair runs back to back against the same backend; results are ratios (on / off).
# Usage: bench/router/flow.sh            (env: DURATION=10s WARMUP=8s BASE_PORT=28180 THREADS=2 CONNECTIONS=64)
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
. "$here/../lib.sh"
duration="${DURATION:-10s}"
warmup="${WARMUP:-8s}"
threads="${THREADS:-2}"
connections="${CONNECTIONS:-64}"
base=$(free_base "${BASE_PORT:-28180}" 5)
backend_port=$base; off_port=$((base + 1)); compress_port=$((base + 2)); basic_port=$((base + 3)); oidc_port=$((base + 4))
work="$(mktemp -d /tmp/nuage-bench-flow.XXXXXX)"
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

for tool in wrk dotnet curl; do
  command -v "$tool" >/dev/null || { echo "missing $tool: run scripts/install-deps (see .ci/packages/router.apt)" >&2; exit 1; }
done

echo "== building (Release)"
dotnet build -c Release -v q --nologo "$here/Backend/Backend.csproj" -o "$work/backend" >/dev/null
dotnet build -c Release -v q --nologo "$here/Host/Host.csproj" -o "$work/host" >/dev/null

DOTNET_gcServer=1 dotnet "$work/backend/Backend.dll" "$backend_port" >"$work/backend.log" 2>&1 & pids+=($!)
DOTNET_gcServer=1 dotnet "$work/host/Host.dll" "$off_port" "$backend_port" >"$work/off.log" 2>&1 & pids+=($!)
DOTNET_gcServer=1 NUAGE_BENCH_FLOW=compression dotnet "$work/host/Host.dll" "$compress_port" "$backend_port" >"$work/compress.log" 2>&1 & pids+=($!)
DOTNET_gcServer=1 NUAGE_BENCH_FLOW=basic dotnet "$work/host/Host.dll" "$basic_port" "$backend_port" >"$work/basic.log" 2>&1 & pids+=($!)
DOTNET_gcServer=1 NUAGE_BENCH_FLOW=oidc dotnet "$work/host/Host.dll" "$oidc_port" "$backend_port" >"$work/oidc.log" 2>&1 & pids+=($!)
auth="Authorization: Basic $(printf 'bench:bench-password' | base64)"
for port in "$backend_port" "$off_port" "$compress_port"; do
  for _ in $(seq 1 100); do curl -sf -o /dev/null -H "Host: bench.localhost" "http://127.0.0.1:$port/" && break; sleep 0.2; done
done
for _ in $(seq 1 100); do curl -sf -o /dev/null -H "Host: bench.localhost" -H "$auth" "http://127.0.0.1:$basic_port/" && break; sleep 0.2; done
for _ in $(seq 1 100); do grep -q '^cookie ' "$work/oidc.log" 2>/dev/null && break; sleep 0.2; done
session="Cookie: $(awk '/^cookie / { print $2 }' "$work/oidc.log")"
status=$(curl -s -o /dev/null -w '%{http_code}' -H "Host: bench.localhost" -H "$session" "http://127.0.0.1:$oidc_port/")
[ "$status" = 200 ] || { echo "the OIDC host refused the minted session cookie (HTTP $status): see bench/router/Host BenchSession" >&2; exit 1; }

encoding=$(curl -s -o /dev/null -D - -H "Host: bench.localhost" -H "Accept-Encoding: gzip, br" "http://127.0.0.1:$compress_port/page" | tr -d '\r' | awk -F': ' 'tolower($1)=="content-encoding" { print $2 }')
size_on=$(curl -s -H "Host: bench.localhost" -H "Accept-Encoding: gzip, br" "http://127.0.0.1:$compress_port/page" | wc -c)
echo "compressed /page: content-encoding=${encoding:-none}, $size_on bytes (8192 uncompressed)"

run() { # label port path extra-header... ; prints req/s
  local label=$1 port=$2 path=$3; shift 3
  local headers=(-H "Host: bench.localhost")
  for h in "$@"; do headers+=(-H "$h"); done
  wrk -t"$threads" -c"$connections" -d"$warmup" "${headers[@]}" "http://127.0.0.1:$port$path" >/dev/null
  local out; out=$(wrk -t"$threads" -c"$connections" -d"$duration" "${headers[@]}" "http://127.0.0.1:$port$path")
  local rps; rps=$(awk '/Requests\/sec/ { print $2 }' <<<"$out")
  printf '%-40s %10s req/s\n' "$label" "$rps" >&2
  echo "$rps"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

echo "== wrk -t$threads -c$connections -d$duration (warm-up $warmup each)"
page_off=$(run "8 KiB page, compression off" "$off_port" /page "Accept-Encoding: gzip, br")
page_br=$(run "8 KiB page, compression on (br)" "$compress_port" /page "Accept-Encoding: gzip, br")
page_gzip=$(run "8 KiB page, compression on (gzip)" "$compress_port" /page "Accept-Encoding: gzip")
small_off=$(run "13 B answer, compression off" "$off_port" / "Accept-Encoding: gzip, br")
small_on=$(run "13 B answer, compression on (too small)" "$compress_port" / "Accept-Encoding: gzip, br")
open=$(run "13 B answer, no protection" "$off_port" /)
basic=$(run "13 B answer, basic auth (signed in)" "$basic_port" / "$auth")
oidc=$(run "13 B answer, OIDC (session cookie)" "$oidc_port" / "$session")

echo "== ratios (on / off)"
echo "compression, 8 KiB page, brotli:  $(ratio "$page_br" "$page_off")"
echo "compression, 8 KiB page, gzip:    $(ratio "$page_gzip" "$page_off")"
echo "compression on, 13 B (skipped):   $(ratio "$small_on" "$small_off")"
echo "basic auth, signed-in client:     $(ratio "$basic" "$open")"
echo "OIDC, signed-in session cookie:   $(ratio "$oidc" "$open")"
