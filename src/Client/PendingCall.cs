using System.Buffers;
using System.Threading.Tasks.Sources;
using C10k.Protocol.Native;

namespace C10k.Client;

/// <summary>
/// One call waiting for its reply, as a reusable value-task source awaited either as a <see cref="NativeReply"/> or, when the caller
/// checks only the status, as a <see cref="NativeReplyStatus"/> (then the payload is not copied and nothing is allocated). Whoever
/// removes the call from its client's pending calls (the reply, the timeout sweep, a cancellation, the connection's end) completes
/// it, so a call is completed once. A pooled call (one made without a cancellation token) goes back to its client when its awaiter
/// takes the result, which also frees its slot.
/// </summary>
internal sealed class PendingCall : IValueTaskSource<NativeReply>, IValueTaskSource<NativeReplyStatus>
{
    private readonly C10kClient? _pool;
    private ManualResetValueTaskSourceCore<Received> _core;

    /// <param name="pool">The client that reuses the call once its result is taken; null for a call used once.</param>
    /// <param name="runContinuationsAsynchronously">Resume the awaiter on the ThreadPool rather than on the completing thread.</param>
    public PendingCall(C10kClient? pool, bool runContinuationsAsynchronously)
    {
        _pool = pool;
        _core.RunContinuationsAsynchronously = runContinuationsAsynchronously;
    }

    /// <summary>The request id, given by <see cref="PendingCallTable.Add"/> under its lock.</summary>
    public uint Id { get; set; }

    public ushort Opcode { get; private set; }

    /// <summary>When the call was sent: a timestamp of the client's time provider.</summary>
    public long StartedAt { get; private set; }

    /// <summary>The reply's payload is copied for the caller (false when it awaits only the status).</summary>
    public bool CopiesPayload { get; private set; }

    /// <summary>The call awaited as a whole reply; its result is taken exactly once.</summary>
    public ValueTask<NativeReply> Reply => new(this, _core.Version);

    /// <summary>The call awaited as its reply's status; its result is taken exactly once.</summary>
    public ValueTask<NativeReplyStatus> Status => new(this, _core.Version);

    /// <summary>Starts a use of the call, before it is registered (the timeout sweep reads <see cref="StartedAt"/> from then on).</summary>
    public void Start(ushort opcode, long startedAt, bool copiesPayload)
    {
        Opcode = opcode;
        StartedAt = startedAt;
        CopiesPayload = copiesPayload;
    }

    /// <summary>Completes the call with <paramref name="frame"/>, its reply, whose payload is valid only during this call.</summary>
    public void Complete(in NativeFrame frame)
    {
        var length = checked((int)frame.Payload.Length);
        var payload = CopiesPayload && length > 0 ? frame.Payload.ToArray() : null;
        _core.SetResult(new Received(frame.Opcode, frame.RequestId, frame.Status, frame.IsTyped, payload, length));
    }

    public void Fail(Exception failure) => _core.SetException(failure);

    NativeReply IValueTaskSource<NativeReply>.GetResult(short token)
    {
        var received = Take(token);
        return new NativeReply(received.Opcode, received.RequestId, received.Status, received.Payload ?? []) { IsTyped = received.IsTyped };
    }

    NativeReplyStatus IValueTaskSource<NativeReplyStatus>.GetResult(short token)
    {
        var received = Take(token);
        return new NativeReplyStatus(received.Status, received.PayloadLength);
    }

    public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);

    private Received Take(short token)
    {
        if (token != _core.Version)
        {
            throw new InvalidOperationException("The call's result was already taken.");
        }

        try
        {
            return _core.GetResult(token);
        }
        finally
        {
            if (_pool is not null)
            {
                _core.Reset();
                _pool.Recycle(this);
            }
        }
    }

    /// <summary>A reply as the call keeps it until its result is taken: the payload only when copied.</summary>
    private readonly record struct Received(ushort Opcode, uint RequestId, NativeStatus Status, bool IsTyped, byte[]? Payload, int PayloadLength);
}
