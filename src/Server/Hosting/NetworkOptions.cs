namespace C10k.Server.Hosting;

/// <summary>How clients reach the data ports, section <c>C10k:Network</c>.</summary>
public sealed class NetworkOptions
{
    /// <summary>Configuration section.</summary>
    public const string Section = "C10k:Network";

    /// <summary>
    /// Require a PROXY protocol v2 header (HAProxy <c>send-proxy-v2</c>) at the start of every connection on the data ports, so that
    /// logs and limits see the real client address instead of the balancer's. A connection without a valid header is closed. Default
    /// false; turn on only behind a balancer that sends it, since anyone who can reach the port can claim any address.
    /// </summary>
    public bool ProxyProtocol { get; set; }
}
