using System.Buffers;
using System.Diagnostics;
using C10k.Protocol.Native;
using C10k.Protocol.Resp;
using C10k.Server.Buffers;
using C10k.Server.Dispatch;
using C10k.Server.Operations;
using C10k.Server.Resp;
using Microsoft.AspNetCore.Connections;

namespace C10k.Server.Connections;

/// <summary>
/// A RESP2 connection: requests parsed in place, built-in commands answered inline, operations handed to the shared dispatcher
/// (the same one the native front uses), and replies written in request order through a reorder buffer once any request is on a worker.
/// </summary>
internal sealed class RespConnection : ConnectionSession
{
    // Longest operation name looked up without a copy to the heap.
    private const int MaxOperationName = 64;

    private readonly RespServices _resp;
    private readonly RespRequestReader _reader;
    private readonly RespReorderBuffer _order = new();
    private readonly PooledBufferWriter _scratch = new();
    private uint _nextTag;
    private long _commands;
    private long _pings;
    private bool _quit;
    private List<byte[]>? _channels;

    public RespConnection(ConnectionContext context, RespServices resp)
        : base(context, Front.Resp, resp.Connections, resp.Connections.Limits.MaxInFlightPerConnection)
    {
        _resp = resp;
        _reader = new RespRequestReader(resp.Limits);
        ClientId = resp.NextClientId();
        RemoteAddress = context.RemoteEndPoint?.ToString();
        LocalAddress = context.LocalEndPoint?.ToString();
        ConnectedAt = Stopwatch.GetTimestamp();
    }

    /// <summary>CLIENT ID.</summary>
    public long ClientId { get; }

    /// <summary>CLIENT SETNAME's name, or null.</summary>
    public byte[]? ClientName { get; set; }

    /// <summary>Channels this connection subscribed to (created on first SUBSCRIBE); non-empty puts it in Redis's subscribed mode.</summary>
    public List<byte[]> Channels => _channels ??= [];

    /// <summary>Channels subscribed to; above 0 is Redis's subscribed mode.</summary>
    public int SubscriptionCount => _channels?.Count ?? 0;

    public string? RemoteAddress { get; }

    public string? LocalAddress { get; }

    /// <summary>Stopwatch timestamp of the accept.</summary>
    public long ConnectedAt { get; }

    public RespServices Resp => _resp;

    private protected override bool TryHandleNext(ref ReadOnlySequence<byte> buffer)
    {
        if (_quit)
        {
            // Redis ignores whatever follows QUIT.
            buffer = buffer.Slice(buffer.End);
            return false;
        }

        if (!_reader.TryRead(ref buffer, out var request))
        {
            return false;
        }

        _commands++;
        if (request.Command == RespCommand.Ping && request.Arguments.Count == 0 && _order.IsEmpty && SubscriptionCount == 0)
        {
            Output.Write(RespReplyWriter.Pong);
            _pings++;
            return true;
        }

        Handle(request);
        return true;
    }

    private protected override bool TryHandleProtocolError(Exception exception, out string kind)
    {
        if (exception is not RespProtocolException protocol)
        {
            kind = "";
            return false;
        }

        kind = protocol.Error switch
        {
            RespProtocolError.InvalidMultibulkLength => "invalid_multibulk_length",
            RespProtocolError.InvalidBulkLength => "invalid_bulk_length",
            RespProtocolError.ExpectedBulkString => "expected_bulk_string",
            RespProtocolError.TooBigInlineRequest => "too_big_inline_request",
            RespProtocolError.TooBigMultibulkCountString => "too_big_mbulk_count",
            RespProtocolError.TooBigBulkCountString => "too_big_bulk_count",
            _ => "malformed",
        };

        // Replies already finished go out first, as Redis would have sent them before reading the bad bytes.
        MoveCompletionsToOutput();
        RespErrorBuilder.Write(Output, "ERR"u8, protocol.Message);
        return true;
    }

    private protected override void WriteCompletion(WorkItem item, IBufferWriter<byte> output)
    {
        // The reply now waits in the reorder buffer; it keeps counting toward the in-flight cap until it is written.
        if (_order.TryComplete(item))
        {
            AddInFlight();
        }
    }

    private protected override void MoveCompletionsToOutput()
    {
        if (!_order.IsEmpty)
        {
            for (var answered = _order.MoveReadyTo(Output); answered > 0; answered--)
            {
                RemoveInFlight();
            }
        }

        if (_commands > 0)
        {
            _resp.CommandsDone(_commands);
            _commands = 0;
        }

        if (_pings > 0)
        {
            Metrics.RequestCompleted(Front, "ping", NativeStatus.Ok, _pings);
            _pings = 0;
        }
    }

    /// <summary>Where the next reply goes: straight to the pipe, or behind replies still pending on workers.</summary>
    internal IBufferWriter<byte> ReplyOutput()
    {
        if (_order.IsEmpty)
        {
            return Output;
        }

        AddInFlight();
        return _order.Tail();
    }

    /// <summary>QUIT: reply, then close once every earlier request is answered.</summary>
    internal void Quit()
    {
        _quit = true;
        CloseWhenAnswered("quit");
    }

    private void Handle(in RespRequest request)
    {
        if (SubscriptionCount > 0 && request.Command is not (RespCommand.Subscribe or RespCommand.Unsubscribe or RespCommand.Ping or RespCommand.Quit))
        {
            RespErrors.WriteNotInSubscribedMode(ReplyOutput(), request.Name);
            return;
        }

        if (request.Command is RespCommand.Unknown or RespCommand.Echo && TryFindOperation(request.Name, out var operation))
        {
            HandleOperation(operation, request);
            return;
        }

        var status = RespBuiltinCommands.Execute(this, request, ReplyOutput());
        Metrics.RequestCompleted(Front, RespCommandCatalog.MetricName(request.Command), status);
    }

    private void HandleOperation(Operation operation, in RespRequest request)
    {
        var args = request.Arguments;
        if (args.Count < operation.MinArgs || args.Count > operation.MaxArgs)
        {
            RespErrors.WriteWrongArity(ReplyOutput(), operation.MetricName);
            Metrics.RequestCompleted(Front, operation.MetricName, NativeStatus.BadArgs);
            return;
        }

        if (Draining)
        {
            RespErrorBuilder.Write(ReplyOutput(), "SHUTDOWN"u8, "server is shutting down");
            Metrics.RequestCompleted(Front, operation.MetricName, NativeStatus.ShuttingDown);
            return;
        }

        // An operation that may run on a worker gets its place in the reply order before the worker can finish it.
        var mayQueue = operation.Placement != OperationPlacement.Inline;
        var tag = _nextTag++;
        if (mayQueue)
        {
            _order.Reserve(tag);
            AddInFlight();
        }

        var result = Dispatcher.Dispatch(operation, args, this, tag, 0, _scratch);
        if (result.Queued)
        {
            return;
        }

        if (mayQueue)
        {
            RemoveInFlight();
            _order.CancelReservation(tag);
        }

        RespOperationReply.Write(ReplyOutput(), result.Status, _scratch.WrittenSpan, result.Error);
        Metrics.RequestCompleted(Front, operation.MetricName, result.Status);
        _scratch.Reset();
    }

    private bool TryFindOperation(in ReadOnlySequence<byte> name, out Operation operation)
    {
        if (name.IsSingleSegment)
        {
            return _resp.Operations.TryGet(name.FirstSpan, out operation);
        }

        if (name.Length > MaxOperationName)
        {
            operation = null!;
            return false;
        }

        Span<byte> copy = stackalloc byte[MaxOperationName];
        name.CopyTo(copy);
        return _resp.Operations.TryGet(copy[..(int)name.Length], out operation);
    }
}
