using System.Collections.Concurrent;
using System.Diagnostics;
using C10k.Protocol;
using C10k.Protocol.Native;
using C10k.Server.Buffers;
using C10k.Server.Connections;
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
public sealed partial class CommandDispatcher : IDisposable
{
    private readonly WorkerOptions _options;
    private readonly C10kMetrics _metrics;
    private readonly ILogger _logger;
    private readonly IWorkScheduler? _scheduler;
    private readonly ConcurrentDictionary<Operation, OperationCalibration> _calibrations = new();
    private readonly double _inlineThresholdTicks;
    private readonly LogRateLimiter _log;
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
        _log = new LogRateLimiter(time);
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
        if (operation.Placement == OperationPlacement.Async)
        {
            return Placement.Async;
        }

        return _scheduler is not null && RunsOnPool(operation, cost) ? Placement.Pool : Placement.Inline;
    }

    /// <summary>Runs a request placed <see cref="Placement.Inline"/> and writes its payload to <paramref name="reply"/>.</summary>
    internal NativeStatus RunInline(Operation operation, in ArgumentList args, long cost, PooledBufferWriter reply, out string? error)
    {
        _metrics.Placed(operation.MetricName, inline: true);
        return Execute(operation, args, cost, reply, inline: true, CancellationToken.None, out error);
    }

    /// <summary>
    /// Copies a request placed <see cref="Placement.Pool"/> into a work item and queues it; its reply reaches
    /// <paramref name="owner"/> later. False when the queue is full (the caller answers BUSY).
    /// </summary>
    internal bool Enqueue(Operation operation, in ArgumentList args, IWorkOwner owner, uint tag, uint deadlineMs, long cost, ReplyForm form)
    {
        var item = NewItem(operation, args, owner, tag, deadlineMs, cost, form);
        if (!_scheduler!.TryEnqueue(item))
        {
            item.Release();
            if (_log.TryAcquire(WorkerLog.QueueFullId, out var suppressed))
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

    private WorkItem NewItem(Operation operation, in ArgumentList args, IWorkOwner owner, uint tag, uint deadlineMs, long cost, ReplyForm form)
    {
        var now = Stopwatch.GetTimestamp();
        var deadline = deadlineMs != 0 ? Math.Min(deadlineMs, (uint)_options.MaxDeadlineMs) : (uint)_options.DefaultDeadlineMs;
        var deadlineAt = deadline == 0 ? 0 : now + (long)(deadline * (double)Stopwatch.Frequency / 1000);
        return new WorkItem(operation, args, owner, tag, cost, now, deadlineAt, form);
    }

    private NativeStatus Execute(Operation operation, in ArgumentList args, long cost, PooledBufferWriter reply, bool inline, CancellationToken cancellationToken, out string? error)
    {
        var started = Stopwatch.GetTimestamp();
        var calibration = operation.Placement == OperationPlacement.Auto ? Calibration(operation) : null;
        var cpuStarted = calibration?.WantsSample(cost) == true ? ThreadCpuTime.Now() : 0;
        try
        {
            operation.Execute(args, reply, cancellationToken);
            return Checked(operation, reply, out error);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return Cancelled(out error);
        }
#pragma warning disable CA1031 // An operation's bug must end that request only, with an ERROR reply, never the connection or the worker.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogOperationFailed(operation, ex);
            error = "internal error";
            return NativeStatus.Error;
        }
        finally
        {
            var elapsed = Stopwatch.GetTimestamp() - started;
            if (cpuStarted != 0)
            {
                calibration!.Record(ThreadCpuTime.Now() - cpuStarted, cost);
            }

            _metrics.Executed(operation.MetricName, inline, (double)elapsed / Stopwatch.Frequency);
        }
    }
}
