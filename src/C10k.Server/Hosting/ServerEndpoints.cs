using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace C10k.Server.Hosting;

/// <summary>The C10k endpoints of the host (data ports and the admin port), with the real ports once Kestrel has bound them (port 0 = any free port).</summary>
public sealed class ServerEndpoints
{
    private readonly Dictionary<string, ListenOptions> _listeners = [];

    /// <summary>Bound port of a named endpoint ("native", "resp", "native-tls", "resp-tls", "admin"); 0 when it is not configured or not bound yet.</summary>
    public int Port(string name) => _listeners.TryGetValue(name, out var listen) && listen.EndPoint is IPEndPoint ip ? ip.Port : 0;

    /// <summary>Bound port of the native front.</summary>
    public int NativePort => Port("native");

    /// <summary>Names of the configured endpoints, in the order they were added.</summary>
    public IEnumerable<string> Names => _listeners.Keys;

    /// <summary>The bound address of a named endpoint, or null when it is not bound (yet).</summary>
    public IPEndPoint? EndPoint(string name) => _listeners.TryGetValue(name, out var listen) ? listen.EndPoint as IPEndPoint : null;

    /// <summary>
    /// True when <paramref name="address"/> is how Kestrel announces one of these endpoints (<c>http://127.0.0.1:7000</c>):
    /// the start-up log names them itself, and a data port is not HTTP.
    /// </summary>
    internal bool Announces(string address) => _listeners.Values.Any(listen => string.Equals(listen.ToString(), address, StringComparison.OrdinalIgnoreCase));

    /// <summary>Records <paramref name="listen"/> as <paramref name="name"/>; a second endpoint of the same kind gets "-2", "-3"….</summary>
    internal void Add(string name, ListenOptions listen)
    {
        var unique = name;
        for (var n = 2; _listeners.ContainsKey(unique); n++)
        {
            unique = name + "-" + n.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        _listeners[unique] = listen;
    }
}
