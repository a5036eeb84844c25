using System.IO.Pipelines;

namespace C10k.Protocol;

/// <summary>
/// Bedrock's ProtocolWriter without its lock: C10k gives every connection exactly one writer, so this adapter only encodes
/// into the pipe and flushes once per batch.
/// </summary>
public sealed class ProtocolWriter
{
    private readonly PipeWriter _output;

    /// <summary>Creates a writer over <paramref name="output"/>.</summary>
    public ProtocolWriter(PipeWriter output) => _output = output;

    /// <summary>Encodes <paramref name="message"/> into the pipe without flushing.</summary>
    public void Write<T>(IMessageWriter<T> writer, T message) => writer.WriteMessage(message, _output);

    /// <summary>Flushes what was written; false when the peer is gone.</summary>
    public async ValueTask<bool> FlushAsync(CancellationToken cancellationToken = default)
    {
        var result = await _output.FlushAsync(cancellationToken).ConfigureAwait(false);
        return !result.IsCompleted && !result.IsCanceled;
    }
}
