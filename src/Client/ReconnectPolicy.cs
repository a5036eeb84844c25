namespace C10k.Client;

/// <summary>
/// Exponential backoff with full jitter for <see cref="ReconnectingC10kClient"/>: attempt n waits a random time in
/// [0, min(<see cref="MaxDelay"/>, <see cref="InitialDelay"/> × 2^n)], so clients cut off together (a replica draining or
/// closing old connections) don't all come back in the same instant.
/// </summary>
public sealed class ReconnectPolicy
{
    /// <summary>Upper bound of the first wait. Default 50 ms.</summary>
    public TimeSpan InitialDelay { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>Largest wait between attempts. Default 5 s.</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The wait before attempt <paramref name="attempt"/> (0-based), drawn from <paramref name="random"/>.</summary>
    public TimeSpan Delay(int attempt, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var ceiling = Math.Min(MaxDelay.TotalMilliseconds, InitialDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt, 30)));
        return TimeSpan.FromMilliseconds(random.NextDouble() * ceiling);
    }
}
