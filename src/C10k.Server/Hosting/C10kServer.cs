using Microsoft.AspNetCore.Connections;
using C10k.Server.Admin;
using C10k.Server.Connections;
using C10k.Server.Transport;
using C10k.Server.Diagnostics;
using C10k.Server.Dispatch;
using C10k.Server.Operations;
using C10k.Server.Resp;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace C10k.Server.Hosting;

/// <summary>
/// The C10k host: a slim <c>WebApplication</c> that is nothing but C10k (every data port of the configuration, the admin port,
/// the C10k socket transport settings), built on the same public API an application uses to host C10k next to its own endpoints
/// (<see cref="C10kServiceCollectionExtensions.AddC10k"/>, <see cref="C10kKestrelExtensions"/>, <see cref="C10kEndpointRouteBuilderExtensions.MapC10kAdmin"/>).
/// </summary>
public static class C10kServer
{
    /// <summary>
    /// Builds the server from <paramref name="args"/> (appsettings.json, then <c>C10k__…</c> environment variables, then
    /// <c>--C10k:Section:Key=value</c> arguments). <paramref name="configure"/> adds application operations next to the built-ins.
    /// </summary>
    public static WebApplication Build(string[] args, Action<C10kBuilder>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
        });
        var c10k = builder.Services.AddC10k().ConfigureSocketTransport();
        configure?.Invoke(c10k);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ListenC10k().ListenC10kAdmin());
        var app = builder.Build();
        app.MapC10kAdmin();
        return app;
    }

    /// <summary>Builds the server as <see cref="Build(string[], Action{C10kBuilder})"/> does and runs <paramref name="configureOperations"/> on its registry.</summary>
    public static WebApplication Build(string[] args, Action<OperationRegistry>? configureOperations) =>
        configureOperations is null ? Build(args) : Build(args, c10k => c10k.ConfigureOperations(configureOperations));

    /// <summary>
    /// The C10k host's <c>Main</c>: <c>--help</c> lists every option, <c>--health-probe</c> probes a running server, anything else
    /// builds and runs the server until SIGTERM or Ctrl+C. Returns the process exit code: 0, or 2 after one line per bad option.
    /// Call <see cref="PreferInlineSocketCompletions"/> before it, first thing in <c>Main</c>.
    /// </summary>
    public static async Task<int> RunAsync(string[] args, Action<C10kBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (ConfigurationHelp.IsRequested(args))
        {
            ConfigurationHelp.Write(Console.Out);
            return 0;
        }

        if (HealthProbe.IsRequested(args))
        {
            return await HealthProbe.RunAsync(args);
        }

        try
        {
            await using var app = Build(args, configure);
            await app.RunAsync();
            return 0;
        }
        catch (OptionsValidationException ex)
        {
            foreach (var failure in ex.Failures)
            {
                await Console.Error.WriteLineAsync($"Invalid configuration: {failure}");
            }

            return 2;
        }
        catch (InvalidOperationException ex) when (ex.Message.Contains("configuration value", StringComparison.Ordinal))
        {
            await Console.Error.WriteLineAsync($"Invalid configuration: {ConfigurationHelp.ExplainBindingError(ex.Message)}");
            return 2;
        }
    }

    /// <summary>
    /// Has the runtime's socket engine run socket completions inline on its epoll threads (<c>DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1</c>)
    /// unless the environment already chose. Process-wide and read once, when the first socket is created: call it first thing in
    /// <c>Main</c>. The C10k host does; <see cref="C10kServiceCollectionExtensions.AddC10k"/> never does, it logs the engine's state.
    /// </summary>
    public static void PreferInlineSocketCompletions() => SocketEngine.PreferInlineCompletions();

    /// <summary>Everything <see cref="C10kServiceCollectionExtensions.AddC10k"/> registers once.</summary>
    internal static void AddServices(IServiceCollection services)
    {
        services.AddSection<ServerOptions>(ServerOptions.Section)
            .AddSection<NativeOptions>(NativeOptions.Section)
            .AddSection<RespOptions>(RespOptions.Section)
            .AddSection<LimitsOptions>(LimitsOptions.Section)
            .AddSection<WorkerOptions>(WorkerOptions.Section)
            .AddSection<OperationsOptions>(OperationsOptions.Section)
            .AddSection<TransportOptions>(TransportOptions.Section)
            .AddSection<ShutdownOptions>(ShutdownOptions.Section)
            .AddSection<NetworkOptions>(NetworkOptions.Section)
            .AddSection<AuthOptions>(AuthOptions.Section)
            .AddSection<TlsOptions>(TlsOptions.Section);
        services.AddSecurity();

        services.AddMetrics();
        services.AddAdmin().AddConsoleLogFormat();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<C10kMetrics>();
        services.AddSingleton<ConnectionRegistry>();
        services.AddSingleton<CommandDispatcher>();
        services.AddSingleton<ConnectionServices>();
        services.AddSingleton<RespServices>();
        services.AddSingleton<ServerEndpoints>();
        services.AddSingleton<IConnectionListenerFactory, DataTransportFactory>();
        services.AddSingleton(CreateRegistry);
        services.AddHostedService<DrainService>();
        services.AddHostedService<StartupLog>();
        AnnouncedAddresses.Decorate(services);
        services.AddOptions<HostOptions>().Configure<IOptions<ShutdownOptions>>((host, shutdown) =>
            host.ShutdownTimeout = TimeSpan.FromMilliseconds(shutdown.Value.ReadinessDelayMs + shutdown.Value.DrainTimeoutMs) + TimeSpan.FromSeconds(5));
    }

    /// <summary>Options set in code: <paramref name="configure"/> runs after configuration, once per section.</summary>
    internal static void AddCodeOptions(IServiceCollection services, Action<C10kOptions> configure)
    {
        void Section<TOptions>()
            where TOptions : class => services.Configure<TOptions>(options => configure(C10kOptions.Around(options)));

        Section<ServerOptions>();
        Section<NativeOptions>();
        Section<RespOptions>();
        Section<AdminOptions>();
        Section<LimitsOptions>();
        Section<WorkerOptions>();
        Section<OperationsOptions>();
        Section<TransportOptions>();
        Section<ShutdownOptions>();
        Section<NetworkOptions>();
        Section<AuthOptions>();
        Section<TlsOptions>();
        Section<LoggingOptions>();
    }

    private static OperationRegistry CreateRegistry(IServiceProvider services)
    {
        var registry = new OperationRegistry()
            .Register(new PingOperation())
            .Register(new EchoOperation())
            .Register(new HashOperation(services.GetRequiredService<IOptions<OperationsOptions>>().Value.MaxHashIterations));
        foreach (var operation in services.GetServices<Operation>())
        {
            registry.Register(operation);
        }

        foreach (var callback in services.GetServices<C10kBuilder.RegistryCallback>())
        {
            callback.Configure(registry);
        }

        return registry;
    }
}
