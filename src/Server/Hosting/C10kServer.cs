using System.Net;
using C10k.Server.Admin;
using C10k.Server.Connections;
using C10k.Server.Diagnostics;
using C10k.Server.Dispatch;
using C10k.Server.Operations;
using C10k.Server.Resp;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace C10k.Server.Hosting;

/// <summary>Builds the C10k host: Generic Host + Kestrel socket transport, one <c>ConnectionHandler</c> per data port.</summary>
public static class C10kServer
{
    /// <summary>
    /// Builds the server from <paramref name="args"/> (appsettings.json, then <c>C10k__…</c> environment variables, then
    /// <c>--C10k:Section:Key=value</c> arguments). <paramref name="configureOperations"/> registers application operations
    /// next to the built-ins, through the same public API.
    /// </summary>
    public static WebApplication Build(string[] args, Action<OperationRegistry>? configureOperations = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
        });
        AddServices(builder.Services, builder.Configuration, configureOperations);
        builder.WebHost.ConfigureKestrel(ConfigureEndpoints);
        var app = builder.Build();
        app.MapAdmin();
        app.Lifetime.ApplicationStarted.Register(() => LogStarted(app.Services));
        return app;
    }

    private static void AddServices(IServiceCollection services, Microsoft.Extensions.Configuration.IConfiguration configuration, Action<OperationRegistry>? configureOperations)
    {
        services.AddSection<ServerOptions>(configuration, ServerOptions.Section)
            .AddSection<NativeOptions>(configuration, NativeOptions.Section)
            .AddSection<RespOptions>(configuration, RespOptions.Section)
            .AddSection<LimitsOptions>(configuration, LimitsOptions.Section)
            .AddSection<WorkerOptions>(configuration, WorkerOptions.Section)
            .AddSection<OperationsOptions>(configuration, OperationsOptions.Section)
            .AddSection<TransportOptions>(configuration, TransportOptions.Section)
            .AddSection<ShutdownOptions>(configuration, ShutdownOptions.Section)
            .AddSection<NetworkOptions>(configuration, NetworkOptions.Section)
            .AddSection<AuthOptions>(configuration, AuthOptions.Section)
            .AddSection<TlsOptions>(configuration, TlsOptions.Section);
        services.AddSecurity();

        services.AddMetrics();
        services.AddAdmin(configuration).AddConsoleLogFormat(configuration);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<C10kMetrics>();
        services.AddSingleton<ConnectionRegistry>();
        services.AddSingleton<CommandDispatcher>();
        services.AddSingleton<ConnectionServices>();
        services.AddSingleton<RespServices>();
        services.AddSingleton<ServerEndpoints>();
        services.AddSingleton(sp => CreateRegistry(sp, configureOperations));
        services.AddHostedService<DrainService>();
        services.AddOptions<SocketTransportOptions>().Configure<IOptions<TransportOptions>>((socket, transport) =>
        {
            socket.UnsafePreferInlineScheduling = transport.Value.InlineScheduling;
            socket.Backlog = transport.Value.Backlog;
            socket.MaxReadBufferSize = transport.Value.MaxReadBufferBytes;
        });
        services.AddOptions<HostOptions>().Configure<IOptions<ShutdownOptions>>((host, shutdown) =>
            host.ShutdownTimeout = TimeSpan.FromMilliseconds(shutdown.Value.ReadinessDelayMs + shutdown.Value.DrainTimeoutMs) + TimeSpan.FromSeconds(5));
    }

    private static OperationRegistry CreateRegistry(IServiceProvider services, Action<OperationRegistry>? configureOperations)
    {
        var registry = new OperationRegistry()
            .Register(new PingOperation())
            .Register(new EchoOperation())
            .Register(new HashOperation(services.GetRequiredService<IOptions<OperationsOptions>>().Value.MaxHashIterations));
        foreach (var operation in services.GetServices<Operation>())
        {
            registry.Register(operation);
        }

        configureOperations?.Invoke(registry);
        return registry;
    }

    private static void ConfigureEndpoints(WebHostBuilderContext context, KestrelServerOptions kestrel)
    {
        var services = kestrel.ApplicationServices;
        var address = IPAddress.Parse(services.GetRequiredService<IOptions<ServerOptions>>().Value.BindAddress);
        var endpoints = services.GetRequiredService<ServerEndpoints>();
        var native = services.GetRequiredService<IOptions<NativeOptions>>().Value;
        var resp = services.GetRequiredService<IOptions<RespOptions>>().Value;
        foreach (var (port, tls) in new[] { (native.Port, false), (native.TlsPort, true) }.Where(p => p.Item1 >= 0))
        {
            kestrel.Listen(address, port, listen =>
            {
                listen.UseDataPort(Front.Native, tls).UseConnectionHandler<NativeConnectionHandler>();
                endpoints.Add(tls ? "native-tls" : "native", listen);
            });
        }

        foreach (var (port, tls) in new[] { (resp.Port, false), (resp.TlsPort, true) }.Where(p => p.Item1 >= 0))
        {
            kestrel.Listen(address, port, listen =>
            {
                listen.UseDataPort(Front.Resp, tls).UseConnectionHandler<RespConnectionHandler>();
                endpoints.Add(tls ? "resp-tls" : "resp", listen);
            });
        }

        kestrel.ListenAdmin(endpoints);
    }

    private static void LogStarted(IServiceProvider services)
    {
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("C10k.Server");
        var endpoints = services.GetRequiredService<ServerEndpoints>();
        var address = services.GetRequiredService<IOptions<ServerOptions>>().Value.BindAddress;
        foreach (var name in endpoints.Names)
        {
            HostingLog.Listening(logger, name, address, endpoints.Port(name));
        }

        SecurityServices.LogStarted(services, logger);
    }
}
