using System.ComponentModel.DataAnnotations;

namespace C10k.Server.Hosting;

/// <summary>Options at the root of section <c>C10k</c>.</summary>
public sealed class ServerOptions
{
    /// <summary>Configuration section.</summary>
    public const string Section = "C10k";

    /// <summary>Listen address of the data ports. Default 127.0.0.1 (safe on a laptop); containers set 0.0.0.0.</summary>
    [Required]
    public string BindAddress { get; set; } = "127.0.0.1";
}
