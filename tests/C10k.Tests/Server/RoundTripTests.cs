using System.Text;
using C10k.Client;
using C10k.Protocol.Native;

namespace C10k.Tests.Server;

public class RoundTripTests
{
    [Fact]
    public async Task PingEchoHashAndHelloRoundTrip()
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await server.ConnectAsync();

        Assert.Equal("PONG", await client.PingAsync());
        Assert.Equal("hello", Encoding.UTF8.GetString((await client.EchoAsync("hello"u8.ToArray())).Span));
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", await client.HashAsync(1, "abc"u8.ToArray()));
        Assert.Equal("fc8a6b86a13f71cd9a67f558ab6fd82a3dd89186163a017ed8051acf6d3f8f99", await client.HashAsync(1000, "abc"u8.ToArray()));
        Assert.Equal(new HelloInfo(1, NativeProtocol.DefaultMaxFrameBytes, 32), await client.HelloAsync());
    }

    [Fact]
    public async Task TenThousandPipelinedRequestsOnOneConnectionAllGetTheirOwnReply()
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await server.ConnectAsync(new ClientOptions { MaxPendingCalls = 2048 });

        var calls = Enumerable.Range(0, 10_000).Select(async i =>
        {
            var text = "m" + i;
            var echoed = await client.EchoAsync(Encoding.UTF8.GetBytes(text));
            return Encoding.UTF8.GetString(echoed.Span) == text;
        }).ToArray();

        var results = await Task.WhenAll(calls).WaitAsync(Timeouts.Socket);
        Assert.All(results, Assert.True);
    }

    [Fact]
    public async Task AThousandConcurrentConnectionsAreServed()
    {
        await using var server = await TestServer.StartAsync();
        var clients = new List<C10kClient>();
        try
        {
            using var connectSlots = new SemaphoreSlim(64);
            var connects = Enumerable.Range(0, 1000).Select(async _ =>
            {
                await connectSlots.WaitAsync();
                try
                {
                    return await server.ConnectAsync();
                }
                finally
                {
                    connectSlots.Release();
                }
            });
            clients.AddRange(await Task.WhenAll(connects).WaitAsync(Timeouts.Socket));
            await Timeouts.UntilAsync(() => server.OpenConnections == 1000, "the server holds 1,000 connections");

            var pongs = await Task.WhenAll(clients.Select(c => c.PingAsync())).WaitAsync(Timeouts.Socket);
            Assert.All(pongs, p => Assert.Equal("PONG", p));
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }
        }

        await Timeouts.UntilAsync(() => server.OpenConnections == 0, "every connection is closed");
    }

    [Fact]
    public async Task RepliesComeBackOutOfOrderAndAreMatchedById()
    {
        using var gate = new GateOperation();
        await using var server = await TestServer.StartAsync(ops => ops.Register(gate));
        using var raw = await RawConnection.ConnectAsync(server.NativePort);

        await raw.SendAsync([.. RawConnection.Request(gate.Opcode, 1, []), .. RawConnection.Request(NativeOpcodes.Ping, 2, [])]);
        var first = await raw.ReadReplyAsync();
        gate.Open();
        var second = await raw.ReadReplyAsync();

        Assert.Equal((2u, NativeStatus.Ok), (first!.RequestId, first.Status));
        Assert.Equal((1u, NativeStatus.Ok, "open"), (second!.RequestId, second.Status, second.Text));
    }

    [Fact]
    public async Task ClientMatchesOutOfOrderRepliesToItsCalls()
    {
        using var gate = new GateOperation();
        await using var server = await TestServer.StartAsync(ops => ops.Register(gate));
        await using var client = await server.ConnectAsync();

        var slow = client.SendAsync(gate.Opcode, ReadOnlyMemory<byte>.Empty);
        Assert.Equal("PONG", await client.PingAsync());
        Assert.False(slow.IsCompleted);
        gate.Open();
        Assert.Equal("open", (await slow.WaitAsync(Timeouts.Socket)).Text);
    }
}
