using System.Net;
using C10k.Server.Connections;

namespace C10k.Server.Security;

/// <summary>The peers allowed to send a PROXY v2 header (<c>C10k:Network:TrustedProxies</c>): addresses and CIDR ranges.</summary>
internal sealed class TrustedProxies
{
    private readonly IPNetwork[] _networks;

    private TrustedProxies(IPNetwork[] networks) => _networks = networks;

    /// <summary>Parses a comma-separated list; <paramref name="error"/> names the first entry that is neither an address nor a CIDR range.</summary>
    public static bool TryParse(string list, out TrustedProxies proxies, out string? error)
    {
        var networks = new List<IPNetwork>();
        foreach (var entry in list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (IPNetwork.TryParse(entry, out var network))
            {
                networks.Add(network);
            }
            else if (IPAddress.TryParse(entry, out var address))
            {
                networks.Add(new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128));
            }
            else
            {
                proxies = new TrustedProxies([]);
                error = entry;
                return false;
            }
        }

        proxies = new TrustedProxies([.. networks]);
        error = null;
        return true;
    }

    /// <summary>True when <paramref name="peer"/> (the TCP peer, before any PROXY header) is in the list.</summary>
    public bool Contains(EndPoint? peer) => ConnectionGate.KeyOf(peer) is { } address && Array.Exists(_networks, n => n.Contains(address));
}
