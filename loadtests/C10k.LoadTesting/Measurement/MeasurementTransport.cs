using System.Text.Json;
using C10k.LoadTesting.Runner;

namespace C10k.LoadTesting.Measurement;

/// <summary>
/// Serializes raw measurements (HdrHistogram's compressed encoding, base64) so child processes can send them to the parent,
/// which merges histograms bucket by bucket: percentiles of the union, never an average of percentiles.
/// </summary>
internal static class MeasurementTransport
{
    private static readonly JsonSerializerOptions Options = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static string ToJson(ScenarioMeasurement m) => JsonSerializer.Serialize(ToDto(m), Options);

    public static ScenarioMeasurement FromJson(string json) => FromDto(JsonSerializer.Deserialize<ScenarioDto>(json, Options)!);

    public static string ToJson(RunMeasurements run) =>
        JsonSerializer.Serialize(new RunDto(run.Target, run.StartedUtc, run.Scenarios.Select(ToDto).ToList(), run.Models.ToDictionary(), [.. run.CpuPerSecond], run.GcCollections, run.GcPauseMs), Options);

    public static RunMeasurements RunFromJson(string json)
    {
        var dto = JsonSerializer.Deserialize<RunDto>(json, Options) ?? throw new InvalidDataException("Empty measurement document.");
        return new RunMeasurements(dto.Target, dto.StartedUtc, dto.Scenarios.Select(FromDto).ToList(), dto.Models, dto.CpuPerSecond) { GcCollections = dto.GcCollections, GcPauseMs = dto.GcPauseMs };
    }

    /// <summary>Merges several processes' runs of the same scenarios; CPU per second is summed across processes.</summary>
    public static RunMeasurements Merge(IReadOnlyList<RunMeasurements> runs)
    {
        var scenarios = new Dictionary<string, ScenarioMeasurement>(StringComparer.Ordinal);
        var cpu = new List<double>();
        foreach (var run in runs)
        {
            foreach (var m in run.Scenarios)
            {
                if (!scenarios.TryGetValue(m.Name, out var merged))
                {
                    scenarios[m.Name] = merged = new ScenarioMeasurement(m.Name);
                }

                merged.Merge(m);
            }

            for (var i = 0; i < run.CpuPerSecond.Count; i++)
            {
                if (i == cpu.Count)
                {
                    cpu.Add(0);
                }

                cpu[i] += run.CpuPerSecond[i];
            }
        }

        var first = runs[0];
        return new RunMeasurements(first.Target, runs.Min(r => r.StartedUtc), [.. scenarios.Values], first.Models, cpu)
        {
            GcCollections = runs.Sum(r => r.GcCollections),
            GcPauseMs = runs.Sum(r => r.GcPauseMs),
        };
    }

    private static ScenarioDto ToDto(ScenarioMeasurement m)
    {
        var c = m.Connections;
        return new ScenarioDto(
            m.Name,
            HistogramCodec.Encode(m.Latency),
            m.Ok,
            m.Fail,
            new Dictionary<string, long>(m.FailByStatus),
            [c.Opened, c.Open, c.MaxOpen, c.ConnectFailures, c.ConnectTimeouts, c.Resets],
            new Dictionary<string, long>(c.ErrorsByReason),
            m.Traffic.BytesIn,
            m.Traffic.BytesOut,
            m.MeasuredDuration.TotalSeconds,
            HistogramCodec.Encode(m.SendLag),
            m.Steps.Select(s => new StepDto(s.Name, HistogramCodec.Encode(s.Outcome.Latency), s.Outcome.Ok, s.Outcome.Fail, new Dictionary<string, long>(s.Outcome.FailByStatus))).ToList(),
            m.Intervals.Select(i => new IntervalDto(i.Second, HistogramCodec.Encode(i.Latency), i.Ok, i.Fail, i.BytesIn, i.BytesOut, i.OpenConnections, i.CpuPercent)).ToList());
    }

    private static ScenarioMeasurement FromDto(ScenarioDto dto)
    {
        var m = new ScenarioMeasurement(dto.Name) { MeasuredDuration = TimeSpan.FromSeconds(dto.MeasuredSeconds) };
        m.Latency.Add(HistogramCodec.Decode(dto.Latency));
        m.AddTotals(dto.Ok, dto.Fail, dto.FailByStatus);
        m.Connections.Restore(dto.Connections[0], dto.Connections[1], dto.Connections[2], dto.Connections[3], dto.Connections[4], dto.Connections[5]);
        foreach (var (reason, count) in dto.ConnectErrors)
        {
            m.Connections.AddReason(reason, count);
        }

        m.Traffic.Add(dto.BytesIn, dto.BytesOut);
        m.SendLag.Add(HistogramCodec.Decode(dto.SendLag));
        foreach (var step in dto.Steps)
        {
            var outcome = m.Step(step.Name);
            outcome.Latency.Add(HistogramCodec.Decode(step.Latency));
            outcome.AddCounts(step.Ok, step.Fail);
            outcome.AddStatuses(step.FailByStatus);
        }

        foreach (var i in dto.Intervals)
        {
            var interval = m.Interval(i.Second);
            interval.Latency.Add(HistogramCodec.Decode(i.Latency));
            interval.AddCounts(i.Ok, i.Fail);
            interval.BytesIn = i.BytesIn;
            interval.BytesOut = i.BytesOut;
            interval.OpenConnections = i.OpenConnections;
            interval.CpuPercent = i.CpuPercent;
        }

        return m;
    }

    private sealed record RunDto(string Target, DateTimeOffset StartedUtc, List<ScenarioDto> Scenarios, Dictionary<string, string> Models, List<double> CpuPerSecond, long GcCollections, double GcPauseMs);

    private sealed record ScenarioDto(
        string Name,
        string Latency,
        long Ok,
        long Fail,
        Dictionary<string, long> FailByStatus,
        long[] Connections,
        Dictionary<string, long> ConnectErrors,
        long BytesIn,
        long BytesOut,
        double MeasuredSeconds,
        string SendLag,
        List<StepDto> Steps,
        List<IntervalDto> Intervals);

    private sealed record StepDto(string Name, string Latency, long Ok, long Fail, Dictionary<string, long> FailByStatus);

    private sealed record IntervalDto(int Second, string Latency, long Ok, long Fail, long BytesIn, long BytesOut, long OpenConnections, double CpuPercent);
}
