using System.Globalization;
using System.Net;
using C10k.Server.Hosting;
using Microsoft.Extensions.Options;

namespace C10k.Server.Security;

/// <summary>Who may talk to the data ports: everyone after AUTH when users are configured, else loopback only unless protected mode is off.</summary>
internal sealed class ClientAccess(UserStore users, IOptions<ServerOptions> server)
{
    private static readonly IPAddress MappedLoopback = IPAddress.Loopback.MapToIPv6();

    /// <summary>The users, for the connections' AUTH gates.</summary>
    public UserStore Users { get; } = users;

    /// <summary>True when clients from other hosts are refused: protected mode on and no users configured.</summary>
    public bool IsProtected { get; } = server.Value.ProtectedMode && !users.IsRequired;

    /// <summary>Redis's <c>connIsLocal</c>: exactly 127.0.0.1, ::1 or ::ffff:127.0.0.1 (so 127.0.0.2 is not local).</summary>
    public static bool IsLocal(EndPoint? peer) =>
        peer is IPEndPoint ip && (ip.Address.Equals(IPAddress.Loopback) || ip.Address.Equals(IPAddress.IPv6Loopback) || ip.Address.Equals(MappedLoopback));

    /// <summary>One line for the start log: which mode holds.</summary>
    public string Describe() => Users.IsRequired
        ? string.Create(CultureInfo.InvariantCulture, $"authentication required ({Users.Count} user(s) in C10k:Auth:Users)")
        : IsProtected
            ? "protected mode: no users configured, so only clients from 127.0.0.1, ::1 and ::ffff:127.0.0.1 are served (C10k:ProtectedMode=false turns it off)"
            : "open: no users configured and protected mode off (C10k:ProtectedMode=false); every client is served without authentication";
}
