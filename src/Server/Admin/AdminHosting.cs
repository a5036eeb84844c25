using System.Diagnostics.Metrics;
using System.Net;
using C10k.Server.Connections;
using C10k.Server.Diagnostics;
using C10k.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace C10k.Server.Admin;

/// <summary>
/// The admin HTTP port, served by the same Kestrel as the data ports: <c>/healthz</c>, <c>/readyz</c>, <c>/metrics</c>
/// (OpenTelemetry's Prometheus exporter) and the status page at <c>/</c>.
/// </summary>
internal static class AdminHosting
{
    /// <summary>Histogram bounds of the request durations, in seconds: 5 µs (an inline PING) to 10 s (a deep HASH queue).</summary>
    private static readonly double[] DurationBounds =
        [0.000_005, 0.000_01, 0.000_025, 0.000_05, 0.000_1, 0.000_25, 0.000_5, 0.001, 0.002_5, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    /// <summary>Registers the admin options, the OpenTelemetry metrics pipeline and the status page's services.</summary>
    public static IServiceCollection AddAdmin(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSection<AdminOptions>(configuration, AdminOptions.Section);
        services.AddSingleton<LiveStats>();
        services.AddSingleton<Readiness>();
        services.AddSingleton<StatusPage>();
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("c10k"))
            .WithMetrics(metrics => metrics
                .AddMeter(C10kMetrics.MeterName)
                .AddRuntimeInstrumentation()
                .AddView(DurationHistogram)
                .AddPrometheusExporter());
        services.AddOptions<PrometheusAspNetCoreOptions>().Configure<IOptions<AdminOptions>>((prometheus, admin) =>
            prometheus.ScrapeResponseCacheDurationMilliseconds = admin.Value.ScrapeCacheMs);
        return services;
    }

    /// <summary>Adds the admin listener (HTTP/1.1) on <c>C10k:Admin:BindAddress</c> and records its port as "admin".</summary>
    public static void ListenAdmin(this KestrelServerOptions kestrel, ServerEndpoints endpoints)
    {
        var options = kestrel.ApplicationServices.GetRequiredService<IOptions<AdminOptions>>().Value;
        kestrel.Listen(IPAddress.Parse(options.BindAddress), options.Port, listen =>
        {
            listen.Protocols = HttpProtocols.Http1;
            endpoints.Add("admin", listen);
        });
    }

    /// <summary>Maps the admin routes and starts the live counters the status page reads.</summary>
    public static WebApplication MapAdmin(this WebApplication app)
    {
        var services = app.Services;
        services.GetRequiredService<C10kMetrics>().ObserveServer(services.GetRequiredService<ConnectionRegistry>());
        services.GetRequiredService<LiveStats>();
        app.UseAdminToken();
        app.MapGet("/healthz", () => Results.Text("ok\n"));
        app.MapGet("/readyz", (Readiness readiness) => readiness.IsReady
            ? Results.Text("ready\n")
            : Results.Text(readiness.State + "\n", statusCode: StatusCodes.Status503ServiceUnavailable));
        app.MapPrometheusScrapingEndpoint();
        app.MapGet("/", (HttpContext context, StatusPage page) => page.WritePageAsync(context));
        app.MapGet("/status/panel", (HttpContext context, StatusPage page) => page.WritePanelAsync(context));
        return app;
    }

    private static ExplicitBucketHistogramConfiguration? DurationHistogram(Instrument instrument) =>
        instrument is Histogram<double> && instrument.Unit == "s" && instrument.Meter.Name == C10kMetrics.MeterName
            ? new ExplicitBucketHistogramConfiguration { Boundaries = DurationBounds }
            : null;
}
