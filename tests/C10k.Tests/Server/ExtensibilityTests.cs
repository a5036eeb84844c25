using System.Buffers;
using C10k.Protocol;
using C10k.Server.Operations;

namespace C10k.Tests.Server;

/// <summary>An application adds its own operation from outside C10k.Server, through the public API only.</summary>
public class ExtensibilityTests
{
    [Fact]
    public async Task ApplicationOperationIsCallableOverTheWire()
    {
        await using var server = await TestServer.StartAsync(ops => ops.Register(new ReverseOperation()));
        await using var client = await server.ConnectAsync();

        var reply = await client.SendAsync(ReverseOperation.Code, RawConnection.Args("stressed"));

        Assert.Equal("desserts", reply.Text);
    }

    [Fact]
    public async Task ApplicationOperationValidatesItsArguments()
    {
        await using var server = await TestServer.StartAsync(ops => ops.Register(new ReverseOperation()));
        await using var client = await server.ConnectAsync();

        var reply = await client.SendAsync(ReverseOperation.Code, RawConnection.Args("a", "b"));

        Assert.Equal(C10k.Protocol.Native.NativeStatus.BadArgs, reply.Status);
    }

    private sealed class ReverseOperation() : Operation("REVERSE", Code, OperationPlacement.Inline, 1, 1)
    {
        public const ushort Code = 0x2001;

        public override void Execute(in ArgumentList args, IBufferWriter<byte> reply, CancellationToken cancellationToken)
        {
            var text = args[0].ToArray();
            Array.Reverse(text);
            reply.Write(text);
        }
    }
}
