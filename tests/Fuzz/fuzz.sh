#!/usr/bin/env bash
# Fuzzes one parser with AFL++ and SharpFuzz for a given time, then prints executions, paths, crashes and hangs.
#   tests/Fuzz/fuzz.sh <native|resp-request|resp-reply|proxy> [seconds, default 600]
# Work files go to $FUZZ_OUT (default tests/Fuzz/out/<parser>): findings/default/{crashes,hangs} hold the inputs to turn into
# regression tests; `dotnet run --project tests/Fuzz -c Release -- replay <parser> <file>` re-runs one (uninstrumented) and shows
# the exception.
# Installs afl++ (Debian, needs root) and the SharpFuzz 2.3.0 tool (into $FUZZ_OUT/../tools) when they are missing.
set -euo pipefail

parser=${1:?usage: fuzz.sh <native|resp-request|resp-reply|proxy> [seconds]}
seconds=${2:-600}
case $parser in native|resp-request|resp-reply|proxy) ;; *) echo "unknown parser: $parser" >&2; exit 2 ;; esac

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
out=${FUZZ_OUT:-$here/out/$parser}
tools=$(dirname "$out")/tools

if ! command -v afl-fuzz >/dev/null; then
    apt-get install -y -qq afl++ >/dev/null
fi
if [[ ! -x $tools/sharpfuzz ]]; then
    dotnet tool install SharpFuzz.CommandLine --version 2.3.0 --tool-path "$tools" >/dev/null
fi

rm -rf "$out"
mkdir -p "$out"
dotnet publish "$here/C10k.Fuzz.csproj" -c Release -o "$out/bin" --nologo -v quiet >/dev/null
# Seeds first: instrumented code only runs under afl-fuzz. Only the codec is instrumented (the harness and runtime would be noise).
dotnet "$out/bin/C10k.Fuzz.dll" seeds "$parser" "$out/seeds" "$repo/docs/protocol.md"
"$tools/sharpfuzz" "$out/bin/C10k.Protocol.dll" >/dev/null

# SharpFuzz speaks AFL's fork-server protocol from a managed process, so afl-fuzz can't check the binary itself.
AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_AFFINITY=1 \
    afl-fuzz -V "$seconds" -m none -t 5000 -i "$out/seeds" -o "$out/findings" -- dotnet "$out/bin/C10k.Fuzz.dll" "$parser" \
    >"$out/afl.log" 2>&1 || { tail -20 "$out/afl.log" >&2; exit 1; }

stats=$out/findings/default/fuzzer_stats
field() { awk -F' *: *' -v k="$1" '$1 == k { print $2 }' "$stats"; }
echo "$parser: seconds=$(field run_time) execs=$(field execs_done) paths=$(field corpus_count) crashes=$(field saved_crashes) hangs=$(field saved_hangs)"
