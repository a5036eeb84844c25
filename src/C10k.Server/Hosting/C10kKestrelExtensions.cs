using System.Net;
using C10k.Server.Connections;
using C10k.Server.Transport;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace C10k.Server.Hosting;

/// <summary>
/// C10k ports on an application's Kestrel, next to its HTTP endpoints:
/// <c>builder.WebHost.ConfigureKestrel(kestrel =&gt; kestrel.ListenC10kNative(IPAddress.Loopback, 7000).ListenResp(IPAddress.Loopback, 6380))</c>.
/// Each data port gets the connection limits, PROXY v2, TLS (the <c>Tls</c> variants, certificate from <c>C10k:Tls</c>) and protected
/// mode of the configuration, and no HTTP. Kestrel serves only the endpoints set in code once any is: an application that
/// also serves HTTP lists its HTTP endpoint too (<c>kestrel.ListenLocalhost(5000)</c>).
/// </summary>
public static class C10kKestrelExtensions
{
    /// <summary>Every data port of the configuration (<c>C10k:Native:Port</c>, <c>TlsPort</c>, <c>C10k:Resp:Port</c>, <c>TlsPort</c>; -1 = off) on <c>C10k:BindAddress</c>.</summary>
    public static KestrelServerOptions ListenC10k(this KestrelServerOptions kestrel)
    {
        var services = C10kServices(kestrel);
        var address = IPAddress.Parse(services.GetRequiredService<IOptions<ServerOptions>>().Value.BindAddress);
        var native = services.GetRequiredService<IOptions<NativeOptions>>().Value;
        var resp = services.GetRequiredService<IOptions<RespOptions>>().Value;
        foreach (var (front, port, tls) in new[] { (Front.Native, native.Port, false), (Front.Native, native.TlsPort, true), (Front.Resp, resp.Port, false), (Front.Resp, resp.TlsPort, true) })
        {
            if (port >= 0)
            {
                kestrel.ListenData(address, port, front, tls);
            }
        }

        return kestrel;
    }

    /// <summary>The native protocol on <paramref name="address"/>:<paramref name="port"/> (0 = any free port; the bound one is logged and in <see cref="ServerEndpoints"/>).</summary>
    public static KestrelServerOptions ListenC10kNative(this KestrelServerOptions kestrel, IPAddress address, int port) =>
        kestrel.ListenData(address, port, Front.Native, tls: false);

    /// <summary>The native protocol over TLS, with the certificate of <c>C10k:Tls</c>.</summary>
    public static KestrelServerOptions ListenC10kNativeTls(this KestrelServerOptions kestrel, IPAddress address, int port) =>
        kestrel.ListenData(address, port, Front.Native, tls: true);

    /// <summary>RESP2 (Redis clients) on <paramref name="address"/>:<paramref name="port"/>.</summary>
    public static KestrelServerOptions ListenResp(this KestrelServerOptions kestrel, IPAddress address, int port) =>
        kestrel.ListenData(address, port, Front.Resp, tls: false);

    /// <summary>RESP2 over TLS, with the certificate of <c>C10k:Tls</c>.</summary>
    public static KestrelServerOptions ListenRespTls(this KestrelServerOptions kestrel, IPAddress address, int port) =>
        kestrel.ListenData(address, port, Front.Resp, tls: true);

    /// <summary>A dedicated HTTP/1.1 admin port on <c>C10k:Admin:BindAddress</c>:<c>C10k:Admin:Port</c>, for <see cref="C10kEndpointRouteBuilderExtensions.MapC10kAdmin"/>.</summary>
    public static KestrelServerOptions ListenC10kAdmin(this KestrelServerOptions kestrel)
    {
        var services = C10kServices(kestrel);
        var options = services.GetRequiredService<IOptions<AdminOptions>>().Value;
        kestrel.Listen(IPAddress.Parse(options.BindAddress), options.Port, listen =>
        {
            listen.Protocols = HttpProtocols.Http1;
            services.GetRequiredService<ServerEndpoints>().Add("admin", listen);
        });

        return kestrel;
    }

    private static KestrelServerOptions ListenData(this KestrelServerOptions kestrel, IPAddress address, int port, Front front, bool tls)
    {
        ArgumentNullException.ThrowIfNull(address);
        var services = C10kServices(kestrel);
        var endpoints = services.GetRequiredService<ServerEndpoints>();
        kestrel.Listen(DataEndPoint.Create(services, address, port), listen =>
        {
            listen.UseDataPort(front, tls);
            if (front == Front.Native)
            {
                listen.UseConnectionHandler<NativeConnectionHandler>();
            }
            else
            {
                listen.UseConnectionHandler<RespConnectionHandler>();
            }

            endpoints.Add((front == Front.Native ? "native" : "resp") + (tls ? "-tls" : ""), listen);
        });
        return kestrel;
    }

    private static IServiceProvider C10kServices(KestrelServerOptions kestrel)
    {
        ArgumentNullException.ThrowIfNull(kestrel);
        var services = kestrel.ApplicationServices;
        return services.GetService<ServerEndpoints>() is null
            ? throw new InvalidOperationException("C10k is not registered: call builder.Services.AddC10k() before listening on C10k ports.")
            : services;
    }
}
