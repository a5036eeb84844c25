using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using C10k.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace C10k.Security.Tests.Support;

/// <summary>Sums of one server's counters, keyed "instrument tag=value …" (tags in order), from a listener on its meter factory.</summary>
internal sealed class CountedMetrics : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, long> _sums = new();

    public CountedMetrics(TestServer server)
    {
        var factory = server.Services.GetRequiredService<IMeterFactory>();
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, factory))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var key = instrument.Name + string.Concat(tags.ToArray().Select(t => $" {t.Key}={t.Value}"));
            _sums.AddOrUpdate(key, value, (_, sum) => sum + value);
        });
        _listener.Start();
    }

    public long this[string key] => _sums.GetValueOrDefault(key);

    public void Dispose() => _listener.Dispose();
}
