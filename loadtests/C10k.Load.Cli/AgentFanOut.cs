using System.Globalization;
using System.Net.Sockets;
using C10k.LoadTesting.Measurement;
using C10k.LoadTesting.Runner;

namespace C10k.Load.Cli;

/// <summary>
/// <c>run --agents host:port,…</c>: sends each agent its share of the load (1/K of the rate, users, iterations and connections, and
/// disjoint <c>{seq}</c> numbers), relays their progress, and merges their histograms bucket by bucket into one report. When an agent
/// drops out before its result, the others are stopped and the run fails saying which one.
/// </summary>
internal static class AgentFanOut
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);

    public static async Task<int> RunAsync(RunOptions options, CancellationToken cancellationToken)
    {
        var file = ScenarioOverrides.Resolve(options);
        using var abort = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var agents = options.Agents.Select((address, i) => RunAgentAsync(address, new AgentRequest(file, options.Target, options.DrainTimeout.TotalSeconds, i, options.Agents.Count, options.Connection), abort)).ToList();
        try
        {
            return await RunHandler.FinishMergedAsync(options, await Task.WhenAll(agents), cancellationToken);
        }
        catch (AgentFailedException)
        {
            var failures = agents.Where(a => a.IsFaulted).Select(a => a.Exception!.InnerException).OfType<AgentFailedException>()
                .OrderBy(e => e.StoppedByOthers).Select(e => e.Message).ToList();
            foreach (var failure in failures)
            {
                await Console.Error.WriteLineAsync($"c10k-load: {failure}");
            }

            return RunHandler.ErrorExitCode;
        }
    }

    private static async Task<RunMeasurements> RunAgentAsync(string address, AgentRequest request, CancellationTokenSource abort)
    {
        try
        {
            var endpoint = AgentProtocol.ParseEndpoint(address);
            using var client = new TcpClient(endpoint.AddressFamily);
            using (var connect = CancellationTokenSource.CreateLinkedTokenSource(abort.Token))
            {
                connect.CancelAfter(ConnectTimeout);
                await client.ConnectAsync(endpoint, connect.Token);
            }

            var stream = client.GetStream();
            using var reader = AgentProtocol.Reader(stream);
            await using var writer = AgentProtocol.Writer(stream);
            await AgentProtocol.SendAsync(writer, request, abort.Token);
            while (await AgentProtocol.ReceiveAsync<AgentMessage>(reader, abort.Token) is { } message)
            {
                if (message.Progress is not null)
                {
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{address}] {message.Progress}"));
                }
                else if (message.Result is not null)
                {
                    return MeasurementTransport.RunFromJson(message.Result);
                }
                else
                {
                    throw new AgentFailedException($"agent {address} refused the run: {message.Error}");
                }
            }

            throw new AgentFailedException($"agent {address} dropped out before sending its result (its connection closed).");
        }
        catch (Exception e) when (e is SocketException or IOException or FormatException or System.Text.Json.JsonException || (e is OperationCanceledException && !abort.IsCancellationRequested))
        {
            throw Fail(abort, new AgentFailedException($"agent {address}: {Describe(e)}", e));
        }
        catch (AgentFailedException e)
        {
            throw Fail(abort, e);
        }
        catch (OperationCanceledException) when (abort.IsCancellationRequested)
        {
            throw new AgentFailedException($"agent {address}: stopped because another agent failed.") { StoppedByOthers = true };
        }
    }

    /// <summary>Stops the other agents (closing their connections stops their runs) and passes <paramref name="failure"/> on.</summary>
    private static AgentFailedException Fail(CancellationTokenSource abort, AgentFailedException failure)
    {
        abort.Cancel();
        return failure;
    }

    private static string Describe(Exception e) => e switch
    {
        SocketException s => $"{LoadTesting.Connections.ConnectionPool.Describe(s.SocketErrorCode)} (dropped out or not running)",
        OperationCanceledException => $"no connection within {ConnectTimeout.TotalSeconds:F0} s",
        IOException { InnerException: SocketException s } => $"{LoadTesting.Connections.ConnectionPool.Describe(s.SocketErrorCode)}: dropped out before sending its result",
        _ => e.Message,
    };

    private sealed class AgentFailedException : Exception
    {
        public bool StoppedByOthers { get; init; }

        public AgentFailedException(string message)
            : base(message)
        {
        }

        public AgentFailedException(string message, Exception inner)
            : base(message, inner)
        {
        }
    }
}
