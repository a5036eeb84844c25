using System.Buffers;

namespace C10k.Protocol;

/// <summary>
/// Bedrock.Framework's reader contract: parse one message from the input without I/O.
/// Returns false when more bytes are needed; throws a protocol exception on malformed input.
/// </summary>
public interface IMessageReader<TMessage>
{
    /// <summary>Parses one message. On success <paramref name="consumed"/> is just past it; on false <paramref name="examined"/> says how far the parser looked.</summary>
    bool TryParseMessage(in ReadOnlySequence<byte> input, ref SequencePosition consumed, ref SequencePosition examined, out TMessage message);
}
