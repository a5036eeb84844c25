#!/usr/bin/env bash
# Packs the five packages (packages.slnf) into artifacts/packages, then checks, each as a CHECK line:
#   client-runtimeconfig: a console app referencing only the packed C10k.Client runs on Microsoft.NETCore.App alone;
#   example-<Name>-tests: examples/<Name>.Tests builds and passes, restoring C10k.* from the local feed only (examples/NuGet.config);
#   example-<Name>-load:  examples/<Name> serves its examples/<Name>/load.json through c10k-load (the packed tool) with no failure;
#   framework-doc-operation: the operation shown in docs/framework.md is still, to the letter, the example's code.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
source .ci/lib/server-check.sh

python3 - <<'PY' || fail framework-doc-operation
import re, sys
doc = open("docs/framework.md").read()
block = re.search(r"## Your own operation.*?```csharp\n(.*?)```", doc, re.S).group(1)
sys.exit(0 if block in open("examples/PasswordService/PasswordOperations.cs").read() else 1)
PY
pass framework-doc-operation

version=$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' Directory.Build.props)
rm -rf artifacts/packages
# A re-packed version replaces the copy the examples restored before (examples/NuGet.config keeps them in artifacts/nuget-packages).
rm -rf artifacts/nuget-packages/c10k.*
# After CI's `dotnet test C10k.sln -c Release` the projects are built: pack without building, else build them first.
dotnet pack packages.slnf -c Release --no-build -v quiet -nologo >"$work/pack.log" 2>&1 \
    || dotnet pack packages.slnf -c Release -v quiet -nologo >"$work/pack.log" 2>&1 || { cat "$work/pack.log"; fail pack; }
for id in C10k.Protocol C10k.Client C10k.Server C10k.LoadTesting C10k.Load.Cli; do
    [ -f "artifacts/packages/$id.$version.nupkg" ] && [ -f "artifacts/packages/$id.$version.snupkg" ] || fail "pack-$id"
done
pass pack

# The smallest client application: its runtimeconfig.json must name the base runtime alone, and it must run.
mkdir -p "$work/client-only"
cat >"$work/client-only/client-only.csproj" <<EOF
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><OutputType>Exe</OutputType><TargetFramework>net10.0</TargetFramework></PropertyGroup>
  <ItemGroup><PackageReference Include="C10k.Client" Version="$version" /></ItemGroup>
</Project>
EOF
echo 'System.Console.WriteLine(typeof(C10k.Client.C10kClient).Assembly.GetName().Name);' >"$work/client-only/Program.cs"
sed "s:\.\./artifacts:$root/artifacts:g" examples/NuGet.config >"$work/client-only/NuGet.config"
dotnet build "$work/client-only/client-only.csproj" -c Release -v quiet -nologo >"$work/client.log" 2>&1 || { cat "$work/client.log"; fail client-runtimeconfig; }
frameworks=$(python3 -c 'import json,sys; o=json.load(open(sys.argv[1]))["runtimeOptions"]; print(" ".join(f["name"] for f in o.get("frameworks", [o.get("framework", {"name": "none"})])))' \
    "$work/client-only/bin/Release/net10.0/client-only.runtimeconfig.json")
echo "client-only.runtimeconfig.json frameworks: $frameworks"
[ "$frameworks" = "Microsoft.NETCore.App" ] || fail client-runtimeconfig
[ "$(dotnet "$work/client-only/bin/Release/net10.0/client-only.dll")" = "C10k.Client" ] || fail client-runtimeconfig
pass client-runtimeconfig

# The SDK's local-tool cache (~/.dotnet/toolResolverCache) keeps the first path it recorded for a tool's id and version and
# never replaces it, so a cache left by another clone (whose artifacts are gone) makes `dotnet tool run` ask for a restore
# that cannot help. This check uses a cache of its own.
export DOTNET_CLI_HOME="$work/cli-home"
(cd examples && dotnet tool restore >"$work/tool.log" 2>&1) || { cat "$work/tool.log"; fail example-tool-restore; }
for tests in examples/*.Tests; do
    name=$(basename "$tests" .Tests)
    dotnet test "$tests" -c Release -v quiet -nologo >"$work/$name-test.log" 2>&1 || { cat "$work/$name-test.log"; fail "example-$name-tests"; }
    grep -E "Passed!|Failed!" "$work/$name-test.log" || true
    pass "example-$name-tests"

    # Every port 0, the examples' own too (an example ignores the keys of another's), so two runs at once never collide.
    dotnet "examples/$name/bin/Release/net10.0/$name.dll" --C10k:Native:Port=0 --C10k:Resp:Port=0 --C10k:Admin:Port=0 --Memcached:Port=0 \
        >"$work/$name.log" 2>&1 &
    app_pid=$!
    jobs_started+=("$app_pid")
    port=$(listening_port resp "$work/$name.log" 150)
    [ -n "$port" ] || { cat "$work/$name.log"; fail "example-$name-load"; }
    (cd examples && timeout 60 dotnet tool run c10k-load run --target "resp://127.0.0.1:$port" --scenario "$name/load.json" \
        --threshold "fail == 0" --threshold "ok >= 1" --drain-timeout 10s --report "$work/$name-report" >"$work/$name-load.log" 2>&1) \
        || { cat "$work/$name-load.log"; fail "example-$name-load"; }
    sed -n '/^| scenario/,/^$/p' "$work/$name-report/report.md"
    kill -- "-$app_pid" 2>/dev/null && wait "$app_pid" 2>/dev/null || true
    pass "example-$name-load"
done
