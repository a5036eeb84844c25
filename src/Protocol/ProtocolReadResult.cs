namespace C10k.Protocol;

/// <summary>Result of <see cref="ProtocolReader.ReadAsync{T}"/>: a message, or the end of the stream.</summary>
public readonly struct ProtocolReadResult<TMessage>
{
    /// <summary>Creates a result.</summary>
    public ProtocolReadResult(TMessage message, bool isCompleted, bool isCanceled)
    {
        Message = message;
        IsCompleted = isCompleted;
        IsCanceled = isCanceled;
    }

    /// <summary>The message (default when <see cref="IsCompleted"/> or <see cref="IsCanceled"/>).</summary>
    public TMessage Message { get; }

    /// <summary>The peer finished sending and no whole message is left.</summary>
    public bool IsCompleted { get; }

    /// <summary>The read was cancelled with <see cref="System.IO.Pipelines.PipeReader.CancelPendingRead"/>.</summary>
    public bool IsCanceled { get; }
}
