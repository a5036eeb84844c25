using System.Buffers;
using C10k.Protocol.Native;

namespace C10k.Tests.Native;

public class NativeFrameReaderTests
{
    private static readonly byte[] HashRequest = RawConnection.Request(NativeOpcodes.Hash, 42, RawConnection.Args("1000", "payload"), 250);

    [Fact]
    public void TryReadReturnsFalseForEveryPrefixAndConsumesNothing()
    {
        var reader = new NativeFrameReader();
        for (var length = 0; length < HashRequest.Length; length++)
        {
            var buffer = new ReadOnlySequence<byte>(HashRequest, 0, length);
            var consumed = buffer.Start;
            var examined = buffer.Start;
            Assert.False(reader.TryParseMessage(buffer, ref consumed, ref examined, out _));
            Assert.Equal(buffer.Start, consumed);
            Assert.Equal(buffer.End, examined);
        }
    }

    [Fact]
    public void FrameSplitAtEveryPositionParsesTheSame()
    {
        var reader = new NativeFrameReader();
        for (var split = 1; split < HashRequest.Length; split++)
        {
            var buffer = SegmentedSequence.Create(HashRequest[..split], HashRequest[split..]);
            Assert.True(reader.TryRead(ref buffer, out var frame));
            Assert.True(buffer.IsEmpty);
            Assert.Equal(NativeOpcodes.Hash, frame.Opcode);
            Assert.Equal(42u, frame.RequestId);
            Assert.Equal(250u, frame.DeadlineMs);
            Assert.Equal(HashRequest[NativeProtocol.HeaderSize..], frame.Payload.ToArray());
        }
    }

    [Fact]
    public void FramesFedOneByteAtATimeParseOnceComplete()
    {
        var reader = new NativeFrameReader();
        var stream = HashRequest.Concat(RawConnection.Request(NativeOpcodes.Ping, 43, [])).ToArray();
        var received = new List<byte>();
        var ids = new List<uint>();
        foreach (var b in stream)
        {
            received.Add(b);
            var buffer = new ReadOnlySequence<byte>(received.ToArray());
            while (reader.TryRead(ref buffer, out var frame))
            {
                ids.Add(frame.RequestId);
            }

            received = [.. buffer.ToArray()];
        }

        Assert.Equal([42u, 43u], ids);
        Assert.Empty(received);
    }

    [Theory]
    [InlineData(new byte[] { 0x00 }, NativeProtocolError.BadMagic)]
    [InlineData(new byte[] { 0x47, 0x45, 0x54 }, NativeProtocolError.BadMagic)]
    [InlineData(new byte[] { 0xC1, 0x80 }, NativeProtocolError.ReservedBitsSet)]
    [InlineData(new byte[] { 0xC1, 0x02 }, NativeProtocolError.ReservedBitsSet)]
    [InlineData(new byte[] { 0xC1, 0x01, 0, 2, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0 }, NativeProtocolError.ReservedBitsSet)]
    [InlineData(new byte[] { 0xC1, 0x00, 0, 2, 0, 0, 0, 1, 0, 0x10, 0, 1, 0, 0, 0, 0 }, NativeProtocolError.FrameTooLarge)]
    public void MalformedHeaderThrowsItsErrorBeforeTheBodyArrives(byte[] bytes, NativeProtocolError expected)
    {
        var reader = new NativeFrameReader(maxFrameBytes: 1024 * 1024);
        var buffer = new ReadOnlySequence<byte>(bytes);
        var error = Assert.Throws<NativeProtocolException>(() => reader.TryRead(ref buffer, out _));
        Assert.Equal(expected, error.Error);
    }

    [Fact]
    public void OversizeErrorCarriesTheRequestIdForTheReply()
    {
        var frame = RawConnection.Request(NativeOpcodes.Echo, 77, new byte[100]);
        var buffer = new ReadOnlySequence<byte>(frame, 0, NativeProtocol.HeaderSize);
        var error = Assert.Throws<NativeProtocolException>(() => new NativeFrameReader(maxFrameBytes: 99).TryRead(ref buffer, out _));
        Assert.Equal((77u, NativeOpcodes.Echo, 100L), (error.RequestId, error.Opcode, error.Length));
    }
}
