#!/usr/bin/env bash
# How long a peer keeps a route after this machine's router stops answering: `nuage server` (router process) with a
# BGP session inside a network namespace, BIRD 2 in another, joined by a veth pair; the router is frozen with SIGSTOP
# and birdc is polled every 100 ms until the prefix is gone. Runs the functional scenario RUNS times (default 5) and
# prints each time, the median and the ratio to the 3 s the edge promises (docs/bgp.md). Needs root (namespaces).
# Usage: bench/bgp/withdraw.sh [RUNS]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
runs=${1:-5}
"$root/scripts/install-deps" >/dev/null
dotnet build "$root/tests/Nuage.FunctionalTests" -c Release -v quiet -nologo >/dev/null
times=()
for ((i = 1; i <= runs; i++)); do
  out=$(dotnet test "$root/tests/Nuage.FunctionalTests" -c Release --no-build -v quiet -nologo \
    --filter "FullyQualifiedName~BgpOverVethTests.RouterFrozen" --logger "console;verbosity=detailed" 2>&1 || true)
  ms=$(grep -o 'withdrawn at the peer [0-9]* ms' <<<"$out" | grep -o '[0-9]*' | head -1)
  [[ -n "$ms" ]] || { echo "run $i: no measurement (test output follows)"; tail -40 <<<"$out"; exit 1; }
  echo "run $i: withdrawn ${ms} ms after the router froze"
  times+=("$ms")
done
sorted=($(printf '%s\n' "${times[@]}" | sort -n))
median=${sorted[$((runs / 2))]}
echo "withdraw time: min ${sorted[0]} ms, median ${median} ms, max ${sorted[$((runs - 1))]} ms over $runs runs;" \
  "median / 3000 ms budget = $(awk -v m="$median" 'BEGIN { printf "%.2f", m / 3000 }'); load average $(cut -d' ' -f1-3 /proc/loadavg)"
