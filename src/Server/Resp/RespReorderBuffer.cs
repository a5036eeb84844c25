using System.Buffers;
using C10k.Server.Buffers;
using C10k.Server.Dispatch;

namespace C10k.Server.Resp;

/// <summary>
/// Keeps a RESP connection's replies in request order once a request has gone to the worker pool: later replies wait in slots
/// behind its slot until it is filled. The read loop owns the slot sequence; a worker only fills the slot of its own request,
/// under the lock, and the read loop moves ready slots from the head to the pipe. Empty (the common case), it costs nothing:
/// the connection then writes straight to the pipe.
/// </summary>
internal sealed class RespReorderBuffer
{
    private readonly object _gate = new();
    private readonly Dictionary<uint, Slot> _pending = [];
    private readonly Stack<Slot> _free = new();
    // Allocated on first use: most connections never send work to the pool.
    private Slot[] _ring = [];
    private int _head;
    private int _count;

    /// <summary>True when no reply is waiting: replies may go straight to the pipe. Read loop only.</summary>
    public bool IsEmpty => _count == 0;

    /// <summary>Reserves the slot of a request that may go to a worker, before it is handed over (a fast worker must find it).</summary>
    public void Reserve(uint tag)
    {
        var slot = Append(worker: true);
        lock (_gate)
        {
            _pending[tag] = slot;
        }
    }

    /// <summary>Gives back the slot reserved last, for a request that was answered at once after all.</summary>
    public void CancelReservation(uint tag)
    {
        lock (_gate)
        {
            _pending.Remove(tag);
        }

        _count--;
        Recycle(_ring[(_head + _count) % _ring.Length]);
    }

    /// <summary>Where the next in-order reply goes while earlier replies are pending: the tail slot, shared by consecutive ready replies.</summary>
    public IBufferWriter<byte> Tail()
    {
        var tail = _count == 0 ? null : _ring[(_head + _count - 1) % _ring.Length];
        if (tail is null || tail.IsWorker)
        {
            tail = Append(worker: false);
            tail.Ready = true;
        }

        tail.Requests++;
        return tail.Reply;
    }

    /// <summary>Fills the slot of a finished worker request with its reply (any thread). False when no slot waits for it.</summary>
    public bool TryComplete(WorkItem item)
    {
        lock (_gate)
        {
            if (!_pending.Remove(item.Tag, out var slot))
            {
                return false;
            }

            RespOperationReply.Write(slot.Reply, item.Status, item.Reply.WrittenSpan, item.Error);
            slot.Ready = true;
            return true;
        }
    }

    /// <summary>Writes every ready slot at the head to <paramref name="output"/> and returns how many requests they answered. Read loop only.</summary>
    public int MoveReadyTo(IBufferWriter<byte> output)
    {
        var answered = 0;
        lock (_gate)
        {
            while (_count > 0 && _ring[_head] is { Ready: true } slot)
            {
                output.Write(slot.Reply.WrittenSpan);
                answered += slot.Requests;
                _head = (_head + 1) % _ring.Length;
                _count--;
                Recycle(slot);
            }
        }

        return answered;
    }

    private Slot Append(bool worker)
    {
        if (_count == _ring.Length)
        {
            var bigger = new Slot[Math.Max(8, _ring.Length * 2)];
            for (var i = 0; i < _count; i++)
            {
                bigger[i] = _ring[(_head + i) % _ring.Length];
            }

            _ring = bigger;
            _head = 0;
        }

        var slot = _free.Count > 0 ? _free.Pop() : new Slot();
        slot.IsWorker = worker;
        slot.Requests = worker ? 1 : 0;
        _ring[(_head + _count) % _ring.Length] = slot;
        _count++;
        return slot;
    }

    private void Recycle(Slot slot)
    {
        slot.Reply.Reset();
        slot.Ready = false;
        _free.Push(slot);
    }

    private sealed class Slot
    {
        public PooledBufferWriter Reply { get; } = new();

        public bool IsWorker { get; set; }

        public bool Ready { get; set; }

        public int Requests { get; set; }
    }
}
