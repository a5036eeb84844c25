using System.Buffers;
using System.IO.Pipelines;

namespace C10k.Protocol;

/// <summary>
/// Bedrock's ProtocolReader: runs an <see cref="IMessageReader{T}"/> over a <see cref="PipeReader"/>, owning the consumed/examined
/// bookkeeping. Parses every message already buffered before asking the pipe for more. Call <see cref="Advance"/> after each message.
/// </summary>
public sealed class ProtocolReader
{
    private readonly PipeReader _input;
    private ReadOnlySequence<byte> _buffer;
    private bool _hasBuffer;
    private bool _completed;
    private bool _mustAdvance;

    /// <summary>Creates a reader over <paramref name="input"/>.</summary>
    public ProtocolReader(PipeReader input) => _input = input;

    /// <summary>True when unparsed bytes are buffered: the next read may complete without I/O.</summary>
    public bool HasBufferedData => _hasBuffer && !_buffer.IsEmpty;

    /// <summary>Reads the next message. The message's memory stays valid until <see cref="Advance"/>.</summary>
    public async ValueTask<ProtocolReadResult<T>> ReadAsync<T>(IMessageReader<T> reader, CancellationToken cancellationToken = default)
    {
        if (_mustAdvance)
        {
            throw new InvalidOperationException("Advance must be called before the next ReadAsync.");
        }

        while (true)
        {
            if (_hasBuffer)
            {
                if (TryParse(reader, out var message))
                {
                    _mustAdvance = true;
                    return new ProtocolReadResult<T>(message, false, false);
                }

                if (_completed)
                {
                    return new ProtocolReadResult<T>(default!, true, false);
                }
            }

            var result = await _input.ReadAsync(cancellationToken).ConfigureAwait(false);
            _buffer = result.Buffer;
            _hasBuffer = true;
            _completed = result.IsCompleted;
            if (result.IsCanceled)
            {
                return new ProtocolReadResult<T>(default!, false, true);
            }
        }
    }

    /// <summary>Releases the memory of the last message returned.</summary>
    public void Advance() => _mustAdvance = false;

    // False hands the buffer back to the pipe: consumed up to what the parser took, examined up to where it looked.
    private bool TryParse<T>(IMessageReader<T> reader, out T message)
    {
        var consumed = _buffer.Start;
        var examined = _buffer.End;
        if (!_buffer.IsEmpty && reader.TryParseMessage(_buffer, ref consumed, ref examined, out message))
        {
            _buffer = _buffer.Slice(consumed);
            return true;
        }

        message = default!;
        var leftOver = _buffer.Length - _buffer.Slice(_buffer.Start, consumed).Length;
        _input.AdvanceTo(consumed, examined);
        _hasBuffer = false;
        if (_completed && (leftOver > 0 || reader.HeldBytes > 0))
        {
            throw new InvalidDataException("Connection terminated mid-message.");
        }

        return false;
    }
}
