using C10k.Server.Hosting;
using C10k.Server.Operations;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace C10k.Ops.Tests;

/// <summary>The real host, in process, with every port on 127.0.0.1:0, stopped and disposed at the end of the test.</summary>
internal sealed class RunningServer : IAsyncDisposable
{
    private static readonly string[] BaseArgs =
    [
        "--C10k:Native:Port=0",
        "--C10k:Resp:Port=0",
        "--C10k:Admin:Port=0",
        "--C10k:Workers:Count=2",
        "--Logging:LogLevel:Default=Warning",
    ];

    private RunningServer(WebApplication app)
    {
        App = app;
        var endpoints = app.Services.GetRequiredService<ServerEndpoints>();
        NativePort = endpoints.NativePort;
        RespPort = endpoints.Port("resp");
        AdminPort = endpoints.Port("admin");
        Admin = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{AdminPort}/"), Timeout = TestTimeouts.Io };
    }

    public WebApplication App { get; }

    public int NativePort { get; }

    public int RespPort { get; }

    public int AdminPort { get; }

    public HttpClient Admin { get; }

    public static WebApplication Build(Action<OperationRegistry>? operations, params string[] args) =>
        C10kServer.Build([.. BaseArgs, .. args], operations);

    public static async Task<RunningServer> StartAsync(Action<OperationRegistry>? operations = null, params string[] args)
    {
        var app = Build(operations, args);
        using var timeout = new CancellationTokenSource(TestTimeouts.Io);
        await app.StartAsync(timeout.Token);
        return new RunningServer(app);
    }

    public T Service<T>()
        where T : notnull => App.Services.GetRequiredService<T>();

    public Task<NativeTestClient> ConnectNativeAsync() => NativeTestClient.ConnectAsync(NativePort);

    public async ValueTask DisposeAsync()
    {
        Admin.Dispose();
        using var timeout = new CancellationTokenSource(TestTimeouts.Io);
        await App.StopAsync(timeout.Token);
        await App.DisposeAsync();
    }
}
