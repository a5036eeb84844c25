using System.Buffers;
using System.IO.Pipelines;

namespace C10k.Server.Transport;

/// <summary>The one pooled buffer of a <see cref="SocketInput"/>: room for the next read, the result over it, its return.</summary>
internal sealed partial class SocketInput
{
    private Memory<byte> Room()
    {
        if (_buffer is null)
        {
            _buffer = ArrayPool<byte>.Shared.Rent(MinimumReadSize);
            _start = _end = _examined = 0;
        }
        else if (_buffer.Length - _end < MinimumReadSize / 4)
        {
            var unconsumed = _end - _start;
            var target = unconsumed + MinimumReadSize <= _buffer.Length ? _buffer : ArrayPool<byte>.Shared.Rent(unconsumed + MinimumReadSize);
            Buffer.BlockCopy(_buffer, _start, target, 0, unconsumed);
            if (target != _buffer)
            {
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = target;
            }

            _examined -= _start;
            _end = unconsumed;
            _start = 0;
        }

        return _buffer.AsMemory(_end);
    }

    private ReadResult Result(bool isCanceled) =>
        new(_buffer is null ? default : new ReadOnlySequence<byte>(_buffer, _start, _end - _start), isCanceled, _eof);

    private void ReleaseIfEmpty()
    {
        if (_end == _start)
        {
            ReleaseBuffer();
        }
    }

    private void ReleaseBuffer()
    {
        if (_buffer is { } buffer)
        {
            _buffer = null;
            _start = _end = _examined = 0;
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
