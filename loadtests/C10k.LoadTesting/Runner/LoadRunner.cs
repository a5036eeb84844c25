using C10k.LoadTesting.Connections;
using C10k.LoadTesting.Measurement;
using C10k.LoadTesting.Progress;
using C10k.LoadTesting.Results;
using C10k.LoadTesting.Simulations;
using C10k.LoadTesting.Targets;
using C10k.LoadTesting.Thresholds;

namespace C10k.LoadTesting.Runner;

/// <summary>
/// Runs scenarios side by side (NBomber's <c>NBomberRunner</c>): opens each scenario's connections, runs its simulations, waits for
/// requests in flight, and summarizes. All timing comes from the injected <see cref="TimeProvider"/>.
/// </summary>
public sealed class LoadRunner
{
    private readonly IReadOnlyList<ScenarioProps> _scenarios;
    private ILoadTarget? _target;
    private TimeProvider _time = TimeProvider.System;
    private IProgressSink? _progress;
    private TimeSpan _drainTimeout = TimeSpan.FromSeconds(10);
    private IReadOnlyList<Threshold> _thresholds = [];

    private LoadRunner(IReadOnlyList<ScenarioProps> scenarios) => _scenarios = scenarios;

    /// <summary>Starts a runner for <paramref name="scenarios"/>, which run at the same time.</summary>
    public static LoadRunner RegisterScenarios(params ScenarioProps[] scenarios)
    {
        ArgumentNullException.ThrowIfNull(scenarios);
        if (scenarios.Select(s => s.Name).Distinct(StringComparer.OrdinalIgnoreCase).Count() != scenarios.Length)
        {
            throw new ArgumentException("Scenario names must be unique.", nameof(scenarios));
        }

        return new LoadRunner(scenarios);
    }

    /// <summary>The system under test; needed when a scenario holds connections.</summary>
    public LoadRunner WithTarget(ILoadTarget target)
    {
        _target = target;
        return this;
    }

    /// <summary>The clock for schedules and latencies (tests pass a manual one).</summary>
    public LoadRunner WithTimeProvider(TimeProvider time)
    {
        _time = time;
        return this;
    }

    /// <summary>Where live progress goes once a second.</summary>
    public LoadRunner WithProgress(IProgressSink progress)
    {
        _progress = progress;
        return this;
    }

    /// <summary>How long to wait for requests in flight at the end before counting them as timeouts (default 10 s).</summary>
    public LoadRunner WithDrainTimeout(TimeSpan timeout)
    {
        _drainTimeout = timeout;
        return this;
    }

    /// <summary>Thresholds checked on top of each scenario's own.</summary>
    public LoadRunner WithThresholds(params Threshold[] thresholds)
    {
        _thresholds = thresholds;
        return this;
    }

    /// <summary>Runs every scenario and returns the summarized result with its thresholds checked.</summary>
    public async Task<RunResult> RunAsync(CancellationToken cancellationToken = default) =>
        Summarize(await MeasureAsync(cancellationToken), processes: 1);

    internal RunResult Summarize(RunMeasurements run, int processes)
    {
        var props = _scenarios.ToDictionary(s => s.Name, StringComparer.Ordinal);
        var scenarios = run.Scenarios
            .Select(m => StatsSummarizer.Summarize(m, run.Models.GetValueOrDefault(m.Name, "open")) with { Users = props.TryGetValue(m.Name, out var p) ? UsersOf(p.Simulations) : 0 })
            .ToList();
        var thresholds = _scenarios.SelectMany(s => s.Thresholds.Select(t => t with { Scenario = t.Scenario ?? s.Name })).Concat(_thresholds);
        return new RunResult(run.Target, run.StartedUtc, scenarios, StatsSummarizer.Generator(run.CpuPerSecond, scenarios, processes) with { GcCollections = run.GcCollections, GcPauseMs = Math.Round(run.GcPauseMs, 1) }, ThresholdEvaluator.Evaluate(thresholds, scenarios))
        {
            Errors = [.. scenarios.SelectMany(s => RunErrors(s, props.GetValueOrDefault(s.Name)))],
            Notes = [.. scenarios.Select(SharingNote).OfType<string>()],
        };
    }

    /// <summary>Most closed-model virtual users at once.</summary>
    private static long UsersOf(IReadOnlyList<LoadSimulation> simulations) =>
        (long)simulations.Where(s => !s.IsOpenModel && s.Kind != LoadSimulationKind.Pause).Select(s => s.Target).DefaultIfEmpty(0).Max();

    /// <summary>A run is a failure, thresholds or not, when a scenario that needs connections opened none, or when every request failed.</summary>
    private static IEnumerable<string> RunErrors(ScenarioStats s, ScenarioProps? props)
    {
        var c = s.Connections;
        if (props?.Connections.Count > 0 && c.Opened == 0)
        {
            var why = c.ErrorsByReason.Count == 0 ? "cancelled" : string.Join(", ", c.ErrorsByReason.Select(kv => $"{kv.Key} ({kv.Value})"));
            yield return $"Scenario '{s.Name}': no connection opened ({why}).";
        }
        else if (s.Fail > 0 && s.Ok == 0)
        {
            yield return $"Scenario '{s.Name}': every request failed ({string.Join(", ", s.FailByStatus.Select(kv => $"{kv.Key} ({kv.Value})"))}).";
        }
    }

    /// <summary>Says so when closed-model users share connections: each then has several requests in flight (pipelining).</summary>
    private static string? SharingNote(ScenarioStats s)
    {
        var held = s.Connections.MaxOpen;
        return s.Users > held && held > 0
            ? $"Scenario '{s.Name}': {s.Users} virtual users shared {held} connection(s), up to {(s.Users + held - 1) / held} requests in flight per connection (pipelining); redis-benchmark -c and wrk -c give each user its own."
            : null;
    }

    internal async Task<RunMeasurements> MeasureAsync(CancellationToken cancellationToken)
    {
        var started = _time.GetUtcNow();
        var gcPause = GC.GetTotalPauseDuration();
        var gcCollections = GcCollections();
        using var clock = new RunClock(_time);
        var executions = _scenarios.Select(s => new ScenarioExecution(s, clock, cancellationToken)).ToList();
        using var metrics = LoadMetrics.Track(clock, executions);
        using var stopSampling = new CancellationTokenSource();
        var sampler = new RunSampler(clock, executions, _progress);
        var sampling = sampler.RunAsync(stopSampling.Token);
        try
        {
            await Task.WhenAll(executions.Select(e => ConnectAsync(e, cancellationToken)));
            (gcCollections, gcPause) = CollectConnectPhaseGarbage();
            var loadStart = clock.Elapsed;
            await Task.WhenAll(executions.Select(e => RunTimelineAsync(e, loadStart, cancellationToken)));
        }
        finally
        {
            stopSampling.Cancel();
            await sampling;
            foreach (var execution in executions.Where(e => e.Pool is not null))
            {
                await execution.Pool!.DisposeAsync();
            }
        }

        var models = _scenarios.ToDictionary(s => s.Name, s => ModelOf(s.Simulations));
        return new RunMeasurements(_target?.Address ?? "(none)", started, executions.Select(e => e.Measurement).ToList(), models, sampler.CpuPerSecond)
        {
            GcCollections = GcCollections() - gcCollections,
            GcPauseMs = (GC.GetTotalPauseDuration() - gcPause).TotalMilliseconds,
        };
    }

    /// <summary>
    /// Compacts the heap once between the connect phase and the load, and returns the GC counters the load's figures start from. The
    /// connect phase allocates tens of megabytes at 10,000 connections (sockets, buffers, state machines) that would otherwise be
    /// collected, promoted and compacted by collections paced into the measured load; the load itself allocates next to nothing.
    /// </summary>
    private static (long Collections, TimeSpan Pause) CollectConnectPhaseGarbage()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        return (GcCollections(), GC.GetTotalPauseDuration());
    }

    private static long GcCollections() => Enumerable.Range(0, GC.MaxGeneration + 1).Sum(g => (long)GC.CollectionCount(g));

    private async Task ConnectAsync(ScenarioExecution execution, CancellationToken cancellationToken)
    {
        var settings = execution.Props.Connections;
        if (settings.Count == 0)
        {
            return;
        }

        var target = _target ?? throw new InvalidOperationException($"Scenario '{execution.Props.Name}' holds connections but the runner has no target: call WithTarget.");
        execution.Pool = new ConnectionPool(target, settings, execution.Measurement, _time);
        await execution.Pool.OpenAsync(cancellationToken);
    }

    private async Task RunTimelineAsync(ScenarioExecution execution, TimeSpan loadStart, CancellationToken cancellationToken)
    {
        var offset = loadStart;
        var measured = TimeSpan.Zero;
        foreach (var segment in SimulationTimeline.Build(execution.Props.Simulations, execution.Props.WarmUp))
        {
            var start = offset;
            var kind = segment.Simulation.Kind;
            if (segment.Simulation.IsOpenModel)
            {
                await OpenModelDriver.RunAsync(execution, segment, start, cancellationToken);
            }
            else if (kind == LoadSimulationKind.Pause)
            {
                await execution.Clock.DelayUntilAsync(start + segment.During, cancellationToken);
            }
            else
            {
                await ClosedModelDriver.RunAsync(execution, segment, start, cancellationToken);
            }

            offset = kind == LoadSimulationKind.IterationsForConstant ? execution.Clock.Elapsed : start + segment.During;
            if (segment.Measured)
            {
                measured += offset - start;
            }
        }

        // Requests still in flight count towards the measured time: rps is what completed per second, not what was offered.
        var drainStart = execution.Clock.Elapsed;
        await execution.DrainAsync(_drainTimeout);
        execution.Measurement.MeasuredDuration = measured > TimeSpan.Zero ? measured + (execution.Clock.Elapsed - drainStart) : measured;
    }

    private static string ModelOf(IReadOnlyList<LoadSimulation> simulations)
    {
        var loaded = simulations.Where(s => s.Kind != LoadSimulationKind.Pause).ToList();
        return loaded.All(s => s.IsOpenModel) ? "open" : loaded.All(s => !s.IsOpenModel) ? "closed" : "mixed";
    }
}
