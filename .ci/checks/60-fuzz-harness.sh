#!/usr/bin/env bash
# The AFL++ harness (tests/Fuzz, outside C10k.sln: fuzzing itself runs outside CI with tests/Fuzz/fuzz.sh) still builds against
# the current parsers, and every parser's seeds replay through it uninstrumented: each seed parsed whole, cut at random points
# and byte by byte must give the same messages (ParserDriver.Check). Seconds, not a fuzz run; it keeps the harness from rotting
# between campaigns.
set -euo pipefail
cd "$(dirname "$0")/../.."
work=$(mktemp -d /tmp/c10k-fuzz-harness.XXXXXX)
trap 'rm -rf "$work"' EXIT

bash -n tests/Fuzz/fuzz.sh && echo "CHECK PASS fuzz.sh parses"
dotnet publish tests/Fuzz/C10k.Fuzz.csproj -c Release -o "$work/bin" --nologo -v quiet >/dev/null
echo "CHECK PASS the fuzz harness builds"
status=0
for parser in native resp-request resp-reply proxy; do
    dotnet "$work/bin/C10k.Fuzz.dll" seeds "$parser" "$work/seeds/$parser" docs/protocol.md
    count=$(find "$work/seeds/$parser" -type f | wc -l)
    if [ "$count" -gt 0 ] && dotnet "$work/bin/C10k.Fuzz.dll" replay "$parser" "$work/seeds/$parser"/* >"$work/$parser.log" 2>&1; then
        echo "CHECK PASS the $parser harness replays its $count seeds"
    else
        tail -20 "$work/$parser.log"
        echo "CHECK FAIL the $parser harness replays its $count seeds"
        status=1
    fi
done
exit "$status"
