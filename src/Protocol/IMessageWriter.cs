using System.Buffers;

namespace C10k.Protocol;

/// <summary>Bedrock.Framework's writer contract: encode one message into the output. Never fails for a valid message.</summary>
public interface IMessageWriter<in TMessage>
{
    /// <summary>Writes <paramref name="message"/> to the output.</summary>
    void WriteMessage(TMessage message, IBufferWriter<byte> output);
}
