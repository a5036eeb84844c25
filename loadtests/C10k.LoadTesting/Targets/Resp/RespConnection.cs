using System.Buffers;
using System.Net.Sockets;
using System.Threading.Tasks.Sources;
using C10k.LoadTesting.Measurement;
using C10k.Protocol.Resp;

namespace C10k.LoadTesting.Targets.Resp;

/// <summary>
/// A lean pipelined RESP client connection. The caller that finds the connection idle sends its request itself (and whatever others
/// queued meanwhile), so a request costs no thread hop before the socket (StackExchange.Redis's try-acquire writer); one read loop
/// matches replies to requests through a FIFO of sent-but-unanswered requests. Runs over the socket's stream, or a TLS stream over it.
/// A request allocates nothing once the connection is warm: its reply completes a <see cref="PendingReply"/> reused from the
/// connection's own pool. (A <c>ConcurrentQueue</c> whose head was peeked stops clearing its slots, so every request's state stayed
/// reachable for ~32 requests, survived gen0 and made each gen0 collection copy megabytes at 10,000 connections.)
/// </summary>
internal sealed class RespConnection : ITargetConnection
{
    private static readonly ReadOnlyMemory<byte> PingCommand = "PING"u8.ToArray();
    private static readonly ReadOnlyMemory<byte> EchoCommand = "ECHO"u8.ToArray();
    private static readonly ReadOnlyMemory<byte> HashCommand = "HASH"u8.ToArray();
    private static readonly ReadOnlyMemory<byte>[] PingArguments = [PingCommand];

    private readonly Socket _socket;
    private readonly Stream _stream;
    private readonly IRespClientCodec _codec;
    private readonly TrafficCounters _traffic;
    private readonly Action _onLost;
    private readonly ReceiveBuffer _input = new(512);
    private readonly Queue<PendingReply> _pending = new(); // under _writeLock
    private readonly Stack<PendingReply> _free = new(); // under _writeLock
    private readonly Lock _writeLock = new();
    private readonly Task _readLoop;
    private ArrayBufferWriter<byte> _queued = new(256);
    private ArrayBufferWriter<byte> _spare = new(256);
    private bool _sending;
    private int _closed;
    private int _disposing;

    public RespConnection(Socket socket, Stream stream, IRespClientCodec codec, TrafficCounters traffic, Action onLost)
    {
        _socket = socket;
        _stream = stream;
        _codec = codec;
        _traffic = traffic;
        _onLost = onLost;

        _readLoop = ReadLoopAsync();
    }

    public bool IsOpen => Volatile.Read(ref _closed) == 0;

    public ValueTask<Response> ExecuteAsync(ReadOnlyMemory<byte>[] words, bool captureValue, CancellationToken cancellationToken) => SendAsync(words, captureValue);

    public ValueTask<Response> PingAsync(CancellationToken cancellationToken) => SendAsync(PingArguments, false);

    public ValueTask<Response> EchoAsync(ReadOnlyMemory<byte> payload, CancellationToken cancellationToken) => SendAsync([EchoCommand, payload], false);

    public ValueTask<Response> HashAsync(int iterations, ReadOnlyMemory<byte> data, CancellationToken cancellationToken) =>
        SendAsync([HashCommand, System.Text.Encoding.ASCII.GetBytes(iterations.ToString(System.Globalization.CultureInfo.InvariantCulture)), data], false);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposing, 1) == 1)
        {
            return;
        }

        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
            // Already reset by the peer: nothing left to shut down.
        }

        _socket.Dispose();
        await _readLoop;
        await _stream.DisposeAsync();
    }

    private ValueTask<Response> SendAsync(ReadOnlyMemory<byte>[] arguments, bool captureValue)
    {
        PendingReply request;
        lock (_writeLock)
        {
            if (!IsOpen)
            {
                return ValueTask.FromResult(Response.Fail("closed"));
            }

            request = _free.TryPop(out var reused) ? reused : new PendingReply(this);
            request.Start(captureValue);
            _pending.Enqueue(request); // before the bytes can reach the server
            _codec.WriteCommand(_queued, arguments);
            if (_sending)
            {
                return request.AsValueTask(); // the sender in progress takes these bytes too
            }

            _sending = true;
        }

        _ = SendQueuedAsync();
        return request.AsValueTask();
    }

    private void Return(PendingReply reply)
    {
        lock (_writeLock)
        {
            _free.Push(reply);
        }
    }

    private bool NextCapturesValue()
    {
        lock (_writeLock)
        {
            return _pending.TryPeek(out var next) && next.CaptureValue;
        }
    }

    private PendingReply? TakeNext()
    {
        lock (_writeLock)
        {
            return _pending.TryDequeue(out var next) ? next : null;
        }
    }

    private async Task SendQueuedAsync()
    {
        try
        {
            while (true)
            {
                ArrayBufferWriter<byte> batch;
                lock (_writeLock)
                {
                    if (_queued.WrittenCount == 0)
                    {
                        _sending = false;
                        return;
                    }

                    batch = _queued;
                    _queued = _spare;
                }

                await _stream.WriteAsync(batch.WrittenMemory);

                _traffic.Add(0, batch.WrittenCount);
                batch.ResetWrittenCount();
                lock (_writeLock)
                {
                    _spare = batch;
                }
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            Close(Status(e));
        }
    }

    private async Task ReadLoopAsync()
    {
        var status = "closed";
        try
        {
            while (true)
            {
                var read = await _stream.ReadAsync(_input.FreeSpace());
                if (read == 0)
                {
                    break;
                }

                _input.Received(read);
                var buffer = _input.Unread;
                while (_codec.TryReadReply(ref buffer, NextCapturesValue(), out var reply))
                {
                    _traffic.Add(reply.WireLength, 0);
                    var response = reply.IsError ? Response.Fail(reply.ErrorCode) : Response.Ok(reply.WireLength);
                    TakeNext()?.Complete(response with { Kind = reply.Kind, Value = reply.Value });
                }

                _input.Consumed(buffer.Length);
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or RespProtocolException)
        {
            status = Status(e);
        }

        Close(status);
    }

    private void Close(string status)
    {
        lock (_writeLock)
        {
            if (_closed == 1)
            {
                return;
            }

            _closed = 1; // under the lock: a request is either queued before this (and failed below) or refused
        }

        if (Volatile.Read(ref _disposing) == 0)
        {
            _onLost();
        }

        while (TakeNext() is { } request)
        {
            request.Complete(Response.Fail(status));
        }
    }

    private static string Status(Exception e) => e switch
    {
        RespProtocolException => "protocol-error",
        ObjectDisposedException => "closed",
        _ when (e as SocketException ?? e.InnerException as SocketException)?.SocketErrorCode is SocketError.ConnectionReset => "reset",
        _ => "io-error",
    };

    /// <summary>
    /// A request waiting for its reply, reused: awaiting its value task returns it to the connection's pool. Continuations run on the
    /// thread that completes it (the read loop's), as a <see cref="TaskCompletionSource"/>'s did.
    /// </summary>
    private sealed class PendingReply(RespConnection connection) : IValueTaskSource<Response>
    {
        private ManualResetValueTaskSourceCore<Response> _core;

        public bool CaptureValue { get; private set; }

        public void Start(bool captureValue)
        {
            CaptureValue = captureValue;
            _core.Reset();
        }

        public ValueTask<Response> AsValueTask() => new(this, _core.Version);

        public void Complete(Response response) => _core.SetResult(response);

        public Response GetResult(short token)
        {
            var response = _core.GetResult(token);
            connection.Return(this);
            return response;
        }

        public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

        public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
            _core.OnCompleted(continuation, state, token, flags);
    }
}
