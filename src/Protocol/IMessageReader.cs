using System.Buffers;

namespace C10k.Protocol;

/// <summary>
/// Bedrock.Framework's reader contract: parse one message from the input without I/O.
/// Returns false when more bytes are needed; throws a protocol exception on malformed input.
/// </summary>
public interface IMessageReader<TMessage>
{
    /// <summary>
    /// Bytes of an incomplete message the reader has consumed from its input and holds itself (a large message is taken out of the
    /// input as it arrives, so the read-ahead can stay small); 0 when the reader holds nothing. The stream ending while this is above 0
    /// ends it mid-message.
    /// </summary>
    long HeldBytes => 0;

    /// <summary>
    /// Parses one message. On success <paramref name="consumed"/> is just past it. On false <paramref name="consumed"/> may have moved
    /// past bytes the reader now holds (see <see cref="HeldBytes"/>) and <paramref name="examined"/> says how far the parser looked.
    /// </summary>
    bool TryParseMessage(in ReadOnlySequence<byte> input, ref SequencePosition consumed, ref SequencePosition examined, out TMessage message);
}
