using C10k.LoadTesting.Connections;
using System.Runtime.CompilerServices;
using C10k.LoadTesting.Measurement;

namespace C10k.LoadTesting.Runner;

/// <summary>
/// One scenario during a run: invokes its step, records each outcome against the right start time, and tracks requests in flight
/// so the end of the run can wait for them (and count the ones that never come back as timeouts).
/// </summary>
internal sealed class ScenarioExecution
{
    /// <summary>Status of a request that found no open connection to go out on (every connect failed, or the server closed them all).</summary>
    public const string NoConnectionStatus = "no-connection";

    private readonly RunClock _clock;
    private readonly CancellationToken _cancellationToken;
    // Synchronous continuations: a manual clock in tests must drive the run to its end on one thread.
    private readonly TaskCompletionSource _drained = new();
    private readonly Stack<PendingInvocation> _pendingPool = new();
    private long _invocations;
    private long _inFlight = 1; // the driver's own reference, released by Drain
    private int _recording = 1;

    public ScenarioExecution(ScenarioProps props, RunClock clock, CancellationToken cancellationToken)
    {
        Props = props;
        _clock = clock;
        _cancellationToken = cancellationToken;
        Measurement = new ScenarioMeasurement(props.Name);
    }

    public ScenarioProps Props { get; }

    public ConnectionPool? Pool { get; set; }

    public ScenarioMeasurement Measurement { get; }

    public RunClock Clock => _clock;

    /// <summary>
    /// Starts one invocation without waiting for it; latency counts from <paramref name="startOffset"/> (the intended send time in the
    /// open model). Allocates no state machine: a reply still out is watched by a reused <see cref="PendingInvocation"/>.
    /// </summary>
    public void Launch(TimeSpan startOffset, bool measured, long connectionIndex)
    {
        Interlocked.Increment(ref _inFlight);
        PendingInvocation? pending;
        lock (_pendingPool)
        {
            _pendingPool.TryPop(out pending);
        }

        (pending ?? new PendingInvocation(this)).Run(startOffset, measured, connectionIndex);
    }

    /// <summary>Runs one invocation to its end (closed model).</summary>
    public async Task RunOnceAsync(TimeSpan startOffset, bool measured, long connectionIndex)
    {
        Interlocked.Increment(ref _inFlight);
        Response response;
        try
        {
            response = await Start(new ScenarioContext(Props.Name, _cancellationToken), startOffset, measured, connectionIndex);
        }
#pragma warning disable CA1031 // A scenario's step is user code: any exception is that invocation's failure, named by its type.
        catch (Exception e)
#pragma warning restore CA1031
        {
            response = Response.FromException(e);
        }

        Finish(startOffset, measured, response);
    }

    /// <summary>Waits up to <paramref name="timeout"/> for requests in flight; those still out are counted as <c>timeout</c> failures.</summary>
    public async Task DrainAsync(TimeSpan timeout)
    {
        Release();
        if (!_drained.Task.IsCompleted)
        {
            using var stop = new CancellationTokenSource();
            var delay = _clock.DelayAsync(timeout, stop.Token);
            await Task.WhenAny(_drained.Task, delay);
            stop.Cancel();
        }

        // Stop recording first, then count what is still out: a reply arriving later is not counted twice.
        Interlocked.Exchange(ref _recording, 0);
        var second = (int)_clock.Elapsed.TotalSeconds;
        for (var outstanding = Interlocked.Read(ref _inFlight); outstanding > 0; outstanding--)
        {
            Measurement.RecordFail(second, "timeout");
        }
    }

    /// <summary>Records one named step's outcome (<see cref="ScenarioContext.StepAsync"/>) of a measured invocation.</summary>
    public void RecordStep(string name, Response response, TimeSpan latency)
    {
        if (Volatile.Read(ref _recording) == 0)
        {
            return;
        }

        var step = Measurement.Step(name);
        if (response.IsOk)
        {
            step.RecordOk((long)(latency.Ticks / (double)TimeSpan.TicksPerMicrosecond));
        }
        else
        {
            step.RecordFail(response.Status);
        }
    }

    private static Response ResultOf(ValueTask<Response> step)
    {
        try
        {
            return step.Result;
        }
#pragma warning disable CA1031 // A scenario's step is user code: any exception is that invocation's failure, named by its type.
        catch (Exception e)
#pragma warning restore CA1031
        {
            return Response.FromException(e);
        }
    }

    /// <summary>The invocation up to its first wait: picks its connection and calls the scenario's step.</summary>
    private ValueTask<Response> Start(ScenarioContext context, TimeSpan startOffset, bool measured, long connectionIndex)
    {
        var number = Interlocked.Increment(ref _invocations) - 1;
        var connection = Pool?.Get(connectionIndex);
        if (connection is null && Props.Connections.Count > 0)
        {
            return ValueTask.FromResult(Response.Fail(NoConnectionStatus));
        }

        try
        {
            return Props.Step(context.For(number, connection, Props.Feed?.NextItem() ?? default, measured ? this : null, startOffset));
        }
#pragma warning disable CA1031 // A scenario's step is user code: any exception is that invocation's failure, named by its type.
        catch (Exception e)
#pragma warning restore CA1031
        {
            return ValueTask.FromResult(Response.FromException(e));
        }
    }

    /// <summary>Records an invocation's outcome against its start time and releases its place among the requests in flight.</summary>
    private void Finish(TimeSpan startOffset, bool measured, Response response)
    {
        if (measured && Volatile.Read(ref _recording) == 1)
        {
            var end = _clock.Elapsed;
            var second = (int)end.TotalSeconds;
            if (response.IsOk)
            {
                Measurement.RecordOk(second, (long)((end - startOffset).Ticks / (double)TimeSpan.TicksPerMicrosecond));
            }
            else
            {
                Measurement.RecordFail(second, response.Status);
            }
        }

        Release();
    }

    private void Release()
    {
        if (Interlocked.Decrement(ref _inFlight) == 0)
        {
            _drained.TrySetResult();
        }
    }

    /// <summary>
    /// One launched (open-model) invocation, reused: its context, and the wait for its reply when the step did not complete at once.
    /// An open-model request allocates no state of its own.
    /// </summary>
    private sealed class PendingInvocation
    {
        private readonly ScenarioExecution _execution;
        private readonly ScenarioContext _context;
        private readonly Action _onCompleted;
        private ConfiguredValueTaskAwaitable<Response>.ConfiguredValueTaskAwaiter _step;
        private TimeSpan _startOffset;
        private bool _measured;

        public PendingInvocation(ScenarioExecution execution)
        {
            _execution = execution;
            _context = new ScenarioContext(execution.Props.Name, execution._cancellationToken);
            _onCompleted = OnCompleted;
        }

        public void Run(TimeSpan startOffset, bool measured, long connectionIndex)
        {
            var step = _execution.Start(_context, startOffset, measured, connectionIndex);
            if (step.IsCompleted)
            {
                Done(startOffset, measured, ResultOf(step));
                return;
            }

            _startOffset = startOffset;
            _measured = measured;
            _step = step.ConfigureAwait(false).GetAwaiter();
            _step.UnsafeOnCompleted(_onCompleted);
        }

        private void OnCompleted()
        {
            Response response;
            try
            {
                response = _step.GetResult();
            }
#pragma warning disable CA1031 // A scenario's step is user code: any exception is that invocation's failure, named by its type.
            catch (Exception e)
#pragma warning restore CA1031
            {
                response = Response.FromException(e);
            }

            _step = default;
            Done(_startOffset, _measured, response);
        }

        private void Done(TimeSpan startOffset, bool measured, Response response)
        {
            lock (_execution._pendingPool)
            {
                _execution._pendingPool.Push(this);
            }

            _execution.Finish(startOffset, measured, response);
        }
    }
}
