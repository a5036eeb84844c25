using System.Net.Sockets;
using C10k.LoadTesting.Measurement;
using C10k.LoadTesting.Targets;

namespace C10k.LoadTesting.Connections;

/// <summary>
/// A scenario's held connections: opened at a fixed connect rate (exact schedule: connection i at i / rate), spread over the
/// source addresses round-robin, and handed out round-robin so each one sends at (request rate / connections).
/// </summary>
internal sealed class ConnectionPool : IAsyncDisposable
{
    /// <summary>Connects in flight at once, so a fast connect rate does not open thousands of half-open sockets.</summary>
    private const int MaxConcurrentConnects = 256;

    private readonly ILoadTarget _target;
    private readonly ConnectionSettings _settings;
    private readonly ScenarioMeasurement _measurement;
    private readonly TimeProvider _time;
    private ITargetConnection[] _connections = [];

    public ConnectionPool(ILoadTarget target, ConnectionSettings settings, ScenarioMeasurement measurement, TimeProvider time)
    {
        _target = target;
        _settings = settings;
        _measurement = measurement;
        _time = time;
    }

    public int Count => _connections.Length;

    /// <summary>host:port of the target, for connect failure reasons.</summary>
    private string Endpoint => Uri.TryCreate(_target.Address, UriKind.Absolute, out var uri) ? uri.Authority : _target.Address;

    /// <summary>The connection for invocation <paramref name="index"/>, or null when none is open.</summary>
    public ITargetConnection? Get(long index) => _connections.Length == 0 ? null : _connections[(int)((ulong)index % (ulong)_connections.Length)];

    public async Task OpenAsync(CancellationToken cancellationToken)
    {
        var slots = new ITargetConnection?[_settings.Count];
        using var gate = new SemaphoreSlim(MaxConcurrentConnects);
        var start = _time.GetTimestamp();
        var tasks = new List<Task>(_settings.Count);
        for (var i = 0; i < _settings.Count; i++)
        {
            if (_settings.ConnectRate > 0)
            {
                var due = TimeSpan.FromSeconds(i / _settings.ConnectRate) - _time.GetElapsedTime(start);
                if (due > TimeSpan.Zero)
                {
                    await Task.Delay(due, _time, cancellationToken);
                }
            }

            await gate.WaitAsync(cancellationToken);
            tasks.Add(OpenOneAsync(i, slots, gate, cancellationToken));
        }

        await Task.WhenAll(tasks);
        _connections = [.. slots.Where(c => c is not null)!];
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var connection in _connections)
        {
            if (connection.IsOpen)
            {
                _measurement.Connections.OnClosed();
            }

            await connection.DisposeAsync();
        }

        _connections = [];
    }

    private async Task OpenOneAsync(int index, ITargetConnection?[] slots, SemaphoreSlim gate, CancellationToken cancellationToken)
    {
        var sources = _settings.SourceAddresses;
        var source = sources.Count == 0 ? null : sources[index % sources.Count];
        using var deadline = new CancellationTokenSource(_settings.ConnectTimeout, _time);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            var counters = _measurement.Connections;
            slots[index] = await _target.ConnectAsync(source, _measurement.Traffic, counters.OnReset, timeout.Token);
            counters.OnOpened();
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            _measurement.Connections.OnConnectTimedOut($"connect timeout {Endpoint}");
        }
        catch (SocketException e)
        {
            _measurement.Connections.OnConnectFailed($"{Describe(e.SocketErrorCode)} {Endpoint}");
        }
        catch (TargetConnectException e)
        {
            _measurement.Connections.OnConnectFailed($"{e.Message} {Endpoint}");
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary><c>ConnectionRefused</c> → <c>connection refused</c>.</summary>
    internal static string Describe(SocketError error) =>
        string.Concat(error.ToString().Select((c, i) => char.IsUpper(c) ? (i > 0 ? " " : string.Empty) + char.ToLowerInvariant(c) : c.ToString()));
}
