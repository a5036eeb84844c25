using System.Buffers;

namespace C10k.Protocol;

/// <summary>
/// The bytes of one partial message that a reader has taken out of its input, so that the transport's read-ahead can stay smaller
/// than the largest message the limits allow: pooled chunks that grow with the bytes that arrive (to at most twice what is held)
/// and go back to the pool once the reader moves past the message.
/// </summary>
internal sealed class SpillBuffer
{
    /// <summary>A partial message this large moves out of the input; must not exceed the transport's read-ahead.</summary>
    internal const int DefaultThresholdBytes = 32 * 1024;

    private const int MinChunkBytes = 16 * 1024;
    private const int MaxChunkBytes = 1024 * 1024;

    private readonly MemoryPool<byte> _pool;
    private Chunk? _first;
    private Chunk? _last;

    public SpillBuffer(MemoryPool<byte>? pool) => _pool = pool ?? MemoryPool<byte>.Shared;

    /// <summary>Bytes held.</summary>
    public long Length { get; private set; }

    /// <summary>The bytes held, valid until <see cref="Reset"/>.</summary>
    public ReadOnlySequence<byte> Sequence => _first is null || _last is null
        ? ReadOnlySequence<byte>.Empty
        : new ReadOnlySequence<byte>(_first, 0, _last, _last.Used);

    /// <summary>Appends a copy of <paramref name="bytes"/>.</summary>
    public void Append(in ReadOnlySequence<byte> bytes)
    {
        foreach (var memory in bytes)
        {
            Append(memory.Span);
        }
    }

    /// <summary>Appends a copy of <paramref name="bytes"/>.</summary>
    public void Append(ReadOnlySpan<byte> bytes)
    {
        while (!bytes.IsEmpty)
        {
            if (_last is null || _last.Free == 0)
            {
                AddChunk();
            }

            var chunk = _last!;
            var count = Math.Min(chunk.Free, bytes.Length);
            bytes[..count].CopyTo(chunk.Writable.Span[chunk.Used..]);
            chunk.Used += count;
            Length += count;
            bytes = bytes[count..];
        }
    }

    /// <summary>Returns every chunk to the pool.</summary>
    public void Reset()
    {
        for (var chunk = _first; chunk is not null; chunk = chunk.NextChunk)
        {
            chunk.Owner.Dispose();
        }

        _first = null;
        _last = null;
        Length = 0;
    }

    private void AddChunk()
    {
        // Doubling: a large message costs a few chunks (slicing walks them), a small one only the first.
        var size = (int)Math.Clamp(Length, MinChunkBytes, MaxChunkBytes);
        if (_pool.MaxBufferSize > 0)
        {
            size = Math.Min(size, _pool.MaxBufferSize);
        }

        var chunk = new Chunk(_pool.Rent(size), _last is null ? 0 : _last.RunningIndex + _last.Memory.Length);
        if (_last is null)
        {
            _first = chunk;
        }
        else
        {
            _last.Link(chunk);
        }

        _last = chunk;
    }

    private sealed class Chunk : ReadOnlySequenceSegment<byte>
    {
        public Chunk(IMemoryOwner<byte> owner, long runningIndex)
        {
            Owner = owner;
            Writable = owner.Memory;
            Memory = owner.Memory;
            RunningIndex = runningIndex;
        }

        public IMemoryOwner<byte> Owner { get; }

        public Memory<byte> Writable { get; }

        public int Used { get; set; }

        public int Free => Writable.Length - Used;

        public Chunk? NextChunk { get; private set; }

        public void Link(Chunk next)
        {
            NextChunk = next;
            Next = next;
        }
    }
}
