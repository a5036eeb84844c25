using System.CommandLine;
using C10k.LoadTesting.Simulations;
using C10k.LoadTesting.Targets;

namespace C10k.Load.Cli;

/// <summary>Defines <c>c10k-load run</c> and binds its options (one instance per command tree: options belong to one parser).</summary>
internal sealed class RunCommand
{
    private readonly Option<string> Target = new("--target", "-t") { Description = "resp://host:port, rediss://host:port (RESP over TLS) or native://host:port", Required = true };
    private readonly Option<bool> Tls = new("--tls") { Description = "connect with TLS (the server's TLS port; implied by rediss://)" };
    private readonly Option<string?> CaCert = new("--cacert") { Description = "PEM file of the CA certificates the server's certificate must chain to (default: the system's roots)" };
    private readonly Option<string?> Sni = new("--sni") { Description = "server name the certificate must carry, sent as SNI (default: the target's host)" };
    private readonly Option<string?> Cert = new("--cert") { Description = "PEM client certificate, for servers that require one" };
    private readonly Option<string?> Key = new("--key") { Description = "PEM private key of --cert (default: in the --cert file)" };
    private readonly Option<string?> User = new("--user") { Description = "user to authenticate as (RESP: AUTH user password; native: AUTH, default user 'default')" };
    private readonly Option<string?> Password = new("--password") { Description = "password: every connection authenticates once connected (RESP AUTH, native AUTH); a refusal is a connect failure" };
    private readonly Option<string> Scenario = new("--scenario", "-s") { Description = "ping, echo, hash, a shipped scenario (c10k-hold, ping-max, hash-saturation-with-ping-probe, mixed, set-get) or a path to a scenario .json", DefaultValueFactory = _ => "ping" };
    private readonly Option<string?> Simulation = new("--simulation") { Description = "e.g. \"inject rate=20000 during=30s\"; several separated by ';' (inject, ramping-inject, keep-constant, ramping-constant, pause, iterations-for-constant). Overrides the scenario file's." };
    private readonly Option<string[]> Commands = new("--command") { Description = "any command with argument templates, e.g. \"SET key:{seq} {feed}\", \"GET key:{random:1-100000}\", \"HASH {int:1000} {feed}\" (native: PING, ECHO, HASH, HELLO or an opcode like 0x1001); repeat for steps run in order. Replaces --scenario", AllowMultipleArgumentsPerToken = false };
    private readonly Option<string[]> Vars = new("--var") { Description = "name=template rendered once per iteration before the commands, e.g. \"key=k:{random:1-1000}\", used as {key}", AllowMultipleArgumentsPerToken = false };
    private readonly Option<string?> Expect = new("--expect") { Description = "the value the last command's reply must have (a template: {feed}, {key}...); other replies fail as check:value" };
    private readonly Option<string?> ExpectType = new("--expect-type") { Description = "the last command's reply type: simple, error, integer, bulk, null or array" };
    private readonly Option<string?> ExpectRegex = new("--expect-regex") { Description = "a regular expression the last command's reply value must match" };
    private readonly Option<int?> Connections = new("--connections", "-c") { Description = "connections to open and hold per scenario (default: one per closed-model virtual user, 1 in the open model)" };
    private readonly Option<int?> Pipeline = new("--pipeline") { Description = "closed model: virtual users per connection (each keeps one request in flight, so N pipelines N)" };
    private readonly Option<double?> ConnectRate = new("--connect-rate") { Description = "new connections per second while opening (0 = as fast as possible)" };
    private readonly Option<string?> Sources = new("--source-addresses") { Description = "local source addresses, e.g. 127.0.0.2-127.0.0.5, to pass the ~28k ephemeral ports per source" };
    private readonly Option<int> Processes = new("--processes", "-p") { Description = "split the load over K child processes (past the per-process fd cap, onto every core); histograms are merged", DefaultValueFactory = _ => 1 };
    private readonly Option<string?> Agents = new("--agents") { Description = "host:port,... of `c10k-load agent` processes: the load is split between them and their histograms merged" };
    private readonly Option<int?> MetricsPort = new("--metrics-port") { Description = "serve live Prometheus metrics on http://localhost:PORT/metrics while the run lasts" };
    private readonly Option<string[]> Thresholds = new("--threshold") { Description = "e.g. \"p99 < 5ms\", \"fail% < 0.1\", \"ping-probe: p99.9 < 20ms\"; a failed one exits with code 2", AllowMultipleArgumentsPerToken = false };
    private readonly Option<string?> Report = new("--report", "-o") { Description = "folder for report.md/.csv/.json/.html and chart PNGs" };
    private readonly Option<string?> WarmUp = new("--warm-up") { Description = "unmeasured warm-up at the first simulation's level, e.g. 5s" };
    private readonly Option<int?> HashIterations = new("--hash-iterations") { Description = "HASH iterations for the hash command" };
    private readonly Option<string?> Payload = new("--payload") { Description = "ECHO/HASH payload, and {feed} without a feed" };
    private readonly Option<string?> Feed = new("--feed") { Description = "file of payloads, one per line ({feed})" };
    private readonly Option<string> FeedMode = new("--feed-mode") { Description = "circular or random", DefaultValueFactory = _ => "circular" };
    private readonly Option<string> Drain = new("--drain-timeout") { Description = "how long to wait for replies at the end before counting them as timeouts", DefaultValueFactory = _ => "10s" };
    private readonly Option<bool> Plain = new("--plain") { Description = "plain progress lines even on a terminal" };
    private readonly Option<int> ChildIndex = new("--child-index") { Hidden = true };
    private readonly Option<int> ChildCount = new("--child-count") { Hidden = true, DefaultValueFactory = _ => 1 };
    private readonly Option<string?> ChildOutput = new("--child-output") { Hidden = true };

    private RunCommand() => FeedMode.AcceptOnlyFromAmong("circular", "random");

    public static Command Create()
    {
        var options = new RunCommand();
        var command = new Command("run", "Run a scenario against a target and report.");
        options.AddTo(command);
        command.SetAction((result, cancellationToken) => RunHandler.RunAsync(options.Bind(result), cancellationToken));
        return command;
    }

    /// <summary>Parses a <c>run</c> command line (without the word <c>run</c>), as an agent receives it; throws <see cref="FormatException"/> on errors.</summary>
    public static RunOptions Parse(IReadOnlyList<string> args)
    {
        var options = new RunCommand();
        var command = new RootCommand();
        options.AddTo(command);
        var result = command.Parse(args);
        return result.Errors.Count == 0 ? options.Bind(result) : throw new FormatException(string.Join("; ", result.Errors.Select(e => e.Message)));
    }

    private void AddTo(Command command)
    {
        foreach (var option in new Option[]
        {
            Target, Tls, CaCert, Sni, Cert, Key, User, Password, Scenario, Simulation, Commands, Vars, Expect, ExpectType, ExpectRegex, Connections, Pipeline, ConnectRate, Sources,
            Processes, Agents, MetricsPort, Thresholds, Report, WarmUp, HashIterations, Payload, Feed, FeedMode, Drain, Plain,
            ChildIndex, ChildCount, ChildOutput,
        })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>The options of a parsed <c>run</c> command line.</summary>
    private RunOptions Bind(ParseResult result) => new()
    {
        Target = result.GetValue(Target)!,
        Connection = new TargetOptions
        {
            Tls = result.GetValue(Tls),
            CaCertificatePath = result.GetValue(CaCert),
            ServerName = result.GetValue(Sni),
            ClientCertificatePath = result.GetValue(Cert),
            ClientKeyPath = result.GetValue(Key),
            User = result.GetValue(User),
            Password = result.GetValue(Password),
        },
        Scenario = result.GetValue(Scenario)!,
        Simulation = result.GetValue(Simulation),
        Commands = result.GetValue(Commands) ?? [],
        Vars = result.GetValue(Vars) ?? [],
        Expect = result.GetValue(Expect),
        ExpectType = result.GetValue(ExpectType),
        ExpectRegex = result.GetValue(ExpectRegex),
        Connections = result.GetValue(Connections),
        Pipeline = result.GetValue(Pipeline),
        ConnectRate = result.GetValue(ConnectRate),
        SourceAddresses = result.GetValue(Sources),
        Processes = result.GetValue(Processes),
        Agents = (result.GetValue(Agents) ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
        MetricsPort = result.GetValue(MetricsPort),
        Thresholds = result.GetValue(Thresholds) ?? [],
        Report = result.GetValue(Report),
        WarmUp = result.GetValue(WarmUp),
        HashIterations = result.GetValue(HashIterations),
        Payload = result.GetValue(Payload),
        Feed = result.GetValue(Feed),
        FeedMode = result.GetValue(FeedMode)!,
        DrainTimeout = DurationParser.Parse(result.GetValue(Drain)!),
        Plain = result.GetValue(Plain),
        ChildIndex = result.GetValue(ChildIndex),
        ChildCount = result.GetValue(ChildCount),
        ChildOutput = result.GetValue(ChildOutput),
    };
}
