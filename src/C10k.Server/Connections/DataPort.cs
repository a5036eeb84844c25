using C10k.Server.Security;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;

namespace C10k.Server.Connections;

/// <summary>
/// The connection middleware in front of a data port's handler, in order: the process-wide connection limit (from accept), the
/// PROXY v2 header (trusted peers only), the per-address limit (the real client's address), TLS on a TLS port (Kestrel's
/// <c>UseHttps</c>, which works in front of any <c>ConnectionHandler</c>), then protected mode (so its refusal is readable).
/// </summary>
internal static class DataPort
{
    public static ListenOptions UseDataPort(this ListenOptions listen, Front front, bool tls)
    {
        var services = listen.ApplicationServices;
        var admission = services.GetRequiredService<Admission>();
        listen.Use(next => admission.LimitConnections(next, front, tls));
        listen.UseProxyProtocolWhenEnabled(front);
        if (services.GetRequiredService<ConnectionGate>().MaxPerAddress > 0)
        {
            listen.Use(next => admission.LimitPerAddress(next, front, tls));
        }

        if (tls)
        {
            listen.Use(next => admission.CountFailedHandshakes(next, front));
            listen.UseHttps(services.GetRequiredService<TlsCertificateSource>().HandshakeOptions());
            listen.Use(Admission.HandshakeDone);
        }

        if (admission.IsProtected)
        {
            listen.Use(next => admission.ProtectedMode(next, front));
        }

        return listen;
    }
}
