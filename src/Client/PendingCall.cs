using System.Threading.Tasks.Sources;

namespace C10k.Client;

/// <summary>
/// One call waiting for its reply, as a reusable value-task source. Whoever removes the call from its client's pending calls
/// (the reply, the timeout sweep, a cancellation, the connection's end) completes it, so a call is completed once. A pooled call
/// (one made without a cancellation token) goes back to its client when its awaiter takes the result, which also frees its slot.
/// </summary>
internal sealed class PendingCall : IValueTaskSource<NativeReply>
{
    private readonly C10kClient? _pool;
    private ManualResetValueTaskSourceCore<NativeReply> _core;

    /// <param name="pool">The client that reuses the call once its result is taken; null for a call used once.</param>
    /// <param name="runContinuationsAsynchronously">Resume the awaiter on the ThreadPool rather than on the completing thread.</param>
    public PendingCall(C10kClient? pool, bool runContinuationsAsynchronously)
    {
        _pool = pool;
        _core.RunContinuationsAsynchronously = runContinuationsAsynchronously;
    }

    public uint Id { get; private set; }

    public ushort Opcode { get; private set; }

    /// <summary>When the call was sent: a timestamp of the client's time provider.</summary>
    public long StartedAt { get; private set; }

    /// <summary>Starts a use of the call; the result is awaited exactly once.</summary>
    public ValueTask<NativeReply> Start(uint id, ushort opcode, long startedAt)
    {
        Id = id;
        Opcode = opcode;
        StartedAt = startedAt;
        return new ValueTask<NativeReply>(this, _core.Version);
    }

    public void Complete(NativeReply reply) => _core.SetResult(reply);

    public void Fail(Exception failure) => _core.SetException(failure);

    public NativeReply GetResult(short token)
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

    public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);
}
