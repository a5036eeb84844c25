using System.Buffers;
using System.IO.Pipelines;
using C10k.Server.Dispatch;

namespace C10k.Server.Connections;

/// <summary>
/// The order in which a connection's replies reach the wire, the one rule that differs between fronts:
/// <see cref="CompletionOrder"/> (native: matched by request id) or <see cref="RequestOrder"/> (RESP: request order).
/// Thread rules: <see cref="Stage"/> runs on any thread under the order's own lock; every other member runs only on the
/// thread that holds the <see cref="ConnectionWriter"/>'s turn.
/// </summary>
internal abstract class ReplyOrder
{
    /// <summary>Bytes of replies staged and not yet moved to the pipe.</summary>
    public abstract long StagedBytes { get; }

    /// <summary>Takes the reply's place for a request about to go to the pool (before it is enqueued: a fast worker must find it).</summary>
    public abstract void Reserve(uint tag);

    /// <summary>Gives back the place taken last, for a request the pool refused.</summary>
    public abstract void CancelReservation(uint tag);

    /// <summary>Where an inline reply goes: the pipe, or (<paramref name="held"/>) a buffer behind replies still on the pool.</summary>
    public abstract IBufferWriter<byte> InlineOutput(PipeWriter pipe, out bool held);

    /// <summary>Encodes a finished item's reply into staging (any thread); false when no place waits for it.</summary>
    public abstract bool Stage(WorkItem item, ReplyEncoder encoder);

    /// <summary>Moves every reply that may go now to <paramref name="pipe"/>; returns how many requests they answer.</summary>
    public abstract int MoveReady(PipeWriter pipe);

    /// <summary>Drops everything staged (the connection has closed).</summary>
    public abstract void Clear();
}

/// <summary>Native order: a worker's reply goes out as soon as it is done, whatever was asked before it.</summary>
internal sealed class CompletionOrder : ReplyOrder
{
    private readonly Buffers.PooledBufferWriter _staged = new();
    private int _count;
    private long _stagedBytes;

    public override long StagedBytes => Interlocked.Read(ref _stagedBytes);

    public override void Reserve(uint tag)
    {
    }

    public override void CancelReservation(uint tag)
    {
    }

    public override IBufferWriter<byte> InlineOutput(PipeWriter pipe, out bool held)
    {
        held = false;
        return pipe;
    }

    public override bool Stage(WorkItem item, ReplyEncoder encoder)
    {
        lock (_staged)
        {
            encoder.WriteResult(_staged, item.Operation, item.Tag, item.Status, item.Reply.WrittenSpan, item.Error, item.StatusLine);
            _count++;
            Interlocked.Exchange(ref _stagedBytes, _staged.Length);
            return true;
        }
    }

    public override int MoveReady(PipeWriter pipe)
    {
        lock (_staged)
        {
            var moved = _count;
            if (moved > 0)
            {
                pipe.Write(_staged.WrittenSpan);
                _staged.Reset();
                _count = 0;
                Interlocked.Exchange(ref _stagedBytes, 0);
            }

            return moved;
        }
    }

    public override void Clear()
    {
        lock (_staged)
        {
            _staged.Reset();
            _count = 0;
            Interlocked.Exchange(ref _stagedBytes, 0);
        }
    }
}
