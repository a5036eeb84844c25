using C10k.Client;
using C10k.Protocol.Native;
using C10k.Tests.Support;

namespace C10k.Tests.Server;

/// <summary>
/// What a <see cref="C10kClient"/> allocates per call once warm, against a <see cref="PongResponder"/> (which allocates nothing), over
/// 20,000 sequential calls: every object the process allocates meanwhile is counted, so a budget of a few bytes per call leaves
/// room for the runtime's own rare allocations and none for an object per call (the smallest is 24 bytes).
/// </summary>
[Collection(SerialTests.Name)]
public class ClientAllocationTests
{
    private const int Calls = 20_000;
    private const double SlackBytesPerCall = 8;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task AStatusCallAllocatesNothing(bool runContinuationsAsynchronously)
    {
        using var responder = PongResponder.Start();
        await using var client = await ConnectAsync(responder, runContinuationsAsynchronously);

        var perCall = await BytesPerCallAsync(() => StatusCallsAsync(client, Calls));

        Assert.True(perCall < SlackBytesPerCall, $"{perCall:F1} bytes per call");
    }

    [Fact]
    public async Task AReplyCallAllocatesItsReplyAndNothingElse()
    {
        using var responder = PongResponder.Start();
        await using var client = await ConnectAsync(responder, runContinuationsAsynchronously: false);
        var replyBytes = ReplyWithPongBytes();

        var perCall = await BytesPerCallAsync(() => ReplyCallsAsync(client, Calls));

        Assert.True(perCall < replyBytes + SlackBytesPerCall, $"{perCall:F1} bytes per call; a reply with its 4-byte payload is {replyBytes}");
    }

    private static async Task<C10kClient> ConnectAsync(PongResponder responder, bool runContinuationsAsynchronously) =>
        await C10kClient.ConnectAsync("127.0.0.1", responder.Port, new ClientOptions { RunContinuationsAsynchronously = runContinuationsAsynchronously })
            .WaitAsync(Timeouts.Socket);

    // Warms up first (the pools and the table of pending calls grow to what one call in flight needs), then counts. The calls resume
    // without the test's synchronization context, whose posts would allocate per call.
    private static async Task<double> BytesPerCallAsync(Func<Task<int>> calls)
    {
        Assert.Equal(Calls, await calls().WaitAsync(Timeouts.Socket));
        var before = GC.GetTotalAllocatedBytes(precise: true);
        var ok = await calls().WaitAsync(Timeouts.Socket);
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        Assert.Equal(Calls, ok);
        return allocated / (double)Calls;
    }

    private static async Task<int> StatusCallsAsync(C10kClient client, int count)
    {
        var ok = 0;
        for (var i = 0; i < count; i++)
        {
            var reply = await client.SendForStatusAsync(NativeOpcodes.Ping, ReadOnlyMemory<byte>.Empty).ConfigureAwait(false);
            ok += reply.Status == NativeStatus.Ok && reply.PayloadLength == 4 ? 1 : 0;
        }

        return ok;
    }

    private static async Task<int> ReplyCallsAsync(C10kClient client, int count)
    {
        var ok = 0;
        for (var i = 0; i < count; i++)
        {
            var reply = await client.SendValueAsync(NativeOpcodes.Ping, ReadOnlyMemory<byte>.Empty).ConfigureAwait(false);
            ok += reply.Status == NativeStatus.Ok && reply.Payload.Span.SequenceEqual("PONG"u8) ? 1 : 0;
        }

        return ok;
    }

    private static long ReplyWithPongBytes()
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        var reply = new C10k.Client.NativeReply(NativeOpcodes.Ping, 1, NativeStatus.Ok, "PONG"u8.ToArray());
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        GC.KeepAlive(reply);
        return allocated;
    }
}
