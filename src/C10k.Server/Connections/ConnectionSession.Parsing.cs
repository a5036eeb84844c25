using System.Buffers;
using C10k.Protocol;
using C10k.Server.Diagnostics;

namespace C10k.Server.Connections;

/// <summary>A batch of requests parsed from what the transport returned, how a protocol error ends the reading, and how both are reported.</summary>
public abstract partial class ConnectionSession
{
    // Parses requests until the buffer runs out, the in-flight cap is reached, or enough replies wait to be flushed first.
    private Batch Parse(ref ReadOnlySequence<byte> buffer)
    {
        try
        {
            while (!_stopReading)
            {
                if (InFlight >= InFlightCap || !_services.Dispatcher.MayQueue(Writer))
                {
                    return Batch.Paused;
                }

                if (!TryHandleNext(ref buffer))
                {
                    return Batch.Done;
                }

                _parsed++;

                if (Writer.UnflushedBytes >= FlushThresholdBytes)
                {
                    return Batch.FlushFirst;
                }
            }
        }
        catch (ProtocolException ex)
        {
            ReportProtocolError(ex.Kind);
            WriteProtocolError(ex);
            StopReading(CloseReason.ProtocolError);
        }

        // Stopped (QUIT, a protocol error): what follows is discarded.
        buffer = buffer.Slice(buffer.End);
        return Batch.Done;
    }

    private void ReportProtocolError(string kind)
    {
        Metrics.ProtocolError(Front, kind);
        if (_services.ConnectionLogLimiter.TryAcquire(ConnectionLog.ProtocolErrorId, out var suppressed))
        {
            ConnectionLog.ProtocolError(_services.Logger, Front, ConnectionId, Context.RemoteEndPoint?.ToString(), kind, suppressed);
        }
    }

    private void ReportFailure(Exception exception)
    {
        if (_services.ConnectionLogLimiter.TryAcquire(ConnectionLog.FailedId, out var suppressed))
        {
            ConnectionLog.Failed(_services.Logger, Front, ConnectionId, suppressed, exception);
        }
    }

    private enum Batch
    {
        Done,
        Paused,
        FlushFirst,
    }
}
