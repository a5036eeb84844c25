namespace C10k.LoadTesting.Results;

/// <summary>The load generator's own cost, so a run where it was the bottleneck is flagged.</summary>
/// <param name="Cores">Processor count of the machine.</param>
/// <param name="Processes">Generator processes whose CPU is summed.</param>
/// <param name="AverageCpuPercent">Average CPU over the run, in percent of one core.</param>
/// <param name="MaxCpuPercent">Busiest second, in percent of one core.</param>
/// <param name="Warnings">Why the generator may have limited the result; empty when it did not.</param>
public sealed record GeneratorStats(int Cores, int Processes, double AverageCpuPercent, double MaxCpuPercent, IReadOnlyList<string> Warnings)
{
    /// <summary>The generator's garbage collections during the run (all generations).</summary>
    public long GcCollections { get; init; }

    /// <summary>How long the GC paused the generator during the run, in milliseconds: pauses delay sends and replies alike.</summary>
    public double GcPauseMs { get; init; }
}
