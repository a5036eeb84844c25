using System.Globalization;
using System.IO.Pipelines;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http.Features;

namespace C10k.Server.Transport;

/// <summary>
/// A data-port connection: its socket, a <see cref="SocketInput"/> that waits for bytes with a zero-byte receive (no buffer held
/// while idle) and reads only when the handler asks, and a <see cref="SocketOutput"/> that sends on flush from a rented buffer and
/// returns it once sent. Unlike Kestrel's socket transport there is no receive or send loop, no pipe pair, and no read-ahead
/// beyond what the handler left unconsumed (at most <c>C10k:Transport:MaxReadBufferBytes</c>).
/// </summary>
internal sealed class DataConnection : ConnectionContext, IDuplexPipe, IConnectionIdFeature, IConnectionTransportFeature,
    IConnectionItemsFeature, IConnectionLifetimeFeature
{
    private static long s_lastId;

    private readonly Socket _socket;
    private readonly long _id;
    private string? _connectionId;
    private IDictionary<object, object?>? _items;
    private int _aborted;

    public DataConnection(Socket socket, int readAheadLimit)
    {
        _socket = socket;
        socket.NoDelay = true;
        socket.Blocking = false;
        _id = Interlocked.Increment(ref s_lastId);
        Input = new SocketInput(socket, readAheadLimit);
        Output = new SocketOutput(socket);
        Transport = this;
        Features = new SmallFeatureCollection(this);
        LocalEndPoint = socket.LocalEndPoint;
        RemoteEndPoint = socket.RemoteEndPoint;
    }

    public PipeReader Input { get; }

    public PipeWriter Output { get; }

    public override string ConnectionId
    {
        get => _connectionId ??= "D" + _id.ToString("X", CultureInfo.InvariantCulture);
        set => _connectionId = value;
    }

    public override IFeatureCollection Features { get; }

    public override IDictionary<object, object?> Items
    {
        get => _items ??= new ConnectionItems();
        set => _items = value;
    }

    public override IDuplexPipe Transport { get; set; }

    /// <summary>Shuts the socket down: a pending read returns the end of input and a pending flush completes; the socket is closed by <see cref="DisposeAsync"/>.</summary>
    public override void Abort(ConnectionAbortedException abortReason)
    {
        if (Interlocked.Exchange(ref _aborted, 1) == 0)
        {
            try
            {
                _socket.Shutdown(SocketShutdown.Both);
            }
            catch (SocketException)
            {
                // Already reset by the peer: nothing left to shut down.
            }
            catch (ObjectDisposedException)
            {
                // Already closed.
            }
        }
    }

    public override ValueTask DisposeAsync()
    {
        var closed = new ConnectionAbortedException("The connection was closed.");
        Input.Complete(closed);
        Output.Complete(closed);
        _socket.Dispose();
        return base.DisposeAsync();
    }
}
