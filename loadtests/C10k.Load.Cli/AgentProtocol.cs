using System.Net;
using System.Text;
using System.Text.Json;
using C10k.LoadTesting.Scenarios;
using C10k.LoadTesting.Targets;

namespace C10k.Load.Cli;

/// <summary>
/// What <c>run --agents</c> and <c>agent</c> say to each other over one TCP connection, one JSON object per line: the coordinator
/// sends one <see cref="AgentRequest"/> (the scenario already resolved, so agents need no copy of its file, and this agent's share);
/// the agent answers with progress lines and then its raw measurements (histograms encoded, for merging) or an error.
/// </summary>
internal static class AgentProtocol
{
    private static readonly JsonSerializerOptions Options = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, PropertyNameCaseInsensitive = true };

    /// <summary>Parses <c>host:port</c> (port 0 lets the OS choose when listening).</summary>
    public static IPEndPoint ParseEndpoint(string text) =>
        IPEndPoint.TryParse(text, out var endpoint) ? endpoint : throw new FormatException($"'{text}' is not host:port with a numeric address, e.g. 127.0.0.1:9100.");

    public static StreamWriter Writer(Stream stream) => new(stream, new UTF8Encoding(false)) { AutoFlush = true, NewLine = "\n" };

    public static StreamReader Reader(Stream stream) => new(stream, new UTF8Encoding(false));

    public static Task SendAsync<T>(StreamWriter writer, T message, CancellationToken cancellationToken) =>
        writer.WriteLineAsync(JsonSerializer.Serialize(message, Options).AsMemory(), cancellationToken);

    /// <summary>The next message, or null at the end of the stream.</summary>
    public static async Task<T?> ReceiveAsync<T>(StreamReader reader, CancellationToken cancellationToken)
        where T : class
    {
        var line = await reader.ReadLineAsync(cancellationToken);
        return line is null ? null : JsonSerializer.Deserialize<T>(line, Options) ?? throw new InvalidDataException("An empty agent message.");
    }
}

/// <summary>One agent's part of a run; <paramref name="Connection"/>'s files are read on the agent's host (its password crosses the wire in clear).</summary>
internal sealed record AgentRequest(ScenarioFile Scenario, string Target, double DrainTimeoutSeconds, int ShareIndex, int ShareCount, TargetOptions? Connection = null);

/// <summary>One line from an agent: a progress line, the final measurements (<see cref="C10k.LoadTesting.Measurement.MeasurementTransport"/> JSON), or an error.</summary>
internal sealed record AgentMessage(string? Progress = null, string? Result = null, string? Error = null);
