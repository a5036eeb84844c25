using System.Net;
using C10k.Client;
using C10k.LoadTesting.Measurement;

namespace C10k.LoadTesting.Targets.Native;

/// <summary>The C10k native protocol through <see cref="C10kClient"/>.</summary>
internal sealed class NativeTarget(string address, string host, int port) : ILoadTarget
{
    /// <summary>Calls one connection may have pending: the open model sends without waiting, so this is generous.</summary>
    private const int MaxPendingCalls = 65_536;

    public string Address { get; } = address;

    public async ValueTask<ITargetConnection> ConnectAsync(IPAddress? source, TrafficCounters traffic, Action onLost, CancellationToken cancellationToken)
    {
        var options = new ClientOptions
        {
            LocalAddress = source,
            MaxPendingCalls = MaxPendingCalls,
            RunContinuationsAsynchronously = false, // scenario steps never block: resume them on the read loop, one hop less
            RequestTimeout = TimeSpan.FromSeconds(60),
            ConnectTimeout = Timeout.InfiniteTimeSpan, // the connection pool applies its own connect timeout
        };
        try
        {
            return new NativeConnection(await C10kClient.ConnectAsync(host, port, options, cancellationToken), traffic, onLost);
        }
        catch (C10kConnectionException e) when (e.InnerException is System.Net.Sockets.SocketException socketError)
        {
            throw socketError;
        }
    }
}
