using System.Buffers;
using System.Text;
using C10k.Protocol;
using C10k.Protocol.Resp;

namespace C10k.Tests.Resp;

/// <summary>Inline lines split as redis-server 7.0.15 splits them (every expectation below was recorded from it with ECHO or an unknown command).</summary>
public class RespInlineQuotingTests
{
    public static TheoryData<string, string, string[]> Lines => new()
    {
        { "ECHO \"hello world\"\r\n", "ECHO", ["hello world"] },
        { "ECHO 'a b'\r\n", "ECHO", ["a b"] },
        { "ECHO \"a\\nb\\x41\\x4g\"\r\n", "ECHO", ["a\nbAx4g"] },
        { "ECHO \"\\x\"\r\n", "ECHO", ["x"] },
        { "ECHO \"\\xAbc\"\r\n", "ECHO", ["\u00abc"] },
        { "ECHO \"\\r\\t\\b\\a\\q\\\\\"\r\n", "ECHO", ["\r\t\b\aq\\"] },
        { "ECHO 'a\\'b'\r\n", "ECHO", ["a'b"] },
        { "ECHO 'a\\nb'\r\n", "ECHO", ["a\\nb"] },
        { "ECHO a\"b c\"\r\n", "ECHO", ["ab c"] },
        { "ECHO \"a\" \"b\"\r\n", "ECHO", ["a", "b"] },
        { "ECHO \"a\"\tx\r\n", "ECHO", ["a", "x"] },
        { "ECHO '' \r\n", "ECHO", [""] },
        { "ECHO \"a\r\"\r\n", "ECHO", ["a\r"] },
        { "\"\" a b\r\n", "", ["a", "b"] },
        { "ECHO a\vb\r\n", "ECHO", ["a\vb"] },
        { " \vPING\r\n", "PING", [] },
        { "ECHO\f a\r\n", "ECHO\f", ["a"] },
        { "ECHO a\rb\r\n", "ECHO", ["a", "b"] },
        { "ECHO a\r\r\n", "ECHO", ["a"] },
    };

    [Theory]
    [MemberData(nameof(Lines))]
    public void InlineLinesSplitAsRedisSplitsThem(string line, string name, string[] arguments)
    {
        var bytes = Encoding.Latin1.GetBytes(line);

        foreach (var input in new[] { new ReadOnlySequence<byte>(bytes), SegmentedSequence.ByteByByte(bytes) })
        {
            var buffer = input;
            Assert.True(new RespRequestReader().TryRead(ref buffer, out var request));

            Assert.True(buffer.IsEmpty);
            Assert.True(request.IsInline);
            Assert.Equal(name, Encoding.Latin1.GetString(request.Name));
            Assert.Equal(arguments, Words(request.Arguments));
        }
    }

    [Theory]
    [InlineData("ECHO \"abc\r\n")]
    [InlineData("ECHO \"a\"b\r\n")]
    [InlineData("ECHO 'a'b\r\n")]
    [InlineData("ECHO \"a\\\r\n")]
    [InlineData("ECHO 'abc\r\n")]
    [InlineData("\"\r\n")]
    public void UnbalancedQuotesAreRedisProtocolError(string line)
    {
        var buffer = new ReadOnlySequence<byte>(Encoding.Latin1.GetBytes(line));

        var thrown = Assert.Throws<RespProtocolException>(() => new RespRequestReader().TryRead(ref buffer, out _));

        Assert.Equal(RespProtocolError.UnbalancedQuotes, thrown.Error);
        Assert.Equal("Protocol error: unbalanced quotes in request", thrown.Message);
    }

    [Theory]
    [InlineData("\f\r\n")]
    [InlineData(" \v \r\n")]
    [InlineData("\r\r\n")]
    public void BlankLinesAreSkipped(string line)
    {
        var buffer = new ReadOnlySequence<byte>(Encoding.Latin1.GetBytes(line + "PING\r\n"));

        Assert.True(new RespRequestReader().TryRead(ref buffer, out var request));

        Assert.Equal(RespCommand.Ping, request.Command);
        Assert.True(buffer.IsEmpty);
    }

    [Fact]
    public void DecodedRequestStaysValidUntilTheNextRead()
    {
        var buffer = new ReadOnlySequence<byte>(Encoding.Latin1.GetBytes("ECHO \"first\"\r\nECHO \"second one\"\r\n"));
        var reader = new RespRequestReader();

        Assert.True(reader.TryRead(ref buffer, out var first));
        Assert.Equal(["first"], Words(first.Arguments));
        Assert.True(reader.TryRead(ref buffer, out var second));
        Assert.Equal(["second one"], Words(second.Arguments));
        Assert.Equal(ArgumentEncoding.RespBulk, second.Arguments.Encoding);
    }

    private static string[] Words(ArgumentList arguments)
    {
        var words = new List<string>();
        foreach (var argument in arguments)
        {
            words.Add(Encoding.Latin1.GetString(argument));
        }

        return [.. words];
    }
}
