using System.Buffers;
using System.Text;
using C10k.Protocol;
using C10k.Protocol.Resp;

namespace C10k.Tests.Resp;

public class RespRequestReaderTests
{
    public static TheoryData<string> ValidRequests => new()
    {
        "*1\r\n$4\r\nPING\r\n",
        "*2\r\n$4\r\nECHO\r\n$5\r\nhello\r\n",
        "*3\r\n$4\r\nHASH\r\n$4\r\n1000\r\n$7\r\npayload\r\n",
        "*2\r\n$4\r\nECHO\r\n$0\r\n\r\n",
        "*2\r\n$4\r\nECHO\r\n$4\r\na\r\nb\r\n",
        "PING\r\n",
        "ECHO hello\r\n",
        "HASH\t1000  payload\n",
    };

    [Fact]
    public void ParsesAnArrayOfBulkStrings()
    {
        var buffer = Bytes("*3\r\n$4\r\nhash\r\n$4\r\n1000\r\n$7\r\npayload\r\n");

        Assert.True(new RespRequestReader().TryRead(ref buffer, out var request));

        Assert.True(buffer.IsEmpty);
        Assert.Equal(RespCommand.Unknown, request.Command);
        Assert.Equal("hash", Text(request.Name));
        Assert.False(request.IsInline);
        Assert.Equal(2, request.Arguments.Count);
        Assert.Equal(ArgumentEncoding.RespBulk, request.Arguments.Encoding);
        Assert.Equal("$4\r\n1000\r\n$7\r\npayload\r\n", Text(request.Arguments.Raw));
        Assert.True(request.Arguments.TryGetInt64(0, out var iterations));
        Assert.Equal(1000, iterations);
        Assert.Equal("payload", Text(request.Arguments[1]));
    }

    [Theory]
    [InlineData("PING\r\n", "PING", new string[0])]
    [InlineData("PING\n", "PING", new string[0])]
    [InlineData("  ping  \r\n", "ping", new string[0])]
    [InlineData("ECHO hello\r\n", "ECHO", new[] { "hello" })]
    [InlineData("HASH\t1000  payload \r\n", "HASH", new[] { "1000", "payload" })]
    public void ParsesInlineCommandsSplitOnSpacesAndTabs(string input, string name, string[] arguments)
    {
        var buffer = Bytes(input);

        Assert.True(new RespRequestReader().TryRead(ref buffer, out var request));

        Assert.True(buffer.IsEmpty);
        Assert.True(request.IsInline);
        Assert.Equal(name, Text(request.Name));
        Assert.Equal(arguments, Arguments(request));
    }

    [Theory]
    [MemberData(nameof(ValidRequests))]
    public void EveryPrefixReturnsFalseWithNothingConsumed(string input)
    {
        var bytes = Encoding.ASCII.GetBytes(input);
        var reader = new RespRequestReader();
        for (var length = 0; length < bytes.Length; length++)
        {
            var buffer = new ReadOnlySequence<byte>(bytes, 0, length);
            var before = buffer;

            Assert.False(reader.TryRead(ref buffer, out _), $"prefix of {length} bytes");
            Assert.Equal(before.Start, buffer.Start);
            Assert.Equal(before.Length, buffer.Length);
        }
    }

    [Theory]
    [MemberData(nameof(ValidRequests))]
    public void EveryTwoSegmentSplitParsesIdentically(string input)
    {
        var bytes = Encoding.ASCII.GetBytes(input);
        var expected = Describe(Bytes(input));

        foreach (var split in SegmentedSequence.TwoSegmentSplits(bytes))
        {
            Assert.Equal(expected, Describe(split));
        }

        Assert.Equal(expected, Describe(SegmentedSequence.ByteByByte(bytes)));
    }

    [Fact]
    public void PipelinedBatchParsesInOrderAndSkipsEmptyRequests()
    {
        var buffer = Bytes("*1\r\n$4\r\nPING\r\n\r\n*0\r\n*-1\r\nECHO a\r\n*2\r\n$4\r\nECHO\r\n$1\r\nb\r\n  \r\n*1\r\n$4\r\nQU");
        var reader = new RespRequestReader();
        var seen = new List<string>();

        while (reader.TryRead(ref buffer, out var request))
        {
            seen.Add($"{request.Command}:{string.Join(',', Arguments(request))}");
        }

        string[] expected = ["Ping:", "Echo:a", "Echo:b"];
        Assert.Equal(expected, seen);
        Assert.Equal("*1\r\n$4\r\nQU", Text(buffer));
    }

    [Theory]
    [InlineData("ping", RespCommand.Ping)]
    [InlineData("PiNg", RespCommand.Ping)]
    [InlineData("echo", RespCommand.Echo)]
    [InlineData("QUIT", RespCommand.Quit)]
    [InlineData("select", RespCommand.Select)]
    [InlineData("HELLO", RespCommand.Hello)]
    [InlineData("command", RespCommand.Command)]
    [InlineData("client", RespCommand.Client)]
    [InlineData("CONFIG", RespCommand.Config)]
    [InlineData("info", RespCommand.Info)]
    [InlineData("cluster", RespCommand.Cluster)]
    [InlineData("SENTINEL", RespCommand.Sentinel)]
    [InlineData("get", RespCommand.Get)]
    [InlineData("subscribe", RespCommand.Subscribe)]
    [InlineData("UNSUBSCRIBE", RespCommand.Unsubscribe)]
    [InlineData("hash", RespCommand.Unknown)]
    [InlineData("pingx", RespCommand.Unknown)]
    [InlineData("a-name-longer-than-sixteen-bytes", RespCommand.Unknown)]
    public void IdentifiesCommandsByBytesIgnoringCase(string name, RespCommand expected)
    {
        var bytes = Encoding.ASCII.GetBytes(name);

        Assert.Equal(expected, RespCommandTable.Identify(bytes));
        Assert.Equal(expected, RespCommandTable.Identify(SegmentedSequence.ByteByByte(bytes)));
    }

    [Theory]
    [InlineData("*abc\r\n", RespProtocolError.InvalidMultibulkLength, "Protocol error: invalid multibulk length")]
    [InlineData("*+1\r\n", RespProtocolError.InvalidMultibulkLength, "Protocol error: invalid multibulk length")]
    [InlineData("*01\r\n", RespProtocolError.InvalidMultibulkLength, "Protocol error: invalid multibulk length")]
    [InlineData("*1 \r\n", RespProtocolError.InvalidMultibulkLength, "Protocol error: invalid multibulk length")]
    [InlineData("*\r\n", RespProtocolError.InvalidMultibulkLength, "Protocol error: invalid multibulk length")]
    [InlineData("*99999999999999999999\r\n", RespProtocolError.InvalidMultibulkLength, "Protocol error: invalid multibulk length")]
    [InlineData("*1048577\r\n", RespProtocolError.InvalidMultibulkLength, "Protocol error: invalid multibulk length")]
    [InlineData("*1\r\n$-1\r\n", RespProtocolError.InvalidBulkLength, "Protocol error: invalid bulk length")]
    [InlineData("*1\r\n$x\r\n", RespProtocolError.InvalidBulkLength, "Protocol error: invalid bulk length")]
    [InlineData("*1\r\n$-0\r\n", RespProtocolError.InvalidBulkLength, "Protocol error: invalid bulk length")]
    [InlineData("*1\r\n$536870913\r\n", RespProtocolError.InvalidBulkLength, "Protocol error: invalid bulk length")]
    [InlineData("*1\r\nPING\r\n", RespProtocolError.ExpectedBulkString, "Protocol error: expected '$', got 'P'")]
    [InlineData("*2\r\n$4\r\nECHO\r\n:1\r\n", RespProtocolError.ExpectedBulkString, "Protocol error: expected '$', got ':'")]
    public void MalformedRequestThrowsWithRedisWording(string input, RespProtocolError error, string message)
    {
        var buffer = Bytes(input);

        var thrown = Assert.Throws<RespProtocolException>(() => new RespRequestReader().TryRead(ref buffer, out _));

        Assert.Equal(error, thrown.Error);
        Assert.Equal(message, thrown.Message);
    }

    [Theory]
    [InlineData("*4\r\n", RespProtocolError.InvalidMultibulkLength)]
    [InlineData("*3\r\n$4\r\nECHO\r\n$11\r\n", RespProtocolError.InvalidBulkLength)]
    [InlineData("PING 0123456789ab\r\n", RespProtocolError.TooBigInlineRequest)]
    [InlineData("PING 0123456789ab", RespProtocolError.TooBigInlineRequest)]
    [InlineData("*00000000000000000", RespProtocolError.TooBigMultibulkCountString)]
    [InlineData("*1\r\n$00000000000000000", RespProtocolError.TooBigBulkCountString)]
    public void LimitsAreCheckedBeforeTheAnnouncedBytesArrive(string input, RespProtocolError error)
    {
        var limits = new RespLimits { MaxArgs = 3, MaxBulkBytes = 10, MaxInlineBytes = 16 };
        var buffer = Bytes(input);

        var thrown = Assert.Throws<RespProtocolException>(() => new RespRequestReader(limits).TryRead(ref buffer, out _));

        Assert.Equal(error, thrown.Error);
    }

    [Theory]
    [InlineData("*3\r\n$4\r\nECHO\r\n$10\r\n0123456789\r\n$0\r\n\r\n")]
    [InlineData("PING 0123456789\r\n")]
    [InlineData("*0000000000000000")]
    public void InputAtTheLimitsIsAccepted(string input)
    {
        var limits = new RespLimits { MaxArgs = 3, MaxBulkBytes = 10, MaxInlineBytes = 16 };
        var buffer = Bytes(input);

        var parsed = new RespRequestReader(limits).TryRead(ref buffer, out _);

        Assert.Equal(input.EndsWith('\n'), parsed);
    }

    [Fact]
    public void DefaultLimitsAreRedis()
    {
        Assert.Equal(1024 * 1024, RespLimits.Default.MaxArgs);
        Assert.Equal(512L * 1024 * 1024, RespLimits.Default.MaxBulkBytes);
        Assert.Equal(64 * 1024, RespLimits.Default.MaxInlineBytes);
    }

    [Fact]
    public void TryParseMessageReportsConsumedAndExamined()
    {
        var input = Bytes("*1\r\n$4\r\nPING\r\n*1\r\n$4");
        var reader = new RespRequestReader();
        var consumed = input.Start;
        var examined = input.Start;

        Assert.True(reader.TryParseMessage(input, ref consumed, ref examined, out var request));
        Assert.Equal(RespCommand.Ping, request.Command);
        Assert.Equal(14, input.Slice(input.Start, consumed).Length);
        Assert.Equal(consumed, examined);

        Assert.False(reader.TryParseMessage(input, ref consumed, ref examined, out _));
        Assert.Equal(14, input.Slice(input.Start, consumed).Length);
        Assert.Equal(input.End, examined);
    }

    private static ReadOnlySequence<byte> Bytes(string s) => new(Encoding.ASCII.GetBytes(s));

    private static string Text(ReadOnlySequence<byte> s) => Encoding.ASCII.GetString(s);

    private static string[] Arguments(RespRequest request)
    {
        var list = new List<string>();
        foreach (var argument in request.Arguments)
        {
            list.Add(Text(argument));
        }

        return list.ToArray();
    }

    private static string Describe(ReadOnlySequence<byte> buffer)
    {
        Assert.True(new RespRequestReader().TryRead(ref buffer, out var request));
        Assert.True(buffer.IsEmpty);
        return $"{request.Command}|{Text(request.Name)}|{request.IsInline}|{string.Join('|', Arguments(request))}";
    }
}
