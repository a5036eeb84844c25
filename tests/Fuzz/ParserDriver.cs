using System.Buffers;
using System.Globalization;
using System.Text;
using C10k.Protocol;
using C10k.Protocol.Native;
using C10k.Protocol.Proxy;
using C10k.Protocol.Resp;

namespace C10k.Fuzz;

/// <summary>The parsers under test.</summary>
internal enum FuzzTarget
{
    Native,
    RespRequest,
    RespReply,
    Proxy,
}

/// <summary>What a parser made of a stream: every message, then how the stream ended (bytes of a partial message, or an error).</summary>
internal sealed record Transcript(IReadOnlyList<string> Messages, string End, string? Error)
{
    public bool SameAs(Transcript other) => Messages.SequenceEqual(other.Messages) && End == other.End;

    public override string ToString() => string.Join('\n', Messages) + "\n" + End + (Error is null ? "" : " (" + Error + ")");
}

/// <summary>
/// Runs one parser over a byte stream delivered in pieces, as a pipe delivers reads (fresh segments each time, the unconsumed bytes
/// handed back), and writes down what it parsed. The same stream cut anywhere must give the same transcript as the stream whole, and
/// nothing but the codec's protocol exception may escape. Shared by the AFL++ harness and the CsCheck property tests.
/// </summary>
internal static class ParserDriver
{
    /// <summary>Largest native payload: small, so short inputs reach the limit checks.</summary>
    public const int MaxFrameBytes = 256;

    // A byte-by-byte run costs a pass per byte: only for short inputs.
    private const int MaxByteByByteInput = 2048;

    /// <summary>Small limits, so short inputs reach every limit check.</summary>
    public static readonly RespLimits Limits = new() { MaxArgs = 16, MaxBulkBytes = 256, MaxInlineBytes = 128 };

    /// <summary>Parses <paramref name="input"/> whole, cut at random points and (if short) byte by byte; throws when they differ.</summary>
    public static void Check(FuzzTarget target, byte[] input)
    {
        var whole = Run(target, input, [], smallSpill: false);
        Compare(whole, Run(target, input, RandomCuts(input.Length, Seed(input)), smallSpill: true));
        if (input.Length <= MaxByteByByteInput)
        {
            Compare(whole, Run(target, input, [.. Enumerable.Range(1, Math.Max(0, input.Length - 1))], smallSpill: true));
        }
    }

    /// <summary>Ascending cut points in (0, length), from <paramref name="seed"/>.</summary>
    public static int[] RandomCuts(int length, int seed)
    {
        var random = new Random(seed);
        var cuts = new List<int>();
        for (var at = random.Next(1, 64); at < length; at += random.Next(1, 64))
        {
            cuts.Add(at);
        }

        return [.. cuts];
    }

    /// <summary>Runs <paramref name="target"/> over <paramref name="input"/> delivered in the pieces between <paramref name="cuts"/>.</summary>
    public static Transcript Run(FuzzTarget target, byte[] input, IReadOnlyList<int> cuts, bool smallSpill)
    {
        if (target == FuzzTarget.Proxy)
        {
            return RunProxy(input, cuts);
        }

        StreamParser parser = target switch
        {
            FuzzTarget.Native => new NativeParser(smallSpill),
            FuzzTarget.RespRequest => new RespRequestParser(smallSpill),
            _ => new RespReplyParser(),
        };
        var messages = new List<string>();
        var feed = new Feed();
        var from = 0;
        try
        {
            foreach (var to in cuts.Append(input.Length))
            {
                feed.Append(input.AsMemory(from, to - from));
                from = to;
                while (true)
                {
                    var buffer = feed.Sequence();
                    var before = buffer.Length;
                    var parsed = parser.TryNext(ref buffer, out var message);
                    feed.Consume(before - buffer.Length);
                    if (!parsed)
                    {
                        break;
                    }

                    messages.Add(message);
                }
            }
        }
        catch (ProtocolException ex)
        {
            return new Transcript(messages, "error", ex.Message);
        }

        return new Transcript(messages, "partial " + (feed.Length + parser.HeldBytes).ToString(CultureInfo.InvariantCulture), null);
    }

    private static void Compare(Transcript whole, Transcript split)
    {
        if (!whole.SameAs(split))
        {
            throw new InvalidOperationException($"The stream cut in pieces parsed differently.\nWhole:\n{whole}\nIn pieces:\n{split}");
        }
    }

    private static int Seed(byte[] input)
    {
        var hash = 2166136261u;
        foreach (var b in input)
        {
            hash = (hash ^ b) * 16777619u;
        }

        return (int)hash;
    }

    // A v2 header is parsed from each growing prefix until the parser decides; the decision must be the whole input's.
    private static Transcript RunProxy(byte[] input, IReadOnlyList<int> cuts)
    {
        foreach (var to in cuts.Append(input.Length))
        {
            var feed = new Feed();
            var from = 0;
            foreach (var cut in cuts.Where(c => c < to).Append(to))
            {
                feed.Append(input.AsMemory(from, cut - from));
                from = cut;
            }

            var prefix = feed.Sequence();
            var status = ProxyHeaderV2.TryParse(prefix, out var header, out var consumed);
            if (status != ProxyParseStatus.Incomplete || to == input.Length)
            {
                var end = status == ProxyParseStatus.Done ? prefix.Slice(0, consumed).Length : 0;
                return new Transcript([$"{status} {header.Command} {header.Source} {header.Destination} {header.Length} {end}"], "done", null);
            }
        }

        throw new InvalidOperationException("unreachable: the last prefix is the whole input");
    }

    private static string Hex(in ReadOnlySequence<byte> bytes) => Convert.ToHexString(bytes.ToArray());

    private static void DescribeArguments(StringBuilder text, in ArgumentList arguments)
    {
        text.Append(" args=").Append(arguments.Count);
        var index = 0;
        foreach (var argument in arguments)
        {
            text.Append(' ').Append(Hex(argument));
            if (arguments.TryGetInt64(index, out var number))
            {
                text.Append('=').Append(number);
            }

            if (!arguments[index].ToArray().AsSpan().SequenceEqual(argument.ToArray()))
            {
                throw new InvalidOperationException("The indexer and the enumerator disagree on argument " + index);
            }

            index++;
        }
    }

    private abstract class StreamParser
    {
        public virtual long HeldBytes => 0;

        public abstract bool TryNext(ref ReadOnlySequence<byte> buffer, out string message);
    }

    private sealed class NativeParser(bool smallSpill) : StreamParser
    {
        private readonly NativeFrameReader _reader = new(MaxFrameBytes, smallSpill ? NativeProtocol.HeaderSize : NativeFrameReader.DefaultSpillThresholdBytes);

        public override long HeldBytes => _reader.HeldBytes;

        public override bool TryNext(ref ReadOnlySequence<byte> buffer, out string message)
        {
            message = "";
            if (!_reader.TryRead(ref buffer, out var frame))
            {
                return false;
            }

            var text = new StringBuilder();
            text.Append(CultureInfo.InvariantCulture, $"{(frame.IsReply ? "reply" : "request")} op={frame.Opcode} id={frame.RequestId} status={frame.Status} deadline={frame.DeadlineMs} {Hex(frame.Payload)}");
            if (NativeArguments.TryParse(frame.Payload, 8, out var arguments))
            {
                DescribeArguments(text, arguments);
            }

            message = text.ToString();
            return true;
        }
    }

    private sealed class RespRequestParser(bool smallSpill) : StreamParser
    {
        private readonly RespRequestReader _reader = new(Limits, smallSpill ? 1 : RespRequestReader.DefaultSpillThresholdBytes);

        public override long HeldBytes => _reader.HeldBytes;

        public override bool TryNext(ref ReadOnlySequence<byte> buffer, out string message)
        {
            message = "";
            if (!_reader.TryRead(ref buffer, out var request))
            {
                return false;
            }

            message = Describe(request, request.IsInline);

            // Re-encoded as an array, the request must parse back to itself.
            var encoded = new ArrayBufferWriter<byte>();
            new RespRequestWriter().WriteMessage(request, encoded);
            var again = new ReadOnlySequence<byte>(encoded.WrittenMemory);
            if (!new RespRequestReader().TryRead(ref again, out var reparsed) || !again.IsEmpty || Describe(reparsed, request.IsInline) != message)
            {
                throw new InvalidOperationException("The request did not survive re-encoding: " + message);
            }

            return true;
        }

        private static string Describe(in RespRequest request, bool inline)
        {
            var text = new StringBuilder();
            text.Append(CultureInfo.InvariantCulture, $"{request.Command} name={Hex(request.Name)} inline={inline}");
            DescribeArguments(text, request.Arguments);
            return text.ToString();
        }
    }

    private sealed class RespReplyParser : StreamParser
    {
        // Deeper arrays are counted, not walked: the harness must not overflow its own stack on `*1\r\n*1\r\n…`.
        private const int MaxDepth = 64;

        private readonly RespReplyReader _reader = new(Limits);

        public override bool TryNext(ref ReadOnlySequence<byte> buffer, out string message)
        {
            message = "";
            if (!_reader.TryRead(ref buffer, out var reply))
            {
                return false;
            }

            var text = new StringBuilder();
            Render(reply, text, 0);
            message = text.ToString();
            return true;
        }

        private static void Render(in RespReply reply, StringBuilder text, int depth)
        {
            text.Append(CultureInfo.InvariantCulture, $"{reply.Type}:{reply.Value}:{reply.IsNull}");
            if (reply.Type != RespReplyType.Array)
            {
                text.Append(' ').Append(Hex(reply.Payload));
                return;
            }

            text.Append('[');
            if (depth < MaxDepth)
            {
                foreach (var element in reply)
                {
                    Render(element, text, depth + 1);
                    text.Append(',');
                }
            }

            text.Append(']');
        }
    }

    // Unconsumed bytes as the chunks they arrived in; every read builds new segments, as a pipe's buffer is new on every read.
    private sealed class Feed
    {
        private readonly List<ReadOnlyMemory<byte>> _chunks = [];

        public long Length => _chunks.Sum(c => (long)c.Length);

        public void Append(ReadOnlyMemory<byte> bytes)
        {
            if (!bytes.IsEmpty)
            {
                _chunks.Add(bytes);
            }
        }

        public void Consume(long count)
        {
            while (count > 0)
            {
                if (_chunks[0].Length <= count)
                {
                    count -= _chunks[0].Length;
                    _chunks.RemoveAt(0);
                }
                else
                {
                    _chunks[0] = _chunks[0][(int)count..];
                    count = 0;
                }
            }
        }

        public ReadOnlySequence<byte> Sequence() => SegmentedSequence.Create([.. _chunks.Select(c => c.ToArray())]);
    }
}
