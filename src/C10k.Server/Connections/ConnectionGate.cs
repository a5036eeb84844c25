using System.Collections.Concurrent;
using System.Net;
using C10k.Server.Hosting;
using Microsoft.Extensions.Options;

namespace C10k.Server.Connections;

/// <summary>
/// Admission counts shared by every data port: connections open over all fronts (from accept, so PROXY headers and TLS
/// handshakes still pending hold a place) against <c>C10k:Limits:MaxConnections</c>, and connections per client address
/// against <c>C10k:Limits:MaxConnectionsPerAddress</c>.
/// </summary>
internal sealed class ConnectionGate(IOptions<LimitsOptions> limits)
{
    private readonly ConcurrentDictionary<IPAddress, int> _perAddress = new();
    private int _open;

    /// <summary>The process-wide limit (after <see cref="ConnectionLimitDefault"/>).</summary>
    public int MaxConnections { get; } = limits.Value.MaxConnections;

    /// <summary>The per-address limit; 0 = none.</summary>
    public int MaxPerAddress { get; } = limits.Value.MaxConnectionsPerAddress;

    /// <summary>Connections holding a place now, over all fronts.</summary>
    public int Open => Volatile.Read(ref _open);

    /// <summary>Client addresses holding at least one place under the per-address limit.</summary>
    public int Addresses => _perAddress.Count;

    /// <summary>Takes a place, or returns false at the limit. A true result must be paired with <see cref="Leave"/>.</summary>
    public bool TryEnter()
    {
        if (Interlocked.Increment(ref _open) <= MaxConnections)
        {
            return true;
        }

        Interlocked.Decrement(ref _open);
        return false;
    }

    public void Leave() => Interlocked.Decrement(ref _open);

    /// <summary>
    /// Takes a place for <paramref name="address"/>, or returns false when it already holds the per-address limit. A true result
    /// must be paired with <see cref="LeaveAddress"/>. Always true when there is no per-address limit.
    /// </summary>
    public bool TryEnterAddress(IPAddress address)
    {
        if (MaxPerAddress == 0)
        {
            return true;
        }

        while (true)
        {
            var count = _perAddress.GetValueOrDefault(address);
            if (count >= MaxPerAddress)
            {
                return false;
            }

            if (count == 0 ? _perAddress.TryAdd(address, 1) : _perAddress.TryUpdate(address, count + 1, count))
            {
                return true;
            }
        }
    }

    public void LeaveAddress(IPAddress address)
    {
        if (MaxPerAddress == 0)
        {
            return;
        }

        while (true)
        {
            var count = _perAddress[address];
            if (count == 1 ? _perAddress.TryRemove(new KeyValuePair<IPAddress, int>(address, 1)) : _perAddress.TryUpdate(address, count - 1, count))
            {
                return;
            }
        }
    }

    /// <summary>The address a limit counts: IPv4-mapped IPv6 addresses as their IPv4 form; null for non-IP endpoints.</summary>
    public static IPAddress? KeyOf(EndPoint? endPoint) =>
        endPoint is IPEndPoint ip ? (ip.Address.IsIPv4MappedToIPv6 ? ip.Address.MapToIPv4() : ip.Address) : null;
}
