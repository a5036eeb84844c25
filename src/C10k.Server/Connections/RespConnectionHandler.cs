using C10k.Server.Resp;
using Microsoft.AspNetCore.Connections;

namespace C10k.Server.Connections;

/// <summary>Kestrel entry point of the RESP port: the connection's loop, once admission (<see cref="DataPort"/>) let it in.</summary>
internal sealed class RespConnectionHandler(RespServices resp, Admission admission) : ConnectionHandler
{
    // Not async itself: an admitted connection's only task is its session's (one state machine less per connection).
    public override Task OnConnectedAsync(ConnectionContext connection)
    {
        if (admission.RefuseIfDrainBegan(connection, Front.Resp) is { } refused)
        {
            return refused;
        }

        resp.ConnectionReceived();
        return new RespConnection(connection, resp).RunAsync();
    }
}
