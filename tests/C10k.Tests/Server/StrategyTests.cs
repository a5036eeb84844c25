
namespace C10k.Tests.Server;

/// <summary>Every selectable strategy serves the same requests correctly; only where the work runs differs.</summary>
public class StrategyTests
{
    [Theory]
    [InlineData("PerCore", "pool")]
    [InlineData("SharedQueue", "pool")]
    [InlineData("ThreadPool", "pool")]
    [InlineData("Inline", "inline")]
    public async Task StrategyAnswersEveryHashFromSeveralConnections(string strategy, string expectedPlacement)
    {
        await using var server = await TestServer.StartAsync(null, $"Workers:Strategy={strategy}", "Workers:InlineThresholdMicroseconds=0");
        var placements = new Dictionary<string, long>();
        using var listener = WorkerPoolTests.CounterListener(server, "c10k.dispatch.placements", (v, placement) =>
        {
            lock (placements)
            {
                placements[placement] = placements.GetValueOrDefault(placement) + v;
            }
        });
        var clients = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => server.ConnectAsync()));
        try
        {
            var hashes = await Task.WhenAll(clients.SelectMany(c => Enumerable.Range(0, 25).Select(_ => c.HashAsync(1000, "abc"u8.ToArray())))).WaitAsync(Timeouts.Socket);

            Assert.All(hashes, h => Assert.Equal("fc8a6b86a13f71cd9a67f558ab6fd82a3dd89186163a017ed8051acf6d3f8f99", h));
            Assert.Equal(strategy, server.Dispatcher.Strategy.ToString());
            lock (placements)
            {
                Assert.Equal(100, placements.GetValueOrDefault(expectedPlacement));
            }
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }
        }
    }
}
