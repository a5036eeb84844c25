using System.Buffers;
using System.Text;
using C10k.Protocol;
using C10k.Protocol.Resp;
using C10k.Server.Operations;
using C10k.Server.Resp;

namespace C10k.Tests.Resp;

/// <summary>
/// Work, not time: the input lives in counting buffers whose every span access is counted, so a parser that goes back over bytes
/// it already read (a partial array re-parsed from its start on every read; an argument list indexed from its start per name)
/// shows as accesses that grow with the square of the input.
/// </summary>
public class ParsingWorkTests
{
    private const int Elements = 20_000;
    private const int ReadBytes = 1024;

    [Fact]
    public void LargeArrayArrivingInManyReadsIsParsedOnce()
    {
        var touches = new TouchCounter();
        var request = ArrayOf(Elements);
        var reads = request.Chunk(ReadBytes).Select(read => new CountingMemory(read, touches)).ToList();
        var reader = new RespRequestReader(spillThresholdBytes: int.MaxValue);
        var received = new List<CountingMemory>();
        var arguments = -1;

        // Nothing is consumed until the array is whole: every read hands the parser all the bytes so far, as a pipe does.
        foreach (var read in reads)
        {
            received.Add(read);
            var buffer = CountingMemory.Sequence(received);
            if (reader.TryRead(ref buffer, out var parsed))
            {
                arguments = parsed.Arguments.Count;
            }
        }

        Assert.Equal(Elements, arguments);
        Assert.InRange(touches.Count, reads.Count, 3L * Elements);
    }

    [Fact]
    public void LargeArrayHeldByTheReaderIsParsedOnce()
    {
        var pool = new CountingPool(ReadBytes);
        var reader = new RespRequestReader(spillThresholdBytes: 4096, pool: pool);
        var pending = Array.Empty<byte>();
        var arguments = -1;

        foreach (var read in ArrayOf(Elements).Chunk(ReadBytes))
        {
            var buffer = new ReadOnlySequence<byte>([.. pending, .. read]);
            if (reader.TryRead(ref buffer, out var parsed))
            {
                arguments = parsed.Arguments.Count;
            }

            pending = buffer.ToArray();
        }

        Assert.Equal(Elements, arguments);
        Assert.InRange(pool.Touches.Count, 1, 12L * Elements);
    }

    [Theory]
    [InlineData("INFO")]
    [InlineData("DOCS")]
    public void CommandInfoAndDocsWalkTheirNamesOnce(string subcommand)
    {
        var touches = new TouchCounter();
        var encoded = new ArrayBufferWriter<byte>();
        RespRequestWriter.WriteArgument(encoded, Encoding.ASCII.GetBytes(subcommand));
        for (var i = 0; i < Elements; i++)
        {
            RespRequestWriter.WriteArgument(encoded, i % 2 == 0 ? "get"u8 : "nope"u8);
        }

        var raw = CountingMemory.Sequence([.. encoded.WrittenSpan.ToArray().Chunk(ReadBytes).Select(part => new CountingMemory(part, touches))]);
        var arguments = new ArgumentList(raw, Elements + 1, ArgumentEncoding.RespBulk);
        var output = new ArrayBufferWriter<byte>();

        new RespCommandCatalog(new OperationRegistry()).Execute(arguments, output);

        Assert.True(output.WrittenCount > 0);
        Assert.InRange(touches.Count, 1, 4L * Elements);
    }

    // *N+1, the name, then N one-byte arguments.
    private static byte[] ArrayOf(int arguments)
    {
        var output = new ArrayBufferWriter<byte>();
        RespRequestWriter.WriteArrayHeader(output, arguments + 1);
        RespRequestWriter.WriteArgument(output, "ECHO"u8);
        for (var i = 0; i < arguments; i++)
        {
            RespRequestWriter.WriteArgument(output, "x"u8);
        }

        return output.WrittenSpan.ToArray();
    }

    private sealed class TouchCounter
    {
        public long Count { get; set; }
    }

    // Memory whose span accesses are counted.
    private sealed class CountingMemory(byte[] bytes, TouchCounter touches) : MemoryManager<byte>
    {
        public static ReadOnlySequence<byte> Sequence(IReadOnlyList<CountingMemory> parts)
        {
            var segments = new List<Link>();
            long index = 0;
            foreach (var part in parts)
            {
                segments.Add(new Link(part.Memory, index, segments.LastOrDefault()));
                index += part.Memory.Length;
            }

            return new ReadOnlySequence<byte>(segments[0], 0, segments[^1], segments[^1].Memory.Length);
        }

        public override Span<byte> GetSpan()
        {
            touches.Count++;
            return bytes;
        }

        public override MemoryHandle Pin(int elementIndex = 0) => throw new NotSupportedException();

        public override void Unpin()
        {
        }

        protected override void Dispose(bool disposing)
        {
        }
    }

    private sealed class Link : ReadOnlySequenceSegment<byte>
    {
        public Link(ReadOnlyMemory<byte> memory, long runningIndex, Link? previous)
        {
            (Memory, RunningIndex) = (memory, runningIndex);
            previous?.Next = this;
        }
    }

    // The reader's own buffer, in small counted chunks.
    private sealed class CountingPool(int chunkBytes) : MemoryPool<byte>
    {
        public TouchCounter Touches { get; } = new();

        public override int MaxBufferSize => chunkBytes;

        public override IMemoryOwner<byte> Rent(int minBufferSize = -1) => new CountingMemory(new byte[chunkBytes], Touches);

        protected override void Dispose(bool disposing)
        {
        }
    }
}
