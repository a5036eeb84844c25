using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace C10k.Server.Hosting;

/// <summary>The listening endpoints, with the real ports once Kestrel has bound them (port 0 = any free port).</summary>
public sealed class ServerEndpoints
{
    private readonly Dictionary<string, ListenOptions> _listeners = [];

    /// <summary>Bound port of a named endpoint ("native", "resp", "admin"); 0 when it is not configured or not bound yet.</summary>
    public int Port(string name) => _listeners.TryGetValue(name, out var listen) && listen.EndPoint is IPEndPoint ip ? ip.Port : 0;

    /// <summary>Bound port of the native front.</summary>
    public int NativePort => Port("native");

    /// <summary>Names of the configured endpoints.</summary>
    public IEnumerable<string> Names => _listeners.Keys;

    internal void Add(string name, ListenOptions listen) => _listeners[name] = listen;
}
