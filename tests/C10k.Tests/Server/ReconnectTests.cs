using C10k.Client;
using C10k.Protocol.Typed;

namespace C10k.Tests.Server;

public class ReconnectTests
{
    [Fact]
    public async Task ClientReconnectsAfterTheServerClosesAConnectionPastItsMaximumAge()
    {
        await using var server = await TestServer.StartAsync(null, "Limits:MaxConnectionAgeMs=200");
        await using var client = await ReconnectingC10kClient.ConnectAsync("127.0.0.1", server.NativePort);

        var answered = 0;
        for (var i = 0; i < 2000 && client.Reconnects == 0; i++)
        {
            try
            {
                answered += await client.PingAsync().WaitAsync(Timeouts.Socket) == "PONG" ? 1 : 0;
            }
            catch (C10kConnectionException)
            {
                // A ping sent just as the old connection closed fails: the client never retries it silently.
            }

            await Task.Delay(5);
        }

        Assert.True(client.Reconnects >= 1);
        Assert.True(answered > 0);
        Assert.Equal("PONG", await client.PingAsync().WaitAsync(Timeouts.Socket));
    }

    [Fact]
    public async Task TypedCallsKeepTheirTypesOnEveryNewConnection()
    {
        await using var server = await TestServer.StartAsync(
            ops => ops.Register(new TypedReplyTests.CountOperation()), "Limits:MaxConnectionAgeMs=200");
        await using var client = await ReconnectingC10kClient.ConnectAsync("127.0.0.1", server.NativePort);

        var counts = new List<long>();
        for (var i = 0; i < 2000 && client.Reconnects == 0; i++)
        {
            try
            {
                var count = await client.CallAsync(TypedReplyTests.CountOperation.Code, [new byte[] { 1 }]).WaitAsync(Timeouts.Socket);
                Assert.Equal(ReplyType.Integer, count.Type);
                counts.Add(count.Number);
            }
            catch (C10kConnectionException)
            {
                // A call sent just as the old connection closed fails, as in the test above.
            }

            await Task.Delay(5);
        }

        var afterReconnect = await client.CallAsync(TypedReplyTests.CountOperation.Code, [new byte[] { 1 }, new byte[] { 2 }]).WaitAsync(Timeouts.Socket);

        Assert.True(client.Reconnects >= 1);
        Assert.All(counts, c => Assert.Equal(1L, c));
        Assert.Equal((ReplyType.Integer, 2L), (afterReconnect.Type, afterReconnect.Number));
    }

    [Fact]
    public void BackoffGrowsExponentiallyUpToTheMaximumWithJitter()
    {
        var policy = new ReconnectPolicy { InitialDelay = TimeSpan.FromMilliseconds(10), MaxDelay = TimeSpan.FromMilliseconds(200) };
        var random = new Random(7);

        var delays = Enumerable.Range(0, 12).Select(a => (Attempt: a, Delay: policy.Delay(a, random))).ToArray();

        Assert.All(delays, d => Assert.InRange(d.Delay.TotalMilliseconds, 0, Math.Min(200, 10 * Math.Pow(2, d.Attempt))));
        Assert.True(delays.Skip(6).Any(d => d.Delay.TotalMilliseconds > 20), "later attempts wait longer than the first ceilings");
        Assert.True(delays.Select(d => d.Delay).Distinct().Count() > 1, "delays are jittered");
    }
}
