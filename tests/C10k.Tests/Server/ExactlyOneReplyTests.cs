using C10k.Protocol.Native;

namespace C10k.Tests.Server;

/// <summary>Property: whatever mix of valid, invalid and heavy requests M connections send, each request gets exactly one reply.</summary>
public class ExactlyOneReplyTests
{
    [Theory]
    [InlineData(1, 4, 300)]
    [InlineData(2, 8, 200)]
    [InlineData(3, 16, 100)]
    public async Task EveryRequestGetsExactlyOneReply(int seed, int connections, int requestsPerConnection)
    {
        await using var server = await TestServer.StartAsync(null, "Workers:Count=2", "Workers:MaxQueued=8", "Limits:MaxInFlightPerConnection=8");
        var random = new Random(seed);
        var plans = Enumerable.Range(0, connections).Select(_ => Enumerable.Range(1, requestsPerConnection).Select(id => RandomRequest(random, (uint)id)).ToArray()).ToArray();

        var outcomes = await Task.WhenAll(plans.Select(async plan =>
        {
            using var raw = await RawConnection.ConnectAsync(server.NativePort);
            await raw.SendAsync([.. plan.SelectMany(r => r)]);
            var seen = new Dictionary<uint, NativeStatus>();
            for (var i = 0; i < plan.Length; i++)
            {
                var reply = await raw.ReadReplyAsync();
                Assert.NotNull(reply);
                Assert.True(seen.TryAdd(reply.RequestId, reply.Status), $"request {reply.RequestId} answered twice");
            }

            return seen;
        })).WaitAsync(Timeouts.Socket);

        foreach (var seen in outcomes)
        {
            Assert.Equal(Enumerable.Range(1, requestsPerConnection).Select(i => (uint)i), seen.Keys.Order());
            Assert.All(seen.Values, s => Assert.Contains(s, new[] { NativeStatus.Ok, NativeStatus.Busy, NativeStatus.BadArgs, NativeStatus.UnknownOp }));
        }
    }

    private static byte[] RandomRequest(Random random, uint id) => random.Next(6) switch
    {
        0 => RawConnection.Request(NativeOpcodes.Ping, id, []),
        1 => RawConnection.Request(NativeOpcodes.Echo, id, RawConnection.Args(new string('e', random.Next(0, 2000)))),
        2 => RawConnection.Request(NativeOpcodes.Hash, id, RawConnection.Args(random.Next(1, 3000).ToString(System.Globalization.CultureInfo.InvariantCulture), "data")),
        3 => RawConnection.Request(NativeOpcodes.Hash, id, RawConnection.Args("-1", "data")),
        4 => RawConnection.Request((ushort)random.Next(0x3000, 0x4000), id, []),
        _ => RawConnection.Request(NativeOpcodes.Hello, id, []),
    };
}
