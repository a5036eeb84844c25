using System.Buffers;
using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Text;
using C10k.Protocol.Native;

namespace C10k.Client;

/// <summary>
/// A native-protocol connection, plain or TLS. Calls from many threads are pipelined on one connection and matched to replies by
/// request id, so replies may arrive in any order. One caller at a time sends what all callers staged; one reader loop completes
/// calls. When the connection ends, every pending call fails with a <see cref="C10kConnectionException"/> that says why; nothing
/// is retried (<see cref="ReconnectingC10kClient"/> reconnects for the calls that come after).
/// </summary>
public sealed partial class C10kClient : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly Stream _stream;
    private readonly PipeReader _input;
    private readonly FrameSender _sender;
    private readonly ClientOptions _options;
    private readonly PendingCallTable _pending = new();
    private readonly ConcurrentQueue<PendingCall> _calls = new(); // pooled calls whose results were taken
    private readonly SemaphoreSlim _slots;
    private readonly Task _readLoop;
    private readonly IDisposable? _timeouts;
    private C10kConnectionException? _failure;

    private C10kClient(Socket socket, Stream stream, ClientOptions options)
    {
        _socket = socket;
        _stream = stream;
        // A pipe over the stream for reading; sends go straight to the stream from the sending caller. Measured against Kestrel's
        // SocketConnectionContextFactory: its transport loops add a thread hop each way (p50 at 1,000 connections ~2x).
        _input = PipeReader.Create(stream, new StreamPipeReaderOptions(minimumReadSize: 1024, leaveOpen: true));
        _sender = new FrameSender(stream, ex => Fail(new C10kConnectionException("Sending failed: " + ex.Message, ex)));
        _options = options;
        _slots = new SemaphoreSlim(options.MaxPendingCalls);
        // One timer sweeps the pending calls of every client with the same timeout (none without a timeout), not one per client;
        // registered before the read loop starts, so a connection that ends at once also leaves the sweep at once.
        if (options.RequestTimeout != Timeout.InfiniteTimeSpan)
        {
            _timeouts = TimeoutSweep.Register(this, options.TimeProvider, TimeoutSweep.PeriodFor(options.RequestTimeout));
        }

        _readLoop = ReadLoopAsync();
    }

    /// <summary>The local endpoint of the socket.</summary>
    public EndPoint? LocalEndPoint => _socket.LocalEndPoint;

    /// <summary>False once the connection has ended; every call then fails.</summary>
    public bool IsConnected => Volatile.Read(ref _failure) is null;

    /// <summary>Calls sent and not yet answered.</summary>
    public int PendingCalls => _pending.Count;

    /// <summary>
    /// Connects to a C10k native port (its TLS port when <see cref="ClientOptions.Tls"/> is set), then authenticates when
    /// <see cref="ClientOptions.Password"/> is set.
    /// </summary>
    public static async Task<C10kClient> ConnectAsync(string host, int port, ClientOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new ClientOptions();
        var (socket, stream) = await ClientTransport.ConnectAsync(host, port, options, cancellationToken).ConfigureAwait(false);
        var client = new C10kClient(socket, stream, options);
        if (options.Password is { } password)
        {
            try
            {
                await client.AuthAsync(options.User, password, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                await client.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }

        return client;
    }

    /// <summary>AUTH: authenticates the connection as <paramref name="user"/>; a wrong pair throws <see cref="C10kStatusException"/> (UNAUTHENTICATED).</summary>
    public async Task AuthAsync(string user, string password, CancellationToken cancellationToken = default) =>
        EnsureOk(await SendValueAsync(NativeOpcodes.Auth, Arguments(Encoding.UTF8.GetBytes(user), Encoding.UTF8.GetBytes(password)), 0, cancellationToken).ConfigureAwait(false));

    /// <summary>PING: returns "PONG".</summary>
    public async Task<string> PingAsync(CancellationToken cancellationToken = default) =>
        EnsureOk(await SendValueAsync(NativeOpcodes.Ping, ReadOnlyMemory<byte>.Empty, 0, cancellationToken).ConfigureAwait(false)).Text;

    /// <summary>ECHO: returns <paramref name="message"/> as the server sent it back.</summary>
    public async Task<ReadOnlyMemory<byte>> EchoAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken = default) =>
        EnsureOk(await SendValueAsync(NativeOpcodes.Echo, Arguments(message.Span), 0, cancellationToken).ConfigureAwait(false)).Payload;

    /// <summary>HASH: iterated SHA-256 of <paramref name="data"/>, as 64 lowercase hex characters.</summary>
    public async Task<string> HashAsync(int iterations, ReadOnlyMemory<byte> data, uint deadlineMs = 0, CancellationToken cancellationToken = default)
    {
        Span<byte> digits = stackalloc byte[11];
        System.Buffers.Text.Utf8Formatter.TryFormat(iterations, digits, out var length);
        var payload = Arguments(digits[..length], data.Span);
        return EnsureOk(await SendValueAsync(NativeOpcodes.Hash, payload, deadlineMs, cancellationToken).ConfigureAwait(false)).Text;
    }

    /// <summary>HELLO: the server's protocol version, max frame size and per-connection in-flight cap.</summary>
    public async Task<HelloInfo> HelloAsync(CancellationToken cancellationToken = default)
    {
        var reply = EnsureOk(await SendValueAsync(NativeOpcodes.Hello, ReadOnlyMemory<byte>.Empty, 0, cancellationToken).ConfigureAwait(false));
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
    public Task<NativeReply> SendAsync(ushort opcode, ReadOnlyMemory<byte> payload, uint deadlineMs = 0, CancellationToken cancellationToken = default) =>
        SendValueAsync(opcode, payload, deadlineMs, cancellationToken).AsTask();

    /// <summary>Closes the connection; pending calls fail.</summary>
    public async ValueTask DisposeAsync()
    {
        Fail(new C10kConnectionException("The client was disposed."));
        Shutdown();
        await Task.WhenAll(_readLoop, _sender.Sending).ConfigureAwait(false);
        await _input.CompleteAsync().ConfigureAwait(false);
        await _stream.DisposeAsync().ConfigureAwait(false);
        _socket.Dispose(); // _slots stays: a caller may still take a failed call's result, which frees its slot
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

    private void Fail(C10kConnectionException failure)
    {
        if (Interlocked.CompareExchange(ref _failure, failure, null) is not null)
        {
            return;
        }

        _sender.Stop();
        _timeouts?.Dispose(); // nothing stays pending once failed
        FailPending(failure);
    }

    private void Shutdown()
    {
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // Already closed by the peer or by a concurrent dispose: nothing left to shut down.
        }
    }

    /// <summary>
    /// Takes the calls pending longer than the request timeout out of the pending calls, into <paramref name="expired"/> with their
    /// failure (for <see cref="TimeoutSweep"/>, which fails them outside its lock).
    /// </summary>
    internal void CollectExpiredCalls(List<(PendingCall Call, Exception Failure)> expired) =>
        _pending.RemoveExpired(_options.TimeProvider, _options.RequestTimeout, expired);
}
