using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace C10k.Tests.Server;

/// <summary><c>--health-probe</c> (the image's HEALTHCHECK) asks the admin port where the admin port listens.</summary>
public class HealthProbeTests
{
    [Fact]
    public async Task ProbeFindsTheAdminPortOnItsOwnBindAddressNotTheDataPorts()
    {
        var adminPort = FreePort();
        // Data ports on 127.0.0.2, the admin port on its default, 127.0.0.1: a probe of BindAddress would find nothing there.
        string[] settings = ["--C10k:BindAddress=127.0.0.2", $"--C10k:Admin:Port={adminPort.ToString(CultureInfo.InvariantCulture)}"];
        using var server = Process.Start(ServerProcess.StartInfo(settings)) ?? throw new InvalidOperationException("could not start the server");
        try
        {
            await ServerProcess.ReadPortAsync(server, "admin");

            var probe = ServerProcess.StartInfo();
            probe.ArgumentList.Clear();
            foreach (var arg in (string[])[Path.Combine(AppContext.BaseDirectory, "c10k-server.dll"), "--health-probe", .. settings])
            {
                probe.ArgumentList.Add(arg);
            }

            var (exitCode, stdout, _) = await ServerProcess.RunAsync(probe);

            Assert.StartsWith($"healthy: GET /healthz on 127.0.0.1:{adminPort}", stdout, StringComparison.Ordinal);
            Assert.Equal(0, exitCode);
        }
        finally
        {
            server.Kill(entireProcessTree: true);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
