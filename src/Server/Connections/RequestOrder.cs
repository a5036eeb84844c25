using System.Buffers;
using System.IO.Pipelines;
using C10k.Server.Buffers;
using C10k.Server.Dispatch;

namespace C10k.Server.Connections;

/// <summary>
/// RESP order: replies leave in request order. Once a request is on the pool, later replies wait in slots behind its slot
/// until it is filled. The turn holder owns the slot sequence; a worker only fills the slot of its own request, under the
/// lock. Empty (the common case) it costs nothing: inline replies then go straight to the pipe.
/// </summary>
internal sealed class RequestOrder : ReplyOrder
{
    private readonly object _gate = new();
    private readonly Dictionary<uint, Slot> _pending = [];
    private readonly Stack<Slot> _free = new();
    // Allocated on first use: most connections never send work to the pool.
    private Slot[] _ring = [];
    private int _head;
    private int _count;
    private long _stagedBytes;

    public override long StagedBytes => Interlocked.Read(ref _stagedBytes);

    public override void Reserve(uint tag)
    {
        var slot = Append(worker: true);
        lock (_gate)
        {
            _pending[tag] = slot;
        }
    }

    public override void CancelReservation(uint tag)
    {
        lock (_gate)
        {
            _pending.Remove(tag);
        }

        _count--;
        Recycle(_ring[(_head + _count) % _ring.Length]);
    }

    public override IBufferWriter<byte> InlineOutput(PipeWriter pipe, out bool held)
    {
        held = _count > 0;
        if (!held)
        {
            return pipe;
        }

        // Consecutive inline replies share the tail slot.
        var tail = _ring[(_head + _count - 1) % _ring.Length];
        if (tail.IsWorker)
        {
            tail = Append(worker: false);
            tail.Ready = true;
        }

        tail.Requests++;
        return tail.Reply;
    }

    public override bool Stage(WorkItem item, ReplyEncoder encoder)
    {
        lock (_gate)
        {
            if (!_pending.Remove(item.Tag, out var slot))
            {
                return false;
            }

            encoder.WriteResult(slot.Reply, item.Operation, item.Tag, item.Status, item.Reply.WrittenSpan, item.Error, item.StatusLine);
            slot.Ready = true;
            Interlocked.Add(ref _stagedBytes, slot.Reply.Length);
            return true;
        }
    }

    public override int MoveReady(PipeWriter pipe)
    {
        var answered = 0;
        lock (_gate)
        {
            while (_count > 0 && _ring[_head] is { Ready: true } slot)
            {
                pipe.Write(slot.Reply.WrittenSpan);
                if (slot.IsWorker)
                {
                    Interlocked.Add(ref _stagedBytes, -slot.Reply.Length);
                }

                answered += slot.Requests;
                _head = (_head + 1) % _ring.Length;
                _count--;
                Recycle(slot);
            }
        }

        return answered;
    }

    public override void Clear()
    {
        lock (_gate)
        {
            _pending.Clear();
            while (_count > 0)
            {
                Recycle(_ring[_head]);
                _head = (_head + 1) % _ring.Length;
                _count--;
            }

            Interlocked.Exchange(ref _stagedBytes, 0);
        }
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
