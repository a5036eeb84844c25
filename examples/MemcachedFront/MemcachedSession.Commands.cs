using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using C10k.Protocol;
using C10k.Protocol.Native;

namespace MemcachedFront;

/// <summary>The memcached front's commands: memcached 1.6's word counts and checks, then the operation or the front's own reply.</summary>
public sealed partial class MemcachedSession
{
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
}
