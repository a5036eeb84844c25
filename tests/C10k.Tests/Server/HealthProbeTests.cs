using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace C10k.Tests.Server;

/// <summary><c>--health-probe</c> (the image's HEALTHCHECK) asks the admin port where the admin port listens, else the native port.</summary>
public class HealthProbeTests
{
    [Fact]
    public async Task ProbeFindsTheAdminPortOnItsOwnBindAddressNotTheDataPorts()
    {
        var adminPort = FreePort();
        // Data ports on 127.0.0.2, the admin port on its default, 127.0.0.1: a probe of BindAddress would find nothing there.
        var (exitCode, stdout) = await ProbeAsync("admin", "--C10k:BindAddress=127.0.0.2", "--C10k:Admin:Port=" + Text(adminPort));

        Assert.StartsWith($"healthy: GET /healthz on 127.0.0.1:{adminPort}", stdout, StringComparison.Ordinal);
        Assert.Equal(0, exitCode);
    }

    [Fact]
    public async Task WithoutAnAdminPortAnUnauthenticatedAnswerToPingIsHealthy()
    {
        var nativePort = FreePort();
        // Admin port 0 (unknowable from outside): the probe PINGs the native port, which with users answers UNAUTHENTICATED.
        var (exitCode, stdout) = await ProbeAsync(
            "native", "--C10k:Admin:Port=0", "--C10k:Native:Port=" + Text(nativePort), "--C10k:Auth:Users:default=s3cret");

        Assert.StartsWith($"healthy: native PING on 127.0.0.1:{nativePort}: UNAUTHENTICATED", stdout, StringComparison.Ordinal);
        Assert.Equal(0, exitCode);
    }

    // Starts the server with settings, waits for its endpoint's start line, then runs the probe with the same settings.
    private static async Task<(int ExitCode, string Stdout)> ProbeAsync(string endpoint, params string[] settings)
    {
        using var server = Process.Start(ServerProcess.StartInfo(settings)) ?? throw new InvalidOperationException("could not start the server");
        try
        {
            await ServerProcess.ReadPortAsync(server, endpoint);

            var probe = ServerProcess.StartInfo();
            probe.ArgumentList.Clear();
            foreach (var arg in (string[])[Path.Combine(AppContext.BaseDirectory, "c10k-server.dll"), "--health-probe", .. settings])
            {
                probe.ArgumentList.Add(arg);
            }

            var (exitCode, stdout, _) = await ServerProcess.RunAsync(probe);
            return (exitCode, stdout);
        }
        finally
        {
            server.Kill(entireProcessTree: true);
        }
    }

    private static string Text(int port) => port.ToString(CultureInfo.InvariantCulture);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
