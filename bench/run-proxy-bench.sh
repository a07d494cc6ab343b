#!/usr/bin/env bash
# The proxy load harness: direct vs client→rig→rig→backend vs client→nginx→nginx→backend, side by side, 1 KB
# responses. Prints a table and writes bench/results/proxy.json. Not part of ./test. Usage: bench/run-proxy-bench.sh [seconds per phase, ≤ 20]
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
missing=()
command -v nginx >/dev/null || missing+=(nginx-light)
command -v wrk >/dev/null || missing+=(wrk)
command -v h2load >/dev/null || missing+=(nghttp2-client)
if ((${#missing[@]})); then
  echo "==> apt-get install ${missing[*]}"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# An optimized rig of its own configuration, so the bench never races ./test's Release build.
echo "==> building rig (optimized) and the harness"
dotnet build src/Rigging.Cli -c Bench -p:Optimize=true -nologo -v q -clp:ErrorsOnly -o bench/.build/rig
dotnet build bench/Rigging.Proxy.Bench -c Bench -p:Optimize=true -nologo -v q -clp:ErrorsOnly -o bench/.build/harness
dotnet bench/.build/harness/Rigging.Proxy.Bench.dll --rig bench/.build/rig/rig.dll --seconds "${1:-10}" --out bench/results/proxy.json
