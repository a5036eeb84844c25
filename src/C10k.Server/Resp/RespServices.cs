using System.Diagnostics;
using C10k.Protocol.Resp;
using C10k.Server.Connections;
using C10k.Server.Hosting;
using C10k.Server.Operations;
using Microsoft.Extensions.Options;

namespace C10k.Server.Resp;

/// <summary>What every RESP connection shares, resolved once: options, the command catalog, and the counters INFO reports.</summary>
internal sealed class RespServices
{
    private long _nextClientId;
    private long _connectionsReceived;
    private long _connectionsRejected;
    private long _commandsProcessed;

    public RespServices(ConnectionServices connections, OperationRegistry operations, IOptions<RespOptions> options, IOptions<LimitsOptions> limits, ServerEndpoints endpoints)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(limits);
        Connections = connections;
        Operations = operations;
        Options = options.Value;
        Limits = Options.ToLimits();
        ConnectionLimits = limits.Value;
        Endpoints = endpoints;
        Catalog = new RespCommandCatalog(operations);
    }

    public ConnectionServices Connections { get; }

    public OperationRegistry Operations { get; }

    public RespOptions Options { get; }

    public RespLimits Limits { get; }

    public LimitsOptions ConnectionLimits { get; }

    public ServerEndpoints Endpoints { get; }

    public RespCommandCatalog Catalog { get; }

    /// <summary>Stopwatch timestamp of start-up, for uptime.</summary>
    public long StartedAt { get; } = Stopwatch.GetTimestamp();

    public long ConnectionsReceived => Interlocked.Read(ref _connectionsReceived);

    public long ConnectionsRejected => Interlocked.Read(ref _connectionsRejected);

    public long CommandsProcessed => Interlocked.Read(ref _commandsProcessed);

    /// <summary>A new CLIENT ID, unique for the process's lifetime, as Redis's.</summary>
    public long NextClientId() => Interlocked.Increment(ref _nextClientId);

    public void ConnectionReceived() => Interlocked.Increment(ref _connectionsReceived);

    public void ConnectionRejected() => Interlocked.Increment(ref _connectionsRejected);

    /// <summary>Adds a connection's commands since its last report (once per read batch, not per command: no shared cache line per request).</summary>
    public void CommandsDone(long count) => Interlocked.Add(ref _commandsProcessed, count);
}
