using System.ComponentModel.DataAnnotations;

namespace C10k.Server.Hosting;

/// <summary>Built-in operations, section <c>C10k:Operations</c>.</summary>
public sealed class OperationsOptions
{
    /// <summary>Configuration section.</summary>
    public const string Section = "C10k:Operations";

    /// <summary>Largest HASH iteration count accepted. Default 1,000,000 (about 0.3 s of one core).</summary>
    [Range(1, int.MaxValue)]
    public int MaxHashIterations { get; set; } = 1_000_000;
}
