namespace C10k.Server.Hosting;

/// <summary>How clients reach the data ports, section <c>C10k:Network</c>.</summary>
public sealed class NetworkOptions
{
    /// <summary>Configuration section.</summary>
    public const string Section = "C10k:Network";

    /// <summary>
    /// Require a PROXY protocol v2 header (HAProxy <c>send-proxy-v2</c>) at the start of every connection on the data ports, so that
    /// logs and limits see the real client address instead of the balancer's. A connection without a valid header is closed. Default
    /// false; turn on only behind a balancer that sends it.
    /// </summary>
    public bool ProxyProtocol { get; set; }

    /// <summary>
    /// Peers allowed to send the PROXY v2 header: comma-separated addresses and CIDR ranges (<c>10.0.0.0/8, fd00::/8</c>). A connection
    /// from any other address is refused and counted (reason <c>untrusted_proxy</c>) before a byte is read, so no client can claim
    /// another's address. Default 127.0.0.1,::1 (a balancer on the same host), as ASP.NET Core's forwarded-headers KnownProxies.
    /// </summary>
    public string TrustedProxies { get; set; } = "127.0.0.1,::1";
}
