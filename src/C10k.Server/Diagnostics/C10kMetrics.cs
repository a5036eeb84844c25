using System.Diagnostics.Metrics;
using C10k.Protocol.Native;
using C10k.Server.Connections;

namespace C10k.Server.Diagnostics;

/// <summary>
/// The server's instruments (meter <c>C10k.Server</c>, OpenTelemetry naming and units). Tag values are drawn from fixed sets:
/// fronts, statuses, registered operation names or "other", close reasons.
/// </summary>
public sealed class C10kMetrics : IDisposable
{
    /// <summary>Meter name.</summary>
    public const string MeterName = "C10k.Server";

    /// <summary>The <c>op</c> tag value for names off the wire that are not registered.</summary>
    public const string OtherOp = "other";

    private readonly Meter _meter;
    private readonly Counter<long> _accepted;
    private readonly Counter<long> _rejected;
    private readonly Counter<long> _closed;
    private readonly UpDownCounter<long> _open;
    private readonly Counter<long> _requests;
    private readonly Counter<long> _placements;
    private readonly Histogram<double> _queueWait;
    private readonly Histogram<double> _execution;
    private readonly Counter<long> _bytesReceived;
    private readonly Counter<long> _bytesSent;
    private readonly Counter<long> _protocolErrors;
    private readonly Counter<long> _cancelled;
    private readonly Counter<long> _backpressure;
    private readonly Counter<long> _workerFaults;

    /// <summary>Creates the instruments on a meter from <paramref name="meterFactory"/>.</summary>
    public C10kMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        _meter = meterFactory.Create(MeterName);
        _accepted = _meter.CreateCounter<long>("c10k.connections.accepted", "{connection}", "Connections accepted, by front.");
        _rejected = _meter.CreateCounter<long>("c10k.connections.rejected", "{connection}", "Connections refused at accept, by front and reason.");
        _closed = _meter.CreateCounter<long>("c10k.connections.closed", "{connection}", "Connections ended, by front and reason.");
        _open = _meter.CreateUpDownCounter<long>("c10k.connections.open", "{connection}", "Connections open now, by front.");
        _requests = _meter.CreateCounter<long>("c10k.requests", "{request}", "Requests answered, by front, op and status.");
        _placements = _meter.CreateCounter<long>("c10k.dispatch.placements", "{request}", "Where requests ran (inline or pool), by op.");
        _queueWait = _meter.CreateHistogram<double>("c10k.request.queue_wait", "s", "Time a request waited in the worker queue, by op.");
        _execution = _meter.CreateHistogram<double>("c10k.request.execution", "s", "Time an operation ran, by op and placement.");
        _bytesReceived = _meter.CreateCounter<long>("c10k.bytes.received", "By", "Bytes read from clients, by front.");
        _bytesSent = _meter.CreateCounter<long>("c10k.bytes.sent", "By", "Reply bytes written to clients, by front.");
        _protocolErrors = _meter.CreateCounter<long>("c10k.protocol.errors", "{error}", "Malformed input, by front and kind.");
        _cancelled = _meter.CreateCounter<long>("c10k.worker.cancelled", "{request}", "Queued work dropped unexecuted because its connection closed.");
        _workerFaults = _meter.CreateCounter<long>("c10k.worker.faults", "{fault}", "Exceptions a worker caught outside an operation (the worker went on), by op.");
        _backpressure = _meter.CreateCounter<long>("c10k.connections.backpressure", "{pause}", "Times a connection stopped reading at its in-flight cap, by front.");
    }

    /// <summary>The meter, for observable instruments registered by other components.</summary>
    public Meter Meter => _meter;

    /// <summary>Tag value of a front.</summary>
    public static string FrontTag(Front front) => front switch
    {
        Front.Native => "native",
        Front.Resp => "resp",
        _ => "other",
    };

    /// <summary>Tag value of a status.</summary>
    public static string StatusTag(NativeStatus status) => status switch
    {
        NativeStatus.Ok => "ok",
        NativeStatus.Busy => "busy",
        NativeStatus.Timeout => "timeout",
        NativeStatus.TooLarge => "too_large",
        NativeStatus.UnknownOp => "unknown_op",
        NativeStatus.BadArgs => "bad_args",
        NativeStatus.ConnectionLimit => "connection_limit",
        NativeStatus.ShuttingDown => "shutting_down",
        NativeStatus.Cancelled => "cancelled",
        NativeStatus.Unauthenticated => "unauthenticated",
        NativeStatus.Denied => "denied",
        _ => "error",
    };

    /// <summary>Observes the drain state and the requests in flight (called once at start, by the admin wiring).</summary>
    internal void ObserveServer(ConnectionRegistry registry)
    {
        _meter.CreateObservableGauge("c10k.server.draining", () => registry.IsDraining ? 1 : 0, "{state}", "1 from the start of a drain (readiness answers 503), else 0.");
        _meter.CreateObservableGauge("c10k.requests.in_flight", () => registry.InFlight, "{request}", "Requests accepted and not yet answered, over all connections.");
    }

    internal void ConnectionAccepted(Front front)
    {
        _accepted.Add(1, new KeyValuePair<string, object?>("front", FrontTag(front)));
        _open.Add(1, new KeyValuePair<string, object?>("front", FrontTag(front)));
    }

    internal void ConnectionRejected(Front front, string reason) =>
        _rejected.Add(1, new("front", FrontTag(front)), new("reason", reason));

    internal void ConnectionClosed(Front front, CloseReason reason)
    {
        _closed.Add(1, new("front", FrontTag(front)), new("reason", reason.Tag()));
        _open.Add(-1, new KeyValuePair<string, object?>("front", FrontTag(front)));
    }

    internal void RequestCompleted(Front front, string op, NativeStatus status, long count = 1) =>
        _requests.Add(count, new("front", FrontTag(front)), new("op", op), new("status", StatusTag(status)));

    internal void Placed(string op, bool inline) =>
        _placements.Add(1, new("op", op), new("placement", inline ? "inline" : "pool"));

    internal void QueueWait(string op, double seconds) => _queueWait.Record(seconds, new KeyValuePair<string, object?>("op", op));

    internal void Executed(string op, bool inline, double seconds) =>
        _execution.Record(seconds, new("op", op), new("placement", inline ? "inline" : "pool"));

    internal void BytesReceived(Front front, long bytes) => _bytesReceived.Add(bytes, new KeyValuePair<string, object?>("front", FrontTag(front)));

    internal void BytesSent(Front front, long bytes) => _bytesSent.Add(bytes, new KeyValuePair<string, object?>("front", FrontTag(front)));

    internal void ProtocolError(Front front, string kind) => _protocolErrors.Add(1, new("front", FrontTag(front)), new("kind", kind));

    internal void WorkCancelled(string op) => _cancelled.Add(1, new KeyValuePair<string, object?>("op", op));

    internal void WorkerFault(string op) => _workerFaults.Add(1, new KeyValuePair<string, object?>("op", op));

    internal void Backpressure(Front front) => _backpressure.Add(1, new KeyValuePair<string, object?>("front", FrontTag(front)));

    /// <inheritdoc />
    public void Dispose() => _meter.Dispose();
}
