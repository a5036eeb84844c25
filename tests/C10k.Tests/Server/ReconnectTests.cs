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

        // Pings until one is answered on a connection opened after the first (which can age out too).
        var answered = 0;
        var answeredAfterReconnect = false;
        for (var i = 0; i < 2000 && !answeredAfterReconnect; i++)
        {
            var reconnected = client.Reconnects > 0;
            try
            {
                var pong = await client.PingAsync().WaitAsync(Timeouts.Socket) == "PONG";
                answered += pong ? 1 : 0;
                answeredAfterReconnect = reconnected && pong;
            }
            catch (C10kConnectionException)
            {
                // A ping sent just as the old connection closed fails: the client never retries it silently.
            }

            await Task.Delay(5);
        }

        Assert.True(client.Reconnects >= 1);
        Assert.True(answered > 1);
        Assert.True(answeredAfterReconnect);
    }

    [Fact]
    public async Task TypedCallsKeepTheirTypesOnEveryNewConnection()
    {
        await using var server = await TestServer.StartAsync(
            ops => ops.Register(new TypedReplyTests.CountOperation()), "Limits:MaxConnectionAgeMs=200");
        await using var client = await ReconnectingC10kClient.ConnectAsync("127.0.0.1", server.NativePort);

        // Calls until one answers on a connection opened after the first (a new connection can age out too, so one call after
        // the loop could meet a close as well).
        var counts = new List<long>();
        ReplyValue? afterReconnect = null;
        for (var i = 0; i < 2000 && afterReconnect is null; i++)
        {
            var reconnected = client.Reconnects > 0;
            try
            {
                var count = await client.CallAsync(TypedReplyTests.CountOperation.Code, reconnected ? [new byte[] { 1 }, new byte[] { 2 }] : [new byte[] { 1 }]).WaitAsync(Timeouts.Socket);
                if (reconnected)
                {
                    afterReconnect = count;
                }
                else
                {
                    Assert.Equal(ReplyType.Integer, count.Type);
                    counts.Add(count.Number);
                }
            }
            catch (C10kConnectionException)
            {
                // A call sent just as the old connection closed fails, as in the test above.
            }

            await Task.Delay(5);
        }

        Assert.True(client.Reconnects >= 1);
        Assert.All(counts, c => Assert.Equal(1L, c));
        Assert.NotNull(afterReconnect);
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
