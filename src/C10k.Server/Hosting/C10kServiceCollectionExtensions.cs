using Microsoft.Extensions.DependencyInjection;

namespace C10k.Server.Hosting;

/// <summary>Adds C10k to an application's services: <c>builder.Services.AddC10k(c10k =&gt; …).AddOperation&lt;MyOperation&gt;()</c>.</summary>
public static class C10kServiceCollectionExtensions
{
    /// <summary>
    /// Registers the C10k server: options (section <c>C10k</c> of the application's configuration, then <paramref name="configure"/>,
    /// validated at start), the dispatcher and worker pool, connection handlers, limits, security, metrics, drain, and the start-up log.
    /// Then listen with <c>kestrel.ListenC10kNative(…)</c> / <c>ListenResp(…)</c> and map the admin routes with
    /// <c>app.MapC10kAdmin()</c>. Process- and server-wide switches stay as the application set them: the start-up log states them
    /// (<see cref="C10kServer.PreferInlineSocketCompletions"/>, <see cref="C10kBuilder.ConfigureSocketTransport"/>). Calling it again only adds
    /// <paramref name="configure"/>.
    /// </summary>
    public static C10kBuilder AddC10k(this IServiceCollection services, Action<C10kOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (!services.Any(d => d.ServiceType == typeof(ServerEndpoints)))
        {
            C10kServer.AddServices(services);
        }

        if (configure is not null)
        {
            C10kServer.AddCodeOptions(services, configure);
        }

        return new C10kBuilder(services);
    }
}
