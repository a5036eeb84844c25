using System.Net;
using System.Text;
using C10k.Protocol.Proxy;

namespace C10k.Fuzz;

/// <summary>Starting inputs for AFL++: the protocol's test vectors and the cases of the codec tests, one file each.</summary>
internal static class Seeds
{
    private static readonly string[] RespRequests =
    [
        "*1\r\n$4\r\nPING\r\n",
        "*2\r\n$4\r\nECHO\r\n$5\r\nhello\r\n",
        "*3\r\n$4\r\nHASH\r\n$4\r\n1000\r\n$7\r\npayload\r\n",
        "*2\r\n$4\r\nECHO\r\n$0\r\n\r\n",
        "*1\r\n$0\r\n\r\n",
        "*0\r\n*-1\r\n\r\nPING\r\n",
        "PING\r\nECHO hello\r\nHASH\t1000  payload\n",
        "ECHO \"hello world\" 'a b' \"\\x41\\n\"\r\n",
        "*1\r\n$-1\r\n",
        "*1\r\nPING\r\n",
    ];

    private static readonly string[] RespReplies =
    [
        "+PONG\r\n",
        "-ERR unknown command 'foo', with args beginning with: \r\n",
        ":1000\r\n:-1\r\n",
        "$5\r\nhello\r\n$0\r\n\r\n$-1\r\n",
        "*2\r\n$1\r\na\r\n*1\r\n:1\r\n*-1\r\n*0\r\n",
        "*3\r\n*2\r\n+a\r\n-b\r\n$3\r\nxyz\r\n:7\r\n",
    ];

    /// <summary>Writes the seeds of <paramref name="target"/> into <paramref name="directory"/>; native seeds come from <paramref name="protocolDoc"/>.</summary>
    public static void Write(FuzzTarget target, string directory, string protocolDoc)
    {
        Directory.CreateDirectory(directory);
        var seeds = target switch
        {
            FuzzTarget.Native => NativeVectors(protocolDoc),
            FuzzTarget.RespRequest => RespRequests.Select(Encoding.ASCII.GetBytes).ToList(),
            FuzzTarget.RespReply => RespReplies.Select(Encoding.ASCII.GetBytes).ToList(),
            _ => ProxyHeaders(),
        };
        for (var i = 0; i < seeds.Count; i++)
        {
            File.WriteAllBytes(Path.Combine(directory, $"seed{i:D2}"), seeds[i]);
        }
    }

    // Every ```vector block's hex line, and all the valid ones pipelined in one stream.
    private static List<byte[]> NativeVectors(string protocolDoc)
    {
        var vectors = File.ReadAllLines(protocolDoc)
            .Where(line => line.StartsWith("hex: ", StringComparison.Ordinal))
            .Select(line => Convert.FromHexString(line[5..].Replace(" ", "", StringComparison.Ordinal)))
            .ToList();
        vectors.Add([.. vectors.Where(v => v.Length >= 16 && v[0] == 0xC1 && v[1] < 2 && v.Length < 64).SelectMany(v => v)]);
        return vectors;
    }

    private static List<byte[]> ProxyHeaders()
    {
        var v4 = ProxyHeaderV2.Create(new IPEndPoint(IPAddress.Parse("192.0.2.10"), 51234), new IPEndPoint(IPAddress.Loopback, 7000));
        var v6 = ProxyHeaderV2.Create(new IPEndPoint(IPAddress.Parse("2001:db8::1"), 443), new IPEndPoint(IPAddress.IPv6Loopback, 6380));
        var withTlv = (byte[])v4.Clone();
        withTlv[15] += 6;
        return [v4, v6, ProxyHeaderV2.Create(null, null), [.. withTlv, 0x04, 0x00, 0x03, 0x61, 0x62, 0x63, .. "*1\r\n$4\r\nPING\r\n"u8]];
    }
}
