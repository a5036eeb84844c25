using System.Buffers;
using System.Text;
using C10k.Protocol.Resp;

namespace C10k.Tests.Resp;

public class RespWriterTests
{
    [Fact]
    public void ReplyWriterWritesEveryRespTwoType()
    {
        var output = new ArrayBufferWriter<byte>();

        RespReplyWriter.WriteSimpleString(output, "OK"u8);
        RespReplyWriter.WriteError(output, "ERR bad"u8);
        RespReplyWriter.WriteInteger(output, -9_223_372_036_854_775_808);
        RespReplyWriter.WriteBulkString(output, "hello"u8);
        RespReplyWriter.WriteBulkString(output, ""u8);
        RespReplyWriter.WriteNullBulkString(output);
        RespReplyWriter.WriteNullArray(output);
        RespReplyWriter.WriteArrayHeader(output, 2);
        output.Write(RespReplyWriter.Pong);
        output.Write(RespReplyWriter.Ok);

        Assert.Equal(
            "+OK\r\n-ERR bad\r\n:-9223372036854775808\r\n$5\r\nhello\r\n$0\r\n\r\n$-1\r\n*-1\r\n*2\r\n+PONG\r\n+OK\r\n",
            Encoding.ASCII.GetString(output.WrittenSpan));
    }

    [Fact]
    public void ErrorAndSimpleStringsStayOnOneLine()
    {
        var output = new ArrayBufferWriter<byte>();

        RespReplyWriter.WriteError(output, "ERR a\r\nb"u8);
        RespReplyWriter.WriteSimpleString(output, "x\ny"u8);

        Assert.Equal("-ERR a  b\r\n+x y\r\n", Encoding.ASCII.GetString(output.WrittenSpan));
    }

    [Fact]
    public void LargeAndSegmentedBulkStringsAreWrittenWhole()
    {
        var large = Enumerable.Range(0, 5000).Select(i => (byte)('a' + (i % 26))).ToArray();
        var output = new ArrayBufferWriter<byte>();

        RespReplyWriter.WriteBulkString(output, large);
        RespReplyWriter.WriteBulkString(output, SegmentedSequence.Create(large[..1000], large[1000..]));

        var buffer = new ReadOnlySequence<byte>(output.WrittenMemory);
        var reader = new RespReplyReader();
        for (var i = 0; i < 2; i++)
        {
            Assert.True(reader.TryRead(ref buffer, out var reply));
            Assert.Equal(large, reply.Payload.ToArray());
        }

        Assert.True(buffer.IsEmpty);
    }

    [Fact]
    public void RequestWriterOutputParsesBackToTheSameRequest()
    {
        var output = new ArrayBufferWriter<byte>();

        RespRequestWriter.Write(output, "PING"u8);
        RespRequestWriter.Write(output, "ECHO"u8, "hi"u8);
        RespRequestWriter.Write(output, "HASH"u8, "1000"u8, "payload"u8);
        RespRequestWriter.WriteArrayHeader(output, 3);
        RespRequestWriter.WriteArgument(output, "HASH"u8);
        RespRequestWriter.WriteArgument(output, 20_000);
        RespRequestWriter.WriteArgument(output, SegmentedSequence.Create("pay"u8.ToArray(), "load"u8.ToArray()));
        RespRequestWriter.WriteInline(output, "PING"u8);

        Assert.Equal(
            "*1\r\n$4\r\nPING\r\n*2\r\n$4\r\nECHO\r\n$2\r\nhi\r\n*3\r\n$4\r\nHASH\r\n$4\r\n1000\r\n$7\r\npayload\r\n"
            + "*3\r\n$4\r\nHASH\r\n$5\r\n20000\r\n$7\r\npayload\r\nPING\r\n",
            Encoding.ASCII.GetString(output.WrittenSpan));
    }

    [Theory]
    [InlineData("HASH 1000 payload\r\n")]
    [InlineData("*3\r\n$4\r\nHASH\r\n$4\r\n1000\r\n$7\r\npayload\r\n")]
    public void WriteMessageReencodesAnyRequestAsAnArray(string input)
    {
        var buffer = new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes(input));
        Assert.True(new RespRequestReader().TryRead(ref buffer, out var request));
        var output = new ArrayBufferWriter<byte>();

        new RespRequestWriter().WriteMessage(request, output);

        Assert.Equal("*3\r\n$4\r\nHASH\r\n$4\r\n1000\r\n$7\r\npayload\r\n", Encoding.ASCII.GetString(output.WrittenSpan));
    }
}
