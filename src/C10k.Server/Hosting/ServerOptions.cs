using System.ComponentModel.DataAnnotations;

namespace C10k.Server.Hosting;

/// <summary>Options at the root of section <c>C10k</c>.</summary>
public sealed class ServerOptions
{
    /// <summary>Configuration section.</summary>
    public const string Section = "C10k";

    /// <summary>Listen address of the data ports. Default 127.0.0.1 (safe on a laptop); containers set 0.0.0.0.</summary>
    [Required]
    [IPAddress]
    public string BindAddress { get; set; } = "127.0.0.1";

    /// <summary>
    /// Redis's protected mode: while no users are configured (<c>C10k:Auth:Users</c>), only clients from 127.0.0.1, ::1 and
    /// ::ffff:127.0.0.1 are served; any other address (the PROXY v2 source when the header is on) gets a DENIED explanation and is
    /// closed. Default true; false serves everyone without authentication, for a network that is trusted by other means.
    /// </summary>
    public bool ProtectedMode { get; set; } = true;
}
