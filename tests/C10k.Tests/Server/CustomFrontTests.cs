using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Text;
using C10k.Protocol;
using C10k.Protocol.Native;
using C10k.Protocol.Typed;
using C10k.Server.Connections;
using C10k.Server.Fronts;
using C10k.Server.Hosting;
using C10k.Server.Operations;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace C10k.Tests.Server;

/// <summary>
/// An application's own protocol front, written against the public API only: a line protocol ("NAME arg…\r\n" in,
/// "+reply" / "-error" lines out) hosted next to the built-in fronts, sharing their dispatcher, writer, limits and metrics.
/// </summary>
public class CustomFrontTests
{
    [Fact]
    public async Task ALineFrontAnswersInlinePooledAndAsyncOperationsInRequestOrder()
    {
        using var gate = new GateOperation();
        var asyncGate = new AsyncGateOperation();
        await using var host = await LineHost.StartAsync(ops => ops.Register(gate).Register(asyncGate));
        using var line = await host.ConnectAsync();

        Assert.Equal("+PONG", await line.CallAsync("PING"));
        Assert.Equal("+hello", await line.CallAsync("ECHO hello"));

        // GATE runs on a worker, AGATE awaits; the PING behind them is answered inline yet written after them.
        await line.SendAsync("GATE\r\nAGATE\r\nPING\r\n");
        await Timeouts.UntilAsync(() => gate.Entered == 1 && asyncGate.Entered == 1, "both wait");
        await Timeouts.UntilAsync(() => host.Server.Registry.InFlight == 3, "the PING's reply waits behind theirs");
        gate.Open();
        asyncGate.Open();
        var replies = $"{await line.ReadLineAsync()} {await line.ReadLineAsync()} {await line.ReadLineAsync()}";
        Assert.Equal("+open +open +PONG", replies);
        Assert.Equal(1, host.Server.Registry.OpenConnections(Front.Custom));
    }

    [Fact]
    public async Task TheFrontsOwnRepliesAndOperationErrorsUseItsEncoding()
    {
        await using var host = await LineHost.StartAsync(null);
        using var line = await host.ConnectAsync();

        Assert.Equal("-ERR unknown command", await line.CallAsync("NOPE"));
        Assert.Equal("-ERR wrong number of arguments", await line.CallAsync("ECHO a b"));
        Assert.Equal("-ERR value is not an integer or out of range", await line.CallAsync("HASH x abc"));
        Assert.Equal("+ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", await line.CallAsync("HASH 1 abc"));
    }

    [Fact]
    public async Task AnOverlongLineIsAProtocolErrorThatClosesTheConnection()
    {
        await using var host = await LineHost.StartAsync(null);
        using var line = await host.ConnectAsync();

        await line.SendAsync("PING\r\n" + new string('x', 2000));

        Assert.Equal("+PONG", await line.ReadLineAsync());
        Assert.Equal("-ERR line too long", await line.ReadLineAsync());
        Assert.Null(await line.ReadLineAsync());
    }

    /// <summary>The front: one session per connection, replies in request order.</summary>
    private sealed class LineSession(FrontContext context) : ConnectionSession(context, LineEncoder.Instance, ReplyOrdering.RequestOrder)
    {
        private const int MaxLine = 1024;
        private uint _nextTag;

        protected override bool TryHandleNext(ref ReadOnlySequence<byte> buffer)
        {
            var reader = new SequenceReader<byte>(buffer);
            if (!reader.TryReadTo(out ReadOnlySequence<byte> line, "\r\n"u8))
            {
                return buffer.Length > MaxLine ? throw new LineTooLongException() : false;
            }

            buffer = buffer.Slice(reader.Position);
            var words = line.ToArray();
            var space = Array.IndexOf(words, (byte)' ');
            var name = space < 0 ? words : words[..space];
            if (!Operations.TryGet(name, out var operation))
            {
                LineEncoder.Write(ReplyOutput(), (byte)'-', "ERR unknown command"u8);
                CountRequest("other", NativeStatus.UnknownOp);
                return true;
            }

            var rest = space < 0 ? ReadOnlySequence<byte>.Empty : line.Slice(space + 1);
            var count = rest.IsEmpty ? 0 : words.Count(b => b == (byte)' ');
            RunOperation(operation, new ArgumentList(rest, count, ArgumentEncoding.RespInline), _nextTag++, 0);
            return true;
        }

        protected override void WriteProtocolError(ProtocolException exception) =>
            LineEncoder.Write(ReplyOutput(), (byte)'-', Encoding.UTF8.GetBytes("ERR " + exception.Message));
    }

    private sealed class LineTooLongException() : ProtocolException("line too long", "line_too_long");

    /// <summary>The front's reply encoding: "+" and the payload (a typed reply flattened), or "-" and the error.</summary>
    private sealed class LineEncoder : ReplyEncoder
    {
        public static readonly LineEncoder Instance = new();

        public override void WriteResult(IBufferWriter<byte> output, in OperationResult result)
        {
            if (result.Status != NativeStatus.Ok)
            {
                Write(output, (byte)'-', Encoding.UTF8.GetBytes("ERR " + result.Error));
            }
            else if (result.Form >= ReplyForm.Typed)
            {
                var flat = new ArrayBufferWriter<byte>();
                ReplyFlattening.Write(result.Payload, flat);
                Write(output, (byte)'+', flat.WrittenSpan);
            }
            else
            {
                Write(output, (byte)'+', result.Payload);
            }
        }

        public override void WriteWrongArity(IBufferWriter<byte> output, Operation operation, uint tag) =>
            Write(output, (byte)'-', "ERR wrong number of arguments"u8);

        public static void Write(IBufferWriter<byte> output, byte marker, ReadOnlySpan<byte> text)
        {
            output.Write([marker]);
            output.Write(text);
            output.Write("\r\n"u8);
        }
    }

    /// <summary>The test host: the usual server plus a Kestrel endpoint serving the line front through the public API.</summary>
    private sealed class LineHost(TestServer server) : IAsyncDisposable
    {
        public TestServer Server => server;

        public static async Task<LineHost> StartAsync(Action<OperationRegistry>? operations)
        {
            var app = TestServer.Build(operations);
            app.Services.GetRequiredService<IOptions<KestrelServerOptions>>().Value
                .ListenC10kFront(IPAddress.Loopback, 0, "line", context => new LineSession(context));
            return new LineHost(await TestServer.StartAsync(app));
        }

        public async Task<LineClient> ConnectAsync()
        {
            var socket = new TcpClient { NoDelay = true };
            await socket.ConnectAsync(IPAddress.Loopback, server.Service<ServerEndpoints>().Port("line")).WaitAsync(Timeouts.Socket);
            return new LineClient(socket);
        }

        public ValueTask DisposeAsync() => server.DisposeAsync();
    }

    private sealed class LineClient(TcpClient socket) : IDisposable
    {
        private readonly StreamReader _reader = new(socket.GetStream(), Encoding.UTF8);

        public Task SendAsync(string text) => socket.GetStream().WriteAsync(Encoding.UTF8.GetBytes(text)).AsTask().WaitAsync(Timeouts.Socket);

        public async Task<string?> ReadLineAsync() => await _reader.ReadLineAsync().WaitAsync(Timeouts.Socket);

        public async Task<string?> CallAsync(string line)
        {
            await SendAsync(line + "\r\n");
            return await ReadLineAsync();
        }

        public void Dispose()
        {
            _reader.Dispose();
            socket.Dispose();
        }
    }
}
