using System.Diagnostics;
using System.Text.Json;
using C10k.Protocol.Native;

namespace C10k.Ops.Tests;

public sealed class LimitLogTests
{
    [Fact]
    public async Task FullWorkerQueueAnswersBusyAndLogsAWarningWithItsEventId()
    {
        var info = ServerProcess.StartInfo("--C10k:Workers:Strategy=SharedQueue", "--C10k:Workers:Count=1", "--C10k:Workers:MaxQueued=1");
        info.Environment["C10k__Logging__Json"] = "true";
        using var process = Process.Start(info)!;
        using var timeout = new CancellationTokenSource(Timeouts.Socket);
        try
        {
            using var client = await RawConnection.ConnectAsync(await ServerProcess.ReadNativePortAsync(process));
            await client.SendAsync(NativeOpcodes.Hash, [1, 2, 3, 4], "1000000", "abc");
            Assert.Equal(NativeStatus.Busy, (await client.ReadReplyAsync())!.Status);

            JsonElement? warning = null;
            while (warning is null && await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                var entry = JsonDocument.Parse(line).RootElement;
                warning = entry.GetProperty("EventId").GetInt32() == 202 ? entry : null;
            }

            Assert.NotNull(warning);
            Assert.Equal("Warning", warning.Value.GetProperty("LogLevel").GetString());
            Assert.StartsWith("Worker queue full (1 requests): HASH answered BUSY", warning.Value.GetProperty("Message").GetString(), StringComparison.Ordinal);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
        }
    }
}
