using System.Net;
using System.Net.Sockets;

namespace C10k.LoadTesting.Tests;

/// <summary>A loopback TCP server that answers every PING in the input with +PONG, as fast as bytes arrive (pipelining included).</summary>
internal sealed class FakeRespServer : IAsyncDisposable
{
    private static readonly byte[] Ping = "*1\r\n$4\r\nPING\r\n"u8.ToArray();
    private static readonly byte[] Pong = "+PONG\r\n"u8.ToArray();
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _connections = [];
    private readonly Task _accept;

    public FakeRespServer()
    {
        _listener.Start();
        _accept = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await Task.WhenAll([_accept, .. _connections]).ContinueWith(_ => { }, TaskScheduler.Default);
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            lock (_connections)
            {
                _connections.Add(ServeAsync(client));
            }
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        var stream = client.GetStream();
        var buffer = new byte[4096];
        var carried = 0;
        while (true)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(carried), _stop.Token);
            if (read == 0)
            {
                return;
            }

            var length = carried + read;
            var commands = length / Ping.Length;
            for (var i = 0; i < commands; i++)
            {
                await stream.WriteAsync(Pong, _stop.Token);
            }

            carried = length - (commands * Ping.Length);
            buffer.AsSpan(commands * Ping.Length, carried).CopyTo(buffer);
        }
    }
}
