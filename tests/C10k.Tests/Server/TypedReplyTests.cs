using C10k.Protocol;
using C10k.Protocol.Native;
using C10k.Protocol.Typed;
using C10k.Server.Operations;
using StackExchange.Redis;

namespace C10k.Tests.Server;

/// <summary>
/// Typed replies through the one reply writer: RESP keeps every type, a native client that asked (HELLO 2) gets the typed
/// payload, a version-1 native client gets the flattened bytes; built-ins keep their bytes either way.
/// </summary>
public class TypedReplyTests
{
    private const string Rendered = "[42, \"abc\", nil, +OK, [1, -ERR nested]]";

    // [42, "abc", nil, "OK", ["1", "ERR nested"]] as a version-1 argument list.
    private static readonly byte[] Flattened = Convert.FromHexString(
        "00000002" + "3432" + "00000003" + "616263" + "00000000" + "00000002" + "4f4b" + "00000013" + "00000001" + "31" + "0000000a" + "455252206e6573746564");

    public static TheoryData<OperationPlacement> Placements() => [OperationPlacement.Inline, OperationPlacement.Worker];

    [Theory]
    [MemberData(nameof(Placements))]
    public async Task TheClientReturnsTypedValues(OperationPlacement placement)
    {
        await using var server = await TestServer.StartAsync(ops => ops.Register(new TypesOperation(placement)).Register(new CountOperation()));
        await using var client = await server.ConnectAsync();

        var types = await client.CallAsync(TypesOperation.Code, []).WaitAsync(Timeouts.Socket);
        var count = await client.CallAsync(CountOperation.Code, [new byte[] { 1 }, new byte[] { 2 }]).WaitAsync(Timeouts.Socket);

        Assert.Equal(Rendered, types.ToString());
        Assert.Equal((ReplyType.Integer, 2L), (count.Type, count.Number));
        Assert.Equal("PONG", await client.PingAsync());
        Assert.Equal(ReplyType.Bulk, (await client.CallAsync(NativeOpcodes.Echo, [new byte[] { 0x41 }])).Type);
    }

    [Theory]
    [MemberData(nameof(Placements))]
    public async Task AVersion1ClientGetsTheFlattenedBytes(OperationPlacement placement)
    {
        await using var server = await TestServer.StartAsync(ops => ops.Register(new TypesOperation(placement)));
        using var raw = await RawConnection.ConnectAsync(server.NativePort);

        await raw.SendAsync(RawConnection.Request(TypesOperation.Code, 1, []));
        var reply = await raw.ReadReplyAsync();

        Assert.Equal((NativeStatus.Ok, NativeProtocol.ReplyFlag), (reply!.Status, reply.Flags));
        Assert.Equal(Flattened, reply.Payload);
    }

    [Fact]
    public async Task HelloTwoTurnsOnTheTypedFlagForTypedOperationsOnly()
    {
        await using var server = await TestServer.StartAsync(ops => ops.Register(new CountOperation()));
        using var raw = await RawConnection.ConnectAsync(server.NativePort);

        await raw.SendAsync([.. RawConnection.Request(NativeOpcodes.Hello, 1, RawConnection.Args("2")), .. RawConnection.Request(CountOperation.Code, 2, RawConnection.Args("x")),
            .. RawConnection.Request(NativeOpcodes.Ping, 3, [])]);
        var hello = await raw.ReadReplyAsync();
        var count = await raw.ReadReplyAsync();
        var ping = await raw.ReadReplyAsync();

        Assert.Equal(new byte[] { 0, 2 }, hello!.Payload[..2]);
        Assert.Equal((NativeProtocol.ReplyFlag | NativeProtocol.TypedFlag, "3a0000000000000001"), (count!.Flags, Convert.ToHexStringLower(count.Payload)));
        Assert.Equal((NativeProtocol.ReplyFlag, "PONG"), (ping!.Flags, ping.Text));
    }

    [Fact]
    public async Task AWholeReplyErrorIsAnErrorStatusOnNativeAndAnErrorOnResp()
    {
        await using var server = await TestServer.StartAsync(ops => ops.Register(new FailOperation()));
        await using var client = await server.ConnectAsync();
        using var resp = await RespTestConnection.ConnectAsync(server.RespPort);

        var native = await client.SendAsync(FailOperation.Code, ReadOnlyMemory<byte>.Empty);

        Assert.Equal((NativeStatus.Error, "WRONGTYPE not a list"), (native.Status, native.Text));
        Assert.Equal("-WRONGTYPE not a list", await resp.CallAsync("FAIL"));
    }

    [Theory]
    [MemberData(nameof(Placements))]
    public async Task RespRepliesKeepTheirTypes(OperationPlacement placement)
    {
        await using var server = await TestServer.StartAsync(ops => ops.Register(new TypesOperation(placement)).Register(new CountOperation()));
        using var resp = await RespTestConnection.ConnectAsync(server.RespPort);

        Assert.Equal("[:42, $abc, $nil, +OK, [:1, -ERR nested]]", await resp.CallAsync("TYPES"));
        Assert.Equal(":3", await resp.CallAsync("COUNT", "a", "b", "c"));
        Assert.Equal("+PONG", await resp.CallAsync("PING"));
        Assert.Equal("$hi", await resp.CallAsync("ECHO", "hi"));
    }

    [Fact]
    public async Task StackExchangeRedisReadsAnIntegerAndAnArray()
    {
        await using var server = await TestServer.StartAsync(ops => ops.Register(new TypesOperation(OperationPlacement.Worker)).Register(new CountOperation()));
        await using var redis = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{server.RespPort}").WaitAsync(Timeouts.Socket);
        var db = redis.GetDatabase();

        var count = await db.ExecuteAsync("COUNT", "a", "b").WaitAsync(Timeouts.Socket);
        var array = (RedisResult[])(await db.ExecuteAsync("TYPES").WaitAsync(Timeouts.Socket))!;

        Assert.Equal((ResultType.Integer, 2L), (count.Resp2Type, (long)count));
        Assert.Equal(5, array.Length);
        Assert.Equal((42L, "abc", true, "OK"), ((long)array[0], (string?)array[1], array[2].IsNull, (string?)array[3]));
        Assert.Equal(ResultType.Error, ((RedisResult[])array[4]!)[1].Resp2Type);
    }

    [Fact]
    public async Task AMalformedTypedReplyIsAnInternalError()
    {
        await using var server = await TestServer.StartAsync(ops => ops.Register(new BrokenOperation()));
        await using var client = await server.ConnectAsync();

        var reply = await client.SendAsync(BrokenOperation.Code, ReadOnlyMemory<byte>.Empty);

        Assert.Equal((NativeStatus.Error, "internal error"), (reply.Status, reply.Text));
        Assert.Equal("PONG", await client.PingAsync());
    }

    private sealed class TypesOperation(OperationPlacement placement) : TypedOperation("TYPES", Code, placement, 0, 0)
    {
        public const ushort Code = 0x2101;

        public override void Execute(in ArgumentList args, ReplyWriter reply, CancellationToken cancellationToken)
        {
            reply.WriteArray(5);
            reply.WriteInteger(42);
            reply.WriteBulk("abc"u8);
            reply.WriteNil();
            reply.WriteSimpleString("OK");
            reply.WriteArray(2);
            reply.WriteInteger(1);
            reply.WriteError("ERR nested");
        }
    }

    internal sealed class CountOperation() : TypedOperation("COUNT", Code, OperationPlacement.Inline, 0, 8)
    {
        public const ushort Code = 0x2102;

        public override void Execute(in ArgumentList args, ReplyWriter reply, CancellationToken cancellationToken) => reply.WriteInteger(args.Count);
    }

    private sealed class FailOperation() : TypedOperation("FAIL", Code, OperationPlacement.Inline, 0, 0)
    {
        public const ushort Code = 0x2103;

        public override void Execute(in ArgumentList args, ReplyWriter reply, CancellationToken cancellationToken) => reply.WriteError("WRONGTYPE not a list");
    }

    private sealed class BrokenOperation() : TypedOperation("BROKEN", Code, OperationPlacement.Inline, 0, 0)
    {
        public const ushort Code = 0x2104;

        // Announces two elements and writes one: the dispatcher must not let that reach a client.
        public override void Execute(in ArgumentList args, ReplyWriter reply, CancellationToken cancellationToken)
        {
            reply.WriteArray(2);
            reply.WriteInteger(1);
        }
    }
}
