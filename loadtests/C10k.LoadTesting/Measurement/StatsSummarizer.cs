using C10k.LoadTesting.Results;
using HdrHistogram;

namespace C10k.LoadTesting.Measurement;

/// <summary>Turns measurements (histograms and counters) into reported numbers.</summary>
internal static class StatsSummarizer
{
    /// <summary>Generator CPU above this share of all cores, on average, is flagged.</summary>
    private const double CpuWarningShare = 0.8;

    /// <summary>Open-model sends later than this behind schedule are flagged: the generator, not the server, delayed them.</summary>
    private const double SendLagWarningMs = 10;

    public static ScenarioStats Summarize(ScenarioMeasurement m, string model)
    {
        var seconds = Math.Max(m.MeasuredDuration.TotalSeconds, 1e-9);
        var total = m.Ok + m.Fail;
        var series = m.Intervals.Select(i => new IntervalStats(
            i.Second,
            i.Ok + i.Fail,
            i.Ok,
            i.Fail,
            Percentile(i.Latency, 50),
            Percentile(i.Latency, 90),
            Percentile(i.Latency, 99),
            Percentile(i.Latency, 99.9),
            Max(i.Latency),
            i.OpenConnections,
            i.BytesIn,
            i.BytesOut,
            Math.Round(i.CpuPercent, 1))).ToList();
        var o = Step(m.Name, m.Totals);
        return new ScenarioStats(
            m.Name,
            model,
            Math.Round(m.MeasuredDuration.TotalSeconds, 3),
            Math.Round(total / seconds, 1),
            o.Ok,
            o.Fail,
            o.FailPercent,
            o.MeanMs,
            o.P50Ms,
            o.P90Ms,
            o.P99Ms,
            o.P999Ms,
            o.MaxMs,
            o.FailByStatus,
            new ConnectionStats(m.Connections.Opened, m.Connections.MaxOpen, m.Connections.ConnectFailures, m.Connections.ConnectTimeouts, m.Connections.Resets, new SortedDictionary<string, long>(m.Connections.ErrorsByReason, StringComparer.Ordinal)),
            m.Traffic.BytesIn,
            m.Traffic.BytesOut,
            LatencyHistograms.Milliseconds(m.MaxSendLagMicroseconds),
            series)
        {
            SendLagP50Ms = Percentile(m.SendLag, 50),
            SendLagP99Ms = Percentile(m.SendLag, 99),
            SendLagP999Ms = Percentile(m.SendLag, 99.9),
            Steps = [.. m.Steps.Select(s => Step(s.Name, s.Outcome))],
        };
    }

    private static StepStats Step(string name, OutcomeMeasurement o)
    {
        var total = o.Ok + o.Fail;
        return new StepStats(
            name,
            o.Ok,
            o.Fail,
            total == 0 ? 0 : Math.Round(100.0 * o.Fail / total, 4),
            Mean(o.Latency),
            Percentile(o.Latency, 50),
            Percentile(o.Latency, 90),
            Percentile(o.Latency, 99),
            Percentile(o.Latency, 99.9),
            Max(o.Latency),
            new SortedDictionary<string, long>(o.FailByStatus, StringComparer.Ordinal));
    }

    public static GeneratorStats Generator(IReadOnlyList<double> cpuPerSecond, IReadOnlyList<ScenarioStats> scenarios, int processes)
    {
        var cores = Environment.ProcessorCount;
        var average = cpuPerSecond.Count == 0 ? 0 : cpuPerSecond.Average();
        var max = cpuPerSecond.Count == 0 ? 0 : cpuPerSecond.Max();
        var warnings = new List<string>();
        if (average >= CpuWarningShare * 100 * cores)
        {
            warnings.Add($"The generator used {average:F0}% CPU on average ({cores} cores = {100 * cores}%): it may be the bottleneck, not the server. Use --processes on another machine or lower the load.");
        }

        foreach (var s in scenarios.Where(s => s.MaxSendLagMs > SendLagWarningMs))
        {
            warnings.Add($"Scenario '{s.Name}': sends fell up to {s.MaxSendLagMs:F1} ms behind the open-model schedule: the generator could not keep up (its latencies still count from the intended times).");
        }

        return new GeneratorStats(cores, processes, Math.Round(average, 1), Math.Round(max, 1), warnings);
    }

    private static double Percentile(HistogramBase h, double p) =>
        h.TotalCount == 0 ? 0 : LatencyHistograms.Milliseconds(h.GetValueAtPercentile(p));

    private static double Mean(HistogramBase h) => h.TotalCount == 0 ? 0 : Math.Round(h.GetMean() / 1000.0, 3);

    private static double Max(HistogramBase h) => h.TotalCount == 0 ? 0 : LatencyHistograms.Milliseconds(h.GetMaxValue());
}
