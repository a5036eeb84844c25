using System.Net;
using C10k.LoadTesting.Measurement;

namespace C10k.LoadTesting.Targets.Native;

/// <summary>The C10k native protocol through <c>C10k.Client</c>.</summary>
internal sealed class NativeTarget(string address, string host, int port) : ILoadTarget
{
    public string Address { get; } = address;

    public ValueTask<ITargetConnection> ConnectAsync(IPAddress? source, TrafficCounters traffic, Action onLost, CancellationToken cancellationToken) =>
        throw new NotSupportedException($"native://{host}:{port}: C10k.Client is not on main yet; use resp:// until it lands.");
}
