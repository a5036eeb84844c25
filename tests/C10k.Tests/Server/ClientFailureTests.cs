using C10k.Client;

namespace C10k.Tests.Server;

/// <summary>Every way a call can fail ends it with a typed exception that says why: nothing hangs, nothing is retried.</summary>
public class ClientFailureTests
{
    [Fact]
    public async Task CallWithoutReplyFailsWithTimeoutAndTheConnectionStaysUsable()
    {
        using var gate = new GateOperation();
        await using var server = await TestServer.StartAsync(ops => ops.Register(gate));
        await using var client = await server.ConnectAsync(new ClientOptions { RequestTimeout = TimeSpan.FromMilliseconds(200) });

        await Assert.ThrowsAsync<TimeoutException>(() => client.SendAsync(gate.Opcode, ReadOnlyMemory<byte>.Empty).WaitAsync(Timeouts.Socket));

        gate.Open();
        Assert.Equal("PONG", await PingWithinTimeoutAsync(client));
    }

    // The client's 200 ms timeout is the subject of the test, not a bound on a loaded box: a later call on the same
    // connection must succeed, and a PING that itself times out under load does not make the connection unusable.
    private static async Task<string> PingWithinTimeoutAsync(C10kClient client)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await client.PingAsync().WaitAsync(Timeouts.Socket);
            }
            catch (TimeoutException) when (attempt < 50)
            {
            }
        }
    }

    [Fact]
    public async Task CancelledCallThrowsOperationCanceled()
    {
        using var gate = new GateOperation();
        await using var server = await TestServer.StartAsync(ops => ops.Register(gate));
        await using var client = await server.ConnectAsync();
        using var cancel = new CancellationTokenSource();

        var call = client.SendAsync(gate.Opcode, ReadOnlyMemory<byte>.Empty, cancellationToken: cancel.Token);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call.WaitAsync(Timeouts.Socket));
        gate.Open();
    }

    [Fact]
    public async Task DroppedConnectionFailsPendingAndLaterCallsWithTheReason()
    {
        // Not cancellable: a drain that times out then has nothing to answer it with, and the connection just ends.
        using var gate = new GateOperation(cancellable: false);
        var server = await TestServer.StartAsync(ops => ops.Register(gate), "Shutdown:DrainTimeoutMs=0");
        await using var client = await server.ConnectAsync();
        var pending = client.SendAsync(gate.Opcode, ReadOnlyMemory<byte>.Empty);
        await Timeouts.UntilAsync(() => gate.Entered == 1, "the call runs");

        var stopping = server.DisposeAsync();
        var failure = await Assert.ThrowsAsync<C10kConnectionException>(() => pending.WaitAsync(Timeouts.Socket));
        gate.Open();
        await stopping.AsTask().WaitAsync(Timeouts.Socket);

        Assert.Matches("closed|reset", failure.Message);
        await Assert.ThrowsAsync<C10kConnectionException>(() => client.PingAsync().WaitAsync(Timeouts.Socket));
    }
}
