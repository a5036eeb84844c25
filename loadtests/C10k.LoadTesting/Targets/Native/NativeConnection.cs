using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Threading.Tasks.Sources;
using C10k.Client;
using C10k.Protocol.Native;

namespace C10k.LoadTesting.Targets.Native;

/// <summary>
/// Adapts <see cref="C10kClient"/> to <see cref="Response"/>s: any opcode with length-prefixed arguments; an OK reply is a bulk value,
/// any other status an error named after the status. Byte counts are computed from frame sizes (16-byte header plus payload)
/// because the client does not expose its socket counters. Like the RESP connection, a request once sent is not cancelled: the run's end
/// counts unanswered requests as timeouts, and a registration on the run's token per request cost every call a lock on it.
/// </summary>
internal sealed class NativeConnection(C10kClient client, Measurement.TrafficCounters traffic, Action onLost) : ITargetConnection
{
    private const int HeaderBytes = 16;
    private const int ArgumentLengthBytes = 4;
    private static readonly ReadOnlyMemory<byte> Ping = "PING"u8.ToArray();
    private static readonly ReadOnlyMemory<byte> Echo = "ECHO"u8.ToArray();
    private static readonly ReadOnlyMemory<byte> Hash = "HASH"u8.ToArray();
    private static readonly ReadOnlyMemory<byte>[] PingWords = [Ping];
    private readonly Stack<PendingReply> _free = new(); // locked on itself
    private int _closed;
    private int _disposing;

    public bool IsOpen => Volatile.Read(ref _closed) == 0;

    public ValueTask<Response> PingAsync(CancellationToken cancellationToken) => ExecuteAsync(PingWords, false, cancellationToken);

    public ValueTask<Response> EchoAsync(ReadOnlyMemory<byte> payload, CancellationToken cancellationToken) => ExecuteAsync([Echo, payload], false, cancellationToken);

    public ValueTask<Response> HashAsync(int iterations, ReadOnlyMemory<byte> data, CancellationToken cancellationToken) =>
        ExecuteAsync([Hash, System.Text.Encoding.ASCII.GetBytes(iterations.ToString(System.Globalization.CultureInfo.InvariantCulture)), data], false, cancellationToken);

    public ValueTask<Response> ExecuteAsync(ReadOnlyMemory<byte>[] words, bool captureValue, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(words);
        return NativeCommands.TryGetOpcode(words[0].Span, out var opcode)
            ? CallAsync(opcode, Payload(words), captureValue)
            : ValueTask.FromResult(Response.Fail("unknown-command"));
    }

    public async ValueTask DisposeAsync()
    {
        Interlocked.Exchange(ref _disposing, 1);
        await client.DisposeAsync();
    }

    /// <summary>The native argument list: each argument after the command word as a big-endian u32 length and its bytes.</summary>
    private static byte[] Payload(ReadOnlyMemory<byte>[] words)
    {
        var length = 0;
        for (var i = 1; i < words.Length; i++)
        {
            length += ArgumentLengthBytes + words[i].Length;
        }

        if (length == 0)
        {
            return [];
        }

        var payload = new byte[length];
        var at = 0;
        for (var i = 1; i < words.Length; i++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(payload.AsSpan(at), (uint)words[i].Length);
            words[i].Span.CopyTo(payload.AsSpan(at + ArgumentLengthBytes));
            at += ArgumentLengthBytes + words[i].Length;
        }

        return payload;
    }

    // A call whose reply is only checked goes without its payload (no copy, no reply object): nothing allocated per call.
    private ValueTask<Response> CallAsync(ushort opcode, byte[] payload, bool captureValue)
    {
        traffic.Add(0, HeaderBytes + payload.Length);
        return captureValue
            ? Watch(client.SendValueAsync(opcode, payload, 0, CancellationToken.None))
            : Watch(client.SendForStatusAsync(opcode, payload, 0, CancellationToken.None));
    }

    private ValueTask<Response> Watch(ValueTask<NativeReply> sent)
    {
        var captured = sent.ConfigureAwait(false).GetAwaiter();
        return captured.IsCompleted ? ValueTask.FromResult(Outcome(captured)) : RentPendingReply().Watch(captured);
    }

    private ValueTask<Response> Watch(ValueTask<NativeReplyStatus> sent)
    {
        var awaiter = sent.ConfigureAwait(false).GetAwaiter();
        return awaiter.IsCompleted ? ValueTask.FromResult(Outcome(awaiter)) : RentPendingReply().Watch(awaiter);
    }

    private PendingReply RentPendingReply()
    {
        lock (_free)
        {
            return _free.TryPop(out var reply) ? reply : new PendingReply(this);
        }
    }

    /// <summary>The call's reply as a <see cref="Response"/>, its value kept; a lost connection or a timeout is a failure with that status.</summary>
    private Response Outcome(ConfiguredValueTaskAwaitable<NativeReply>.ConfiguredValueTaskAwaiter sent)
    {
        try
        {
            var reply = sent.GetResult();
            return Received(reply.Status, reply.Payload.Length, reply.Payload);
        }
        catch (Exception e) when (e is C10kConnectionException or TimeoutException)
        {
            return Failed(e);
        }
    }

    /// <summary>The call's reply status as a <see cref="Response"/>; a lost connection or a timeout is a failure with that status.</summary>
    private Response Outcome(ConfiguredValueTaskAwaitable<NativeReplyStatus>.ConfiguredValueTaskAwaiter sent)
    {
        try
        {
            var reply = sent.GetResult();
            return Received(reply.Status, reply.PayloadLength, default);
        }
        catch (Exception e) when (e is C10kConnectionException or TimeoutException)
        {
            return Failed(e);
        }
    }

    private Response Received(NativeStatus status, int payloadLength, ReadOnlyMemory<byte> value)
    {
        var size = HeaderBytes + payloadLength;
        traffic.Add(size, 0);
        return status == NativeStatus.Ok
            ? Response.Ok(size) with { Kind = ReplyKind.Bulk, Value = value }
            : Response.Fail(status.ToString()) with { Kind = ReplyKind.Error, Value = value };
    }

    private Response Failed(Exception failure)
    {
        if (failure is TimeoutException)
        {
            return Response.Fail("timeout");
        }

        if (Interlocked.Exchange(ref _closed, 1) == 0 && Volatile.Read(ref _disposing) == 0)
        {
            onLost();
        }

        return Response.Fail("closed");
    }

    /// <summary>
    /// A call waiting for its reply, reused: a value-task source completed on the client's read loop, returned to the connection
    /// once its result is taken. (An async method with the pooling builder rented its state on the sending thread and returned it on
    /// the reading one, so its per-thread cache missed and every call allocated it.)
    /// </summary>
    private sealed class PendingReply : IValueTaskSource<Response>
    {
        private readonly NativeConnection _connection;
        private readonly Action _onReply;
        private ManualResetValueTaskSourceCore<Response> _core;
        private ConfiguredValueTaskAwaitable<NativeReplyStatus>.ConfiguredValueTaskAwaiter _sent;
        private ConfiguredValueTaskAwaitable<NativeReply>.ConfiguredValueTaskAwaiter _captured;
        private bool _captureValue;

        public PendingReply(NativeConnection connection)
        {
            _connection = connection;
            _onReply = OnReply;
        }

        /// <summary>Completes with the outcome of a call whose reply is only checked.</summary>
        public ValueTask<Response> Watch(ConfiguredValueTaskAwaitable<NativeReplyStatus>.ConfiguredValueTaskAwaiter sent)
        {
            _captureValue = false;
            _sent = sent;
            var result = new ValueTask<Response>(this, _core.Version);
            _sent.UnsafeOnCompleted(_onReply);
            return result;
        }

        /// <summary>Completes with the outcome of a call whose reply's value is kept.</summary>
        public ValueTask<Response> Watch(ConfiguredValueTaskAwaitable<NativeReply>.ConfiguredValueTaskAwaiter captured)
        {
            _captureValue = true;
            _captured = captured;
            var result = new ValueTask<Response>(this, _core.Version);
            _captured.UnsafeOnCompleted(_onReply);
            return result;
        }

        public Response GetResult(short token)
        {
            var response = _core.GetResult(token);
            _core.Reset();
            lock (_connection._free)
            {
                _connection._free.Push(this);
            }

            return response;
        }

        public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

        public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
            _core.OnCompleted(continuation, state, token, flags);

        private void OnReply()
        {
            var response = _captureValue ? _connection.Outcome(_captured) : _connection.Outcome(_sent);
            _sent = default;
            _captured = default;
            _core.SetResult(response);
        }
    }
}
