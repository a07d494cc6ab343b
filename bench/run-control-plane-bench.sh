#!/usr/bin/env bash
# Control-plane push figures: 1000 Services (VirtualService + DestinationRule v1/v2 each) in 20 namespaces and 1000
# simulated ADS proxies (100 workloads x 10 replicas); 20 VirtualService edits and one WorkloadEntry, each timed from
# the file write until every proxy applied it; the control plane's memory. Writes bench/results/control-plane.json.
# Extra arguments pass through, e.g. --scope mesh, --workloads 1000, --services 100 --proxies 50 (a quick check).
# BENCH_CONFIGURATION picks the MSBuild configuration (default Release; always built optimized).
set -euo pipefail
cd "$(dirname "$0")/.."
configuration="${BENCH_CONFIGURATION:-Release}"
dotnet build bench/Rigging.ControlPlane.Bench -c "$configuration" -p:Optimize=true -nologo -v q -clp:ErrorsOnly
exec "bench/Rigging.ControlPlane.Bench/bin/$configuration/net10.0/Rigging.ControlPlane.Bench" "$@"
