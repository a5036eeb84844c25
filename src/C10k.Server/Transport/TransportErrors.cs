using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;

namespace C10k.Server.Transport;

/// <summary>Socket errors as the exceptions Kestrel's transport raises for them, which connection code already handles.</summary>
internal static class TransportErrors
{
    public static Exception Map(SocketError error)
    {
        var inner = new SocketException((int)error);
        return error is SocketError.OperationAborted or SocketError.Shutdown
            ? new ConnectionAbortedException(inner.Message, inner)
            : new ConnectionResetException(inner.Message, inner);
    }
}
