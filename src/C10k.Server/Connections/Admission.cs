using C10k.Server.Diagnostics;
using C10k.Server.Resp;
using C10k.Server.Security;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;

namespace C10k.Server.Connections;

/// <summary>
/// The connection middleware steps that decide whether a connection reaches its front's handler: the process-wide limit (from
/// accept), the per-address limit (after the PROXY header), and protected mode (after the TLS handshake, so the refusal can be
/// read). A refusal is counted, logged rate-limited with the peer address, and said in the front's protocol where it can be.
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
}
