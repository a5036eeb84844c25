using System.Buffers;

namespace C10k.LoadTesting.Targets.Resp;

/// <summary>The two RESP codec operations the pipelined client needs (implemented over the shared codec by <see cref="SharedRespCodec"/>).</summary>
internal interface IRespClientCodec
{
    /// <summary>Writes one command as a RESP array of bulk strings.</summary>
    void WriteCommand(IBufferWriter<byte> output, ReadOnlySpan<ReadOnlyMemory<byte>> arguments);

    /// <summary>
    /// Reads one complete reply from the front of <paramref name="buffer"/> and slices it off; false when more bytes are needed.
    /// <paramref name="captureValue"/> copies the reply's value out of the buffer.
    /// </summary>
    bool TryReadReply(ref ReadOnlySequence<byte> buffer, bool captureValue, out RespReplySummary reply);
}
