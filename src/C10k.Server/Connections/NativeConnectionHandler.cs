using C10k.Protocol.Native;
using C10k.Server.Diagnostics;
using C10k.Server.Hosting;
using C10k.Server.Operations;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Options;

namespace C10k.Server.Connections;

/// <summary>Kestrel entry point of the native port: admission (our own per-front limit), then the connection's loop.</summary>
internal sealed class NativeConnectionHandler(ConnectionServices services, OperationRegistry operations, IOptions<NativeOptions> options) : ConnectionHandler
{
    private readonly NativeOptions _options = options.Value;

    // Not async itself: an admitted connection's only task is its session's (one state machine less per connection).
    public override Task OnConnectedAsync(ConnectionContext connection) =>
        services.Registry.TryAdmit(Front.Native, out var refusal)
            ? new NativeConnection(connection, services, operations, _options).RunAsync()
            : RefuseAsync(connection, refusal!);

    private async Task RefuseAsync(ConnectionContext connection, string refusal)
    {
        var status = refusal == "draining" ? NativeStatus.ShuttingDown : NativeStatus.ConnectionLimit;
        NativeReplyEncoder.WriteError(connection.Transport.Output, 0, 0, status, refusal == "draining" ? "server is shutting down" : "max number of clients reached");
        await connection.Transport.Output.FlushAsync();
        services.Metrics.ConnectionRejected(Front.Native, refusal);
        ConnectionLog.Rejected(services.Logger, Front.Native, connection.RemoteEndPoint?.ToString(), refusal, services.Registry.MaxConnections);
    }
}
