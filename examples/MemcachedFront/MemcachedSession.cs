using System.Buffers;
using C10k.Protocol;
using C10k.Protocol.Native;
using C10k.Server.Connections;
using C10k.Server.Fronts;

namespace MemcachedFront;

/// <summary>
/// One connection of the memcached front: reads command lines (and a storage command's data block), answers the protocol's own
/// commands (<c>version</c>, <c>verbosity</c>, <c>stats</c>, <c>quit</c>) and malformed lines itself, and hands every store command to its
/// operation (<see cref="MemcachedOpcodes"/>) through <see cref="ConnectionSession.RunOperation"/>, the path the RESP and native
/// fronts take. Replies leave in request order. Line and argument rules are memcached 1.6's: a line that does not parse is
/// <c>ERROR</c> or <c>CLIENT_ERROR …</c> and its data block, if any, is then read as a command line, as memcached does.
/// </summary>
public sealed partial class MemcachedSession(FrontContext context, MemcachedStore store)
    : ConnectionSession(context, MemcachedEncoder.Instance, ReplyOrdering.RequestOrder)
{
    /// <summary>Longest command line; a longer one is <c>CLIENT_ERROR line too long</c> and the connection closes.</summary>
    public const int MaxLineBytes = 8 * 1024;

    /// <summary>What <c>version</c> answers: the protocol level this front follows, and whose it is.</summary>
    public const string VersionLine = "VERSION 1.6.0-c10k";

    private const ushort CasOpcode = MemcachedOpcodes.Set + 5;

    // memcached's storage commands and their operations (MemcachedOpcodes.Storage, in its order).
    private static readonly (byte[] Command, ushort Opcode)[] StorageCommands =
        [.. MemcachedOpcodes.Storage.Select(s => (System.Text.Encoding.ASCII.GetBytes(s.Name[3..].ToLowerInvariant()), s.Code))];

    private static readonly byte[] VersionReply = System.Text.Encoding.ASCII.GetBytes(VersionLine + "\r\n");

    // A data block still incomplete once this much is buffered moves into the session's own buffer, so blocks up to the item
    // limit arrive through the transport's smaller read-ahead (C10k:Transport:MaxReadBufferBytes, 64 KiB).
    private const int HoldThresholdBytes = 16 * 1024;

    // Words a command other than get/gets may have (cas with noreply has 7); more are counted, not kept.
    private const int MaxWords = 8;

    private ArrayBufferWriter<byte> _args = new();
    private uint _nextTag;
    private long _swallow;
    private HeldBlock? _held;

    /// <inheritdoc />
    protected override long HeldBytes => _held?.Filled ?? 0;

    /// <inheritdoc />
    protected override bool TryHandleNext(ref ReadOnlySequence<byte> buffer)
    {
        if (_swallow > 0)
        {
            var skipped = Math.Min(_swallow, buffer.Length);
            buffer = buffer.Slice(skipped);
            _swallow -= skipped;
            if (_swallow > 0)
            {
                return false;
            }
        }

        if (_held is not null)
        {
            return TryFillHeld(ref buffer);
        }

        var newline = buffer.PositionOf((byte)'\n');
        var lineBytes = newline is { } end ? buffer.Slice(0, end).Length : buffer.Length;
        if (lineBytes > MaxLineBytes)
        {
            throw new LineTooLongException();
        }

        if (newline is null)
        {
            return false;
        }

        // A line split across segments is copied into a pooled array for the call: no per-connection line buffer.
        var lineSequence = buffer.Slice(0, lineBytes);
        var copy = lineSequence.IsSingleSegment ? null : ArrayPool<byte>.Shared.Rent((int)lineBytes);
        try
        {
            ReadOnlySpan<byte> line = copy is null ? lineSequence.FirstSpan : Copy(lineSequence, copy);
            var afterLine = buffer.Slice(lineBytes + 1);
            var handled = TryHandleLine(line.EndsWith("\r"u8) ? line[..^1] : line, buffer.Length, ref afterLine);
            if (handled || _held is not null)
            {
                // Past the request, or past the line and the start of a data block now held.
                buffer = afterLine;
            }

            return handled;
        }
        finally
        {
            if (copy is not null)
            {
                ArrayPool<byte>.Shared.Return(copy);
            }
        }
    }

    /// <inheritdoc />
    protected override void WriteProtocolError(ProtocolException exception) =>
        MemcachedEncoder.WriteLine(ReplyOutput(), "CLIENT_ERROR "u8, "line too long"u8);

    private bool TryStore(ReadOnlySpan<byte> line, ReadOnlySpan<Range> words, bool noreply, long buffered, ref ReadOnlySequence<byte> afterLine)
    {
        var command = line[words[0]];
        var key = line[words[1]];
        var cas = StorageOpcode(command) == CasOpcode;
        if (key.Length > MemcachedSyntax.MaxKeyBytes
            || !MemcachedSyntax.TryParseFlags(line[words[2]], out _)
            || !MemcachedSyntax.TryParseInt32(line[words[3]], out _)
            || !MemcachedSyntax.TryParseInt32(line[words[4]], out var bytes) || bytes < 0
            || (cas && !MemcachedSyntax.TryParseUInt64(line[words[5]], out _)))
        {
            // Like memcached: the data block is not skipped, it will be read as a command line.
            ClientError(MemcachedSyntax.BadFormat, noreply);
            return true;
        }

        if (store.IsTooLarge(key.Length, bytes))
        {
            // Refused before the data is read: it is skipped. A set that fails drops the key's old item, as memcached's does.
            Reply("SERVER_ERROR object too large for cache\r\n"u8, noreply, "other", NativeStatus.TooLarge);
            if (command.SequenceEqual("set"u8))
            {
                store.Delete(key);
            }

            _swallow = bytes + 2L;
            return true;
        }

        if (afterLine.Length >= bytes + 2L)
        {
            var data = afterLine.Slice(0, bytes);
            var terminator = afterLine.Slice(bytes, 2);
            afterLine = afterLine.Slice(bytes + 2L);
            Stored(line, data, IsCrLf(terminator));
            return true;
        }

        if (buffered >= HoldThresholdBytes)
        {
            _held = new HeldBlock(line.ToArray(), ArrayPool<byte>.Shared.Rent(bytes + 2), bytes + 2);
            afterLine.CopyTo(_held.Data);
            _held.Filled = (int)afterLine.Length;
            afterLine = afterLine.Slice(afterLine.End);
        }

        return false;
    }

    private bool TryFillHeld(ref ReadOnlySequence<byte> buffer)
    {
        var held = _held!;
        var take = (int)Math.Min(held.Size - held.Filled, buffer.Length);
        buffer.Slice(0, take).CopyTo(held.Data.AsSpan(held.Filled));
        buffer = buffer.Slice(take);
        held.Filled += take;
        if (held.Filled < held.Size)
        {
            return false;
        }

        _held = null;
        var data = new ReadOnlySequence<byte>(held.Data, 0, held.Size - 2);
        Stored(held.Line, data, held.Data.AsSpan(held.Size - 2, 2).SequenceEqual("\r\n"u8));
        ArrayPool<byte>.Shared.Return(held.Data);
        return true;
    }

    // A storage command whose data block is complete: key flags exptime data [cas] to its operation.
    private void Stored(ReadOnlySpan<byte> line, in ReadOnlySequence<byte> data, bool terminated)
    {
        Span<Range> words = stackalloc Range[MaxWords];
        var count = Split(line, words);
        var noreply = line[words[count - 1]].SequenceEqual("noreply"u8);
        if (!terminated)
        {
            ClientError("bad data chunk", noreply);
            return;
        }

        _args.ResetWrittenCount();
        AddArgument(line[words[1]]);
        AddArgument(line[words[2]]);
        AddArgument(line[words[3]]);
        AddArgument(data);
        var opcode = StorageOpcode(line[words[0]]);
        if (opcode == CasOpcode)
        {
            AddArgument(line[words[5]]);
        }

        Run(opcode, opcode == CasOpcode ? 5 : 4, noreply);
        if (_args.Capacity > HoldThresholdBytes * 4)
        {
            _args = new ArrayBufferWriter<byte>(); // a large value's copy is not kept for the connection's lifetime
        }
    }

    private static ReadOnlySpan<byte> Copy(in ReadOnlySequence<byte> bytes, byte[] to)
    {
        bytes.CopyTo(to);
        return to.AsSpan(0, (int)bytes.Length);
    }

    private static bool IsCrLf(in ReadOnlySequence<byte> two)
    {
        Span<byte> copy = stackalloc byte[2];
        two.CopyTo(copy);
        return copy.SequenceEqual("\r\n"u8);
    }

    private sealed class HeldBlock(byte[] line, byte[] data, int size)
    {
        public byte[] Line { get; } = line;

        public byte[] Data { get; } = data;

        public int Size { get; } = size;

        public int Filled { get; set; }
    }

    private sealed class LineTooLongException() : ProtocolException("line too long", "line_too_long");
}
