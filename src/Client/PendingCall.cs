namespace C10k.Client;

/// <summary>One call waiting for its reply.</summary>
internal sealed class PendingCall(bool runContinuationsAsynchronously)
    : TaskCompletionSource<NativeReply>(runContinuationsAsynchronously ? TaskCreationOptions.RunContinuationsAsynchronously : TaskCreationOptions.None)
{
    public long StartedAt { get; } = Environment.TickCount64;

    public void Complete(NativeReply reply) => TrySetResult(reply);

    public void Fail(Exception failure) => TrySetException(failure);

    public void Cancel() => TrySetCanceled();
}
