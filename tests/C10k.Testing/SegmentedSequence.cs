using System.Buffers;

namespace C10k.Testing;

/// <summary>Builds multi-segment sequences, as a pipe hands over bytes that arrived in several reads.</summary>
public static class SegmentedSequence
{
    public static ReadOnlySequence<byte> Create(params byte[][] parts)
    {
        var nonEmpty = parts.Where(p => p.Length > 0).ToArray();
        if (nonEmpty.Length == 0)
        {
            return ReadOnlySequence<byte>.Empty;
        }

        var first = new Segment(nonEmpty[0], 0);
        var last = first;
        foreach (var part in nonEmpty.Skip(1))
        {
            last = last.Append(part);
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    /// <summary>Every byte in its own segment.</summary>
    public static ReadOnlySequence<byte> ByteByByte(byte[] bytes) => Create(bytes.Select(b => new[] { b }).ToArray());

    /// <summary>Every way to cut <paramref name="bytes"/> in two non-empty segments.</summary>
    public static IEnumerable<ReadOnlySequence<byte>> TwoSegmentSplits(byte[] bytes)
    {
        for (var i = 1; i < bytes.Length; i++)
        {
            yield return Create(bytes[..i], bytes[i..]);
        }
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
