#!/usr/bin/env bash
# Packs c10k-load as a dotnet tool, installs it from the local package into a temporary tool path (never ~/.dotnet/tools),
# and runs `c10k-load --help`. Passes only if all of that works; cleans up after itself.
set -euo pipefail
cd "$(dirname "$0")/../.."
work=$(mktemp -d /tmp/c10k-load-tool.XXXXXX)
trap 'rm -rf "$work"' EXIT

timeout 300 bash -c '
    set -euo pipefail
    work="$1"
    dotnet pack loadtests/C10k.Load.Cli/C10k.Load.Cli.csproj -c Release -o "$work/feed" --nologo -v quiet
    dotnet tool install C10k.Load.Cli --prerelease --tool-path "$work/tools" --add-source "$work/feed" --ignore-failed-sources >/dev/null
    "$work/tools/c10k-load" --help | tee "$work/help.txt"
    grep -q "run" "$work/help.txt"
    "$work/tools/c10k-load" run --help | grep -q -- "--simulation"
    "$work/tools/c10k-load" scenarios | grep -q "c10k-hold"
' _ "$work"
echo "c10k-load packed, installed with --tool-path and ran --help"
