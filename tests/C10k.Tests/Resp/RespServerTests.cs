using Microsoft.Extensions.Options;

namespace C10k.Tests.Resp;

public class RespServerTests
{
    private const string Sha1Abc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    private const string Sha1000Abc = "fc8a6b86a13f71cd9a67f558ab6fd82a3dd89186163a017ed8051acf6d3f8f99";

    [Fact]
    public async Task AnswersPingEchoAndHashAsRedisDoes()
    {
        await using var server = await TestServer.StartAsync();
        using var c = await RespTestConnection.ConnectAsync(server.RespPort);

        Assert.Equal("+PONG", await c.CallAsync("PING"));
        Assert.Equal("$hi", await c.CallAsync("ping", "hi"));
        Assert.Equal("$hello", await c.CallAsync("ECHO", "hello"));
        Assert.Equal("$" + Sha1Abc, await c.CallAsync("HASH", "1", "abc"));
        Assert.Equal("$" + Sha1000Abc, await c.CallAsync("hash", "1000", "abc"));
        Assert.Equal("-ERR value is not an integer or out of range", await c.CallAsync("HASH", "x", "abc"));
        Assert.Equal("-ERR value is not an integer or out of range", await c.CallAsync("HASH", "0", "abc"));
        Assert.Equal("-ERR value is not an integer or out of range", await c.CallAsync("HASH", "+1", "abc"));
        Assert.Equal("-ERR wrong number of arguments for 'hash' command", await c.CallAsync("HASH", "1"));
        Assert.Equal("-ERR wrong number of arguments for 'echo' command", await c.CallAsync("ECHO"));
        Assert.Equal("-ERR wrong number of arguments for 'ping' command", await c.CallAsync("PING", "a", "b"));
    }

    [Fact]
    public async Task InlineCommandsAreAnsweredLikeArrays()
    {
        await using var server = await TestServer.StartAsync();
        using var c = await RespTestConnection.ConnectAsync(server.RespPort);

        await c.SendAsync("PING\r\nHASH 1 abc\r\n\r\necho  spaced\n");

        Assert.Equal("+PONG", await c.ReadAsync());
        Assert.Equal("$" + Sha1Abc, await c.ReadAsync());
        Assert.Equal("$spaced", await c.ReadAsync());
    }

    [Fact]
    public async Task UnknownCommandEchoesNameAndArgumentsAsRedisDoes()
    {
        await using var server = await TestServer.StartAsync();
        using var c = await RespTestConnection.ConnectAsync(server.RespPort);
        var longArgument = new string('x', 200);

        Assert.Equal("-ERR unknown command 'foo', with args beginning with: 'a' 'b' ", await c.CallAsync("foo", "a", "b"));
        Assert.Equal("-ERR unknown command 'Foo', with args beginning with: ", await c.CallAsync("Foo"));
        Assert.Equal($"-ERR unknown command 'foo', with args beginning with: '{new string('x', 128)}' ", await c.CallAsync("foo", longArgument, "next"));
        Assert.Equal("-ERR unknown command 'SENTINEL', with args beginning with: 'MASTERS' ", await c.CallAsync("SENTINEL", "MASTERS"));
    }

    [Fact]
    public async Task ConnectHandshakesOfRedisClientsGetRedisReplies()
    {
        await using var server = await TestServer.StartAsync();
        using var c = await RespTestConnection.ConnectAsync(server.RespPort);

        Assert.StartsWith("[$server, $c10k, $version, $7.0.0, $proto, :2, $id, :", await c.CallAsync("HELLO"));
        Assert.EndsWith("$mode, $standalone, $role, $master, $modules, []]", await c.CallAsync("HELLO", "2"));
        Assert.Equal("-NOPROTO unsupported protocol version", await c.CallAsync("HELLO", "3"));
        Assert.Equal("-ERR Protocol version is not an integer or out of range", await c.CallAsync("HELLO", "x"));
        Assert.Equal("+OK", await c.CallAsync("CLIENT", "SETNAME", "tester"));
        Assert.Equal("$tester", await c.CallAsync("CLIENT", "GETNAME"));
        Assert.Equal("-ERR Client names cannot contain spaces, newlines or special characters.", await c.CallAsync("CLIENT", "SETNAME", "a b"));
        Assert.Equal("+OK", await c.CallAsync("CLIENT", "SETINFO", "lib-name", "SE.Redis"));
        Assert.Equal("-ERR Unrecognized option 'color'", await c.CallAsync("CLIENT", "SETINFO", "color", "red"));
        Assert.StartsWith(":", await c.CallAsync("CLIENT", "ID"));
        Assert.Contains("name=tester", await c.CallAsync("CLIENT", "LIST"));
        Assert.Equal("-ERR unknown subcommand 'FOO'. Try CLIENT HELP.", await c.CallAsync("CLIENT", "FOO"));
        Assert.Equal("[$save, $, $appendonly, $no]", await c.CallAsync("CONFIG", "GET", "save", "appendonly"));
        Assert.Equal("[$replica-read-only, $yes]", await c.CallAsync("CONFIG", "GET", "replica-read-only"));
        Assert.Equal("[$databases, $1]", await c.CallAsync("config", "get", "databases"));
        Assert.Equal($"[$maxclients, ${C10k.Server.Hosting.DescriptorLimit.SoftLimit() - 512}]", await c.CallAsync("CONFIG", "GET", "maxclients"));
        Assert.Equal("[$timeout, $300]", await c.CallAsync("CONFIG", "GET", "timeout"));
        Assert.Equal("[$slave-read-only, $yes]", await c.CallAsync("CONFIG", "GET", "sl*-read-only"));
        Assert.Equal("[]", await c.CallAsync("CONFIG", "GET", "nothing-like-this"));
        Assert.Equal("-ERR wrong number of arguments for 'config|get' command", await c.CallAsync("CONFIG", "GET"));
        Assert.Equal("-ERR unknown subcommand 'SET'. Try CONFIG HELP.", await c.CallAsync("CONFIG", "SET", "save", ""));
        Assert.Equal("-ERR This instance has cluster support disabled", await c.CallAsync("CLUSTER", "NODES"));
        Assert.Equal("$nil", await c.CallAsync("GET", "__Booksleeve_TieBreak"));
        Assert.Equal("+OK", await c.CallAsync("SELECT", "0"));
        Assert.Equal("-ERR DB index is out of range", await c.CallAsync("SELECT", "1"));
        Assert.Equal("-ERR value is not an integer or out of range", await c.CallAsync("SELECT", "x"));
    }

    [Fact]
    public async Task InfoHasRedisFieldsAndLiveWorkerCounters()
    {
        await using var server = await TestServer.StartAsync();
        using var c = await RespTestConnection.ConnectAsync(server.RespPort);
        await c.CallAsync("HASH", "1000", "abc");

        var all = await c.CallAsync("INFO");
        var replication = await c.CallAsync("INFO", "replication");
        var server_ = await c.CallAsync("info", "SERVER");

        Assert.Contains("redis_version:7.0.0\r\n", all);
        Assert.Contains("# Clients\r\nconnected_clients:1\r\n", all);
        Assert.Contains("# Stats\r\n", all);
        Assert.Contains("# CPU\r\nused_cpu_sys:", all);
        Assert.Contains("# Workers\r\nstrategy:PerCore\r\n", all);
        Assert.Contains("total_commands_processed:", all);
        Assert.Equal("$# Replication\r\nrole:master\r\nconnected_slaves:0\r\n", replication);
        Assert.StartsWith("$# Server\r\nredis_version:", server_);
        Assert.Equal("$", await c.CallAsync("INFO", "nosuchsection"));
    }

    [Fact]
    public async Task CommandListsBuiltinsAndRegistryOperations()
    {
        await using var server = await TestServer.StartAsync(ops => ops.Register(new WorkerEchoOperation()));
        using var c = await RespTestConnection.ConnectAsync(server.RespPort);

        var count = await c.CallAsync("COMMAND", "COUNT");
        var all = await c.CallAsync("COMMAND");

        Assert.Equal("[[$hash, :3, [], :0, :0, :0, [+@slow], [], [], []]]", await c.CallAsync("COMMAND", "INFO", "hash"));
        Assert.Equal("[[$wecho, :2, [], :0, :0, :0, [+@slow], [], [], []], [nil]]", await c.CallAsync("COMMAND", "INFO", "WECHO", "nope"));
        Assert.Equal("[[$ping, :-1, [+fast], :0, :0, :0, [+@fast, +@connection], [], [], []]]", await c.CallAsync("COMMAND", "INFO", "ping"));
        Assert.StartsWith("[$hash, [$summary, $C10k operation", await c.CallAsync("COMMAND", "DOCS", "hash"));
        Assert.Equal(":16", count);
        Assert.Equal(16, all.Split("[$", StringSplitOptions.None).Length - 1);
        Assert.Equal("-ERR unknown subcommand 'FOO'. Try COMMAND HELP.", await c.CallAsync("COMMAND", "FOO"));
    }

    [Fact]
    public async Task SubscribedConnectionAnswersOnlySubscriptionCommands()
    {
        await using var server = await TestServer.StartAsync();
        using var c = await RespTestConnection.ConnectAsync(server.RespPort);

        Assert.Equal("[$subscribe, $news, :1]", await c.CallAsync("SUBSCRIBE", "news"));
        Assert.Equal("[$pong, $]", await c.CallAsync("PING"));
        Assert.Equal(
            "-ERR Can't execute 'get': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context",
            await c.CallAsync("GET", "k"));
        Assert.Equal("[$unsubscribe, $news, :0]", await c.CallAsync("UNSUBSCRIBE"));
        Assert.Equal("+PONG", await c.CallAsync("PING"));
    }

    [Fact]
    public async Task RepliesKeepRequestOrderWhenWorkersFinishOutOfOrder()
    {
        using var gate = new GateOperation();
        var wecho = new WorkerEchoOperation();
        await using var server = await TestServer.StartAsync(ops => ops.Register(gate).Register(wecho));
        using var c = await RespTestConnection.ConnectAsync(server.RespPort);

        await c.SendAsync("*1\r\n$4\r\nGATE\r\n*2\r\n$5\r\nWECHO\r\n$1\r\na\r\nPING\r\nECHO b\r\n*2\r\n$5\r\nWECHO\r\n$1\r\nc\r\nHASH 1 abc\r\n");
        await Timeouts.UntilAsync(() => gate.Entered == 1 && wecho.Executed == 2, "the later worker requests finished while GATE holds");
        gate.Open();

        Assert.Equal("$open", await c.ReadAsync());
        Assert.Equal("$a", await c.ReadAsync());
        Assert.Equal("+PONG", await c.ReadAsync());
        Assert.Equal("$b", await c.ReadAsync());
        Assert.Equal("$c", await c.ReadAsync());
        Assert.Equal("$" + Sha1Abc, await c.ReadAsync());
        Assert.Equal("+PONG", await c.CallAsync("PING"));
    }

    [Fact]
    public async Task RepliesHeldBehindAWorkerCountTowardTheInFlightCapAndDrainWhenItFinishes()
    {
        using var gate = new GateOperation();
        await using var server = await TestServer.StartAsync(ops => ops.Register(gate), "Limits:MaxInFlightPerConnection=4");
        using var c = await RespTestConnection.ConnectAsync(server.RespPort);

        await c.SendAsync("GATE\r\n" + string.Concat(Enumerable.Repeat("PING\r\n", 100)));
        await Timeouts.UntilAsync(() => gate.Entered == 1 && server.Registry.InFlight == 4, "the connection holds three PONGs behind GATE and stops reading");
        await Task.Delay(100);
        Assert.Equal(4, server.Registry.InFlight);
        gate.Open();

        Assert.Equal("$open", await c.ReadAsync());
        for (var i = 0; i < 100; i++)
        {
            Assert.Equal("+PONG", await c.ReadAsync());
        }

        await Timeouts.UntilAsync(() => server.Registry.InFlight == 0, "nothing is left in flight");
    }

    [Fact]
    public async Task QuitAnswersPendingRequestsThenOkThenCloses()
    {
        using var gate = new GateOperation();
        await using var server = await TestServer.StartAsync(ops => ops.Register(gate));
        using var c = await RespTestConnection.ConnectAsync(server.RespPort);

        await c.SendAsync("GATE\r\nQUIT\r\nPING\r\n");
        await Timeouts.UntilAsync(() => gate.Entered == 1, "GATE runs");
        gate.Open();

        Assert.Equal("$open", await c.ReadAsync());
        Assert.Equal("+OK", await c.ReadAsync());
        Assert.Null(await c.ReadAsync());
    }

    [Theory]
    [InlineData("*x\r\n", "-ERR Protocol error: invalid multibulk length")]
    [InlineData("*1\r\n+PING\r\n", "-ERR Protocol error: expected '$', got '+'")]
    [InlineData("*1\r\n$-5\r\n", "-ERR Protocol error: invalid bulk length")]
    [InlineData("*2\r\n$4\r\nECHO\r\n$11\r\n", "-ERR Protocol error: invalid bulk length")]
    public async Task ProtocolErrorAnswersEarlierRequestsThenRedisWordingThenCloses(string garbage, string error)
    {
        await using var server = await TestServer.StartAsync(null, "Resp:MaxBulkBytes=10");
        using var c = await RespTestConnection.ConnectAsync(server.RespPort);

        await c.SendAsync("*1\r\n$4\r\nPING\r\n" + garbage);

        Assert.Equal("+PONG", await c.ReadAsync());
        Assert.Equal(error, await c.ReadAsync());
        Assert.Null(await c.ReadAsync());
    }

    [Fact]
    public async Task InlineLineLongerThanTheLimitIsRefusedBeforeItEnds()
    {
        await using var server = await TestServer.StartAsync(null, "Resp:MaxInlineBytes=64");
        using var c = await RespTestConnection.ConnectAsync(server.RespPort);

        await c.SendAsync("ECHO " + new string('x', 100));

        Assert.Equal("-ERR Protocol error: too big inline request", await c.ReadAsync());
        Assert.Null(await c.ReadAsync());
    }

    [Fact]
    public async Task ConnectionsPastTheLimitGetRedisErrorThenClose()
    {
        await using var server = await TestServer.StartAsync(null, "Limits:MaxConnections=1");
        using var first = await RespTestConnection.ConnectAsync(server.RespPort);
        Assert.Equal("+PONG", await first.CallAsync("PING"));

        using var second = await RespTestConnection.ConnectAsync(server.RespPort);

        Assert.Equal("-ERR max number of clients reached", await second.ReadAsync());
        Assert.Null(await second.ReadAsync());
        Assert.Equal("+PONG", await first.CallAsync("PING"));
    }

    [Fact]
    public async Task InvalidRespOptionsFailAtStartNamingTheKey()
    {
        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => TestServer.StartAsync(null, "Resp:MaxInlineBytes=1"));

        Assert.Contains("C10k:Resp:MaxInlineBytes must be between 16 and 67108864 (got 1)", failure.Failures);
    }
}
