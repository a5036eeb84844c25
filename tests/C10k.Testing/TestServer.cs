using System.Diagnostics.Metrics;
using C10k.Client;
using C10k.Server.Connections;
using C10k.Server.Dispatch;
using C10k.Server.Hosting;
using C10k.Server.Operations;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace C10k.Testing;

/// <summary>The real host, in process, with every port on 127.0.0.1:0, stopped and disposed at the end of the test.</summary>
public sealed class TestServer : IAsyncDisposable
{
    private TestServer(WebApplication app)
    {
        App = app;
        var endpoints = Service<ServerEndpoints>();
        NativePort = endpoints.NativePort;
        RespPort = endpoints.Port("resp");
        AdminPort = endpoints.Port("admin");
        Admin = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{AdminPort}/"), Timeout = Timeouts.Socket };
    }

    public WebApplication App { get; }

    public int NativePort { get; }

    public int RespPort { get; }

    public int AdminPort { get; }

    /// <summary>An HTTP client on the admin port (health, readiness, metrics, status page).</summary>
    public HttpClient Admin { get; }

    public IServiceProvider Services => App.Services;

    public ConnectionRegistry Registry => Service<ConnectionRegistry>();

    public CommandDispatcher Dispatcher => Service<CommandDispatcher>();

    public IMeterFactory MeterFactory => Service<IMeterFactory>();

    /// <summary>
    /// Hears every measurement of this server's instrument <paramref name="instrument"/> (a long counter) until disposed. The
    /// factory is resolved now: the listener hears instruments of every server in the process, some built after this one is disposed.
    /// </summary>
    public MeterListener Listen(string instrument, MeasurementCallback<long> onMeasurement)
    {
        var factory = MeterFactory;
        var listener = new MeterListener
        {
            InstrumentPublished = (published, l) =>
            {
                if (published.Meter.Scope == factory && published.Name == instrument)
                {
                    l.EnableMeasurementEvents(published);
                }
            },
        };
        listener.SetMeasurementEventCallback(onMeasurement);
        listener.Start();
        return listener;
    }

    public int OpenConnections => Registry.OpenConnections(Front.Native);

    /// <summary>
    /// Builds the host without starting it; <paramref name="settings"/> are <c>Section:Key=value</c> under <c>C10k</c>.
    /// Every port is 127.0.0.1:0, and the default deadline is a minute rather than 10 s (a gated request on a loaded box
    /// must not be cancelled by it); tests of deadlines set their own.
    /// </summary>
    public static WebApplication Build(Action<OperationRegistry>? operations = null, params string[] settings) =>
        C10kServer.Build(Arguments(settings), operations);

    /// <summary>Builds the host as <see cref="Build(Action{OperationRegistry}?, string[])"/> does, with <paramref name="configure"/> run on its C10k services (a clock, a log provider).</summary>
    public static WebApplication BuildWith(Action<C10kBuilder> configure, params string[] settings) =>
        C10kServer.Build(Arguments(settings), configure);

    /// <summary>Builds and starts the host; <paramref name="settings"/> are <c>Section:Key=value</c> under <c>C10k</c>.</summary>
    public static Task<TestServer> StartAsync(Action<OperationRegistry>? operations = null, params string[] settings) =>
        StartAsync(Build(operations, settings));

    /// <summary>Starts a host made by <see cref="Build"/> (and given more endpoints, say).</summary>
    public static async Task<TestServer> StartAsync(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        await app.StartAsync().WaitAsync(Timeouts.Socket);
        return new TestServer(app);
    }

    private static string[] Arguments(string[] settings) =>
        ["--C10k:Native:Port=0", "--C10k:Resp:Port=0", "--C10k:Admin:Port=0", "--C10k:Workers:DefaultDeadlineMs=60000",
            "--Logging:LogLevel:Default=Warning", .. settings.Select(s => "--C10k:" + s)];

    public T Service<T>()
        where T : notnull => App.Services.GetRequiredService<T>();

    public Task<C10kClient> ConnectAsync(ClientOptions? options = null) =>
        C10kClient.ConnectAsync("127.0.0.1", NativePort, options).WaitAsync(Timeouts.Socket);

    public Task<RawConnection> ConnectNativeAsync() => RawConnection.ConnectAsync(NativePort);

    public async ValueTask DisposeAsync()
    {
        Admin.Dispose();
        await App.StopAsync().WaitAsync(Timeouts.Socket);
        await App.DisposeAsync();
    }
}
