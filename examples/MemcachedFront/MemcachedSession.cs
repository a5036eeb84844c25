using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
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
public sealed class MemcachedSession(FrontContext context, MemcachedStore store)
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

    // False: a storage command whose data block is not all here yet (afterLine untouched, or consumed into the held block).
    private bool TryHandleLine(ReadOnlySpan<byte> line, long buffered, ref ReadOnlySequence<byte> afterLine)
    {
        Span<Range> words = stackalloc Range[MaxWords];
        var count = Split(line, words);
        var command = count == 0 ? default : line[words[0]];
        var noreply = count is > 1 and <= MaxWords && line[words[count - 1]].SequenceEqual("noreply"u8);
        var storage = StorageOpcode(command);
        if (count >= 2 && (command.SequenceEqual("get"u8) || command.SequenceEqual("gets"u8)))
        {
            Retrieve(line, command.Length == 4);
        }
        else if (storage != 0 && count - (storage == CasOpcode ? 6 : 5) is 0 or 1)
        {
            return TryStore(line, words[..count], noreply, buffered, ref afterLine);
        }
        else if (command.SequenceEqual("delete"u8) && count is >= 2 and <= 4)
        {
            Delete(line, words[..count], noreply);
        }
        else if ((command.SequenceEqual("incr"u8) || command.SequenceEqual("decr"u8) || command.SequenceEqual("touch"u8)) && count is 3 or 4)
        {
            KeyCommand(command[0] switch { (byte)'i' => MemcachedOpcodes.Incr, (byte)'d' => MemcachedOpcodes.Decr, _ => MemcachedOpcodes.Touch }, line, words[..count], noreply);
        }
        else if (command.SequenceEqual("flush_all"u8) && count <= 3)
        {
            FlushAll(line, words[..count], noreply);
        }
        else if (command.SequenceEqual("version"u8))
        {
            Reply(VersionReply, false, "mc_version", NativeStatus.Ok);
        }
        else if (command.SequenceEqual("verbosity"u8) && count is 2 or 3)
        {
            var level = MemcachedSyntax.TryParseUInt64(line[words[1]], out var value) && value <= uint.MaxValue;
            Reply(level ? "OK\r\n"u8 : "CLIENT_ERROR bad command line format\r\n"u8, noreply, "mc_verbosity", level ? NativeStatus.Ok : NativeStatus.BadArgs);
        }
        else if (command.SequenceEqual("stats"u8) && count == 1)
        {
            Reply(Stats(), false, "mc_stats", NativeStatus.Ok);
        }
        else if (command.SequenceEqual("quit"u8))
        {
            CountRequest("mc_quit", NativeStatus.Ok);
            CloseAfterReplies();
        }
        else
        {
            Reply("ERROR\r\n"u8, false, "other", NativeStatus.UnknownOp);
        }

        return true;
    }

    // The general statistics only (memcstat's), as "STAT name value" lines and END; no sub-statistics.
    private byte[] Stats()
    {
        var text = new System.Text.StringBuilder();
        foreach (var (name, value) in store.Stats())
        {
            text.Append(CultureInfo.InvariantCulture, $"STAT {name} {value}\r\n");
            if (name == "time")
            {
                text.Append(CultureInfo.InvariantCulture, $"STAT version {VersionLine["VERSION ".Length..]}\r\n");
            }
        }

        return System.Text.Encoding.ASCII.GetBytes(text.Append("END\r\n").ToString());
    }

    private void Retrieve(ReadOnlySpan<byte> line, bool withCas)
    {
        _args.ResetWrittenCount();
        var keys = -1; // the command is the first word
        for (var position = 0; NextWord(line, ref position, out var word);)
        {
            if (keys++ < 0)
            {
                continue;
            }

            if (line[word].Length > MemcachedSyntax.MaxKeyBytes)
            {
                ClientError(MemcachedSyntax.BadFormat, false);
                return;
            }

            AddArgument(line[word]);
        }

        Run(withCas ? MemcachedOpcodes.Gets : MemcachedOpcodes.Get, keys, false);
    }

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

    private void Delete(ReadOnlySpan<byte> line, ReadOnlySpan<Range> words, bool noreply)
    {
        // memcached accepts a legacy hold time of 0, with or without noreply, and nothing else.
        var holdIsZero = words.Length > 2 && line[words[2]].SequenceEqual("0"u8);
        if ((words.Length == 3 && !holdIsZero && !noreply) || (words.Length == 4 && !(holdIsZero && noreply)))
        {
            ClientError("bad command line format.  Usage: delete <key> [noreply]", noreply);
            return;
        }

        KeyCommand(MemcachedOpcodes.Delete, line, words[..2], noreply);
    }

    // incr/decr key delta, touch key exptime, delete key: the operation checks the number.
    private void KeyCommand(ushort opcode, ReadOnlySpan<byte> line, ReadOnlySpan<Range> words, bool noreply)
    {
        if (line[words[1]].Length > MemcachedSyntax.MaxKeyBytes)
        {
            ClientError(MemcachedSyntax.BadFormat, noreply);
            return;
        }

        _args.ResetWrittenCount();
        AddArgument(line[words[1]]);
        if (opcode != MemcachedOpcodes.Delete)
        {
            AddArgument(line[words[2]]);
        }

        Run(opcode, opcode == MemcachedOpcodes.Delete ? 1 : 2, noreply);
    }

    private void FlushAll(ReadOnlySpan<byte> line, ReadOnlySpan<Range> words, bool noreply)
    {
        _args.ResetWrittenCount();
        var delayed = words.Length != (noreply ? 2 : 1);
        if (delayed)
        {
            AddArgument(line[words[1]]);
        }

        Run(MemcachedOpcodes.FlushAll, delayed ? 1 : 0, noreply);
    }

    private void Run(ushort opcode, int count, bool noreply)
    {
        if (!Operations.TryGet(opcode, out var operation))
        {
            Reply("SERVER_ERROR operation not registered\r\n"u8, noreply, "other", NativeStatus.UnknownOp);
            return;
        }

        var tag = (_nextTag++ & ~MemcachedEncoder.NoReply) | (noreply ? MemcachedEncoder.NoReply : 0);
        RunOperation(operation, new ArgumentList(new ReadOnlySequence<byte>(_args.WrittenMemory), count, ArgumentEncoding.LengthPrefixed), tag, 0);
    }

    private void ClientError(string reason, bool noreply)
    {
        if (!noreply)
        {
            MemcachedEncoder.WriteLine(ReplyOutput(), "CLIENT_ERROR "u8, System.Text.Encoding.ASCII.GetBytes(reason));
        }

        CountRequest("other", NativeStatus.BadArgs);
    }

    private void Reply(ReadOnlySpan<byte> line, bool noreply, string op, NativeStatus status)
    {
        if (!noreply)
        {
            ReplyOutput().Write(line);
        }

        CountRequest(op, status);
    }

    private void AddArgument(ReadOnlySpan<byte> argument) => NativeArguments.Write(_args, argument);

    private void AddArgument(in ReadOnlySequence<byte> argument)
    {
        BinaryPrimitives.WriteUInt32BigEndian(_args.GetSpan(4), (uint)argument.Length);
        _args.Advance(4);
        foreach (var segment in argument)
        {
            _args.Write(segment.Span);
        }
    }

    private static ushort StorageOpcode(ReadOnlySpan<byte> command)
    {
        foreach (var (name, opcode) in StorageCommands)
        {
            if (command.SequenceEqual(name))
            {
                return opcode;
            }
        }

        return 0;
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

    // memcached's tokenizer: words separated by spaces (a run of them counts as one). Returns how many; keeps the first ones.
    private static int Split(ReadOnlySpan<byte> line, Span<Range> words)
    {
        var count = 0;
        for (var position = 0; NextWord(line, ref position, out var word); count++)
        {
            if (count < words.Length)
            {
                words[count] = word;
            }
        }

        return count;
    }

    private static bool NextWord(ReadOnlySpan<byte> line, ref int position, out Range word)
    {
        while (position < line.Length && line[position] == (byte)' ')
        {
            position++;
        }

        var start = position;
        while (position < line.Length && line[position] != (byte)' ')
        {
            position++;
        }

        word = start..position;
        return position > start;
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
