using System.Globalization;
using System.Text;
using C10k.Bench.Dispatch;

// bench/dispatch: every worker strategy (and worker priority) measured in one invocation, interleaved, medians reported.
var rounds = Option("--rounds", 3);
var seconds = Option("--seconds", 8);
var iterations = Option("--hash-iterations", 1000);
var output = args.SkipWhile(a => a != "--out").Skip(1).FirstOrDefault() ?? Path.Combine("bench", "results", "dispatch.md");
var duration = TimeSpan.FromSeconds(seconds);
var warmUp = TimeSpan.FromSeconds(2);

Variant[] variants =
[
    new("PerCore (default, nice 0)", "Workers:Strategy=PerCore", "Workers:Nice=0"),
    new("PerCore, nice 10", "Workers:Strategy=PerCore", "Workers:Nice=10"),
    new("PerCore, nice 19", "Workers:Strategy=PerCore", "Workers:Nice=19"),
    new("SharedQueue", "Workers:Strategy=SharedQueue"),
    new("ThreadPool (Task.Run)", "Workers:Strategy=ThreadPool"),
    new("Inline (event loop)", "Workers:Strategy=Inline"),
];

var cores = Environment.ProcessorCount;
if (args.Contains("--ceiling-only"))
{
    // bench/responsiveness.sh: only the in-process ceiling, one line "single cores" for the script to parse.
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{SingleThreadHashRate.Measure(iterations, duration):F0} {cores}"));
    return 0;
}

Console.WriteLine($"Single-thread HASH {iterations} in-process baseline ({seconds} s)...");
var single = SingleThreadHashRate.Measure(iterations, duration);
Console.WriteLine($"  {single:F0}/s on one thread; cores x single = {cores * single:F0}/s");

var results = variants.ToDictionary(v => v, _ => new List<Measurement>());
for (var round = 1; round <= rounds; round++)
{
    foreach (var variant in variants)
    {
        Console.WriteLine($"round {round}/{rounds}: {variant.Name}");
        var m = await DispatchRound.RunAsync(variant, iterations, duration, warmUp);
        results[variant].Add(m);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  HASH {m.HashRps:F0}/s, PING p99 loaded {m.LoadedPingP99Ms:F2} ms / idle {m.IdlePingP99Ms:F2} ms, server CPU {m.ServerCpuPercent:F0}%, generator CPU {m.GeneratorCpuPercent:F0}%"));
    }
}

var table = new StringBuilder();
table.AppendLine(CultureInfo.InvariantCulture, $"| strategy | HASH {iterations} rps | × (cores × single-thread) | PING p50 / p99 under HASH (ms) | PING p50 / p99 idle (ms) | server CPU | generator CPU | HASH not OK | PING not OK | requests |");
table.AppendLine("|---|---|---|---|---|---|---|---|---|---|");
foreach (var variant in variants)
{
    var m = results[variant];
    table.AppendLine(string.Create(CultureInfo.InvariantCulture,
        $"| {variant.Name} | {Median(m, x => x.HashRps):F0} | {Median(m, x => x.HashRps) / (cores * single):F2} | {Median(m, x => x.LoadedPingP50Ms):F2} / {Median(m, x => x.LoadedPingP99Ms):F2} | {Median(m, x => x.IdlePingP50Ms):F2} / {Median(m, x => x.IdlePingP99Ms):F2} | {Median(m, x => x.ServerCpuPercent):F0}% | {Median(m, x => x.GeneratorCpuPercent):F0}% | {m.Sum(x => x.HashFailures)} | {m.Sum(x => x.PingFailures)} | {m.Sum(x => x.Requests)} |"));
}

Console.WriteLine();
Console.WriteLine(table);
var inline = results[variants[^1]];
var pool = results[variants[0]];
var summary = string.Create(CultureInfo.InvariantCulture,
    $"PING p99 under HASH: default pool {Median(pool, x => x.LoadedPingP99Ms):F2} ms vs inline {Median(inline, x => x.LoadedPingP99Ms):F2} ms ({Median(inline, x => x.LoadedPingP99Ms) / Median(pool, x => x.LoadedPingP99Ms):F0}x better).");
Console.WriteLine(summary);

Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
await File.WriteAllTextAsync(output, $"""
    # Dispatch strategies: HASH throughput and PING latency under load

    Command: `bash bench/dispatch.sh{(args.Length > 0 ? " " + string.Join(' ', args) : "")}` · {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC · {cores} cores, {GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1L << 30)} GiB · .NET {Environment.Version}

    - Baseline, same invocation: the server's HASH {iterations} routine on one thread in-process: **{single.ToString("F0", CultureInfo.InvariantCulture)}/s**, so cores × single = {(cores * single).ToString("F0", CultureInfo.InvariantCulture)}/s.
    - Each round: server started fresh (child process, Release); idle probe, then HASH {iterations} closed-model from 64 connections (64 in flight) with the
      probe beside it. Probe: open model, 1,000 PING/s over 100 other connections, latency from the intended send time (no coordinated omission).
      {seconds} s measured after 2 s warm-up; {rounds} interleaved rounds (A B C … A B C …); medians shown, failures summed.
    - Generator (c10k loadtests library) and server share the same {cores} cores; both CPUs are shown (100% = one core).
    - "not OK" counts BUSY/TIMEOUT/errors; every request got exactly one reply (OK or an explicit status) — `requests` is the total sent.

    {table}
    {summary}
    """);
Console.WriteLine($"wrote {output}");
return 0;

int Option(string name, int fallback)
{
    var value = args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
    return value is null ? fallback : int.Parse(value, CultureInfo.InvariantCulture);
}

static double Median(List<Measurement> values, Func<Measurement, double> pick)
{
    var sorted = values.Select(pick).Order().ToArray();
    return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
}
