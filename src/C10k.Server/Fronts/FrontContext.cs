using C10k.Server.Connections;
using C10k.Server.Operations;
using Microsoft.AspNetCore.Connections;

namespace C10k.Server.Fronts;

/// <summary>What a new connection of an application's front gets: pass it to <see cref="ConnectionSession"/>'s constructor.</summary>
public sealed class FrontContext
{
    internal FrontContext(ConnectionContext connection, ConnectionServices services, OperationRegistry operations)
    {
        Connection = connection;
        Services = services;
        Operations = operations;
    }

    /// <summary>Kestrel's connection.</summary>
    public ConnectionContext Connection { get; }

    /// <summary>The registered operations, for the front's command lookup.</summary>
    public OperationRegistry Operations { get; }

    internal ConnectionServices Services { get; }
}
