using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Text;
using C10k.Server.Transport;
using Microsoft.AspNetCore.Connections;

namespace C10k.Tests.Transport;

/// <summary>C10k's data-port pipes on a loopback socket pair: what a read returns and when, the read-ahead limit, cancels, and peers that leave.</summary>
public sealed class SocketPipeTests : IAsyncLifetime, IDisposable
{
    private const int Limit = 64 * 1024;

    private Socket _client = null!;
    private Socket _server = null!;

    public async Task InitializeAsync()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        _client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await _client.ConnectAsync(listener.LocalEndPoint!).WaitAsync(Timeouts.Socket);
        _server = await listener.AcceptAsync().WaitAsync(Timeouts.Socket);
        _server.Blocking = false;
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose()
    {
        _client.Dispose();
        _server.Dispose();
    }

    [Fact]
    public async Task AReadWaitsForBytesThenReturnsThemAndTheEndOfInput()
    {
        using var input = new SocketInput(_server, Limit);
        var read = input.ReadAsync();
        Assert.False(read.IsCompleted);

        await _client.SendAsync("PING\r\n"u8.ToArray()).WaitAsync(Timeouts.Socket);
        var result = await read.AsTask().WaitAsync(Timeouts.Socket);
        Assert.Equal("PING\r\n", Encoding.ASCII.GetString(result.Buffer));
        input.AdvanceTo(result.Buffer.End);

        _client.Shutdown(SocketShutdown.Send);
        result = await input.ReadAsync().AsTask().WaitAsync(Timeouts.Socket);
        Assert.True(result.IsCompleted);
        Assert.True(result.Buffer.IsEmpty);
    }

    [Fact]
    public async Task UnexaminedBytesComeBackAtOnceAndExaminedOnesWaitForMore()
    {
        using var input = new SocketInput(_server, Limit);
        await _client.SendAsync("PI"u8.ToArray()).WaitAsync(Timeouts.Socket);
        var result = await input.ReadAsync().AsTask().WaitAsync(Timeouts.Socket);
        input.AdvanceTo(result.Buffer.Start);
        var again = input.ReadAsync();
        Assert.True(again.IsCompleted);

        result = await again;
        input.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        var more = input.ReadAsync();
        Assert.False(more.IsCompleted);
        await _client.SendAsync("NG"u8.ToArray()).WaitAsync(Timeouts.Socket);
        Assert.Equal("PING", Encoding.ASCII.GetString((await more.AsTask().WaitAsync(Timeouts.Socket)).Buffer));
    }

    [Fact]
    public async Task NothingIsReadPastTheLimitUntilBytesAreConsumed()
    {
        using var input = new SocketInput(_server, Limit);
        await _client.SendAsync(new byte[4 * Limit]).WaitAsync(Timeouts.Socket);
        long held = 0;
        for (var reads = 0; reads < 1000; reads++)
        {
            var read = input.ReadAsync();
            if (!read.IsCompleted)
            {
                // At the limit: only a cancel ends this read.
                input.CancelPendingRead();
                Assert.True((await read.AsTask().WaitAsync(Timeouts.Socket)).IsCanceled);
                break;
            }

            var result = await read;
            held = result.Buffer.Length;
            input.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        }

        Assert.InRange(held, Limit, Limit + 4096);
    }

    [Fact]
    public async Task CancelPendingReadEndsAWaitAndTheNextReadStillGetsTheBytes()
    {
        using var input = new SocketInput(_server, Limit);
        var read = input.ReadAsync();
        input.CancelPendingRead();
        Assert.True((await read.AsTask().WaitAsync(Timeouts.Socket)).IsCanceled);

        input.CancelPendingRead();
        Assert.True((await input.ReadAsync().AsTask().WaitAsync(Timeouts.Socket)).IsCanceled);

        var next = input.ReadAsync();
        await _client.SendAsync("x"u8.ToArray()).WaitAsync(Timeouts.Socket);
        Assert.Equal(1, (await next.AsTask().WaitAsync(Timeouts.Socket)).Buffer.Length);
    }

    [Fact]
    public async Task ATokenCancelsOnlyItsOwnRead()
    {
        using var input = new SocketInput(_server, Limit);
        using var cancel = new CancellationTokenSource();
        var read = input.ReadAsync(cancel.Token);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => read.AsTask().WaitAsync(Timeouts.Socket));

        var next = input.ReadAsync();
        await _client.SendAsync("y"u8.ToArray()).WaitAsync(Timeouts.Socket);
        Assert.Equal(1, (await next.AsTask().WaitAsync(Timeouts.Socket)).Buffer.Length);
    }

    [Fact]
    public async Task APeerResetIsAConnectionReset()
    {
        using var input = new SocketInput(_server, Limit);
        var read = input.ReadAsync();
        _client.LingerState = new LingerOption(true, 0);
        _client.Close();
        await Assert.ThrowsAsync<ConnectionResetException>(() => read.AsTask().WaitAsync(Timeouts.Socket));
    }

    [Fact]
    public async Task AFlushThePeerDoesNotTakeCompletesOnceItReadsAndAGonePeerCompletesIt()
    {
        var output = new SocketOutput(_server);
        var payload = new byte[32 * 1024 * 1024];
        output.Write(payload);
        Assert.Equal(payload.Length, output.UnflushedBytes);
        var flush = output.FlushAsync();
        Assert.False(flush.IsCompleted, "32 MiB fit in the kernel's buffers");

        var received = 0;
        var buffer = new byte[1 << 20];
        while (received < payload.Length)
        {
            received += await _client.ReceiveAsync(buffer).WaitAsync(Timeouts.Socket);
        }

        var done = await flush.AsTask().WaitAsync(Timeouts.Socket);
        Assert.False(done.IsCompleted);
        Assert.Equal(0, output.UnflushedBytes);

        _client.LingerState = new LingerOption(true, 0);
        _client.Close();
        for (var i = 0; i < 100 && !(await output.WriteAsync(new byte[1024]).AsTask().WaitAsync(Timeouts.Socket)).IsCompleted; i++)
        {
            await Task.Delay(10);
        }

        Assert.True((await output.FlushAsync().AsTask().WaitAsync(Timeouts.Socket)).IsCompleted);
        output.Complete();
    }
}
