using System.Net;
using C10k.Client;
using C10k.LoadTesting.Measurement;

namespace C10k.LoadTesting.Targets.Native;

/// <summary>The C10k native protocol through <see cref="C10kClient"/>, over TLS and with AUTH as <see cref="TargetOptions"/> say.</summary>
internal sealed class NativeTarget(string address, string host, int port, TargetOptions options) : ILoadTarget
{
    /// <summary>Calls one connection may have pending: the open model sends without waiting, so this is generous.</summary>
    private const int MaxPendingCalls = 65_536;

    public string Address { get; } = address;

    public async ValueTask<ITargetConnection> ConnectAsync(IPAddress? source, TrafficCounters traffic, Action onLost, CancellationToken cancellationToken)
    {
        var client = new ClientOptions
        {
            LocalAddress = source,
            MaxPendingCalls = MaxPendingCalls,
            RunContinuationsAsynchronously = false, // scenario steps never block: resume them on the read loop, one hop less
            RequestTimeout = TimeSpan.FromSeconds(60),
            ConnectTimeout = Timeout.InfiniteTimeSpan, // the connection pool applies its own connect timeout
            Tls = options.ClientTls,
            Password = options.Password,
        };
        if (options.User is { } user)
        {
            client.User = user;
        }

        try
        {
            var connecting = C10kClient.ConnectAsync(host, port, client, cancellationToken);
            if (client.Tls is not null)
            {
                await TargetConnectException.HandshakeAsync(connecting);
            }

            return new NativeConnection(await connecting, traffic, onLost);
        }
        catch (C10kConnectionException e) when (e.InnerException is System.Net.Sockets.SocketException socketError)
        {
            throw socketError;
        }
        catch (C10kConnectionException e)
        {
            throw new TargetConnectException(e.Message, e);
        }
        catch (C10kStatusException e)
        {
            throw new TargetConnectException($"auth refused ({e.Status})", e);
        }
    }
}
