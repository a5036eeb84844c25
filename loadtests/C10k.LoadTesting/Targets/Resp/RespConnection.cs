using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Threading.Channels;
using C10k.LoadTesting.Measurement;

namespace C10k.LoadTesting.Targets.Resp;

/// <summary>
/// A lean pipelined RESP client connection: callers post to an outbox that one writer loop drains (flushing once per burst),
/// and one read loop matches replies to requests through a FIFO of sent-but-unanswered requests (StackExchange.Redis's model).
/// </summary>
internal sealed class RespConnection : ITargetConnection
{
    private static readonly ReadOnlyMemory<byte> PingCommand = "PING"u8.ToArray();
    private static readonly ReadOnlyMemory<byte> EchoCommand = "ECHO"u8.ToArray();
    private static readonly ReadOnlyMemory<byte> HashCommand = "HASH"u8.ToArray();
    private static readonly ReadOnlyMemory<byte>[] PingArguments = [PingCommand];

    private readonly Socket _socket;
    private readonly IRespClientCodec _codec;
    private readonly TrafficCounters _traffic;
    private readonly Action _onLost;
    private readonly PipeReader _input;
    private readonly PipeWriter _output;
    private readonly Channel<PendingRequest> _outbox = Channel.CreateUnbounded<PendingRequest>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentQueue<PendingRequest> _pending = new();
    private readonly Task _readLoop;
    private readonly Task _writeLoop;
    private int _closed;
    private int _disposing;

    public RespConnection(Socket socket, IRespClientCodec codec, TrafficCounters traffic, Action onLost)
    {
        _socket = socket;
        _codec = codec;
        _traffic = traffic;
        _onLost = onLost;
        var stream = new NetworkStream(socket, ownsSocket: true);

        // Small buffers: an idle held connection keeps one read buffer rented, and c10k-hold holds 10,000 of them.
        _input = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 1024, minimumReadSize: 256));
        _output = PipeWriter.Create(stream, new StreamPipeWriterOptions(minimumBufferSize: 512));
        _readLoop = ReadLoopAsync();
        _writeLoop = WriteLoopAsync();
    }

    public bool IsOpen => Volatile.Read(ref _closed) == 0;

    public ValueTask<Response> PingAsync(CancellationToken cancellationToken) => SendAsync(PingArguments);

    public ValueTask<Response> EchoAsync(ReadOnlyMemory<byte> payload, CancellationToken cancellationToken) => SendAsync([EchoCommand, payload]);

    public ValueTask<Response> HashAsync(int iterations, ReadOnlyMemory<byte> data, CancellationToken cancellationToken) =>
        SendAsync([HashCommand, System.Text.Encoding.ASCII.GetBytes(iterations.ToString(System.Globalization.CultureInfo.InvariantCulture)), data]);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposing, 1) == 1)
        {
            return;
        }

        _outbox.Writer.TryComplete();
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
            // Already reset by the peer: nothing left to shut down.
        }
        catch (ObjectDisposedException)
        {
            // The read loop closed it first.
        }

        _socket.Dispose();
        await Task.WhenAll(_readLoop, _writeLoop);
    }

    private ValueTask<Response> SendAsync(ReadOnlyMemory<byte>[] arguments)
    {
        var request = new PendingRequest(arguments);
        return IsOpen && _outbox.Writer.TryWrite(request)
            ? new ValueTask<Response>(request.Completion.Task)
            : ValueTask.FromResult(Response.Fail("closed"));
    }

    private async Task WriteLoopAsync()
    {
        var reader = _outbox.Reader;
        try
        {
            while (await reader.WaitToReadAsync())
            {
                while (reader.TryRead(out var request))
                {
                    _pending.Enqueue(request); // before the bytes can reach the server
                    _codec.WriteCommand(_output, request.Arguments);
                }

                _traffic.Add(0, _output.UnflushedBytes);
                if ((await _output.FlushAsync()).IsCompleted)
                {
                    break;
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
                var result = await _input.ReadAsync();
                var buffer = result.Buffer;
                var before = buffer.Length;
                while (_codec.TryReadReply(ref buffer, out var reply))
                {
                    if (_pending.TryDequeue(out var request))
                    {
                        request.Completion.TrySetResult(reply.IsError ? Response.Fail(reply.ErrorCode) : Response.Ok(reply.WireLength));
                    }
                }

                _traffic.Add(before - buffer.Length, 0);
                _input.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted)
                {
                    break;
                }
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or InvalidDataException)
        {
            status = Status(e);
        }

        Close(status);
    }

    private void Close(string status)
    {
        if (Interlocked.Exchange(ref _closed, 1) == 1)
        {
            return;
        }

        _outbox.Writer.TryComplete();
        if (Volatile.Read(ref _disposing) == 0)
        {
            _onLost();
        }

        while (_pending.TryDequeue(out var request))
        {
            request.Completion.TrySetResult(Response.Fail(status));
        }

        while (_outbox.Reader.TryRead(out var request))
        {
            request.Completion.TrySetResult(Response.Fail(status));
        }
    }

    private static string Status(Exception e) => e switch
    {
        InvalidDataException => "protocol-error",
        ObjectDisposedException => "closed",
        _ when (e as SocketException ?? e.InnerException as SocketException)?.SocketErrorCode is SocketError.ConnectionReset => "reset",
        _ => "io-error",
    };

    private sealed class PendingRequest(ReadOnlyMemory<byte>[] arguments)
    {
        public ReadOnlyMemory<byte>[] Arguments { get; } = arguments;

        public TaskCompletionSource<Response> Completion { get; } = new();
    }
}
