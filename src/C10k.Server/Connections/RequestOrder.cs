using System.Buffers;
using System.IO.Pipelines;
using C10k.Server.Buffers;
using C10k.Server.Dispatch;

namespace C10k.Server.Connections;

/// <summary>
/// RESP order: replies leave in request order. Once a request is on the pool, later replies wait in slots behind its slot
/// until it is filled. The turn holder owns the slot sequence; a worker only fills the slot of its own request, under the
/// lock. Empty (the common case) it costs nothing: inline replies then go straight to the pipe, and a connection that never
/// sends work to the pool never allocates the slot state (the ring, the pending map, the free list), only this object.
/// </summary>
internal sealed class RequestOrder : ReplyOrder
{
    // Created by the first Reserve (the turn holder), before any worker can see this order; read under the lock after that.
    private Pool? _pool;
    private Slot[] _ring = [];
    private int _head;
    private int _count;
    private long _stagedBytes;

    public override long StagedBytes => Interlocked.Read(ref _stagedBytes);

    public override void Reserve(uint tag)
    {
        var slot = Append(worker: true);
        var pool = _pool!;
        lock (pool)
        {
            pool.Pending[tag] = slot;
        }
    }

    public override void CancelReservation(uint tag)
    {
        var pool = _pool!;
        lock (pool)
        {
            pool.Pending.Remove(tag);
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
        // A worker's item was reserved first, so the pool exists (its creation was published by the enqueue).
        var pool = Volatile.Read(ref _pool);
        if (pool is null)
        {
            return false;
        }

        lock (pool)
        {
            if (!pool.Pending.Remove(item.Tag, out var slot))
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
        if (_pool is not { } pool)
        {
            return answered;
        }

        lock (pool)
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
        if (_pool is not { } pool)
        {
            return;
        }

        lock (pool)
        {
            pool.Pending.Clear();
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

        var pool = _pool ??= new Pool();
        var slot = pool.Free.Count > 0 ? pool.Free.Pop() : new Slot();
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
        _pool!.Free.Push(slot);
    }

    // The state only connections that use the pool need; also the lock between the turn holder and workers.
    private sealed class Pool
    {
        public Dictionary<uint, Slot> Pending { get; } = [];

        public Stack<Slot> Free { get; } = new();
    }

    private sealed class Slot
    {
        public PooledBufferWriter Reply { get; } = new();

        public bool IsWorker { get; set; }

        public bool Ready { get; set; }

        public int Requests { get; set; }
    }
}
