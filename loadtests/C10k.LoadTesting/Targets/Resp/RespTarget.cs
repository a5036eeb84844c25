using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using C10k.LoadTesting.Measurement;

namespace C10k.LoadTesting.Targets.Resp;

/// <summary>
/// Any RESP2 server (C10k's RESP front, redis-server, Garnet...) through <see cref="RespConnection"/>: over TLS when
/// <see cref="TargetOptions.Tls"/>, then <c>AUTH [user] password</c> when <see cref="TargetOptions.Password"/> is set.
/// </summary>
internal sealed class RespTarget(string address, string host, int port, TargetOptions options) : ILoadTarget
{
    private readonly IRespClientCodec _codec = new SharedRespCodec();

    public string Address { get; } = address;

    public async ValueTask<ITargetConnection> ConnectAsync(IPAddress? source, TrafficCounters traffic, Action onLost, CancellationToken cancellationToken)
    {
        var socket = await SocketConnector.ConnectAsync(host, port, source, cancellationToken);
        Stream stream = new NetworkStream(socket, ownsSocket: false);
        try
        {
            if (options.ClientTls is { } tls)
            {
                var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
                stream = ssl;
                await TargetConnectException.HandshakeAsync(ssl.AuthenticateAsClientAsync(tls.CreateAuthenticationOptions(host), cancellationToken));
            }
        }
        catch
        {
            await stream.DisposeAsync();
            socket.Dispose();
            throw;
        }

        var connection = new RespConnection(socket, stream, _codec, traffic, onLost);
        if (options.Password is { } password)
        {
            await AuthenticateAsync(connection, options.User, password, cancellationToken);
        }

        return connection;
    }

    private static async Task AuthenticateAsync(RespConnection connection, string? user, string password, CancellationToken cancellationToken)
    {
        ReadOnlyMemory<byte>[] auth = user is null
            ? ["AUTH"u8.ToArray(), Encoding.UTF8.GetBytes(password)]
            : ["AUTH"u8.ToArray(), Encoding.UTF8.GetBytes(user), Encoding.UTF8.GetBytes(password)];
        Response reply;
        try
        {
            reply = await connection.ExecuteAsync(auth, false, cancellationToken).AsTask().WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            await connection.DisposeAsync();
            throw;
        }

        if (!reply.IsOk)
        {
            await connection.DisposeAsync();
            throw new TargetConnectException($"auth refused ({reply.Status})");
        }
    }
}
