using System.Buffers;
using System.Diagnostics;
using C10k.Protocol;
using C10k.Protocol.Native;
using C10k.Protocol.Resp;
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
    private readonly RespAuthGate _auth;
    private uint _nextTag;
    private long _commands;
    private long _pings;
    private List<byte[]>? _channels;

    public RespConnection(ConnectionContext context, RespServices resp)
        : base(context, Front.Resp, resp.Connections, new RequestOrder(), ReplyEncoder.Resp)
    {
        _resp = resp;
        _auth = new RespAuthGate(resp.Connections.Authenticator, resp.Limits, context.RemoteEndPoint?.ToString());
        ClientId = resp.NextClientId();
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

    /// <summary>The peer's address (formatted when asked: CLIENT LIST is rare, idle connections are many).</summary>
    public string? RemoteAddress => Context.RemoteEndPoint?.ToString();

    /// <summary>The address the peer connected to.</summary>
    public string? LocalAddress => Context.LocalEndPoint?.ToString();

    /// <summary>Stopwatch timestamp of the accept.</summary>
    public long ConnectedAt { get; }

    public RespServices Resp => _resp;

    private protected override long HeldBytes => _auth.Reader.HeldBytes;

    /// <summary>AUTH state: what HELLO's AUTH option goes through.</summary>
    internal RespAuthGate Auth => _auth;

    private protected override bool TryHandleNext(ref ReadOnlySequence<byte> buffer)
    {
        if (!_auth.Reader.TryRead(ref buffer, out var request))
        {
            return false;
        }

        _commands++;
        if (request.Command == RespCommand.Ping && request.Arguments.Count == 0 && SubscriptionCount == 0 && _auth.IsAuthenticated)
        {
            // The fast path: the bytes PingOperation's reply encodes to, counted once per batch.
            ReplyOutput().Write(RespReplyWriter.Pong);
            _pings++;
            return true;
        }

        Handle(request);
        return true;
    }

    private protected override void WriteProtocolError(ProtocolException exception) =>
        RespErrorBuilder.Write(ReplyOutput(), "ERR"u8, exception.Message);

    private protected override void OnBatchParsed()
    {
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
    internal IBufferWriter<byte> ReplyOutput() => Writer.InlineOutput();

    /// <summary>QUIT: reply, then close once every earlier request is answered; whatever follows is ignored, as Redis does.</summary>
    internal void Quit() => StopReading(CloseReason.Quit);

    private void Handle(in RespRequest request)
    {
        if (_auth.Intercepts(request))
        {
            Metrics.RequestCompleted(Front, RespCommandCatalog.MetricName(request.Command), _auth.Handle(request, ReplyOutput()));
            return;
        }

        var subscribed = SubscriptionCount > 0;
        if (subscribed && request.Command is not (RespCommand.Subscribe or RespCommand.Unsubscribe or RespCommand.Ping or RespCommand.Quit))
        {
            RespErrors.WriteNotInSubscribedMode(ReplyOutput(), request.Name);
            return;
        }

        // Operations (PING, ECHO, HASH and every registered one) answer the same on both fronts; subscribed mode's PING is RESP's own.
        if (request.Command is RespCommand.Unknown or RespCommand.Echo or RespCommand.Ping && !subscribed && TryFindOperation(request.Name, out var operation))
        {
            RunOperation(operation, request.Arguments, _nextTag++, 0);
            return;
        }

        var status = RespBuiltinCommands.Execute(this, request, ReplyOutput());
        Metrics.RequestCompleted(Front, RespCommandCatalog.MetricName(request.Command), status);
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
