using System.Buffers;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using C10k.Protocol.Native;
using Microsoft.Extensions.Configuration;

namespace C10k.Server.Hosting;

/// <summary>
/// <c>c10k-server --health-probe</c> (<see cref="C10kServer.RunAsync"/> runs it): a liveness check of a server running on this host, for a container <c>HEALTHCHECK</c>
/// (a minimal runtime image has no curl). It reads the same configuration as the server (appsettings.json, <c>C10k__…</c>
/// environment, <c>--C10k:…</c> arguments) and asks the admin port's <c>GET /healthz</c> for a 200, on the admin bind address
/// (<c>C10k:Admin:BindAddress</c>, loopback when it is every address); with the admin port
/// set to 0 (any free port, unknowable from outside) it sends a native PING and wants PONG instead (or UNAUTHENTICATED when users
/// are configured: an answer all the same). Exit code 0 healthy, 1 unhealthy. It starts no host: a probe runs every
/// few seconds and must be cheap.
/// </summary>
internal static class HealthProbe
{
    /// <summary>The command-line switch that selects probe mode.</summary>
    public const string Switch = "--health-probe";

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    /// <summary>True when <paramref name="args"/> asks for probe mode.</summary>
    public static bool IsRequested(string[] args) => args.Length > 0 && args[0] == Switch;

    /// <summary>Runs one probe and returns the process exit code.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        var configuration = new ConfigurationBuilder()
            .SetBasePath(AppContext.BaseDirectory)
            .AddJsonFile("appsettings.json", optional: true, reloadOnChange: false)
            .AddEnvironmentVariables()
            .AddCommandLine(args[1..])
            .Build();
        var adminPort = Port(configuration, AdminOptions.Section, new AdminOptions().Port);
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            // Admin port 0 means "any free port": not knowable from outside, so the native front answers instead.
            var verdict = adminPort > 0
                ? await HealthzAsync(ProbeAddress(configuration[AdminOptions.Section + ":BindAddress"] ?? new AdminOptions().BindAddress), adminPort, timeout.Token)
                : await PingAsync(ProbeAddress(configuration[ServerOptions.Section + ":BindAddress"]), Port(configuration, NativeOptions.Section, new NativeOptions().Port), timeout.Token);

            await Console.Out.WriteLineAsync(verdict);
            return verdict.StartsWith("healthy", StringComparison.Ordinal) ? 0 : 1;
        }
        catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException or NativeProtocolException)
        {
            await Console.Out.WriteLineAsync($"unhealthy: {ex.GetType().Name}: {ex.Message}");
            return 1;
        }
    }

    private static int Port(IConfiguration configuration, string section, int fallback) =>
        int.TryParse(configuration[section + ":Port"], NumberStyles.None, CultureInfo.InvariantCulture, out var port) ? port : fallback;

    // A server bound to every address (0.0.0.0, ::) is probed on loopback; one bound to a single address, there.
    private static IPAddress ProbeAddress(string? bindAddress) =>
        IPAddress.TryParse(bindAddress, out var address) && !address.Equals(IPAddress.Any) && !address.Equals(IPAddress.IPv6Any)
            ? address
            : IPAddress.Loopback;

    private static async Task<string> HealthzAsync(IPAddress host, int port, CancellationToken cancellationToken)
    {
        using var socket = new Socket(host.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(new IPEndPoint(host, port), cancellationToken);
        var request = Encoding.ASCII.GetBytes($"GET /healthz HTTP/1.1\r\nHost: {host}:{port}\r\nConnection: close\r\n\r\n");
        await socket.SendAsync(request, SocketFlags.None, cancellationToken);
        var buffer = new byte[256];
        var length = 0;
        while (length < buffer.Length)
        {
            var read = await socket.ReceiveAsync(buffer.AsMemory(length), SocketFlags.None, cancellationToken);
            if (read == 0 || Array.IndexOf(buffer, (byte)'\n', 0, length + read) >= 0)
            {
                length += read;
                break;
            }

            length += read;
        }

        var statusLine = Encoding.ASCII.GetString(buffer, 0, length).Split('\n')[0].TrimEnd('\r');
        return statusLine.StartsWith("HTTP/1.1 200", StringComparison.Ordinal)
            ? $"healthy: GET /healthz on {host}:{port}: {statusLine}"
            : $"unhealthy: GET /healthz on {host}:{port}: {statusLine}";
    }

    private static async Task<string> PingAsync(IPAddress host, int port, CancellationToken cancellationToken)
    {
        using var socket = new Socket(host.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(new IPEndPoint(host, port), cancellationToken);
        const uint requestId = 0x0000_C10C;
        var request = new byte[NativeProtocol.HeaderSize];
        NativeFrameWriter.WriteHeader(request, isReply: false, NativeOpcodes.Ping, requestId, NativeStatus.Ok, deadlineMs: 0, payloadLength: 0);
        await socket.SendAsync(request, SocketFlags.None, cancellationToken);

        // Read with the protocol's own frame reader until one whole frame has arrived.
        var reader = new NativeFrameReader(maxFrameBytes: 64);
        var reply = new byte[NativeProtocol.HeaderSize + 64];
        var length = 0;
        NativeFrame frame;
        while (true)
        {
            var buffer = new ReadOnlySequence<byte>(reply, 0, length);
            if (reader.TryRead(ref buffer, out frame))
            {
                break;
            }

            var read = await socket.ReceiveAsync(reply.AsMemory(length), SocketFlags.None, cancellationToken);
            if (read == 0)
            {
                return $"unhealthy: native PING on {host}:{port}: connection closed after {length} bytes";
            }

            length += read;
        }

        // With users configured the PING is answered UNAUTHENTICATED without running: the server read, parsed and answered a
        // frame, which is what liveness asks (the probe holds no password; C10k:Auth:Users may hold only hashes).
        var answered = frame.IsReply && frame.RequestId == requestId;
        return (answered, frame.Status) switch
        {
            (true, NativeStatus.Ok) when frame.Payload.ToArray().AsSpan().SequenceEqual("PONG"u8) => $"healthy: native PING on {host}:{port}: PONG",
            (true, NativeStatus.Unauthenticated) => $"healthy: native PING on {host}:{port}: UNAUTHENTICATED (authentication required)",
            _ => $"unhealthy: native PING on {host}:{port}: unexpected reply {Convert.ToHexString(reply, 0, length)}",
        };
    }
}
