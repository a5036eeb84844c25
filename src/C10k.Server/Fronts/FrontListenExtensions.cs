using System.Net;
using C10k.Server.Connections;
using C10k.Server.Hosting;
using C10k.Server.Operations;
using C10k.Server.Transport;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;

namespace C10k.Server.Fronts;

/// <summary>Hosts an application's own protocol front on a Kestrel endpoint, next to the built-in fronts.</summary>
public static class FrontListenExtensions
{
    /// <summary>
    /// Listens on <paramref name="address"/>:<paramref name="port"/> (0: any free port) with the front whose sessions
    /// <paramref name="createSession"/> makes; see <see cref="UseC10kFront"/>.
    /// </summary>
    public static KestrelServerOptions ListenC10kFront(
        this KestrelServerOptions kestrel, IPAddress address, int port, string name, Func<FrontContext, ConnectionSession> createSession, bool tls = false)
    {
        ArgumentNullException.ThrowIfNull(kestrel);
        kestrel.Listen(DataEndPoint.Create(kestrel.ApplicationServices, address, port), listen => listen.UseC10kFront(name, createSession, tls));
        return kestrel;
    }

    /// <summary>
    /// Serves the endpoint with the front whose sessions <paramref name="createSession"/> makes, one per connection. The
    /// connection gets what the built-in fronts get: the connection limits and PROXY/TLS/protected-mode steps of a data port
    /// (<paramref name="tls"/>: TLS with the server's certificate), the drain, the shared dispatcher and worker pool, and the
    /// metrics and logs (front <c>custom</c>). <paramref name="name"/> names the endpoint in the start-up log and in
    /// <see cref="ServerEndpoints"/> (its bound port). A refused connection (limit, drain) is closed without a word: the
    /// front's protocol is not known here. Needs the C10k services in the container.
    /// </summary>
    public static ListenOptions UseC10kFront(this ListenOptions listen, string name, Func<FrontContext, ConnectionSession> createSession, bool tls = false)
    {
        ArgumentNullException.ThrowIfNull(listen);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(createSession);
        var services = listen.ApplicationServices.GetRequiredService<ConnectionServices>();
        var operations = listen.ApplicationServices.GetRequiredService<OperationRegistry>();
        var admission = listen.ApplicationServices.GetRequiredService<Admission>();
        listen.UseDataPort(Front.Custom, tls).Run(connection =>
            admission.RefuseIfDrainBegan(connection, Front.Custom) ?? createSession(new FrontContext(connection, services, operations)).RunAsync());
        listen.ApplicationServices.GetRequiredService<ServerEndpoints>().Add(name, listen);
        return listen;
    }
}
