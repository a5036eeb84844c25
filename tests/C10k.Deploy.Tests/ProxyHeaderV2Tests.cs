using System.Buffers;
using System.Net;
using C10k.Protocol.Proxy;

namespace C10k.Deploy.Tests;

public sealed class ProxyHeaderV2Tests
{
    // The IPv4 example HAProxy sends for 192.0.2.10:51234 -> 10.89.0.5:7000 (proxy-protocol.txt section 2.2 layout).
    private static readonly byte[] Ipv4 = Convert.FromHexString(
        "0D0A0D0A000D0A515549540A" + "21" + "11" + "000C" + "C000020A" + "0A590005" + "C822" + "1B58");

    [Fact]
    public void Parses_a_tcp4_header_and_stops_at_the_first_payload_byte()
    {
        var input = new ReadOnlySequence<byte>([.. Ipv4, 0xC1, 0x00]);

        Assert.Equal(ProxyParseStatus.Done, ProxyHeaderV2.TryParse(input, out var header, out var consumed));

        Assert.Equal(ProxyCommand.Proxy, header.Command);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("192.0.2.10"), 51234), header.Source);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("10.89.0.5"), 7000), header.Destination);
        Assert.Equal(28, header.Length);
        Assert.Equal(0xC1, input.Slice(consumed).FirstSpan[0]);
    }

    [Fact]
    public void Round_trips_tcp6_and_skips_tlvs()
    {
        var source = new IPEndPoint(IPAddress.Parse("2001:db8::1"), 40000);
        var destination = new IPEndPoint(IPAddress.Parse("2001:db8::2"), 6380);
        var bare = ProxyHeaderV2.Create(source, destination);
        // Append a 7-byte TLV (type 0x04 NOOP, length 4) and fix the length field.
        byte[] tlv = [0x04, 0x00, 0x04, 1, 2, 3, 4];
        byte[] withTlv = [.. bare, .. tlv];
        withTlv[14] = 0;
        withTlv[15] = (byte)(bare.Length - ProxyHeaderV2.FixedSize + tlv.Length);

        Assert.Equal(ProxyParseStatus.Done, ProxyHeaderV2.TryParse(new ReadOnlySequence<byte>(withTlv), out var header, out _));

        Assert.Equal(source, header.Source);
        Assert.Equal(destination, header.Destination);
        Assert.Equal(withTlv.Length, header.Length);
    }

    [Fact]
    public void Local_command_carries_no_addresses()
    {
        Assert.Equal(ProxyParseStatus.Done, ProxyHeaderV2.TryParse(new ReadOnlySequence<byte>(ProxyHeaderV2.Create(null, null)), out var header, out _));

        Assert.Equal(ProxyCommand.Local, header.Command);
        Assert.Null(header.Source);
    }

    [Fact]
    public void Every_split_point_is_incomplete_until_the_last_byte()
    {
        for (var length = 0; length < Ipv4.Length; length++)
        {
            Assert.Equal(ProxyParseStatus.Incomplete, ProxyHeaderV2.TryParse(new ReadOnlySequence<byte>(Ipv4, 0, length), out _, out _));
        }

        // And a header split over many segments parses like a contiguous one.
        Assert.Equal(ProxyParseStatus.Done, ProxyHeaderV2.TryParse(SegmentedSequence.Create([.. Ipv4.Chunk(3)]), out var header, out _));
        Assert.Equal(51234, header.Source!.Port);
    }

    [Theory]
    [InlineData("C1000002")] // a native frame: not a header, rejected on the first byte
    [InlineData("2A310D0A")] // a RESP array
    [InlineData("0D0A0D0A000D0A515549540A1111000C")] // version 1 nibble in a v2 signature
    [InlineData("0D0A0D0A000D0A515549540A2211000C")] // command 2
    [InlineData("0D0A0D0A000D0A515549540A21110004C000020A")] // TCP4 with too short an address block
    [InlineData("0D0A0D0A000D0A515549540A2111FFFF")] // longer than the bound
    public void Rejects_what_is_not_a_valid_v2_header(string hex)
    {
        Assert.Equal(ProxyParseStatus.Invalid, ProxyHeaderV2.TryParse(new ReadOnlySequence<byte>(Convert.FromHexString(hex)), out _, out _));
    }
}
