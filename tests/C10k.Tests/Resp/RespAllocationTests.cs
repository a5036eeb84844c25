using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;
using C10k.Protocol.Resp;
using C10k.Tests.Support;

namespace C10k.Tests.Resp;

[Collection(SerialTests.Name)]
public class RespAllocationTests
{
    private const int Iterations = 10_000;

    private static readonly byte[] Batch = Encoding.ASCII.GetBytes(
        "*1\r\n$4\r\nPING\r\n*2\r\n$4\r\nECHO\r\n$5\r\nhello\r\n*3\r\n$4\r\nHASH\r\n$4\r\n1000\r\n$7\r\npayload\r\nPING\r\nECHO  a b\r\n");

    private static readonly byte[] ReplyBatch = Encoding.ASCII.GetBytes(
        "+PONG\r\n$5\r\nhello\r\n:12\r\n-ERR x\r\n*2\r\n$1\r\na\r\n*1\r\n:1\r\n$-1\r\n");

    [Fact]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // fully optimized at once: an on-stack replacement mid-loop allocates and would be counted
    public void ParsingRequestsAllocatesNothing()
    {
        var reader = new RespRequestReader();
        var single = new ReadOnlySequence<byte>(Batch);
        var split = SegmentedSequence.Create(Batch[..30], Batch[30..]);
        var checksum = ParseRequests(reader, single) + ParseRequests(reader, split);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < Iterations; i++)
        {
            checksum += ParseRequests(reader, single) + ParseRequests(reader, split);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.NotEqual(0, checksum);
    }

    [Fact]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // fully optimized at once: an on-stack replacement mid-loop allocates and would be counted
    public void WritingRequestsAndRepliesAllocatesNothing()
    {
        var output = new ArrayBufferWriter<byte>(4096);
        var argument = new ReadOnlySequence<byte>("payload"u8.ToArray());
        Write(output, argument);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < Iterations; i++)
        {
            Write(output, argument);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // fully optimized at once: an on-stack replacement mid-loop allocates and would be counted
    public void ReadingRepliesAllocatesNothing()
    {
        var reader = new RespReplyReader();
        var replies = new ReadOnlySequence<byte>(ReplyBatch);
        var checksum = ReadReplies(reader, replies);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < Iterations; i++)
        {
            checksum += ReadReplies(reader, replies);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.NotEqual(0, checksum);
    }

    private static long ParseRequests(RespRequestReader reader, ReadOnlySequence<byte> input)
    {
        var checksum = 0L;
        var buffer = input;
        while (reader.TryRead(ref buffer, out var request))
        {
            checksum += (int)request.Command;
            foreach (var argument in request.Arguments)
            {
                checksum += argument.Length;
            }

            if (request.Arguments.Count == 2 && request.Arguments.TryGetInt64(0, out var n))
            {
                checksum += n;
            }
        }

        return checksum;
    }

    private static void Write(ArrayBufferWriter<byte> output, ReadOnlySequence<byte> argument)
    {
        output.ResetWrittenCount();
        RespRequestWriter.Write(output, "HASH"u8, "1000"u8, "payload"u8);
        RespRequestWriter.WriteArgument(output, 1000);
        RespRequestWriter.WriteInline(output, "PING"u8);
        RespReplyWriter.WriteSimpleString(output, "PONG"u8);
        RespReplyWriter.WriteError(output, "ERR wrong number of arguments for 'echo' command"u8);
        RespReplyWriter.WriteInteger(output, 123_456);
        RespReplyWriter.WriteBulkString(output, "fc8a6b86a13f71cd9a67f558ab6fd82a3dd89186163a017ed8051acf6d3f8f99"u8);
        RespReplyWriter.WriteBulkString(output, argument);
        RespReplyWriter.WriteNullBulkString(output);
        RespReplyWriter.WriteArrayHeader(output, 3);
    }

    private static long ReadReplies(RespReplyReader reader, ReadOnlySequence<byte> replies)
    {
        var buffer = replies;
        var count = 0L;
        while (reader.TryRead(ref buffer, out var reply))
        {
            count += reply.Value;
            foreach (var element in reply)
            {
                count += element.Payload.Length;
            }
        }

        return count + buffer.Length;
    }
}
