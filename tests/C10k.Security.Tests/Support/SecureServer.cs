using C10k.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace C10k.Security.Tests.Support;

/// <summary>The real host, in process, every port on 127.0.0.1:0 (TLS ports too when a certificate is given).</summary>
internal sealed class SecureServer : IAsyncDisposable
{
    private SecureServer(WebApplication app) => App = app;

    public WebApplication App { get; }

    public IServiceProvider Services => App.Services;

    /// <summary>Starts with <paramref name="settings"/> (<c>Section:Key=value</c>, under C10k).</summary>
    public static async Task<SecureServer> StartAsync(params string[] settings)
    {
        string[] args = ["--C10k:Native:Port=0", "--C10k:Resp:Port=0", "--C10k:Admin:Port=0", "--C10k:Workers:Count=1",
            "--Logging:LogLevel:Default=Warning", .. settings.Select(s => "--C10k:" + s)];
        var app = C10kServer.Build(args);
        await app.StartAsync().WaitAsync(Bounded.Io);
        return new SecureServer(app);
    }

    /// <summary>TLS settings for both fronts on free ports, with <paramref name="certificates"/>' server certificate.</summary>
    public static string[] Tls(TestCertificates certificates, params string[] more) =>
    [
        "Native:TlsPort=0", "Resp:TlsPort=0", "Tls:CertificatePath=" + certificates.ServerCertificate,
        "Tls:KeyPath=" + certificates.ServerKey, .. more,
    ];

    /// <summary>Bound port of "native", "resp", "native-tls", "resp-tls" or "admin".</summary>
    public int Port(string endpoint) => Services.GetRequiredService<ServerEndpoints>().Port(endpoint);

    public T Service<T>()
        where T : notnull => Services.GetRequiredService<T>();

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync().WaitAsync(Bounded.Io);
        await App.DisposeAsync();
    }
}
