using System.Net.Sockets;

namespace C10k.Client;

/// <summary>
/// A <see cref="C10kClient"/> that opens a new connection, with backoff, when the current one has ended — for example when a
/// replica closes connections past their maximum age or drains. A call in flight when the connection ends still fails (it may
/// have run; retrying it is the caller's decision); the calls after it wait for the new connection, which uses the same
/// <see cref="ClientOptions"/> (TLS and AUTH included).
/// </summary>
public sealed class ReconnectingC10kClient : IAsyncDisposable
{
    private readonly string _host;
    private readonly int _port;
    private readonly ClientOptions _options;
    private readonly ReconnectPolicy _policy;
    private readonly CancellationTokenSource _disposed = new();
    private readonly Lock _gate = new();
    private C10kClient _current;
    private Task<C10kClient>? _reconnecting;
    private int _reconnects;

    private ReconnectingC10kClient(string host, int port, ClientOptions options, ReconnectPolicy policy, C10kClient first)
    {
        _host = host;
        _port = port;
        _options = options;
        _policy = policy;
        _current = first;
    }

    /// <summary>Connections opened after the first.</summary>
    public int Reconnects => Volatile.Read(ref _reconnects);

    /// <summary>Connects (the first connection is not retried: a wrong address should fail fast).</summary>
    public static async Task<ReconnectingC10kClient> ConnectAsync(
        string host, int port, ClientOptions? options = null, ReconnectPolicy? policy = null, CancellationToken cancellationToken = default)
    {
        options ??= new ClientOptions();
        var first = await C10kClient.ConnectAsync(host, port, options, cancellationToken).ConfigureAwait(false);
        return new ReconnectingC10kClient(host, port, options, policy ?? new ReconnectPolicy(), first);
    }

    /// <summary>Runs <paramref name="call"/> on a live connection, reconnecting first if the last one ended.</summary>
    public async Task<T> CallAsync<T>(Func<C10kClient, Task<T>> call, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(call);
        var client = await LiveClientAsync(cancellationToken).ConfigureAwait(false);
        return await call(client).ConfigureAwait(false);
    }

    /// <summary>PING on a live connection.</summary>
    public Task<string> PingAsync(CancellationToken cancellationToken = default) =>
        CallAsync(c => c.PingAsync(cancellationToken), cancellationToken);

    /// <summary>Any request on a live connection.</summary>
    public Task<NativeReply> SendAsync(ushort opcode, ReadOnlyMemory<byte> payload, uint deadlineMs = 0, CancellationToken cancellationToken = default) =>
        CallAsync(c => c.SendAsync(opcode, payload, deadlineMs, cancellationToken), cancellationToken);

    /// <summary>
    /// <see cref="C10kClient.CallAsync(ushort, IReadOnlyList{ReadOnlyMemory{byte}}, uint, CancellationToken)"/> on a live
    /// connection: a typed reply as a <see cref="ReplyValue"/> (each new connection asks for typed replies again). A status other
    /// than OK throws <see cref="C10kStatusException"/>.
    /// </summary>
    public Task<ReplyValue> CallAsync(ushort opcode, IReadOnlyList<ReadOnlyMemory<byte>> arguments, uint deadlineMs = 0, CancellationToken cancellationToken = default) =>
        CallAsync(c => c.CallAsync(opcode, arguments, deadlineMs, cancellationToken), cancellationToken);

    /// <summary>Closes the current connection and stops reconnecting.</summary>
    public async ValueTask DisposeAsync()
    {
        await _disposed.CancelAsync().ConfigureAwait(false);
        await Volatile.Read(ref _current).DisposeAsync().ConfigureAwait(false);
        _disposed.Dispose();
    }

    private Task<C10kClient> LiveClientAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_current.IsConnected)
            {
                return Task.FromResult(_current);
            }

            _reconnecting ??= ReconnectAsync(_current);
            return _reconnecting.WaitAsync(cancellationToken);
        }
    }

    private async Task<C10kClient> ReconnectAsync(C10kClient ended)
    {
        await ended.DisposeAsync().ConfigureAwait(false);
        var random = new Random();
        for (var attempt = 0; ; attempt++)
        {
            await Task.Delay(_policy.Delay(attempt, random), _disposed.Token).ConfigureAwait(false);
            try
            {
                var fresh = await C10kClient.ConnectAsync(_host, _port, _options, _disposed.Token).ConfigureAwait(false);
                lock (_gate)
                {
                    _current = fresh;
                    _reconnecting = null;
                }

                Interlocked.Increment(ref _reconnects);
                return fresh;
            }
            catch (Exception ex) when (ex is SocketException or TimeoutException or IOException || (ex is OperationCanceledException && !_disposed.IsCancellationRequested))
            {
                // The replica is not back yet (refused, or closed during the TLS handshake): wait longer and try again.
            }
        }
    }
}
