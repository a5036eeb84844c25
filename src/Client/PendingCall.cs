namespace C10k.Client;

/// <summary>One call waiting for its reply, sent at <paramref name="startedAt"/> (a timestamp of the client's time provider).</summary>
internal sealed class PendingCall(bool runContinuationsAsynchronously, long startedAt)
    : TaskCompletionSource<NativeReply>(runContinuationsAsynchronously ? TaskCreationOptions.RunContinuationsAsynchronously : TaskCreationOptions.None)
{
    public long StartedAt { get; } = startedAt;

    public void Complete(NativeReply reply) => TrySetResult(reply);

    public void Fail(Exception failure) => TrySetException(failure);

    public void Cancel() => TrySetCanceled();
}
