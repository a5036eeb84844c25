using System.Buffers;

namespace C10k.Server.Buffers;

/// <summary>
/// A growable <see cref="IBufferWriter{T}"/> over arrays rented from <see cref="ArrayPool{T}.Shared"/>. Holds no memory while empty
/// after <see cref="Reset"/>, so ten thousand idle connections hold no buffers. Not thread-safe.
/// </summary>
internal sealed class PooledBufferWriter : IBufferWriter<byte>
{
    private byte[] _buffer = [];
    private int _written;

    /// <summary>Bytes written since the last reset.</summary>
    public int Length => _written;

    /// <summary>The bytes written.</summary>
    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _written);

    /// <summary>The bytes written, as memory.</summary>
    public ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, _written);

    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, _buffer.Length - _written);
        _written += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsMemory(_written);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsSpan(_written);
    }

    /// <summary>Forgets the content; returns the array to the pool unless <paramref name="keepBuffer"/>.</summary>
    public void Reset(bool keepBuffer = false)
    {
        _written = 0;
        if (!keepBuffer && _buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
        }
    }

    private void Ensure(int sizeHint)
    {
        var needed = _written + Math.Max(sizeHint, 1);
        if (needed <= _buffer.Length)
        {
            return;
        }

        var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(needed, Math.Max(256, _buffer.Length * 2)));
        _buffer.AsSpan(0, _written).CopyTo(bigger);
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
        }

        _buffer = bigger;
    }
}
