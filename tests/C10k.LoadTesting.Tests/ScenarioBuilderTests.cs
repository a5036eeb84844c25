using System.Net;
using C10k.LoadTesting.Connections;
using C10k.LoadTesting.Feeds;
using C10k.LoadTesting.Scenarios;
using C10k.LoadTesting.Simulations;

namespace C10k.LoadTesting.Tests;

public sealed class ScenarioBuilderTests
{
    private static readonly string ScenarioFolder = Path.Combine(AppContext.BaseDirectory, "scenarios");

    [Theory]
    [InlineData("c10k-hold")]
    [InlineData("ping-max")]
    [InlineData("hash-saturation-with-ping-probe")]
    [InlineData("mixed")]
    [InlineData("set-get")]
    public void ShippedScenarioFilesLoadAndBuild(string name)
    {
        var file = ScenarioBuilder.Load(Path.Combine(ScenarioFolder, name + ".json"));

        var scenarios = ScenarioBuilder.Build(file, LoadShare.Whole, []);

        Assert.NotEmpty(scenarios);
        Assert.False(string.IsNullOrWhiteSpace(file.Description));
    }

    [Fact]
    public void C10kHoldHoldsTenThousandConnectionsEachSendingOncePerSecond()
    {
        var hold = Assert.Single(ScenarioBuilder.Build(ScenarioBuilder.Load(Path.Combine(ScenarioFolder, "c10k-hold.json")), LoadShare.Whole, []));

        Assert.Equal(10_000, hold.Connections.Count);
        Assert.Equal(LoadSimulation.Inject(10_000, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60)), Assert.Single(hold.Simulations));
    }

    [Fact]
    public void WeightedMixSplitsTheSharedRateByWeight()
    {
        var scenarios = ScenarioBuilder.Build(ScenarioBuilder.Load(Path.Combine(ScenarioFolder, "mixed.json")), LoadShare.Whole, []);

        Assert.Equal([2100.0, 750.0, 150.0], scenarios.Select(s => s.Simulations[^1].Target));
        Assert.NotNull(scenarios[1].Feed);
    }

    [Fact]
    public void ProcessSharesAddUpToTheWholeLoad()
    {
        var file = ScenarioBuilder.Load(Path.Combine(ScenarioFolder, "c10k-hold.json"));
        var sources = SourceAddressRange.Parse("127.0.0.2-127.0.0.5");

        var shares = Enumerable.Range(0, 3).Select(i => Assert.Single(ScenarioBuilder.Build(file, new LoadShare(i, 3), sources))).ToList();

        Assert.Equal(10_000, shares.Sum(s => s.Connections.Count));
        Assert.Equal(10_000, shares.Sum(s => s.Simulations[0].Target), 6);
        Assert.Equal([IPAddress.Parse("127.0.0.2"), IPAddress.Parse("127.0.0.5")], shares[0].Connections.SourceAddresses);
    }

    [Theory]
    [InlineData("keep-constant copies=50 during=1s", null, null, 50)]
    [InlineData("keep-constant copies=50 during=1s", 10, null, 5)]
    [InlineData("keep-constant copies=50 during=1s", 8, null, 7)]
    [InlineData("keep-constant copies=50 during=1s", null, 3, 3)]
    [InlineData("ramping-constant copies=20 during=1s; keep-constant copies=5 during=1s", null, null, 20)]
    [InlineData("inject rate=1000 during=1s", null, null, 1)]
    public void ClosedModelUsersGetTheirOwnConnectionsUnlessPipeliningIsAskedFor(string simulation, int? pipeline, int? connections, int expected)
    {
        var file = new ScenarioFile { Scenarios = [new ScenarioDefinition { Name = "s", Simulation = simulation, Pipeline = pipeline, Connections = connections }] };

        var scenario = Assert.Single(ScenarioBuilder.Build(file, LoadShare.Whole, []));

        Assert.Equal(expected, scenario.Connections.Count);
    }

    [Fact]
    public void SplitSharesGetConnectionsForTheirOwnUsers()
    {
        var file = new ScenarioFile { Scenarios = [new ScenarioDefinition { Name = "s", Simulation = "keep-constant copies=5 during=1s" }] };

        var shares = Enumerable.Range(0, 2).Select(i => Assert.Single(ScenarioBuilder.Build(file, new LoadShare(i, 2), []))).ToList();

        Assert.Equal([3, 2], shares.Select(s => s.Connections.Count));
    }

    [Theory]
    [InlineData("GET {key}", null)]
    [InlineData("SET k v", "no such type")]
    public void BadStepsAreRejectedWhenTheFileIsBuilt(string command, string? expectType)
    {
        var step = new StepDefinition { Command = command, Expect = expectType is null ? null : new ExpectDefinition { Type = expectType } };
        var file = new ScenarioFile { Scenarios = [new ScenarioDefinition { Name = "s", Simulation = "pause during=1s", Steps = [step, new StepDefinition { Command = "PING" }] }] };

        var error = Assert.Throws<InvalidDataException>(() => ScenarioBuilder.Build(file, LoadShare.Whole, []));

        Assert.StartsWith("Scenario 's':", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SourceAddressRangeExpandsInclusive()
    {
        Assert.Equal(
            ["127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.9"],
            SourceAddressRange.Parse("127.0.0.2-127.0.0.4,127.0.0.9").Select(a => a.ToString()));
        Assert.Throws<FormatException>(() => SourceAddressRange.Parse("127.0.0.5-127.0.0.2"));
    }

    [Fact]
    public void CircularFeedWalksItemsInOrderAndRandomFeedIsRepeatable()
    {
        ReadOnlyMemory<byte>[] items = ["a"u8.ToArray(), "b"u8.ToArray(), "c"u8.ToArray()];
        var circular = new DataFeed(items, FeedMode.Circular);
        Assert.Equal("abca", string.Concat(Enumerable.Range(0, 4).Select(_ => (char)circular.NextItem().Span[0])));

        string Sample(DataFeed feed) => string.Concat(Enumerable.Range(0, 20).Select(_ => (char)feed.NextItem().Span[0]));
        Assert.Equal(Sample(new DataFeed(items, FeedMode.Random, seed: 1)), Sample(new DataFeed(items, FeedMode.Random, seed: 1)));
    }
}
