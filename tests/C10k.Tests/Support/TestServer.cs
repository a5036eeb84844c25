using System.Diagnostics.Metrics;
using C10k.Client;
using C10k.Server.Connections;
using C10k.Server.Dispatch;
using C10k.Server.Hosting;
using C10k.Server.Operations;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace C10k.Tests.Support;

/// <summary>The real host, in-process, on ephemeral loopback ports.</summary>
public sealed class TestServer : IAsyncDisposable
{
    private TestServer(WebApplication app) => App = app;

    public WebApplication App { get; }

    public int NativePort => App.Services.GetRequiredService<ServerEndpoints>().NativePort;

    public int RespPort => App.Services.GetRequiredService<ServerEndpoints>().Port("resp");

    public IServiceProvider Services => App.Services;

    internal ConnectionRegistry Registry => Services.GetRequiredService<ConnectionRegistry>();

    public CommandDispatcher Dispatcher => Services.GetRequiredService<CommandDispatcher>();

    public IMeterFactory MeterFactory => Services.GetRequiredService<IMeterFactory>();

    public static async Task<TestServer> StartAsync(Action<OperationRegistry>? operations = null, params string[] settings)
    {
        string[] args = ["--C10k:Native:Port=0", "--C10k:Resp:Port=0", "--C10k:Admin:Port=0", "--Logging:LogLevel:Default=Warning", .. settings.Select(s => "--C10k:" + s)];
        var app = C10kServer.Build(args, operations);
        await app.StartAsync().WaitAsync(Timeouts.Socket);
        return new TestServer(app);
    }

    public Task<C10kClient> ConnectAsync(ClientOptions? options = null) =>
        C10kClient.ConnectAsync("127.0.0.1", NativePort, options).WaitAsync(Timeouts.Socket);

    public int OpenConnections => Registry.OpenConnections(Front.Native);

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync().WaitAsync(Timeouts.Socket);
        await App.DisposeAsync();
    }
}
