using C10k.Server.Hosting;
using Microsoft.Extensions.Logging;

namespace C10k.Server.Diagnostics;

/// <summary>Start, stop and drain events (ids 300–399).</summary>
internal static partial class HostingLog
{
    [LoggerMessage(300, LogLevel.Information, "{Endpoint} listening on {Address}:{Port}")]
    public static partial void Listening(ILogger logger, string endpoint, string address, int port);

    [LoggerMessage(303, LogLevel.Information, "Socket engine inline completions: {InlineCompletions} (process-wide, DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS); data-port transport: {DataPorts}; Kestrel inline scheduling: {InlineScheduling} (C10k:Transport, server-wide)")]
    public static partial void SocketSwitches(ILogger logger, string inlineCompletions, DataPortTransport dataPorts, string inlineScheduling);

    [LoggerMessage(301, LogLevel.Information, "Drain started: {Connections} connections, {InFlight} requests in flight, timeout {TimeoutMs} ms")]
    public static partial void DrainStarted(ILogger logger, int connections, int inFlight, int timeoutMs);

    [LoggerMessage(302, LogLevel.Information, "Drain finished in {ElapsedMs} ms; {InFlight} requests still in flight got SHUTTING_DOWN or were running")]
    public static partial void DrainFinished(ILogger logger, long elapsedMs, int inFlight);

    [LoggerMessage(304, LogLevel.Information, "Stopping: /readyz answers 503 now; new connections are still served for {DelayMs} ms (C10k:Shutdown:ReadinessDelayMs), then the listeners close and the drain begins")]
    public static partial void ReadinessDelay(ILogger logger, int delayMs);
}
