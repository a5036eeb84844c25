using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using C10k.LoadTesting.Measurement;
using C10k.LoadTesting.Progress;
using C10k.LoadTesting.Scenarios;
using C10k.LoadTesting.Targets;

namespace C10k.Load.Cli;

/// <summary>
/// <c>c10k-load agent --listen host:port</c>: waits for coordinators (<c>run --agents</c>) and runs the share of the load each one
/// sends, streaming progress back and then its raw measurements. A run stops when its coordinator goes away.
/// </summary>
internal static class AgentCommand
{
    public static Command Create()
    {
        var listen = new Option<string>("--listen", "-l") { Description = "address:port to listen on, e.g. 0.0.0.0:9100 (port 0 picks a free one; the chosen one is printed)", Required = true };
        var command = new Command("agent", "Run shares of distributed load for `c10k-load run --agents`.") { listen };
        command.SetAction(async (result, cancellationToken) =>
        {
            try
            {
                await ListenAsync(AgentProtocol.ParseEndpoint(result.GetValue(listen)!), Console.Out, cancellationToken);
                return 0;
            }
            catch (Exception e) when (e is FormatException or SocketException)
            {
                await Console.Error.WriteLineAsync($"c10k-load agent: {e.Message}");
                return RunHandler.ErrorExitCode;
            }
        });
        return command;
    }

    /// <summary>Accepts coordinators until cancelled; each connection is one run.</summary>
    public static async Task ListenAsync(IPEndPoint endpoint, TextWriter log, CancellationToken cancellationToken)
    {
        using var listener = new TcpListener(endpoint);
        listener.Start();
        await log.WriteLineAsync($"c10k-load agent listening on {listener.LocalEndpoint}");
        await log.FlushAsync(cancellationToken);
        var runs = new List<Task>();
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var client = await listener.AcceptTcpClientAsync(cancellationToken);
                runs.Add(ServeAsync(client, log, cancellationToken));
                runs.RemoveAll(t => t.IsCompleted);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await Task.WhenAll(runs);
        }
    }

    private static async Task ServeAsync(TcpClient client, TextWriter log, CancellationToken cancellationToken)
    {
        using var _ = client;
        var peer = client.Client.RemoteEndPoint;
        var stream = client.GetStream();
        using var reader = AgentProtocol.Reader(stream);
        await using var writer = AgentProtocol.Writer(stream);
        using var run = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            var request = await AgentProtocol.ReceiveAsync<AgentRequest>(reader, run.Token) ?? throw new InvalidDataException("The coordinator sent no request.");
            await Log(log, $"run from {peer}: share {request.ShareIndex + 1} of {request.ShareCount} against {request.Target} started");

            // The coordinator sends nothing more: the end of its stream means it went away, and the run stops.
            var watch = WatchCoordinatorAsync(reader, run);
            var runner = RunHandler.CreateRunner(request.Scenario, request.Target, request.Connection ?? TargetOptions.None, [], TimeSpan.FromSeconds(request.DrainTimeoutSeconds), null, new LoadShare(request.ShareIndex, request.ShareCount));
            var progress = new PlainLineProgress(new MessageWriter(line => AgentProtocol.SendAsync(writer, new AgentMessage(Progress: line), CancellationToken.None)));
            var measured = await runner.WithProgress(progress).MeasureAsync(run.Token);
            await AgentProtocol.SendAsync(writer, new AgentMessage(Result: MeasurementTransport.ToJson(measured)), run.Token);
            await Log(log, $"run from {peer}: done");
            await run.CancelAsync();
            await watch;
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or InvalidDataException or FormatException or System.Text.Json.JsonException)
        {
            await Log(log, $"run from {peer}: stopped ({(e is OperationCanceledException ? "the coordinator went away" : e.Message)})");
            if (e is InvalidDataException or FormatException or System.Text.Json.JsonException)
            {
                await TrySendErrorAsync(writer, e.Message);
            }
        }
    }

    private static async Task WatchCoordinatorAsync(StreamReader reader, CancellationTokenSource run)
    {
        try
        {
            await reader.ReadLineAsync(run.Token);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException)
        {
            // The coordinator reset the connection, or the run finished and stopped watching.
        }

        await run.CancelAsync();
    }

    private static async Task TrySendErrorAsync(StreamWriter writer, string message)
    {
        try
        {
            await AgentProtocol.SendAsync(writer, new AgentMessage(Error: message), CancellationToken.None);
        }
        catch (IOException)
        {
            // The coordinator is gone: nobody to tell.
        }
    }

    private static async Task Log(TextWriter log, string line)
    {
        await log.WriteLineAsync(line);
        await log.FlushAsync();
    }

    /// <summary>A writer that hands each line written to it to <paramref name="send"/> (progress lines become agent messages).</summary>
    private sealed class MessageWriter(Func<string, Task> send) : TextWriter
    {
        private readonly System.Text.StringBuilder _line = new();

        public override System.Text.Encoding Encoding => System.Text.Encoding.UTF8;

        public override void Write(char value) => _line.Append(value);

        public override void WriteLine(string? value)
        {
            _line.Append(value);
            var line = _line.ToString();
            _line.Clear();
            try
            {
                send(line).GetAwaiter().GetResult();
            }
            catch (IOException)
            {
                // The coordinator went away; the watch on its stream stops the run.
            }
        }
    }
}
