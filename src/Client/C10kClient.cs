using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using C10k.Protocol;
using C10k.Protocol.Native;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Logging.Abstractions;

namespace C10k.Client;

/// <summary>
/// A native-protocol connection. Calls from many threads are pipelined on one socket and matched to replies by request id, so
/// replies may arrive in any order. One writer loop owns the socket's output; one reader loop completes calls. When the
/// connection ends, every pending call fails with a <see cref="C10kConnectionException"/> that says why; nothing is retried.
/// </summary>
public sealed class C10kClient : IAsyncDisposable
{
    // Kestrel's socket pipes for the client too (STYLE.md); one factory shares its memory pool across all clients.
    private static readonly SocketConnectionContextFactory ConnectionFactory = new(new SocketConnectionFactoryOptions(), NullLogger.Instance);

    private readonly ConnectionContext _connection;
    private readonly ClientOptions _options;
    private readonly Channel<Outgoing> _outbox = Channel.CreateUnbounded<Outgoing>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentDictionary<uint, TaskCompletionSource<NativeReply>> _pending = new();
    private readonly SemaphoreSlim _slots;
    private readonly Task _readLoop;
    private readonly Task _writeLoop;
    private C10kConnectionException? _failure;
    private int _nextId;

    private C10kClient(ConnectionContext connection, ClientOptions options)
    {
        _connection = connection;
        _options = options;
        _slots = new SemaphoreSlim(options.MaxPendingCalls);
        _readLoop = ReadLoopAsync();
        _writeLoop = WriteLoopAsync();
    }

    /// <summary>The local endpoint of the socket.</summary>
    public EndPoint? LocalEndPoint => _connection.LocalEndPoint;

    /// <summary>Calls sent and not yet answered.</summary>
    public int PendingCalls => _pending.Count;

    /// <summary>Connects to a C10k native port.</summary>
    public static async Task<C10kClient> ConnectAsync(string host, int port, ClientOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new ClientOptions();
        var addresses = await Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false);
        var address = addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork) ?? addresses[0];
        var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            if (options.LocalAddress is { } local)
            {
                socket.Bind(new IPEndPoint(local, 0));
            }

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.ConnectTimeout);
            await socket.ConnectAsync(new IPEndPoint(address, port), timeout.Token).ConfigureAwait(false);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return new C10kClient(ConnectionFactory.Create(socket), options);
    }

    /// <summary>PING: returns "PONG".</summary>
    public async Task<string> PingAsync(CancellationToken cancellationToken = default) =>
        EnsureOk(await SendAsync(NativeOpcodes.Ping, ReadOnlyMemory<byte>.Empty, 0, cancellationToken).ConfigureAwait(false)).Text;

    /// <summary>ECHO: returns <paramref name="message"/> as the server sent it back.</summary>
    public async Task<ReadOnlyMemory<byte>> EchoAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken = default) =>
        EnsureOk(await SendAsync(NativeOpcodes.Echo, Arguments(message.Span), 0, cancellationToken).ConfigureAwait(false)).Payload;

    /// <summary>HASH: iterated SHA-256 of <paramref name="data"/>, as 64 lowercase hex characters.</summary>
    public async Task<string> HashAsync(int iterations, ReadOnlyMemory<byte> data, uint deadlineMs = 0, CancellationToken cancellationToken = default)
    {
        Span<byte> digits = stackalloc byte[11];
        System.Buffers.Text.Utf8Formatter.TryFormat(iterations, digits, out var length);
        var payload = Arguments(digits[..length], data.Span);
        return EnsureOk(await SendAsync(NativeOpcodes.Hash, payload, deadlineMs, cancellationToken).ConfigureAwait(false)).Text;
    }

    /// <summary>HELLO: the server's protocol version, max frame size and per-connection in-flight cap.</summary>
    public async Task<HelloInfo> HelloAsync(CancellationToken cancellationToken = default)
    {
        var reply = EnsureOk(await SendAsync(NativeOpcodes.Hello, ReadOnlyMemory<byte>.Empty, 0, cancellationToken).ConfigureAwait(false));
        var span = reply.Payload.Span;
        return new HelloInfo(
            System.Buffers.Binary.BinaryPrimitives.ReadUInt16BigEndian(span),
            (int)System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(span[2..]),
            (int)System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(span[6..]));
    }

    /// <summary>
    /// Sends any request and returns its reply, whatever its status. Waits for a free slot when <see cref="ClientOptions.MaxPendingCalls"/>
    /// calls are pending. Throws <see cref="TimeoutException"/> after <see cref="ClientOptions.RequestTimeout"/>.
    /// </summary>
    public async Task<NativeReply> SendAsync(ushort opcode, ReadOnlyMemory<byte> payload, uint deadlineMs = 0, CancellationToken cancellationToken = default)
    {
        ThrowIfFailed();
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        var id = NextId();
        var call = new TaskCompletionSource<NativeReply>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = call;
        try
        {
            if (Volatile.Read(ref _failure) is { } failure)
            {
                throw failure;
            }

            if (!_outbox.Writer.TryWrite(new Outgoing(opcode, id, payload, deadlineMs)))
            {
                throw _failure ?? new C10kConnectionException("The client was disposed.");
            }

            return await call.Task.WaitAsync(_options.RequestTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"No reply to request {id} (opcode 0x{opcode:X4}) within {_options.RequestTimeout}.", ex);
        }
        finally
        {
            _pending.TryRemove(id, out _);
            _slots.Release();
        }
    }

    /// <summary>Closes the connection; pending calls fail.</summary>
    public async ValueTask DisposeAsync()
    {
        Fail(new C10kConnectionException("The client was disposed."));
        _connection.Abort();
        await Task.WhenAll(_readLoop, _writeLoop).ConfigureAwait(false);
        await _connection.DisposeAsync().ConfigureAwait(false);
        _slots.Dispose();
    }

    private static NativeReply EnsureOk(NativeReply reply) =>
        reply.Status == NativeStatus.Ok ? reply : throw new C10kStatusException(reply.Status, reply.Text);

    private static byte[] Arguments(ReadOnlySpan<byte> first) => Arguments(first, default, count: 1);

    private static byte[] Arguments(ReadOnlySpan<byte> first, ReadOnlySpan<byte> second, int count = 2)
    {
        var writer = new ArrayBufferWriter<byte>(NativeArguments.EncodedLength(count, first.Length + second.Length));
        NativeArguments.Write(writer, first);
        if (count == 2)
        {
            NativeArguments.Write(writer, second);
        }

        return writer.WrittenSpan.ToArray();
    }

    // Request id 0 is reserved for server notices (CONNECTION_LIMIT), so ids wrap from uint.MaxValue to 1.
    private uint NextId()
    {
        while (true)
        {
            var id = (uint)Interlocked.Increment(ref _nextId);
            if (id != 0 && !_pending.ContainsKey(id))
            {
                return id;
            }
        }
    }

    private void ThrowIfFailed()
    {
        if (Volatile.Read(ref _failure) is { } failure)
        {
            throw failure;
        }
    }

    private void Fail(C10kConnectionException failure)
    {
        if (Interlocked.CompareExchange(ref _failure, failure, null) is not null)
        {
            return;
        }

        _outbox.Writer.TryComplete();
        foreach (var call in _pending.Values)
        {
            call.TrySetException(failure);
        }
    }

    private async Task WriteLoopAsync()
    {
        var output = _connection.Transport.Output;
        try
        {
            await foreach (var request in _outbox.Reader.ReadAllAsync().ConfigureAwait(false))
            {
                NativeFrameWriter.WriteRequest(output, request.Opcode, request.Id, request.Payload.Span, request.DeadlineMs);
                if (!_outbox.Reader.TryPeek(out _) && (await output.FlushAsync().ConfigureAwait(false)).IsCompleted)
                {
                    break;
                }
            }
        }
#pragma warning disable CA1031 // Whatever ends the loop must fail the pending calls, never leave them hanging.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Fail(new C10kConnectionException("Sending failed: " + ex.Message, ex));
        }
    }

    private async Task ReadLoopAsync()
    {
        var reader = new ProtocolReader(_connection.Transport.Input);
        var frames = new NativeFrameReader(_options.MaxReplyBytes);
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(frames).ConfigureAwait(false);
                if (result.IsCompleted || result.IsCanceled)
                {
                    Fail(new C10kConnectionException("The server closed the connection."));
                    return;
                }

                var frame = result.Message;
                var reply = new NativeReply(frame.Opcode, frame.RequestId, frame.Status, frame.Payload.ToArray());
                reader.Advance();
                if (frame.RequestId == 0)
                {
                    Fail(new C10kConnectionException($"The server closed the connection: {reply.Status} ({reply.Text})."));
                    return;
                }

                if (_pending.TryGetValue(frame.RequestId, out var call))
                {
                    call.TrySetResult(reply);
                }
            }
        }
        catch (NativeProtocolException ex)
        {
            Fail(new C10kConnectionException($"The server sent an invalid frame ({ex.Error}).", ex));
        }
#pragma warning disable CA1031 // Whatever ends the loop must fail the pending calls, never leave them hanging.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Fail(new C10kConnectionException("The connection was reset: " + ex.Message, ex));
        }
        finally
        {
            _connection.Abort();
        }
    }

    private readonly record struct Outgoing(ushort Opcode, uint Id, ReadOnlyMemory<byte> Payload, uint DeadlineMs);
}
