using System.Net;
using System.Net.Sockets;
using C10k.Server.Hosting;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Options;

namespace C10k.Server.Transport;

/// <summary>
/// C10k's transport for its data ports (<see cref="DataEndPoint"/>): a connection holds its socket and two small pipes that
/// hold a buffer only while bytes are in them, and it is read only when its handler asks for more. See
/// <see cref="DataConnection"/>.
/// </summary>
internal sealed class DataTransportFactory(IOptions<TransportOptions> options) : IConnectionListenerFactory, IConnectionListenerFactorySelector
{
    public bool CanBind(EndPoint endpoint) => endpoint is DataEndPoint;

    public ValueTask<IConnectionListener> BindAsync(EndPoint endpoint, CancellationToken cancellationToken = default)
    {
        var data = endpoint as DataEndPoint ?? throw new NotSupportedException($"{endpoint} is not a C10k data port.");
        var socket = new Socket(data.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (data.Address.Equals(IPAddress.IPv6Any))
            {
                socket.DualMode = true;
            }

            socket.Bind(data);
            socket.Listen(options.Value.Backlog);
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            socket.Dispose();
            throw new AddressInUseException(ex.Message, ex);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        var bound = (IPEndPoint)socket.LocalEndPoint!;
        return new(new DataConnectionListener(socket, new DataEndPoint(bound.Address, bound.Port), options.Value.MaxReadBufferBytes));
    }

    private sealed class DataConnectionListener(Socket socket, DataEndPoint endpoint, int readAheadLimit) : IConnectionListener
    {
        public EndPoint EndPoint => endpoint;

        public async ValueTask<ConnectionContext?> AcceptAsync(CancellationToken cancellationToken = default)
        {
            while (true)
            {
                Socket accepted;
                try
                {
                    accepted = await socket.AcceptAsync(cancellationToken);
                }
                catch (ObjectDisposedException)
                {
                    return null;
                }
                catch (SocketException ex) when (ex.SocketErrorCode == SocketError.OperationAborted)
                {
                    return null;
                }
                catch (SocketException)
                {
                    // The peer reset before its connection was accepted: take the next one.
                    continue;
                }

                try
                {
                    return new DataConnection(accepted, readAheadLimit);
                }
                catch (SocketException)
                {
                    // Reset between accept and its socket options: close it and take the next one (an exception from here
                    // would end Kestrel's accept loop for good).
                    accepted.Dispose();
                }
            }
        }

        public ValueTask UnbindAsync(CancellationToken cancellationToken = default)
        {
            socket.Dispose();
            return default;
        }

        public ValueTask DisposeAsync()
        {
            socket.Dispose();
            return default;
        }
    }
}
