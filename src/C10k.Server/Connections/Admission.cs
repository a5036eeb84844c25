using C10k.Server.Diagnostics;
using C10k.Server.Resp;
using C10k.Server.Security;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;

namespace C10k.Server.Connections;

/// <summary>
/// The connection middleware steps that decide whether a connection reaches its front's handler: the process-wide limit (from
/// accept), the PROXY header's failures, the per-address limit (after the PROXY header), failed TLS handshakes, protected mode
/// (after the TLS handshake, so the refusal can be read) and a drain that began meanwhile. A refusal is counted, logged rate-limited
/// with the peer address, and said in the front's protocol where it can be.
/// </summary>
internal sealed class Admission(
    ConnectionGate gate,
    ConnectionRegistry registry,
    ClientAccess access,
    C10kMetrics metrics,
    RespServices resp,
    ILoggerFactory loggers,
    TimeProvider time)
{
    private readonly ILogger _logger = loggers.CreateLogger("C10k.Server.Admission");
    private readonly LogRateLimiter _limiter = new(time);

    /// <summary>
    /// First step of a data port: refuses every connection once a drain has begun, and takes a place under <c>MaxConnections</c>
    /// before anything is read, so connections waiting for a PROXY header or a TLS handshake count. On a TLS port nothing can be
    /// written yet: a refused connection is just closed, as Redis does.
    /// </summary>
    public ConnectionDelegate LimitConnections(ConnectionDelegate next, Front front, bool tls) => async connection =>
    {
        if (registry.IsDraining)
        {
            await RefuseAsync(connection, front, Refusal.Draining, 0, canWrite: !tls);
            return;
        }

        if (!gate.TryEnter())
        {
            await RefuseAsync(connection, front, Refusal.ConnectionLimit, gate.MaxConnections, canWrite: !tls);
            return;
        }

        try
        {
            await next(connection);
        }
        finally
        {
            gate.Leave();
        }
    };

    /// <summary>After the PROXY header: takes a place under <c>MaxConnectionsPerAddress</c> for the client's address.</summary>
    public ConnectionDelegate LimitPerAddress(ConnectionDelegate next, Front front, bool tls) => async connection =>
    {
        var address = ConnectionGate.KeyOf(connection.RemoteEndPoint);
        if (address is null)
        {
            await next(connection);
            return;
        }

        if (!gate.TryEnterAddress(address))
        {
            await RefuseAsync(connection, front, Refusal.AddressLimit, gate.MaxPerAddress, canWrite: !tls);
            return;
        }

        try
        {
            await next(connection);
        }
        finally
        {
            gate.LeaveAddress(address);
        }
    };

    /// <summary>
    /// Around the TLS handshake (<see cref="HandshakeDone"/> right after it): a connection whose handshake failed (not TLS, a
    /// timeout, the peer left) never reaches the next step, and is counted and logged here as a <c>tls_handshake</c> refusal.
    /// </summary>
    public ConnectionDelegate CountFailedHandshakes(ConnectionDelegate next, Front front) => async connection =>
    {
        var handshake = new TlsHandshakeMark();
        connection.Features.Set(handshake);
        await next(connection);
        if (!handshake.Done)
        {
            await RefuseAsync(connection, front, Refusal.TlsHandshake, 0, canWrite: false);
        }
    };

    /// <summary>The step right after the TLS handshake: marks it done for <see cref="CountFailedHandshakes"/>.</summary>
    public static ConnectionDelegate HandshakeDone(ConnectionDelegate next) => connection =>
    {
        connection.Features.Get<TlsHandshakeMark>()!.Done = true;
        return next(connection);
    };

    /// <summary>
    /// In a front's handler, after every step: a drain that began after <see cref="LimitConnections"/> let the connection in (while
    /// its PROXY header or TLS handshake was pending) refuses it now, in its front's protocol; null when it may be served.
    /// </summary>
    public Task? RefuseIfDrainBegan(ConnectionContext connection, Front front) =>
        registry.IsDraining ? RefuseAsync(connection, front, Refusal.Draining, 0, canWrite: true) : null;

    /// <summary>True when protected mode holds, so <see cref="ProtectedMode"/> belongs in the pipeline.</summary>
    public bool IsProtected => access.IsProtected;

    /// <summary>Last step, in protected mode only: a client from anywhere but loopback gets DENIED and is closed.</summary>
    public ConnectionDelegate ProtectedMode(ConnectionDelegate next, Front front) => connection =>
        ClientAccess.IsLocal(connection.RemoteEndPoint)
            ? next(connection)
            : RefuseAsync(connection, front, Refusal.ProtectedMode, 0, canWrite: true);

    /// <summary>Counts and logs a refusal and, when <paramref name="canWrite"/>, tells the client why in its front's protocol.</summary>
    public async Task RefuseAsync(ConnectionContext connection, Front front, Refusal refusal, int limit, bool canWrite)
    {
        metrics.ConnectionRejected(front, refusal.Reason);
        if (front == Front.Resp)
        {
            resp.ConnectionRejected();
        }

        if (_limiter.TryAcquire(AdmissionLog.RefusedId, out var suppressed))
        {
            AdmissionLog.Refused(_logger, front, connection.RemoteEndPoint?.ToString(), refusal.Reason, limit, suppressed);
        }

        if (canWrite)
        {
            try
            {
                await refusal.WriteAsync(connection, front);
            }
            catch (Exception ex) when (ex is IOException or ConnectionResetException or ConnectionAbortedException or OperationCanceledException)
            {
                // The client left before reading why: nothing more to tell it.
            }
        }
    }

    private sealed class TlsHandshakeMark
    {
        public bool Done { get; set; }
    }
}
