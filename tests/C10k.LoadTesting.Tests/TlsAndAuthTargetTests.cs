using System.Text.Json;
using C10k.Load.Cli;
using C10k.Security.Tests.Support;
using C10k.Server.Hosting;

namespace C10k.LoadTesting.Tests;

/// <summary>
/// <c>--tls</c>/<c>--cacert</c>/<c>--sni</c> (and <c>rediss://</c>) and <c>--user</c>/<c>--password</c> through the CLI against the real
/// server on loopback, with a test-generated ECDSA P-256 CA: every request answered, and a handshake or AUTH that fails is a
/// connect failure with its reason and a failed run (exit 1).
/// </summary>
public sealed class TlsAndAuthTargetTests : IDisposable
{
    private const string Simulation = "iterations-for-constant copies=2 iterations=20";
    private readonly TestCertificates _certificates = new();

    [Theory]
    [InlineData("native", "native-tls", "--tls")]
    [InlineData("resp", "resp-tls", "--tls")]
    [InlineData("rediss", "resp-tls", null)]
    public async Task TlsTargetAnswersEveryRequestWhenTheCaIsGiven(string scheme, string endpoint, string? tlsFlag)
    {
        await using var server = await TestServer.StartAsync(null, _certificates.ServerSettings());
        string[] tls = tlsFlag is null ? [] : [tlsFlag];

        var exit = await CliTests.RunCliAsync([
            "run", "--target", $"{scheme}://127.0.0.1:{Port(server, endpoint)}", .. tls, "--cacert", _certificates.CaCertificate, "--sni", "localhost",
            "--command", "PING", "--simulation", Simulation, "--plain", "--threshold", "ok == 20", "--threshold", "connection-errors == 0"]);

        Assert.Equal(0, exit);
    }

    [Theory]
    [InlineData("native", "native-tls")]
    [InlineData("resp", "resp-tls")]
    public async Task UntrustedCertificateIsAConnectFailureWithItsReason(string scheme, string endpoint)
    {
        await using var server = await TestServer.StartAsync(null, _certificates.ServerSettings());
        var port = Port(server, endpoint);

        var (exit, reasons) = await RunWithReportAsync($"{scheme}://127.0.0.1:{port}", "--tls", "--sni", "localhost");

        Assert.Equal(RunHandler.ErrorExitCode, exit);
        Assert.All(reasons, r => Assert.StartsWith("tls handshake failed", r.Key, StringComparison.Ordinal));
        Assert.Equal(2, reasons.Sum(r => r.Value));
    }

    [Theory]
    [InlineData("native", "native", "auth refused (Unauthenticated)")]
    [InlineData("resp", "resp", "auth refused (WRONGPASS)")]
    public async Task PasswordAuthenticatesEveryConnectionAndAWrongOneIsAConnectFailure(string scheme, string endpoint, string refused)
    {
        await using var server = await TestServer.StartAsync(null, "Auth:Users:default=s3cret", "Auth:Users:alice=wonder");
        var target = $"{scheme}://127.0.0.1:{Port(server, endpoint)}";

        var right = await CliTests.RunCliAsync([
            "run", "--target", target, "--user", "alice", "--password", "wonder", "--command", "PING", "--simulation", Simulation, "--plain",
            "--threshold", "ok == 20"]);
        var defaultUser = await CliTests.RunCliAsync(["run", "--target", target, "--password", "s3cret", "--command", "PING", "--simulation", Simulation, "--plain", "--threshold", "ok == 20"]);
        var (wrong, reasons) = await RunWithReportAsync(target, "--password", "nope");

        Assert.Equal((0, 0), (right, defaultUser));
        Assert.Equal(RunHandler.ErrorExitCode, wrong);
        Assert.Equal(2, reasons[$"{refused} 127.0.0.1:{Port(server, endpoint)}"]);
    }

    public void Dispose() => _certificates.Dispose();

    private static int Port(TestServer server, string endpoint) => server.Service<ServerEndpoints>().Port(endpoint);

    private static async Task<(int Exit, Dictionary<string, long> Reasons)> RunWithReportAsync(string target, params string[] options)
    {
        var folder = Directory.CreateTempSubdirectory("c10k-cli-");
        try
        {
            var exit = await CliTests.RunCliAsync(["run", "--target", target, .. options, "--command", "PING", "--simulation", Simulation, "--plain", "--report", folder.FullName]);
            using var report = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(folder.FullName, "report.json")));
            var reasons = report.RootElement.GetProperty("scenarios")[0].GetProperty("connections").GetProperty("errors_by_reason");
            return (exit, reasons.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt64()));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
