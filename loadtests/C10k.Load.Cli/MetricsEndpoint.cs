using C10k.LoadTesting.Measurement;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace C10k.Load.Cli;

/// <summary><c>--metrics-port</c>: the run's live instruments (<see cref="LoadMetrics"/>) in Prometheus text format on http://localhost:PORT/metrics.</summary>
internal static class MetricsEndpoint
{
    /// <summary>Starts serving when <paramref name="port"/> is given; dispose to stop. Null when no port is given.</summary>
    public static IDisposable? Start(int? port)
    {
        if (port is not { } p)
        {
            return null;
        }

        var provider = Sdk.CreateMeterProviderBuilder()
            .AddMeter(LoadMetrics.MeterName)
            .AddPrometheusHttpListener(o =>
            {
                o.Host = "localhost";
                o.Port = p;
            })
            .Build();
        Console.WriteLine($"Live metrics on http://localhost:{p}/metrics");
        return provider;
    }
}
