using System.Buffers;
using System.Text;
using C10k.LoadTesting.Targets.Resp;

namespace C10k.LoadTesting.Tests;

public sealed class ReceiveBufferTests
{
    [Fact]
    public void AReplySplitAcrossReadsIsReadWholeOnceItsLastBytesArrive()
    {
        var buffer = new ReceiveBuffer(14); // full after the first read: the second compacts first
        var codec = new SharedRespCodec();

        Receive(buffer, "+PONG\r\n$5\r\nhel");
        var unread = buffer.Unread;
        Assert.True(codec.TryReadReply(ref unread, true, out var first));
        Assert.False(codec.TryReadReply(ref unread, true, out _));
        buffer.Consumed(unread.Length);
        Receive(buffer, "lo\r\n");
        unread = buffer.Unread;
        Assert.True(codec.TryReadReply(ref unread, true, out var second));
        buffer.Consumed(unread.Length);

        Assert.Equal(("PONG", "hello"), (Encoding.ASCII.GetString(first.Value.Span), Encoding.ASCII.GetString(second.Value.Span)));
        Assert.True(buffer.Unread.IsEmpty);
    }

    [Fact]
    public void UnreadBytesMoveToTheFrontWhenTheFreeSpaceRunsOut()
    {
        var buffer = new ReceiveBuffer(8);

        Receive(buffer, "abcdefgh");
        buffer.Consumed(3); // "fgh" left unread, no free space
        var free = buffer.FreeSpace();

        Assert.Equal(5, free.Length);
        Assert.Equal("fgh", Encoding.ASCII.GetString(buffer.Unread.ToArray()));
    }

    [Fact]
    public void AReplyBiggerThanTheBufferDoublesIt()
    {
        var buffer = new ReceiveBuffer(8);
        var value = new string('x', 40);
        var wire = $"${value.Length}\r\n{value}\r\n";

        for (var at = 0; at < wire.Length;)
        {
            var free = buffer.FreeSpace();
            var count = Math.Min(free.Length, wire.Length - at);
            Encoding.ASCII.GetBytes(wire.AsSpan(at, count), free.Span);
            buffer.Received(count);
            at += count;
        }

        var unread = buffer.Unread;
        Assert.True(new SharedRespCodec().TryReadReply(ref unread, true, out var reply));
        Assert.Equal(value, Encoding.ASCII.GetString(reply.Value.Span));
    }

    private static void Receive(ReceiveBuffer buffer, string text)
    {
        var free = buffer.FreeSpace();
        var count = Encoding.ASCII.GetBytes(text, free.Span);
        buffer.Received(count);
    }
}
