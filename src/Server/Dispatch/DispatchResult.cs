using C10k.Protocol.Native;

namespace C10k.Server.Dispatch;

/// <summary>What <see cref="CommandDispatcher.Dispatch"/> did with a request.</summary>
internal readonly record struct DispatchResult(bool Queued, NativeStatus Status, string? Error)
{
    /// <summary>The request went to the pool; its reply comes later through the owner.</summary>
    public static readonly DispatchResult Enqueued = new(true, NativeStatus.Ok, null);

    /// <summary>Answered now: status OK with the payload in the inline reply buffer, or an error.</summary>
    public static DispatchResult Done(NativeStatus status, string? error = null) => new(false, status, error);
}
