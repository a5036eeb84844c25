namespace C10k.Server.Hosting;

/// <summary>Client authentication, section <c>C10k:Auth</c>: Redis's AUTH on RESP, the AUTH exchange on the native front.</summary>
public sealed class AuthOptions
{
    /// <summary>Configuration section.</summary>
    public const string Section = "C10k:Auth";

    /// <summary>Prefix of a password given as its SHA-256 hash instead of in clear.</summary>
    public const string HashPrefix = "sha256:";

    /// <summary>
    /// Users allowed in, name → password, or <c>sha256:</c> and the password's SHA-256 in hex (<c>C10k__Auth__Users__default=secret</c>).
    /// <c>AUTH password</c> authenticates user <c>default</c>. Default empty: no authentication, and protected mode holds.
    /// </summary>
    public Dictionary<string, string> Users { get; set; } = new(StringComparer.Ordinal);
}
