using System.Net;
using System.Net.Sockets;
using System.Text;
using C10k.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace MemcachedFront.Tests;

/// <summary>The service as Program.cs runs it, every port on 127.0.0.1:0, plus raw sockets to its fronts.</summary>
public sealed class MemcachedHost : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly WebApplication _app;

    private MemcachedHost(WebApplication app) => _app = app;

    public MemcachedStore Store => _app.Services.GetRequiredService<MemcachedStore>();

    public ServerEndpoints Endpoints => _app.Services.GetRequiredService<ServerEndpoints>();

    /// <summary>Starts the service; <paramref name="settings"/> are more <c>--Key=value</c> arguments (the store's bounds).</summary>
    public static async Task<MemcachedHost> StartAsync(params string[] settings)
    {
        var app = C10kServer.Build(
            ["--C10k:Native:Port=0", "--C10k:Resp:Port=0", "--C10k:Admin:Port=0", "--Memcached:Port=0", "--Logging:LogLevel:Default=Warning", .. settings],
            MemcachedServer.Configure);
        await app.StartAsync().WaitAsync(Timeout);
        return new MemcachedHost(app);
    }

    /// <summary>A connection to the memcached front (<paramref name="front"/> "memcached") or another one ("resp").</summary>
    public async Task<RawConnection> ConnectAsync(string front = MemcachedServer.Front)
    {
        var socket = new TcpClient { NoDelay = true };
        await socket.ConnectAsync(IPAddress.Loopback, Endpoints.Port(front)).WaitAsync(Timeout);
        return new RawConnection(socket);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().WaitAsync(Timeout);
        await _app.DisposeAsync();
    }
}

/// <summary>Bytes in, bytes out, compared exactly (Latin-1: one char per byte).</summary>
public sealed class RawConnection(TcpClient socket) : IDisposable
{
    private readonly NetworkStream _stream = socket.GetStream();
    private readonly List<byte> _received = [];

    public Task SendAsync(string text) => SendAsync(Encoding.Latin1.GetBytes(text));

    public Task SendAsync(byte[] bytes) => _stream.WriteAsync(bytes).AsTask().WaitAsync(MemcachedHost.Timeout);

    /// <summary>Reads exactly as many bytes as <paramref name="expected"/> has and checks they are those.</summary>
    public async Task ExpectAsync(string expected)
    {
        var bytes = await ReadAsync(expected.Length);
        Assert.Equal(expected, Encoding.Latin1.GetString(bytes));
    }

    /// <summary>Reads exactly <paramref name="count"/> bytes.</summary>
    public async Task<byte[]> ReadAsync(int count)
    {
        var buffer = new byte[64 * 1024];
        while (_received.Count < count)
        {
            var read = await _stream.ReadAsync(buffer).AsTask().WaitAsync(MemcachedHost.Timeout);
            Assert.True(read > 0, $"the server closed the connection after {_received.Count} of {count} bytes: {Encoding.Latin1.GetString([.. _received])}");
            _received.AddRange(buffer.AsSpan(0, read));
        }

        var bytes = _received.GetRange(0, count).ToArray();
        _received.RemoveRange(0, count);
        return bytes;
    }

    /// <summary>Reads up to and including the first <paramref name="terminator"/>.</summary>
    public async Task<string> ReadUntilAsync(string terminator)
    {
        var buffer = new byte[64 * 1024];
        int end;
        while ((end = Encoding.Latin1.GetString([.. _received]).IndexOf(terminator, StringComparison.Ordinal)) < 0)
        {
            var read = await _stream.ReadAsync(buffer).AsTask().WaitAsync(MemcachedHost.Timeout);
            Assert.True(read > 0, "the server closed the connection");
            _received.AddRange(buffer.AsSpan(0, read));
        }

        return Encoding.Latin1.GetString(await ReadAsync(end + terminator.Length));
    }

    /// <summary>Everything until the server closes the connection.</summary>
    public async Task<string> ReadToEndAsync()
    {
        var buffer = new byte[64 * 1024];
        int read;
        while ((read = await _stream.ReadAsync(buffer).AsTask().WaitAsync(MemcachedHost.Timeout)) > 0)
        {
            _received.AddRange(buffer.AsSpan(0, read));
        }

        var text = Encoding.Latin1.GetString([.. _received]);
        _received.Clear();
        return text;
    }

    public void Dispose()
    {
        _stream.Dispose();
        socket.Dispose();
    }
}
