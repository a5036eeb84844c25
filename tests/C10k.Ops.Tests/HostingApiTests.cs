using System.Buffers;
using System.Diagnostics;
using System.Net;
using System.Text;
using C10k.Protocol;
using C10k.Server.Hosting;
using C10k.Server.Operations;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace C10k.Ops.Tests;

/// <summary>C10k inside an application's own WebApplication, through the public hosting API only.</summary>
public sealed class HostingApiTests
{
    [Fact]
    public async Task AppServesItsHttpEndpointNextToNativeAndRespFrontsWithAnOperationFromDependencyInjection()
    {
        await using var app = BuildApp(kestrel => kestrel.ListenC10kNative(IPAddress.Loopback, 0).ListenResp(IPAddress.Loopback, 0));
        await app.StartAsync().WaitAsync(Timeouts.Socket);
        var endpoints = app.Services.GetRequiredService<ServerEndpoints>();

        // Kestrel lists only the app's own HTTP endpoint: C10k's data ports are not HTTP.
        var url = Assert.Single(app.Urls);
        using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = Timeouts.Socket };
        Assert.Equal("hello from the app", await http.GetStringAsync("/hello"));
        Assert.Equal("ok\n", await http.GetStringAsync("/c10k/healthz"));

        await using var native = await C10k.Client.C10kClient.ConnectAsync("127.0.0.1", endpoints.NativePort).WaitAsync(Timeouts.Socket);
        Assert.Equal("PONG", await native.PingAsync().WaitAsync(Timeouts.Socket));
        Assert.Equal("hello, ada", (await native.SendAsync(GreetOperation.Code, RawConnection.Args("ada")).WaitAsync(Timeouts.Socket)).Text);

        using var resp = await RespTestConnection.ConnectAsync(endpoints.Port("resp"));
        Assert.Equal("+PONG", await resp.CallAsync("PING"));
        Assert.Equal("$hello, bob", await resp.CallAsync("GREET", "bob"));

        await app.StopAsync().WaitAsync(Timeouts.Socket);
    }

    [Fact]
    public async Task GenericHostRunsTheNativeFrontThroughTheSameApi()
    {
        using var host = Host.CreateDefaultBuilder(["--Logging:LogLevel:Default=Warning"])
            .ConfigureWebHostDefaults(web => web
                .ConfigureServices(services => services.AddC10k())
                .ConfigureKestrel(kestrel => kestrel.ListenC10kNative(IPAddress.Loopback, 0))
                .Configure(app => app.UseRouting().UseEndpoints(endpoints => endpoints.MapC10kAdmin())))
            .Build();
        await host.StartAsync().WaitAsync(Timeouts.Socket);

        await using var native = await C10k.Client.C10kClient.ConnectAsync("127.0.0.1", host.Services.GetRequiredService<ServerEndpoints>().NativePort)
            .WaitAsync(Timeouts.Socket);
        Assert.Equal("PONG", await native.PingAsync().WaitAsync(Timeouts.Socket));

        await host.StopAsync().WaitAsync(Timeouts.Socket);
    }

    [Fact]
    public void BadBindAddressFailsTheBuildWithOneLineNamingTheKey()
    {
        // Building the app configures Kestrel (WebApplication reads the server's features), so that is where it fails.
        var error = Assert.Throws<OptionsValidationException>(() => BuildApp(kestrel => kestrel.ListenC10k(), c10k => c10k.Server.BindAddress = "localhost:7000"));

        Assert.Equal(["C10k:BindAddress must be an IP address such as 127.0.0.1, 0.0.0.0 or :: (got 'localhost:7000')"], error.Failures);
    }

    [Fact]
    public async Task BadBindAddressStopsTheHostWithExitCode2AndOneLine()
    {
        var (exitCode, _, stderr) = await ServerProcess.RunAsync(ServerProcess.StartInfo("--C10k:BindAddress=nonsense"));

        Assert.Equal(2, exitCode);
        Assert.Equal("Invalid configuration: C10k:BindAddress must be an IP address such as 127.0.0.1, 0.0.0.0 or :: (got 'nonsense')", stderr.Trim());
    }

    [Fact]
    public async Task HostLogsOneLinePerEndpointAndAnnouncesNoDataPortAsHttp()
    {
        using var process = Process.Start(ServerProcess.StartInfo())!;
        using var timeout = new CancellationTokenSource(Timeouts.Socket);
        var lines = new List<string>();
        try
        {
            while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line && !line.Contains("Application started", StringComparison.Ordinal))
            {
                lines.Add(line);
            }
        }
        finally
        {
            process.Kill(entireProcessTree: true);
        }

        Assert.Equal(
            ["native listening on 127.0.0.1", "resp listening on 127.0.0.1", "admin listening on 127.0.0.1"],
            lines.Where(l => l.Contains("listening on", StringComparison.OrdinalIgnoreCase)).Select(l => l.Trim()[..l.Trim().LastIndexOf(':')]));
        Assert.Contains(lines, l => l.Contains("Socket engine inline completions: yes", StringComparison.Ordinal));
    }

    private static WebApplication BuildApp(Action<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions> listen, Action<C10kOptions>? options = null)
    {
        var builder = WebApplication.CreateBuilder(["--Logging:LogLevel:Default=Warning"]);
        builder.Services.AddSingleton<Greeter>();
        builder.Services.AddC10k(options).AddOperation<GreetOperation>();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0);
            listen(kestrel);
        });
        var app = builder.Build();
        app.MapGet("/hello", () => "hello from the app");
        app.MapC10kAdmin("/c10k");
        return app;
    }

    /// <summary>An application service the operation gets through its constructor.</summary>
    private sealed class Greeter
    {
        private readonly string _greeting = "hello, ";

        public string Greet(string name) => _greeting + name;
    }

    private sealed class GreetOperation(Greeter greeter) : Operation("GREET", Code, OperationPlacement.Inline, 1, 1)
    {
        public const ushort Code = 0x2101;

        public override void Execute(in ArgumentList args, IBufferWriter<byte> reply, CancellationToken cancellationToken) =>
            reply.Write(Encoding.UTF8.GetBytes(greeter.Greet(Encoding.UTF8.GetString(args[0].ToArray()))));
    }
}
