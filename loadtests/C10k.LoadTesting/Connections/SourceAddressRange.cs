using System.Net;

namespace C10k.LoadTesting.Connections;

/// <summary>Parses <c>127.0.0.2-127.0.0.5</c> or <c>127.0.0.2,127.0.0.7</c> into a list of IPv4 source addresses.</summary>
public static class SourceAddressRange
{
    /// <summary>Most addresses one range may expand to.</summary>
    private const int MaxAddresses = 1024;

    /// <summary>Parses <paramref name="text"/>; empty text gives an empty list.</summary>
    public static IReadOnlyList<IPAddress> Parse(string? text)
    {
        var result = new List<IPAddress>();
        if (string.IsNullOrWhiteSpace(text))
        {
            return result;
        }

        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var dash = part.IndexOf('-', StringComparison.Ordinal);
            if (dash < 0)
            {
                result.Add(ParseV4(part));
                continue;
            }

            var first = ToNumber(ParseV4(part[..dash]));
            var last = ToNumber(ParseV4(part[(dash + 1)..]));
            if (last < first || last - first >= MaxAddresses)
            {
                throw new FormatException($"'{part}' is not an ascending range of at most {MaxAddresses} addresses.");
            }

            for (var n = first; n <= last; n++)
            {
                result.Add(new IPAddress([(byte)(n >> 24), (byte)(n >> 16), (byte)(n >> 8), (byte)n]));
            }
        }

        return result;
    }

    private static IPAddress ParseV4(string text) =>
        IPAddress.TryParse(text, out var address) && address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork
            ? address
            : throw new FormatException($"'{text}' is not an IPv4 address.");

    private static uint ToNumber(IPAddress address)
    {
        var b = address.GetAddressBytes();
        return ((uint)b[0] << 24) | ((uint)b[1] << 16) | ((uint)b[2] << 8) | b[3];
    }
}
