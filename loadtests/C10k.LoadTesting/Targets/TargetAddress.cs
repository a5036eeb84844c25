namespace C10k.LoadTesting.Targets;

/// <summary>Parses <c>resp://host:port</c> and <c>native://host:port</c> into a target.</summary>
public static class TargetAddress
{
    /// <summary>Creates the target for <paramref name="address"/>; throws <see cref="FormatException"/> for an unknown scheme.</summary>
    public static ILoadTarget Parse(string address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (!Uri.TryCreate(address, UriKind.Absolute, out var uri) || uri.Port <= 0)
        {
            throw new FormatException($"'{address}' is not a target (examples: resp://127.0.0.1:6380, native://127.0.0.1:7000).");
        }

        return uri.Scheme switch
        {
            "resp" => new Resp.RespTarget(address, uri.Host, uri.Port),
            "native" => new Native.NativeTarget(address, uri.Host, uri.Port),
            _ => throw new FormatException($"Unknown target scheme '{uri.Scheme}' in '{address}': use resp:// or native://."),
        };
    }
}
