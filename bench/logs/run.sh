#!/usr/bin/env bash
# Log pipeline benchmark: lines/s from an instance output file into the store, and on to a syslog-tcp drain on
# loopback, with the CPU the pipeline process used. Usage: bench/logs/run.sh [LINES] (default 1000000)
set -euo pipefail
cd "$(dirname "$0")/../.."
dotnet build -c Release bench/logs/LogsBench -v q -nologo >/dev/null
exec dotnet bench/logs/LogsBench/bin/Release/net10.0/LogsBench.dll run "${1:-1000000}"
