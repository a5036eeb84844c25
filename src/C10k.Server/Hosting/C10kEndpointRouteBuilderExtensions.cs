using C10k.Server.Admin;
using Microsoft.AspNetCore.Routing;

namespace C10k.Server.Hosting;

/// <summary>C10k's admin routes in an application's own routing: <c>app.MapC10kAdmin("/c10k")</c>.</summary>
public static class C10kEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps <c>healthz</c>, <c>readyz</c> (503 while draining), <c>metrics</c> (Prometheus) and the status page (<c>prefix/</c>, with a
    /// trailing slash) under <paramref name="prefix"/>. <c>C10k:Admin:Token</c>, when set, guards <c>metrics</c> and the status page,
    /// never the probes. The returned group takes the application's own conventions (<c>RequireHost("*:8081")</c>,
    /// <c>RequireAuthorization()</c>). The C10k host maps them at "/" on its admin port.
    /// </summary>
    public static RouteGroupBuilder MapC10kAdmin(this IEndpointRouteBuilder endpoints, string prefix = "/")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(prefix);
        return AdminHosting.MapAdmin(endpoints, prefix);
    }
}
