using System.Diagnostics.Metrics;
using C10k.Server.Diagnostics;
using C10k.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace C10k.Server.Admin;

/// <summary>
/// The admin routes: <c>/healthz</c>, <c>/readyz</c>, <c>/metrics</c> (OpenTelemetry's Prometheus exporter) and the status page at
/// <c>/</c>. The C10k host serves them on their own port (<see cref="C10kKestrelExtensions.ListenC10kAdmin"/>); an application maps
/// them into its own routes (<see cref="C10kEndpointRouteBuilderExtensions.MapC10kAdmin"/>).
/// </summary>
internal static class AdminHosting
{
    /// <summary>Histogram bounds of the request durations, in seconds: 5 µs (an inline PING) to 10 s (a deep HASH queue).</summary>
    private static readonly double[] DurationBounds =
        [0.000_005, 0.000_01, 0.000_025, 0.000_05, 0.000_1, 0.000_25, 0.000_5, 0.001, 0.002_5, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    /// <summary>Maps the admin routes under <paramref name="prefix"/>; the token, when set, guards all but the probes.</summary>
    public static RouteGroupBuilder MapAdmin(IEndpointRouteBuilder endpoints, string prefix)
    {
        var services = endpoints.ServiceProvider;
        if (services.GetService<StatusPage>() is null)
        {
            throw new InvalidOperationException("C10k is not registered: call builder.Services.AddC10k() before app.MapC10kAdmin().");
        }

        services.GetRequiredService<LiveStats>();
        var token = AdminToken.Create(services.GetRequiredService<IOptions<AdminOptions>>().Value.Token);
        var group = endpoints.MapGroup(prefix);
        group.MapGet("/healthz", () => Results.Text("ok\n"));
        group.MapGet("/readyz", (Readiness readiness) => readiness.IsReady
            ? Results.Text("ready\n")
            : Results.Text(readiness.State + "\n", statusCode: StatusCodes.Status503ServiceUnavailable));
        group.MapPrometheusScrapingEndpoint("/metrics", meterProvider: null, configureBranchedPipeline: token.Guard, optionsName: null);
        group.MapGet("/", (HttpContext context, StatusPage page) => page.WritePageAsync(context)).AddEndpointFilter(token.Filter);
        group.MapGet("/status/panel", (HttpContext context, StatusPage page) => page.WritePanelAsync(context)).AddEndpointFilter(token.Filter);
        return group;
    }

    /// <summary>Registers the admin options, the OpenTelemetry metrics pipeline and the status page's services.</summary>
    public static IServiceCollection AddAdmin(this IServiceCollection services)
    {
        services.AddSection<AdminOptions>(AdminOptions.Section);
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

    private static ExplicitBucketHistogramConfiguration? DurationHistogram(Instrument instrument) =>
        instrument is Histogram<double> && instrument.Unit == "s" && instrument.Meter.Name == C10kMetrics.MeterName
            ? new ExplicitBucketHistogramConfiguration { Boundaries = DurationBounds }
            : null;
}
