using System.Buffers;

namespace C10k.LoadTesting.Targets.Resp;

/// <summary>
/// A connection's own read buffer, allocated once and reused for every read: unread bytes move to the front when the free space runs
/// out, and the buffer doubles when one reply is bigger than all of it. A pipe reader rented a buffer segment and a read state per
/// read; at 10,000 held connections with a read pending on each for a second at a time, those lived long enough to survive gen0.
/// </summary>
internal sealed class ReceiveBuffer(int initialSize)
{
    private byte[] _bytes = new byte[initialSize];
    private int _start;
    private int _end;

    /// <summary>Bytes received and not yet consumed.</summary>
    public ReadOnlySequence<byte> Unread => new(_bytes, _start, _end - _start);

    /// <summary>Where the next read goes: never empty (compacts or grows first).</summary>
    public Memory<byte> FreeSpace()
    {
        if (_end == _bytes.Length)
        {
            if (_start > 0)
            {
                Buffer.BlockCopy(_bytes, _start, _bytes, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }
            else
            {
                Array.Resize(ref _bytes, _bytes.Length * 2);
            }
        }

        return _bytes.AsMemory(_end);
    }

    /// <summary>Records <paramref name="count"/> bytes read into <see cref="FreeSpace"/>.</summary>
    public void Received(int count) => _end += count;

    /// <summary>Keeps only the last <paramref name="remaining"/> unread bytes (what the parser left of <see cref="Unread"/>).</summary>
    public void Consumed(long remaining)
    {
        _start = _end - (int)remaining;
        if (_start == _end)
        {
            _start = _end = 0;
        }
    }
}
