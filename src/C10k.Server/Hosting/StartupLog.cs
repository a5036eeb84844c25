using C10k.Server.Connections;
using C10k.Server.Diagnostics;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace C10k.Server.Hosting;

/// <summary>
/// Starts the server-wide metrics observation, then, once the host has started, logs one line per C10k endpoint (with its bound
/// port), who may connect, and the state of the process- and server-wide socket switches that C10k only reads.
/// </summary>
internal sealed class StartupLog(IServiceProvider services, IHostApplicationLifetime lifetime) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        services.GetRequiredService<C10kMetrics>().ObserveServer(services.GetRequiredService<ConnectionRegistry>());
        lifetime.ApplicationStarted.Register(LogStarted);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void LogStarted()
    {
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("C10k.Server");
        var endpoints = services.GetRequiredService<ServerEndpoints>();
        foreach (var name in endpoints.Names)
        {
            if (endpoints.EndPoint(name) is { } bound)
            {
                HostingLog.Listening(logger, name, bound.Address.ToString(), bound.Port);
            }
        }

        SecurityServices.LogStarted(services, logger);
        var transport = services.GetService<IOptions<SocketTransportOptions>>()?.Value;
        HostingLog.SocketSwitches(
            logger,
            SocketEngine.InlineCompletions,
            services.GetRequiredService<IOptions<TransportOptions>>().Value.DataPorts,
            transport is null ? "unknown" : transport.UnsafePreferInlineScheduling ? "yes" : "no");
    }
}
