using C10k.Server.Diagnostics;
using C10k.Server.Dispatch;
using C10k.Server.Hosting;
using C10k.Server.Security;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace C10k.Server.Connections;

/// <summary>What every connection of every front needs, resolved once instead of per connection.</summary>
internal sealed class ConnectionServices(
    ConnectionRegistry registry,
    CommandDispatcher dispatcher,
    C10kMetrics metrics,
    IOptions<LimitsOptions> limits,
    IOptions<ShutdownOptions> shutdown,
    TimeProvider time,
    ILoggerFactory loggerFactory,
    Authenticator authenticator)
{
    public Authenticator Authenticator { get; } = authenticator;

    public ConnectionRegistry Registry { get; } = registry;

    public CommandDispatcher Dispatcher { get; } = dispatcher;

    public C10kMetrics Metrics { get; } = metrics;

    public LimitsOptions Limits { get; } = limits.Value;

    /// <summary>How long a half-closed connection may take to answer what it accepted (the drain timeout).</summary>
    public TimeSpan HalfCloseTimeout { get; } = TimeSpan.FromMilliseconds(shutdown.Value.DrainTimeoutMs);

    public ILogger Logger { get; } = loggerFactory.CreateLogger("C10k.Server.Connections");

    /// <summary>Where read loops that used up their turn wait for the next (see <see cref="TurnQueue"/>).</summary>
    public TurnQueue Turns { get; } = new();

    /// <summary>Rate limit of the per-connection log lines a client can cause (protocol errors, limit closes, failures), per event id.</summary>
    public LogRateLimiter ConnectionLogLimiter { get; } = new(time);
}
