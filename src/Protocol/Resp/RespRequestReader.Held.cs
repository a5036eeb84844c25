using System.Buffers;

namespace C10k.Protocol.Resp;

/// <summary>Large requests: an incomplete request past the spill threshold leaves the input for the reader's own buffer.</summary>
public sealed partial class RespRequestReader
{
    private void Hold(ref ReadOnlySequence<byte> buffer)
    {
        // Every byte of an incomplete request's buffer belongs to it.
        if (buffer.Length >= SpillThresholdBytes)
        {
            _held ??= new SpillBuffer(_pool);
            _held.Reset();
            _held.Append(buffer);
            _holding = true;
            _returnedHeld = false;
            buffer = buffer.Slice(buffer.End);
        }
    }

    // Takes from the input only bytes that belong to the held request, then parses on from where the last call stopped.
    private Parsed ContinueHeld(ref ReadOnlySequence<byte> buffer, out RespRequest request)
    {
        var held = _held!;
        request = default;
        while (!buffer.IsEmpty)
        {
            var take = Math.Min(buffer.Length, BytesOfHeldRequest(held, buffer));
            held.Append(buffer.Slice(0, take));
            buffer = buffer.Slice(take);
            var parsed = Parse(held.Sequence, out request, out _);
            if (parsed != Parsed.Incomplete)
            {
                return parsed;
            }
        }

        return Parsed.Incomplete;
    }

    // How many of the next input bytes can belong to the held request: the rest of a bulk, else up to the end of the current line.
    private long BytesOfHeldRequest(SpillBuffer held, in ReadOnlySequence<byte> buffer)
    {
        if (_inBody)
        {
            return _offset + _bodyLength + 2 - held.Length;
        }

        var reader = new SequenceReader<byte>(held.Sequence);
        reader.TryPeek(out var first);
        var terminator = first == '*' ? (byte)'\r' : (byte)'\n';
        if (terminator == '\r' && held.Length > _offset && held.Sequence.Slice(held.Length - 1).FirstSpan[0] == '\r')
        {
            // The line's CR has arrived: Redis takes the byte after it without looking at it.
            return 1;
        }

        var position = buffer.PositionOf(terminator);
        var line = position is { } end ? buffer.Slice(0, end).Length + 1 : buffer.Length;
        return terminator == '\r' ? line + 1 : line;
    }
}
