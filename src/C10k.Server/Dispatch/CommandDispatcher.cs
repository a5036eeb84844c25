using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using C10k.Protocol;
using C10k.Protocol.Native;
using C10k.Server.Diagnostics;
using C10k.Server.Hosting;
using C10k.Server.Operations;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace C10k.Server.Dispatch;

/// <summary>
/// Decides where each request runs and runs it: inline on the I/O thread when it is cheap, else on the configured scheduler.
/// Both fronts call it, so an operation behaves the same whichever protocol carried it.
/// </summary>
public sealed class CommandDispatcher : IDisposable
{
    private readonly WorkerOptions _options;
    private readonly C10kMetrics _metrics;
    private readonly ILogger _logger;
    private readonly IWorkScheduler? _scheduler;
    private readonly ConcurrentDictionary<Operation, OperationCalibration> _calibrations = new();
    private readonly double _inlineThresholdTicks;
    private readonly LogRateLimiter _busyLog;
    private readonly LogRateLimiter _faultLog;
    private readonly ConcurrentDictionary<WorkItem, CancellationTokenSource> _running = new();
    private const int Running = 0;
    private const int Draining = 1;
    private const int Stopped = 2;
    private volatile int _state;

    /// <summary>Creates the dispatcher and starts the configured scheduler's threads.</summary>
    public CommandDispatcher(IOptions<WorkerOptions> options, C10kMetrics metrics, TimeProvider time, ILogger<CommandDispatcher> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _metrics = metrics;
        _logger = logger;
        _busyLog = new LogRateLimiter(time);
        _faultLog = new LogRateLimiter(time);
        _inlineThresholdTicks = OperationCalibration.MicrosecondsToTicks(_options.InlineThresholdMicroseconds);
        var count = _options.EffectiveCount;
        _scheduler = _options.Strategy switch
        {
            WorkerStrategy.PerCore => new WorkerPool(_options, RunQueued),
            WorkerStrategy.SharedQueue => new SharedQueueScheduler(_options, RunQueued),
            WorkerStrategy.ThreadPool => new ThreadPoolScheduler(_options.EffectiveMaxQueued, RunQueued),
            _ => null,
        };
        WorkerLog.Started(_logger, _options.Strategy, _scheduler is null ? 0 : count, _options.EffectiveMaxQueued, _options.Scheduling, _options.Nice);
        metrics.Meter.CreateObservableGauge("c10k.worker.queue.depth", () => QueueDepth, "{request}", "Requests waiting for a worker.");
        metrics.Meter.CreateObservableGauge("c10k.worker.busy", () => BusyWorkers, "{worker}", "Workers running a request now.");
    }

    /// <summary>The configured strategy.</summary>
    public WorkerStrategy Strategy => _options.Strategy;

    /// <summary>Requests waiting for a worker.</summary>
    public int QueueDepth => _scheduler?.QueueDepth ?? 0;

    /// <summary>Workers running a request now.</summary>
    public int BusyWorkers => _scheduler?.BusyWorkers ?? 0;

    /// <summary>Requests executed per worker thread.</summary>
    public IReadOnlyList<long> ExecutedPerWorker => _scheduler?.ExecutedPerWorker ?? [];

    /// <summary>True from the start of a drain: new requests are answered SHUTTING_DOWN.</summary>
    public bool IsDraining => _state != Running;

    /// <summary>
    /// Decides where a request runs, checking everything that can refuse it first (argument count, the operation's own
    /// validation, draining): the one place these rules live. <paramref name="cost"/> is the operation's estimate;
    /// for <see cref="Placement.Refused"/>, <paramref name="status"/> and <paramref name="error"/> are the answer.
    /// </summary>
    internal Placement Place(Operation operation, in ArgumentList args, out long cost, out NativeStatus status, out string? error)
    {
        cost = 0;
        status = NativeStatus.BadArgs;
        if (args.Count < operation.MinArgs || args.Count > operation.MaxArgs)
        {
            error = null;
            return Placement.WrongArity;
        }

        if (!operation.TryValidate(args, out cost, out error))
        {
            return Placement.Refused;
        }

        if (_state != Running)
        {
            status = NativeStatus.ShuttingDown;
            error = "server is shutting down";
            return Placement.Refused;
        }

        status = NativeStatus.Ok;
        return _scheduler is not null && RunsOnPool(operation, cost) ? Placement.Pool : Placement.Inline;
    }

    /// <summary>Runs a request placed <see cref="Placement.Inline"/> and writes its payload to <paramref name="reply"/>.</summary>
    internal NativeStatus RunInline(Operation operation, in ArgumentList args, long cost, IBufferWriter<byte> reply, out string? error)
    {
        _metrics.Placed(operation.MetricName, inline: true);
        return Execute(operation, args, cost, reply, inline: true, CancellationToken.None, out error);
    }

    /// <summary>
    /// Copies a request placed <see cref="Placement.Pool"/> into a work item and queues it; its reply reaches
    /// <paramref name="owner"/> later. False when the queue is full (the caller answers BUSY).
    /// </summary>
    internal bool Enqueue(Operation operation, in ArgumentList args, IWorkOwner owner, uint tag, uint deadlineMs, long cost, bool statusLine)
    {
        var now = Stopwatch.GetTimestamp();
        var deadline = deadlineMs != 0 ? Math.Min(deadlineMs, (uint)_options.MaxDeadlineMs) : (uint)_options.DefaultDeadlineMs;
        var deadlineAt = deadline == 0 ? 0 : now + (long)(deadline * (double)Stopwatch.Frequency / 1000);
        var item = new WorkItem(operation, args, owner, tag, cost, now, deadlineAt, statusLine);
        if (!_scheduler!.TryEnqueue(item))
        {
            item.Release();
            if (_busyLog.TryAcquire(WorkerLog.QueueFullId, out var suppressed))
            {
                WorkerLog.QueueFull(_logger, _options.EffectiveMaxQueued, operation.Name, suppressed);
            }

            return false;
        }

        _metrics.Placed(operation.MetricName, inline: false);
        return true;
    }

    /// <summary>False while <paramref name="owner"/> holds more than its fair share of a full worker queue: its read loop pauses.</summary>
    internal bool MayQueue(IWorkOwner owner) => _scheduler?.MayQueue(owner) ?? true;

    /// <summary>Starts a drain: new requests are refused; queued work still runs.</summary>
    internal void BeginDrain() => Interlocked.CompareExchange(ref _state, Draining, Running);

    /// <summary>Stops running queued work: everything not started gets SHUTTING_DOWN. Called when the drain times out.</summary>
    internal void CancelQueued()
    {
        _state = Stopped;
        _scheduler?.DrainQueued(item => Complete(item, NativeStatus.ShuttingDown, "server is shutting down"));
        foreach (var running in _running)
        {
            TryCancel(running.Value);
        }
    }

    /// <summary>Cancels the running work of a connection that has closed (its replies would be discarded).</summary>
    internal void CancelRunning(IWorkOwner owner)
    {
        foreach (var running in _running.Where(r => r.Key.Owner == owner))
        {
            TryCancel(running.Value);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _scheduler?.Dispose();

    private bool RunsOnPool(Operation operation, long cost) => operation.Placement switch
    {
        OperationPlacement.Inline => false,
        OperationPlacement.Worker => true,
        _ => Calibration(operation).EstimateTicks(cost) > _inlineThresholdTicks,
    };

    private OperationCalibration Calibration(Operation operation) => _calibrations.GetOrAdd(operation, static _ => new OperationCalibration());

    private static void TryCancel(CancellationTokenSource source)
    {
        try
        {
            source.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The request finished meanwhile.
        }
    }

    private NativeStatus Execute(Operation operation, in ArgumentList args, long cost, IBufferWriter<byte> reply, bool inline, CancellationToken cancellationToken, out string? error)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            operation.Execute(args, reply, cancellationToken);
            error = null;
            return NativeStatus.Ok;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            error = _state == Stopped ? "server is shutting down" : "deadline passed while running";
            return NativeStatus.Cancelled;
        }
#pragma warning disable CA1031 // An operation's bug must end that request only, with an ERROR reply, never the connection or the worker.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            WorkerLog.OperationFailed(_logger, operation.Name, ex);
            error = "internal error";
            return NativeStatus.Error;
        }
        finally
        {
            var elapsed = Stopwatch.GetTimestamp() - started;
            if (operation.Placement == OperationPlacement.Auto)
            {
                Calibration(operation).Record(elapsed, cost);
            }

            _metrics.Executed(operation.MetricName, inline, (double)elapsed / Stopwatch.Frequency);
        }
    }

    // The worker loop's handler: nothing escapes it, whatever an operation or a connection does.
    private void RunQueued(WorkItem item)
    {
        try
        {
            RunQueuedCore(item);
        }
#pragma warning disable CA1031 // A worker thread must survive anything: the fault is counted and logged, the worker goes on.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            _metrics.WorkerFault(item.Operation.MetricName);
            if (_faultLog.TryAcquire(WorkerLog.WorkerFaultId, out var suppressed))
            {
                WorkerLog.WorkerFault(_logger, item.Operation.Name, suppressed, ex);
            }
        }
    }

    private void RunQueuedCore(WorkItem item)
    {
        if (item.Owner.IsClosed)
        {
            _metrics.WorkCancelled(item.Operation.MetricName);
            item.Release();
            return;
        }

        var now = Stopwatch.GetTimestamp();
        _metrics.QueueWait(item.Operation.MetricName, (double)(now - item.EnqueuedAt) / Stopwatch.Frequency);
        if (_state == Stopped)
        {
            Complete(item, NativeStatus.ShuttingDown, "server is shutting down");
            return;
        }

        if (item.DeadlineAt != 0 && now > item.DeadlineAt)
        {
            Complete(item, NativeStatus.Timeout, "deadline passed before the request ran");
            return;
        }

        NativeStatus status;
        string? error;
        using (var cancel = new CancellationTokenSource())
        {
            if (item.DeadlineAt != 0)
            {
                cancel.CancelAfter(TimeSpan.FromTicks(Math.Max(1, (item.DeadlineAt - now) * TimeSpan.TicksPerSecond / Stopwatch.Frequency)));
            }

            _running[item] = cancel;
            if (item.Owner.IsClosed || _state == Stopped)
            {
                // Closed or stopped between the checks above and the registration: nobody else will cancel it.
                cancel.Cancel();
            }

            try
            {
                status = Execute(item.Operation, item.Args, item.Cost, item.Reply, inline: false, cancel.Token, out error);
            }
            finally
            {
                _running.TryRemove(item, out _);
            }
        }

        Complete(item, status, error);
    }

    private static void Complete(WorkItem item, NativeStatus status, string? error)
    {
        item.Status = status;
        item.Error = error;
        item.Owner.OnWorkCompleted(item);
    }
}
