using System.Net;
using C10k.LoadTesting.Measurement;

namespace C10k.LoadTesting.Targets;

/// <summary>Opens connections to one endpoint in one protocol.</summary>
public interface ILoadTarget
{
    /// <summary>The target as given, e.g. <c>resp://127.0.0.1:6380</c>.</summary>
    string Address { get; }

    /// <summary>
    /// Opens one connection, bound to <paramref name="source"/> when given. <paramref name="traffic"/> receives its byte counts and
    /// <paramref name="onLost"/> runs once if the server closes or resets it.
    /// </summary>
    ValueTask<ITargetConnection> ConnectAsync(IPAddress? source, TrafficCounters traffic, Action onLost, CancellationToken cancellationToken);
}
