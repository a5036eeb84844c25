using System.Buffers;
using System.Text;
using C10k.Protocol.Native;
using C10k.Protocol.Resp;

namespace C10k.Tests.Native;

/// <summary>
/// A transport that buffers at most 64 KiB unconsumed (issue 13's bounded read-ahead) still delivers frames and bulks up to the
/// limits: the readers take a large message out of the input as it arrives instead of waiting for all of it in one buffer.
/// </summary>
public class BoundedReadAheadTests
{
    private const int ReadAhead = 64 * 1024;

    private delegate bool Parse(ref ReadOnlySequence<byte> buffer);

    [Fact]
    public void FourMiBFrameArrivesThroughA64KiBReadAhead()
    {
        var payload = Encoding.ASCII.GetBytes(new string('p', 4 * 1024 * 1024));
        var stream = RawConnection.Request(NativeOpcodes.Echo, 1, payload).Concat(RawConnection.Request(NativeOpcodes.Ping, 2, [])).ToArray();
        var reader = new NativeFrameReader(maxFrameBytes: 8 * 1024 * 1024);
        var ids = new List<uint>();

        Deliver(stream, (ref ReadOnlySequence<byte> buffer) =>
        {
            if (!reader.TryRead(ref buffer, out var frame))
            {
                return false;
            }

            Assert.Equal(frame.RequestId == 1 ? payload.Length : 0, frame.Payload.Length);
            Assert.True(frame.Payload.ToArray().AsSpan().SequenceEqual(frame.RequestId == 1 ? payload : []));
            ids.Add(frame.RequestId);
            return true;
        });

        Assert.Equal([1u, 2u], ids);
    }

    [Fact]
    public void TwoMiBBulkArrivesThroughA64KiBReadAhead()
    {
        var bulk = new string('b', 2 * 1024 * 1024);
        var stream = Encoding.ASCII.GetBytes($"*2\r\n$4\r\nECHO\r\n${bulk.Length}\r\n{bulk}\r\nPING\r\n");
        var reader = new RespRequestReader();
        var seen = new List<string>();

        Deliver(stream, (ref ReadOnlySequence<byte> buffer) =>
        {
            if (!reader.TryRead(ref buffer, out var request))
            {
                return false;
            }

            seen.Add($"{request.Command} {string.Concat(Arguments(request).Select(a => a.Length))}");
            Assert.All(Arguments(request), a => Assert.Equal(bulk, a));
            return true;
        });

        Assert.Equal([$"Echo {bulk.Length}", "Ping "], seen);
    }

    private static List<string> Arguments(RespRequest request)
    {
        var arguments = new List<string>();
        foreach (var argument in request.Arguments)
        {
            arguments.Add(Encoding.ASCII.GetString(argument));
        }

        return arguments;
    }

    // Hands the parser at most ReadAhead unconsumed bytes, 4 KiB per read; fails if the buffer is full and the parser takes nothing.
    private static void Deliver(byte[] stream, Parse parse)
    {
        var pending = new List<byte>();
        var sent = 0;
        while (true)
        {
            var take = Math.Min(Math.Min(ReadAhead - pending.Count, 4096), stream.Length - sent);
            pending.AddRange(stream.AsSpan(sent, take));
            sent += take;
            var buffer = new ReadOnlySequence<byte>([.. pending]);
            var before = buffer.Length;
            while (parse(ref buffer))
            {
            }

            var consumed = (int)(before - buffer.Length);
            pending.RemoveRange(0, consumed);
            if (sent == stream.Length && consumed == 0)
            {
                Assert.Empty(pending);
                return;
            }

            Assert.False(take == 0 && consumed == 0, $"stalled with {pending.Count} bytes buffered: the reader waits for bytes the read-ahead can't hold");
        }
    }
}
