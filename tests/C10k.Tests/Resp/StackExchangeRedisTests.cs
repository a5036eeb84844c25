using System.Security.Cryptography;
using System.Text;
using StackExchange.Redis;

namespace C10k.Tests.Resp;

/// <summary>StackExchange.Redis, a real Redis client, as the oracle: a default connection string must just work.</summary>
public class StackExchangeRedisTests
{
    [Fact]
    public async Task DefaultConnectionStringConnectsAndRunsPingEchoAndHash()
    {
        await using var server = await TestServer.StartAsync();
        using var log = new StringWriter();
        await using var redis = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{server.RespPort}", log).WaitAsync(Timeouts.Socket);
        var db = redis.GetDatabase();

        await db.PingAsync().WaitAsync(Timeouts.Socket);
        var echo = await db.ExecuteAsync("ECHO", "hello").WaitAsync(Timeouts.Socket);
        var hash = await db.ExecuteAsync("HASH", 1000, "abc").WaitAsync(Timeouts.Socket);

        Assert.True(redis.IsConnected, log.ToString());
        Assert.Equal("hello", (string?)echo);
        Assert.Equal("fc8a6b86a13f71cd9a67f558ab6fd82a3dd89186163a017ed8051acf6d3f8f99", (string?)hash);
        Assert.Equal(new Version(7, 0, 0), redis.GetServer($"127.0.0.1:{server.RespPort}").Version);
    }

    [Fact]
    public async Task ThousandConcurrentCallsOnOneMultiplexerAllGetTheirOwnReply()
    {
        await using var server = await TestServer.StartAsync();
        // The default connection string plus a generous timeout: the test box is shared, and this test is about correctness.
        var options = ConfigurationOptions.Parse($"127.0.0.1:{server.RespPort}");
        options.AsyncTimeout = (int)Timeouts.Socket.TotalMilliseconds;
        await using var redis = await ConnectionMultiplexer.ConnectAsync(options).WaitAsync(Timeouts.Socket);
        var db = redis.GetDatabase();

        var calls = Enumerable.Range(0, 1000).Select(async i =>
        {
            var data = $"payload-{i}";
            var iterations = 1 + (i % 7 * 50);
            var reply = (string?)await db.ExecuteAsync("HASH", iterations, data);
            return (Expected: Hash(iterations, data), Actual: reply);
        }).ToArray();
        var pings = Enumerable.Range(0, 100).Select(_ => db.PingAsync()).ToArray();
        var results = await Task.WhenAll(calls).WaitAsync(Timeouts.Socket);
        await Task.WhenAll(pings).WaitAsync(Timeouts.Socket);

        Assert.All(results, r => Assert.Equal(r.Expected, r.Actual));
    }

    [Fact]
    public async Task ReconnectsAfterServerRestartOnTheSamePort()
    {
        var first = await TestServer.StartAsync();
        var port = first.RespPort;
        var options = ConfigurationOptions.Parse($"127.0.0.1:{port}");
        options.AbortOnConnectFail = false;
        options.ConnectRetry = 10;
        options.ReconnectRetryPolicy = new LinearRetry(100);
        await using var redis = await ConnectionMultiplexer.ConnectAsync(options).WaitAsync(Timeouts.Socket);
        await redis.GetDatabase().PingAsync().WaitAsync(Timeouts.Socket);

        await first.DisposeAsync();
        await Timeouts.UntilAsync(() => !redis.IsConnected, "the client notices the server is gone");
        await using var second = await TestServer.StartAsync(null, $"Resp:Port={port}");
        await Timeouts.UntilAsync(() => redis.IsConnected, "the client reconnects");

        var echo = await redis.GetDatabase().ExecuteAsync("ECHO", "back").WaitAsync(Timeouts.Socket);
        Assert.Equal("back", (string?)echo);
    }

    private static string Hash(int iterations, string data)
    {
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(data));
        for (var i = 1; i < iterations; i++)
        {
            digest = SHA256.HashData(digest);
        }

        return Convert.ToHexStringLower(digest);
    }
}
