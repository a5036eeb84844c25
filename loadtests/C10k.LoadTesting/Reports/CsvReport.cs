using System.Globalization;
using System.Text;
using C10k.LoadTesting.Results;

namespace C10k.LoadTesting.Reports;

/// <summary>The csv report: one row per scenario and second (the time series), for spreadsheets and plotting tools.</summary>
public static class CsvReport
{
    /// <summary>The header row.</summary>
    public const string Header = "scenario,second,rps,ok,fail,p50_ms,p90_ms,p99_ms,p999_ms,max_ms,connections,bytes_in,bytes_out,generator_cpu_percent";

    /// <summary>Renders <paramref name="run"/> as csv.</summary>
    public static string Render(RunResult run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var csv = new StringBuilder().AppendLine(Header);
        foreach (var s in run.Scenarios)
        {
            foreach (var i in s.Series)
            {
                csv.AppendLine(string.Join(
                    ',',
                    Quote(s.Name),
                    F(i.Second),
                    F(i.Rps),
                    F(i.Ok),
                    F(i.Fail),
                    F(i.P50Ms),
                    F(i.P90Ms),
                    F(i.P99Ms),
                    F(i.P999Ms),
                    F(i.MaxMs),
                    F(i.Connections),
                    F(i.BytesIn),
                    F(i.BytesOut),
                    F(i.GeneratorCpuPercent)));
            }
        }

        return csv.ToString();
    }

    private static string F(double value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Quote(string text) =>
        text.AsSpan().IndexOfAny(",\"\n") >= 0 ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : text;
}
