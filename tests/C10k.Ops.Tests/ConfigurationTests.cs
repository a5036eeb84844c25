using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace C10k.Ops.Tests;

public sealed class ConfigurationTests
{
    [Fact]
    public async Task AdminPortOutOfRangeFailsStartNamingTheKeyAndTheRange()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(async () =>
        {
            await using var app = TestServer.Build(null, "Admin:Port=70000");
            using var timeout = new CancellationTokenSource(Timeouts.Socket);
            await app.StartAsync(timeout.Token);
        });

        Assert.Contains("C10k:Admin:Port must be between 0 and 65535 (got 70000)", error.Failures);
    }

    [Fact]
    public async Task InvalidValueFromTheEnvironmentExitsWithCode2AndOneLineNamingTheKey()
    {
        var info = ServerProcess.StartInfo();
        info.Environment["C10k__Admin__StatusRefreshMs"] = "10";

        var (exitCode, _, stderr) = await ServerProcess.RunAsync(info);

        Assert.Equal(2, exitCode);
        Assert.Equal("Invalid configuration: C10k:Admin:StatusRefreshMs must be between 250 and 60000 (got 10)", stderr.Trim());
    }

    [Fact]
    public async Task ValueOfTheWrongTypeExitsWithCode2AndOneLineNamingTheKeyAndAllowedValues()
    {
        var (exitCode, _, stderr) = await ServerProcess.RunAsync(ServerProcess.StartInfo("--C10k:Workers:Strategy=Fastest"));

        Assert.Equal(2, exitCode);
        Assert.Equal(
            "Invalid configuration: C10k:Workers:Strategy must be a valid value (WorkerStrategy: PerCore, Inline, ThreadPool, SharedQueue) (got 'Fastest')",
            stderr.Trim());
    }

    [Fact]
    public async Task HelpPrintsEveryKeyWithItsDefaultAndExitsZero()
    {
        var (exitCode, stdout, _) = await ServerProcess.RunAsync(ServerProcess.StartInfo("--help"));

        Assert.Equal(0, exitCode);
        Assert.Contains("C10k:Admin:Port = 8081  (int: 0..65535)", stdout, StringComparison.Ordinal);
        Assert.Contains("C10k:Logging:Json = false", stdout, StringComparison.Ordinal);
        Assert.Contains("C10k:Native:Port = 7000", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task JsonLoggingWritesOneJsonObjectPerLineWithEventIds()
    {
        var info = ServerProcess.StartInfo();
        info.Environment["C10k__Logging__Json"] = "true";
        using var process = Process.Start(info)!;
        using var timeout = new CancellationTokenSource(Timeouts.Socket);
        var lines = new List<string>();
        try
        {
            while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                lines.Add(line);
                if (line.Contains("\"EventId\":300", StringComparison.Ordinal) && line.Contains("admin listening", StringComparison.Ordinal))
                {
                    break;
                }
            }
        }
        finally
        {
            process.Kill(entireProcessTree: true);
        }

        Assert.Contains(lines, line => line.Contains("admin listening", StringComparison.Ordinal));
        Assert.All(lines, line => Assert.Equal(JsonValueKind.Object, JsonDocument.Parse(line).RootElement.ValueKind));
        Assert.Contains(lines, line => JsonDocument.Parse(line).RootElement.GetProperty("EventId").GetInt32() == 200);
    }
}
