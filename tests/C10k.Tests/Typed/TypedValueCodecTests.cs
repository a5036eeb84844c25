using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;
using C10k.Client;
using C10k.Protocol.Typed;
using C10k.Tests.Support;

namespace C10k.Tests.Typed;

/// <summary>The typed reply codec: what ReplyWriter writes, how RESP and the version-1 flattening encode it, what a reader rejects.</summary>
[Collection(SerialTests.Name)]
public class TypedValueCodecTests
{
    [Fact]
    public void LineBreaksInSimpleStringsAndErrorsBecomeSpaces()
    {
        var payload = new ArrayBufferWriter<byte>();
        var reply = new ReplyWriter(payload);
        reply.WriteArray(2);
        reply.WriteSimpleString("a\r\nb");
        reply.WriteError("ERR x\ny");
        var resp = new ArrayBufferWriter<byte>();

        RespTyped.Write(resp, payload.WrittenSpan);

        Assert.Equal("*2\r\n+a  b\r\n-ERR x y\r\n", Encoding.ASCII.GetString(resp.WrittenSpan));
    }

    [Fact]
    public void RespKeepsEveryType()
    {
        var payload = Payload();
        var resp = new ArrayBufferWriter<byte>();

        RespTyped.Write(resp, payload);

        Assert.Equal("*4\r\n:-7\r\n$3\r\nabc\r\n$-1\r\n*1\r\n+OK\r\n", Encoding.ASCII.GetString(resp.WrittenSpan));
        Assert.Equal("[-7, \"abc\", nil, [+OK]]", ReplyValue.Decode(payload).ToString());
    }

    [Theory]
    [InlineData("2a 00 00 00 02 3a 00 00 00 00 00 00 00 01")] // an array short of an element
    [InlineData("24 00 00 00 09 61 62 63")] // a length past the payload
    [InlineData("3a 00 00 00 00 00 00 00 01 5f")] // bytes after the value
    [InlineData("21")] // an unknown type byte
    [InlineData("")] // nothing
    public void MalformedPayloadsAreRejected(string hex)
    {
        var payload = Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal));

        Assert.False(ReplyReader.IsWellFormed(payload));
        Assert.Throws<InvalidDataException>(() => ReplyValue.Decode(payload));
    }

    [Fact]
    public void NestingPastTheLimitIsRejected()
    {
        var output = new ArrayBufferWriter<byte>();
        var reply = new ReplyWriter(output);
        for (var i = 0; i <= ReplyReader.MaxDepth; i++)
        {
            reply.WriteArray(1);
        }

        reply.WriteNil();

        Assert.False(ReplyReader.IsWellFormed(output.WrittenSpan));
    }

    [Fact]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // fully optimized at once: an on-stack replacement mid-loop allocates and would be counted
    public void WritingAndEncodingTypedRepliesAllocatesNothing()
    {
        var payload = new ArrayBufferWriter<byte>(4096);
        var output = new ArrayBufferWriter<byte>(4096);
        var checksum = RoundTrip(payload, output);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10_000; i++)
        {
            checksum += RoundTrip(payload, output);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.NotEqual(0, checksum);
    }

    private static byte[] Payload()
    {
        var output = new ArrayBufferWriter<byte>();
        var reply = new ReplyWriter(output);
        reply.WriteArray(4);
        reply.WriteInteger(-7);
        reply.WriteBulk("abc");
        reply.WriteNil();
        reply.WriteArray(1);
        reply.WriteSimpleString("OK");
        return output.WrittenSpan.ToArray();
    }

    private static int RoundTrip(ArrayBufferWriter<byte> payload, ArrayBufferWriter<byte> output)
    {
        payload.ResetWrittenCount();
        output.ResetWrittenCount();
        var reply = new ReplyWriter(payload);
        reply.WriteArray(3);
        reply.WriteSimpleString("OK");
        reply.WriteBulk("value");
        reply.WriteError("ERR no");
        var well = ReplyReader.IsWellFormed(payload.WrittenSpan);
        RespTyped.Write(output, payload.WrittenSpan);
        ReplyFlattening.Write(payload.WrittenSpan, output);
        return output.WrittenCount + ReplyFlattening.Length(payload.WrittenSpan) + (well ? 1 : 0);
    }
}
