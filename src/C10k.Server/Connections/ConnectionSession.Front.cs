using System.Buffers;
using C10k.Protocol;
using C10k.Protocol.Native;
using C10k.Server.Fronts;
using C10k.Server.Operations;

namespace C10k.Server.Connections;

/// <summary>What a front supplies to the shared read loop, and what the loop offers it back.</summary>
public abstract partial class ConnectionSession
{
    /// <summary>
    /// Creates the session of an application's front: <paramref name="encoder"/> writes its replies to operations,
    /// <paramref name="ordering"/> says whether they leave in request order or as they complete. Typed replies reach the encoder
    /// as <see cref="ReplyForm.Typed"/> (set <see cref="ReadsTypedReplies"/> false to get <see cref="ReplyForm.TypedAsBytes"/>).
    /// </summary>
    protected ConnectionSession(FrontContext context, ReplyEncoder encoder, ReplyOrdering ordering)
        : this(
            (context ?? throw new ArgumentNullException(nameof(context))).Connection,
            Front.Custom,
            context.Services,
            context.Operations,
            ordering == ReplyOrdering.RequestOrder ? new RequestOrder() : new CompletionOrder(),
            encoder ?? throw new ArgumentNullException(nameof(encoder)))
    {
        ReadsTypedReplies = true;
    }

    /// <summary>The registered operations: the front's command lookup.</summary>
    protected OperationRegistry Operations { get; }

    /// <summary>
    /// Parses and handles one request from the front of <paramref name="buffer"/>, slicing past it; false when it is incomplete
    /// (the loop reads more and calls again with the same start). Runs on the I/O thread, holding the connection's writer: a
    /// request is answered with <see cref="RunOperation"/> or written to <see cref="ReplyOutput"/>, never awaited here.
    /// Malformed input: throw a <see cref="ProtocolException"/> (counted, logged rate-limited, the connection closes after
    /// <see cref="WriteProtocolError"/> and every earlier reply). Any other exception is taken for a bug: the connection closes
    /// (reason <c>failed</c>, logged rate-limited), the server goes on.
    /// </summary>
    protected abstract bool TryHandleNext(ref ReadOnlySequence<byte> buffer);

    /// <summary>Bytes of a partly received request the front's reader holds in its own buffer (large requests); 0 by default.</summary>
    protected virtual long HeldBytes => 0;

    /// <summary>Writes the front's reply to malformed input (to <see cref="ReplyOutput"/>, after every earlier reply), if it has one.</summary>
    protected virtual void WriteProtocolError(ProtocolException exception)
    {
    }

    /// <summary>Called once per batch, after parsing and before the flush (per-batch counters).</summary>
    protected virtual void OnBatchParsed()
    {
    }

    /// <summary>
    /// Places an operation's request (argument count, its validation, drain state, then inline, worker pool or asynchronous)
    /// and answers it through the front's encoder, now or later: the path every front shares. <paramref name="tag"/> identifies
    /// the request to the encoder: its id on the wire for <see cref="ReplyOrdering.CompletionOrder"/>, or any number unique
    /// among the connection's unanswered requests (a running counter) for <see cref="ReplyOrdering.RequestOrder"/>.
    /// <paramref name="deadlineMs"/>: the client's deadline, 0 for the server's default. <paramref name="args"/> need to stay
    /// valid only during the call (work that outlives it gets a copy).
    /// </summary>
    protected void RunOperation(Operation operation, in ArgumentList args, uint tag, uint deadlineMs) =>
        OperationRequest.Run(_services.Dispatcher, Writer, operation, args, tag, deadlineMs, ReadsTypedReplies);

    /// <summary>
    /// Where the front writes a reply of its own (an unknown command, a built-in): after every earlier reply, in request order.
    /// Only from <see cref="TryHandleNext"/> or <see cref="WriteProtocolError"/>.
    /// </summary>
    protected internal IBufferWriter<byte> ReplyOutput() => Writer.InlineOutput();

    /// <summary>Counts a request the front answered itself in <c>c10k.requests</c>; <paramref name="op"/> is one of a small fixed set of names.</summary>
    protected void CountRequest(string op, NativeStatus status) => Metrics.RequestCompleted(Front, op, status);

    /// <summary>Stops reading (what follows is ignored) and closes the connection once every accepted request is answered (QUIT).</summary>
    protected void CloseAfterReplies() => StopReading(CloseReason.Quit);
}
