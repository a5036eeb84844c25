using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using C10k.Server.Diagnostics;

namespace C10k.Server.Admin;

/// <summary>
/// Feeds the status page from the server's own instruments through a <see cref="MeterListener"/> (so no component counts twice),
/// listening only to this host's meter instance. Counts are cumulative and lock-free; once a second a sample is kept, and
/// rates and percentiles are differences between now and a sample from the window before.
/// </summary>
internal sealed class LiveStats : IDisposable
{
    /// <summary>Seconds of per-second history kept (the status page's chart).</summary>
    public const int HistorySeconds = 60;

    /// <summary>Seconds over which rates and percentiles are computed.</summary>
    public const int WindowSeconds = 10;

    private readonly ConcurrentDictionary<string, OpCounters> _ops = new(StringComparer.Ordinal);
    private readonly MeterListener _listener = new();
    private readonly TimeProvider _time;
    private readonly long _started;
    private readonly LiveSample[] _history = new LiveSample[HistorySeconds + 1];
    private readonly Lock _historyGate = new();
    private readonly ITimer _sampler;
    private int _newest = -1;
    private int _kept;
    private long _accepted;
    private long _rejected;
    private long _closed;
    private long _bytesReceived;
    private long _bytesSent;
    private long _protocolErrors;

    public LiveStats(C10kMetrics metrics, TimeProvider time)
    {
        _time = time;
        _started = time.GetTimestamp();
        var meter = metrics.Meter;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter, meter) && KindOf(instrument.Name) is { } kind)
            {
                listener.EnableMeasurementEvents(instrument, kind);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, tags, state) => OnCount((Tracked)state!, value, tags));
        _listener.SetMeasurementEventCallback<double>((_, value, tags, state) => OnDuration((Tracked)state!, value, tags));
        _listener.Start();
        Sample();
        _sampler = time.CreateTimer(_ => Sample(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
    }

    private enum Tracked
    {
        Requests,
        Execution,
        QueueWait,
        Accepted,
        Rejected,
        Closed,
        BytesReceived,
        BytesSent,
        ProtocolErrors,
    }

    /// <summary>Rates and percentiles over the last <see cref="WindowSeconds"/>, totals since start, and the per-second history.</summary>
    public LiveReport Report()
    {
        var now = Capture();
        LiveSample[] history;
        lock (_historyGate)
        {
            history = new LiveSample[_kept];
            for (var i = 0; i < _kept; i++)
            {
                history[i] = _history[(_newest - _kept + 1 + i + _history.Length) % _history.Length];
            }
        }

        var baseline = history[Math.Max(0, history.Length - WindowSeconds)];
        var seconds = Math.Max(Elapsed(baseline.Timestamp, now.Timestamp), 1e-3);
        var ops = now.Ops.Values
            .OrderBy(o => o.Op, StringComparer.Ordinal)
            .Select(o => Row(o, baseline.Ops.GetValueOrDefault(o.Op), seconds))
            .ToList();
        var rates = new List<double>(history.Length);
        for (var i = 1; i <= history.Length; i++)
        {
            var newer = i < history.Length ? history[i] : now;
            var dt = Elapsed(history[i - 1].Timestamp, newer.Timestamp);
            if (i < history.Length || dt >= 0.5)
            {
                // The interval still open is charted only once it is long enough for its rate to mean something.
                rates.Add(dt > 0 ? (newer.Requests - history[i - 1].Requests) / dt : 0);
            }
        }

        return new LiveReport(
            _time.GetElapsedTime(_started),
            seconds,
            (now.Requests - baseline.Requests) / seconds,
            now.Requests,
            (now.BytesReceived - baseline.BytesReceived) / seconds,
            (now.BytesSent - baseline.BytesSent) / seconds,
            now.Accepted,
            now.Rejected,
            now.Closed,
            now.ProtocolErrors,
            ops,
            rates);
    }

    public void Dispose()
    {
        _sampler.Dispose();
        _listener.Dispose();
    }

    private static Tracked? KindOf(string instrument) => instrument switch
    {
        "c10k.requests" => Tracked.Requests,
        "c10k.request.execution" => Tracked.Execution,
        "c10k.request.queue_wait" => Tracked.QueueWait,
        "c10k.connections.accepted" => Tracked.Accepted,
        "c10k.connections.rejected" => Tracked.Rejected,
        "c10k.connections.closed" => Tracked.Closed,
        "c10k.bytes.received" => Tracked.BytesReceived,
        "c10k.bytes.sent" => Tracked.BytesSent,
        "c10k.protocol.errors" => Tracked.ProtocolErrors,
        _ => null,
    };

    private static OpReport Row(OpSample now, OpSample? then, double seconds) => new(
        now.Op,
        (now.Total - (then?.Total ?? 0)) / seconds,
        now.Total,
        now.Ok,
        now.Busy,
        now.Timeout,
        now.Failed,
        LatencyHistogram.Percentile(now.Execution, then?.Execution, 0.50),
        LatencyHistogram.Percentile(now.Execution, then?.Execution, 0.90),
        LatencyHistogram.Percentile(now.Execution, then?.Execution, 0.99),
        LatencyHistogram.Percentile(now.QueueWait, then?.QueueWait, 0.50),
        LatencyHistogram.Percentile(now.QueueWait, then?.QueueWait, 0.99));

    private static string? Tag(ReadOnlySpan<KeyValuePair<string, object?>> tags, string key)
    {
        foreach (var tag in tags)
        {
            if (tag.Key == key)
            {
                return tag.Value as string;
            }
        }

        return null;
    }

    private double Elapsed(long from, long to) => (to - from) / (double)_time.TimestampFrequency;

    private OpCounters Op(ReadOnlySpan<KeyValuePair<string, object?>> tags) =>
        _ops.GetOrAdd(Tag(tags, "op") ?? C10kMetrics.OtherOp, static _ => new OpCounters());

    private void OnCount(Tracked kind, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        switch (kind)
        {
            case Tracked.Requests:
                Op(tags).Answered(Tag(tags, "status"), value);
                break;
            case Tracked.Accepted:
                Interlocked.Add(ref _accepted, value);
                break;
            case Tracked.Rejected:
                Interlocked.Add(ref _rejected, value);
                break;
            case Tracked.Closed:
                Interlocked.Add(ref _closed, value);
                break;
            case Tracked.BytesReceived:
                Interlocked.Add(ref _bytesReceived, value);
                break;
            case Tracked.BytesSent:
                Interlocked.Add(ref _bytesSent, value);
                break;
            case Tracked.ProtocolErrors:
                Interlocked.Add(ref _protocolErrors, value);
                break;
        }
    }

    private void OnDuration(Tracked kind, double seconds, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var op = Op(tags);
        (kind == Tracked.QueueWait ? op.QueueWait : op.Execution).Record(seconds);
    }

    private LiveSample Capture() => new(
        _time.GetTimestamp(),
        _ops.ToDictionary(p => p.Key, p => p.Value.Snapshot(p.Key), StringComparer.Ordinal),
        Volatile.Read(ref _accepted),
        Volatile.Read(ref _rejected),
        Volatile.Read(ref _closed),
        Volatile.Read(ref _bytesReceived),
        Volatile.Read(ref _bytesSent),
        Volatile.Read(ref _protocolErrors));

    private void Sample()
    {
        var sample = Capture();
        lock (_historyGate)
        {
            _newest = (_newest + 1) % _history.Length;
            _history[_newest] = sample;
            _kept = Math.Min(_kept + 1, _history.Length);
        }
    }
}
