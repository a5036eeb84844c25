using System.Net;
using C10k.LoadTesting.Measurement;

namespace C10k.LoadTesting.Targets.Resp;

/// <summary>Any RESP2 server (C10k's RESP front, redis-server, Garnet...) through <see cref="RespConnection"/>.</summary>
internal sealed class RespTarget(string address, string host, int port) : ILoadTarget
{
    private readonly IRespClientCodec _codec = new SharedRespCodec();

    public string Address { get; } = address;

    public async ValueTask<ITargetConnection> ConnectAsync(IPAddress? source, TrafficCounters traffic, Action onLost, CancellationToken cancellationToken)
    {
        var socket = await SocketConnector.ConnectAsync(host, port, source, cancellationToken);
        return new RespConnection(socket, _codec, traffic, onLost);
    }
}
