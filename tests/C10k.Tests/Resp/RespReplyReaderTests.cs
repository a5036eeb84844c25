using System.Buffers;
using System.Text;
using C10k.Protocol.Resp;

namespace C10k.Tests.Resp;

public class RespReplyReaderTests
{
    public static TheoryData<string, string> Replies => new()
    {
        { "+PONG\r\n", "SimpleString:PONG" },
        { "-ERR unknown command 'foo'\r\n", "Error:ERR unknown command 'foo'" },
        { ":-42\r\n", "Integer:-42" },
        { "$5\r\nhello\r\n", "BulkString:hello" },
        { "$0\r\n\r\n", "BulkString:" },
        { "$4\r\na\r\nb\r\n", "BulkString:a\r\nb" },
        { "$-1\r\n", "null" },
        { "*-1\r\n", "null" },
        { "*0\r\n", "[]" },
        { "*3\r\n:1\r\n*2\r\n$1\r\na\r\n*0\r\n+x\r\n", "[Integer:1,[BulkString:a,[]],SimpleString:x]" },
    };

    [Theory]
    [MemberData(nameof(Replies))]
    public void ParsesEveryReplyType(string input, string expected)
    {
        var buffer = Bytes(input);

        Assert.True(new RespReplyReader().TryRead(ref buffer, out var reply));

        Assert.True(buffer.IsEmpty);
        Assert.Equal(expected, Describe(reply));
    }

    [Theory]
    [MemberData(nameof(Replies))]
    public void EveryPrefixReturnsFalseWithNothingConsumed(string input, string expected)
    {
        _ = expected;
        var bytes = Encoding.ASCII.GetBytes(input);
        var reader = new RespReplyReader();
        for (var length = 0; length < bytes.Length; length++)
        {
            var buffer = new ReadOnlySequence<byte>(bytes, 0, length);

            Assert.False(reader.TryRead(ref buffer, out _), $"prefix of {length} bytes");
            Assert.Equal(length, buffer.Length);
        }
    }

    [Theory]
    [MemberData(nameof(Replies))]
    public void EveryTwoSegmentSplitParsesIdentically(string input, string expected)
    {
        var bytes = Encoding.ASCII.GetBytes(input);
        var reader = new RespReplyReader();

        foreach (var split in SegmentedSequence.TwoSegmentSplits(bytes).Append(SegmentedSequence.ByteByByte(bytes)))
        {
            var buffer = split;
            Assert.True(reader.TryRead(ref buffer, out var reply));
            Assert.True(buffer.IsEmpty);
            Assert.Equal(expected, Describe(reply));
        }
    }

    [Fact]
    public void PipelinedRepliesParseInOrder()
    {
        var buffer = Bytes("+PONG\r\n$3\r\nabc\r\n:7\r\n-ERR x\r\n$10\r\n01234");
        var reader = new RespReplyReader();
        var seen = new List<string>();

        while (reader.TryRead(ref buffer, out var reply))
        {
            seen.Add(Describe(reply));
        }

        string[] expected = ["SimpleString:PONG", "BulkString:abc", "Integer:7", "Error:ERR x"];
        Assert.Equal(expected, seen);
        Assert.Equal("$10\r\n01234", Encoding.ASCII.GetString(buffer));
    }

    [Theory]
    [InlineData("!3\r\nabc\r\n", RespProtocolError.UnexpectedReplyType)]
    [InlineData(":12a\r\n", RespProtocolError.InvalidReplyLength)]
    [InlineData("$-2\r\n", RespProtocolError.InvalidReplyLength)]
    [InlineData("$11\r\n", RespProtocolError.InvalidReplyLength)]
    [InlineData("*4\r\n", RespProtocolError.InvalidReplyLength)]
    [InlineData("+01234567890123456", RespProtocolError.TooBigReplyLine)]
    [InlineData("*2\r\n:1\r\n?\r\n", RespProtocolError.UnexpectedReplyType)]
    public void MalformedReplyThrows(string input, RespProtocolError error)
    {
        var limits = new RespLimits { MaxArgs = 3, MaxBulkBytes = 10, MaxInlineBytes = 16 };
        var buffer = Bytes(input);

        var thrown = Assert.Throws<RespProtocolException>(() => new RespReplyReader(limits).TryRead(ref buffer, out _));

        Assert.Equal(error, thrown.Error);
    }

    private static ReadOnlySequence<byte> Bytes(string s) => new(Encoding.ASCII.GetBytes(s));

    private static string Describe(RespReply reply)
    {
        if (reply.IsNull)
        {
            return "null";
        }

        switch (reply.Type)
        {
            case RespReplyType.Array:
                var elements = new List<string>();
                foreach (var element in reply)
                {
                    elements.Add(Describe(element));
                }

                return $"[{string.Join(',', elements)}]";
            case RespReplyType.Integer:
                return $"Integer:{reply.Value}";
            default:
                return $"{reply.Type}:{Encoding.ASCII.GetString(reply.Payload)}";
        }
    }
}
