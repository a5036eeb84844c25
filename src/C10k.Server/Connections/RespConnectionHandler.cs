using C10k.Server.Diagnostics;
using C10k.Server.Resp;
using Microsoft.AspNetCore.Connections;

namespace C10k.Server.Connections;

/// <summary>Kestrel entry point of the RESP port: admission against the per-front limit (Redis's refusal wording), then the connection's loop.</summary>
internal sealed class RespConnectionHandler(RespServices resp) : ConnectionHandler
{
    // Not async itself: an admitted connection's only task is its session's (one state machine less per connection).
    public override Task OnConnectedAsync(ConnectionContext connection)
    {
        if (!resp.Connections.Registry.TryAdmit(Front.Resp, out var refusal))
        {
            return RefuseAsync(connection, refusal!);
        }

        resp.ConnectionReceived();
        return new RespConnection(connection, resp).RunAsync();
    }

    private async Task RefuseAsync(ConnectionContext connection, string refusal)
    {
        var services = resp.Connections;
        resp.ConnectionRejected();
        if (refusal == "draining")
        {
            RespErrorBuilder.Write(connection.Transport.Output, "ERR"u8, "server is shutting down");
        }
        else
        {
            RespErrors.Write(connection.Transport.Output, RespErrors.MaxClients);
        }

        await connection.Transport.Output.FlushAsync();
        services.Metrics.ConnectionRejected(Front.Resp, refusal);
        ConnectionLog.Rejected(services.Logger, Front.Resp, connection.RemoteEndPoint?.ToString(), refusal, services.Registry.MaxConnections);
    }
}
