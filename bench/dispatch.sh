#!/usr/bin/env bash
# Dispatch benchmark: every worker strategy in one invocation; table on stdout and in bench/results/dispatch.md.
# Options: --rounds N (3) --seconds S (8) --hash-iterations N (1000) --out FILE
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build bench/Dispatch -c Release -v quiet -nologo >/dev/null
exec dotnet bench/Dispatch/bin/Release/net10.0/C10k.Bench.Dispatch.dll "$@"
