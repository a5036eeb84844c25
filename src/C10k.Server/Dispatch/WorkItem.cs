using System.Buffers;
using C10k.Protocol;
using C10k.Protocol.Native;
using C10k.Server.Buffers;
using C10k.Server.Operations;

namespace C10k.Server.Dispatch;

/// <summary>
/// One request on its way through the pool. Its arguments are copied out of the receive buffer into a rented array
/// (the read loop advances past them); the owner returns that array and the reply buffer through <see cref="Release"/>.
/// </summary>
internal sealed class WorkItem
{
    private byte[]? _rented;

    public WorkItem(Operation operation, in ArgumentList args, IWorkOwner owner, uint tag, long cost, long enqueuedAt, long deadlineAt, bool statusLine)
    {
        Operation = operation;
        Cost = cost;
        Owner = owner;
        Tag = tag;
        EnqueuedAt = enqueuedAt;
        DeadlineAt = deadlineAt;
        StatusLine = statusLine;
        var length = (int)args.Raw.Length;
        _rented = ArrayPool<byte>.Shared.Rent(Math.Max(length, 1));
        args.Raw.CopyTo(_rented);
        Args = args.WithRaw(new ReadOnlySequence<byte>(_rented, 0, length));
    }

    public Operation Operation { get; }

    public ArgumentList Args { get; }

    public IWorkOwner Owner { get; }

    /// <summary>The operation's cost estimate for these arguments (for calibration).</summary>
    public long Cost { get; }

    /// <summary>Native request id, or the RESP sequence number.</summary>
    public uint Tag { get; }

    /// <summary>Stopwatch timestamp at enqueue.</summary>
    public long EnqueuedAt { get; }

    /// <summary>Stopwatch timestamp after which the item is not executed; 0 = none.</summary>
    public long DeadlineAt { get; }

    /// <summary>The reply is a status line (see <see cref="Operation.RepliesWithStatusLine"/>).</summary>
    public bool StatusLine { get; }

    public NativeStatus Status { get; set; }

    /// <summary>Message for a non-OK status.</summary>
    public string? Error { get; set; }

    /// <summary>Reply payload, written by the worker.</summary>
    public PooledBufferWriter Reply { get; } = new();

    /// <summary>Returns the argument copy and the reply buffer to the pool. Called once, by the owner, after it has written the reply.</summary>
    public void Release()
    {
        if (_rented is not null)
        {
            ArrayPool<byte>.Shared.Return(_rented);
            _rented = null;
        }

        Reply.Reset();
    }
}
