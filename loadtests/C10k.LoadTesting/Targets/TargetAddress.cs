namespace C10k.LoadTesting.Targets;

/// <summary>Parses <c>resp://host:port</c>, <c>rediss://host:port</c> (RESP over TLS) and <c>native://host:port</c> into a target.</summary>
public static class TargetAddress
{
    /// <summary>
    /// Creates the target for <paramref name="address"/>, connecting with <paramref name="options"/> (TLS, AUTH); throws
    /// <see cref="FormatException"/> for an unknown scheme.
    /// </summary>
    public static ILoadTarget Parse(string address, TargetOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(address);
        options ??= TargetOptions.None;
        if (!Uri.TryCreate(address, UriKind.Absolute, out var uri) || uri.Port <= 0)
        {
            throw new FormatException($"'{address}' is not a target (examples: resp://127.0.0.1:6380, rediss://127.0.0.1:6390, native://127.0.0.1:7000).");
        }

        return uri.Scheme switch
        {
            "resp" or "redis" => new Resp.RespTarget(address, uri.Host, uri.Port, options),
            "rediss" => new Resp.RespTarget(address, uri.Host, uri.Port, options with { Tls = true }),
            "native" => new Native.NativeTarget(address, uri.Host, uri.Port, options),
            _ => throw new FormatException($"Unknown target scheme '{uri.Scheme}' in '{address}': use resp://, rediss:// (TLS) or native://."),
        };
    }
}
