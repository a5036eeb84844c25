using C10k.Server.Diagnostics;
using C10k.Server.Resp;
using Microsoft.AspNetCore.Connections;

namespace C10k.Server.Connections;

/// <summary>Kestrel entry point of the RESP port: admission against the per-front limit (Redis's refusal wording), then the connection's loop.</summary>
internal sealed class RespConnectionHandler(RespServices resp) : ConnectionHandler
{
    public override async Task OnConnectedAsync(ConnectionContext connection)
    {
        var services = resp.Connections;
        if (!services.Registry.TryAdmit(Front.Resp, out var refusal))
        {
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
            services.Metrics.ConnectionRejected(Front.Resp, refusal!);
            ConnectionLog.Rejected(services.Logger, Front.Resp, connection.RemoteEndPoint?.ToString(), refusal!, services.Registry.MaxConnections);
            return;
        }

        resp.ConnectionReceived();
        await new RespConnection(connection, resp).RunAsync();
    }
}
