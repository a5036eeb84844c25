using C10k.Server.Hosting;
using C10k.Server.Operations;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Options;

namespace C10k.Server.Connections;

/// <summary>Kestrel entry point of the native port: the connection's loop, once admission (<see cref="DataPort"/>) let it in.</summary>
internal sealed class NativeConnectionHandler(ConnectionServices services, Admission admission, OperationRegistry operations, IOptions<NativeOptions> options) : ConnectionHandler
{
    private readonly NativeOptions _options = options.Value;

    // Not async itself: an admitted connection's only task is its session's (one state machine less per connection).
    public override Task OnConnectedAsync(ConnectionContext connection) =>
        admission.RefuseIfDrainBegan(connection, Front.Native) ?? new NativeConnection(connection, services, operations, _options).RunAsync();
}
