using System.Net;

namespace C10k.LoadTesting;

/// <summary>How many connections a scenario opens and holds, independently of its request rate.</summary>
/// <param name="Count">Connections to open and hold for the whole run.</param>
/// <param name="ConnectRate">New connections per second while opening them (0 = as fast as possible).</param>
/// <param name="SourceAddresses">Local addresses to bind, round-robin (empty = let the OS choose); spreads past the ~28k ephemeral ports per source.</param>
/// <param name="ConnectTimeout">How long one connect may take before it counts as a timeout.</param>
public sealed record ConnectionSettings(int Count, double ConnectRate, IReadOnlyList<IPAddress> SourceAddresses, TimeSpan ConnectTimeout)
{
    /// <summary>No connections: the scenario's step does not use <see cref="ScenarioContext.Connection"/>.</summary>
    public static ConnectionSettings None { get; } = new(0, 0, [], TimeSpan.FromSeconds(10));

    /// <summary><paramref name="count"/> connections opened as fast as possible from the default source.</summary>
    public static ConnectionSettings Of(int count) => new(count, 0, [], TimeSpan.FromSeconds(10));
}
