using System.Net;
using C10k.Server.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace C10k.Server.Transport;

/// <summary>
/// A data port's address. <see cref="DataTransportFactory"/> binds endpoints of this type (and no other), so C10k's data ports
/// run on its own transport while an application's HTTP endpoints, and the admin port, stay on Kestrel's socket transport.
/// </summary>
internal sealed class DataEndPoint(IPAddress address, int port) : IPEndPoint(address, port)
{
    /// <summary>The endpoint to listen on for a data port: a <see cref="DataEndPoint"/> unless <c>C10k:Transport:DataPorts</c> is <c>Kestrel</c>.</summary>
    public static IPEndPoint Create(IServiceProvider services, IPAddress address, int port)
    {
        ArgumentNullException.ThrowIfNull(address);
        return services.GetRequiredService<IOptions<TransportOptions>>().Value.DataPorts == DataPortTransport.Lean
            ? new DataEndPoint(address, port)
            : new IPEndPoint(address, port);
    }
}
