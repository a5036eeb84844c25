using C10k.LoadTesting.Measurement;
using C10k.LoadTesting.Targets;
using C10k.LoadTesting.Targets.Native;

namespace C10k.LoadTesting.Tests;

/// <summary>Tests that count what the whole process allocates run alone, with no other test allocating beside them.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AllocationTests
{
    public const string Name = "Allocation";
}

/// <summary>
/// The native target's steady path, as the hold scenario drives it (PING, the reply only checked): once warm, its calls allocate
/// nothing, so a run at 10,000 connections makes no gen0 collection (each of which paused the generator tens of milliseconds).
/// Against a <see cref="PongResponder"/>, which allocates nothing, every byte the process allocates meanwhile is counted: the budget
/// of a few bytes per call leaves room for the runtime's rare own allocations and none for an object per call (24 bytes or more).
/// </summary>
[Collection(AllocationTests.Name)]
public sealed class NativeTargetAllocationTests
{
    private const int Calls = 20_000;

    [Fact]
    public async Task PingAllocatesNothingOnceWarm()
    {
        using var responder = PongResponder.Start();
        var target = new NativeTarget($"native://127.0.0.1:{responder.Port}", "127.0.0.1", responder.Port, TargetOptions.None);
        await using var connection = await target.ConnectAsync(null, new TrafficCounters(), () => { }, CancellationToken.None).AsTask().WaitAsync(Timeouts.Socket);

        Assert.Equal(Calls, await PingsAsync(connection).WaitAsync(Timeouts.Socket));
        var before = GC.GetTotalAllocatedBytes(precise: true);
        var ok = await PingsAsync(connection).WaitAsync(Timeouts.Socket);
        var perCall = (GC.GetTotalAllocatedBytes(precise: true) - before) / (double)Calls;

        Assert.Equal(Calls, ok);
        Assert.True(perCall < 8, $"{perCall:F1} bytes per PING");
    }

    // Resumes without the test's synchronization context, whose posts would allocate per call.
    private static async Task<int> PingsAsync(ITargetConnection connection)
    {
        var ok = 0;
        for (var i = 0; i < Calls; i++)
        {
            ok += (await connection.PingAsync(CancellationToken.None).ConfigureAwait(false)).IsOk ? 1 : 0;
        }

        return ok;
    }
}
