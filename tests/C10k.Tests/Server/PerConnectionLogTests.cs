using System.Buffers;
using System.Net;
using C10k.Protocol;
using C10k.Protocol.Native;
using C10k.Server.Connections;
using C10k.Server.Diagnostics;
using C10k.Server.Fronts;
using C10k.Server.Hosting;
using C10k.Server.Operations;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace C10k.Tests.Server;

/// <summary>
/// Every log line a client can cause once per connection or per request is rate-limited (issue 14): a flood of 25 logs 10 lines
/// while the metrics count all 25 (the server's clock is held still, so all 25 fall in one second), and a second later the next
/// line says how many were held back. One case per event, each caused through real connections.
/// </summary>
public class PerConnectionLogTests
{
    private const int Flood = 25;
    private const int PerSecond = 10;
    private const string ThrowingFront = "throwing";

    private static readonly Case[] Cases =
    [
        new("protocol_error", ConnectionLog.ProtocolErrorId, "c10k.protocol.errors", [], BadMagicAsync),
        new("limit_close", ConnectionLog.LimitClosedId, "c10k.connections.closed", ["Limits:IdleTimeoutMs=200"], StayIdleAsync),
        new("connection_failed", ConnectionLog.FailedId, "c10k.connections.closed", [], MeetAFrontsBugAsync),
        new("proxy_header", AdmissionLog.RefusedId, "c10k.connections.rejected", ["Network:ProxyProtocol=true", "ProtectedMode=false"], BadMagicAsync),
        new("operation_failed", WorkerLog.OperationFailedId, "c10k.requests", [], CallAThrowingOperationAsync),
    ];

    public static TheoryData<string> Events() => [.. Cases.Select(c => c.Name)];

    [Theory]
    [MemberData(nameof(Events))]
    public async Task AFloodLogsTenLinesASecondThenOneWithTheCountHeldBack(string name)
    {
        var flood = Cases.Single(c => c.Name == name);
        await using var host = await FloodHost.StartAsync(flood.Settings);

        await host.AssertFloodAsync(flood.EventId, flood.Instrument, () => flood.CauseAsync(host.Server));
    }

    [Fact]
    public async Task AFloodOfBusyRepliesLogsTenLinesASecondThenOneWithTheCountHeldBack()
    {
        await using var host = await FloodHost.StartAsync(["Workers:Strategy=SharedQueue", "Workers:Count=1", "Workers:MaxQueued=1"]);
        using var holder = await RawConnection.ConnectAsync(host.Server.NativePort);
        await holder.SendAsync(RawConnection.Request(host.Gate.Opcode, 1, []));
        await Timeouts.UntilAsync(() => host.Gate.Entered == 1, "the worker holds a gated request");
        await holder.SendAsync(RawConnection.Request(host.Gate.Opcode, 2, []));
        await Timeouts.UntilAsync(() => host.Server.Dispatcher.QueueDepth == 1, "the queue is full");
        try
        {
            await host.AssertFloodAsync(WorkerLog.QueueFullId, "c10k.requests", async () =>
            {
                using var raw = await RawConnection.ConnectAsync(host.Server.NativePort);
                await raw.SendAsync(RawConnection.Request(host.Gate.Opcode, 1, []));
                Assert.Equal(NativeStatus.Busy, (await raw.ReadReplyAsync())!.Status);
            });
        }
        finally
        {
            host.Gate.Open();
        }
    }

    // Not a frame: a protocol error on the native port, or not a PROXY v2 header where one is required.
    private static async Task BadMagicAsync(TestServer server)
    {
        using var raw = await RawConnection.ConnectAsync(server.NativePort);
        await raw.SendAsync([.. Enumerable.Repeat((byte)0xFF, NativeProtocol.HeaderSize)]);
        Assert.True(await raw.IsClosedByServerAsync());
    }

    private static async Task StayIdleAsync(TestServer server)
    {
        using var raw = await RawConnection.ConnectAsync(server.NativePort);
        Assert.True(await raw.IsClosedByServerAsync());
    }

    private static async Task MeetAFrontsBugAsync(TestServer server)
    {
        using var raw = await RawConnection.ConnectAsync(server.Service<ServerEndpoints>().Port(ThrowingFront));
        await raw.SendAsync("x"u8.ToArray());
        Assert.True(await raw.IsClosedByServerAsync());
    }

    private static async Task CallAThrowingOperationAsync(TestServer server)
    {
        using var raw = await RawConnection.ConnectAsync(server.NativePort);
        await raw.SendAsync(RawConnection.Request(ThrowingOperation.Code, 1, []));
        Assert.Equal(NativeStatus.Error, (await raw.ReadReplyAsync())!.Status);
    }

    private sealed record Case(string Name, int EventId, string Instrument, string[] Settings, Func<TestServer, Task> CauseAsync);

    /// <summary>A server whose clock stands still and whose log lines are kept, with the throwing front and operation and a gate.</summary>
    private sealed class FloodHost(TestServer server, ManualTime time, CapturedLogs logs, GateOperation gate) : IAsyncDisposable
    {
        public TestServer Server => server;

        public GateOperation Gate => gate;

        public static async Task<FloodHost> StartAsync(string[] settings)
        {
            var time = new ManualTime();
            var logs = new CapturedLogs();
            var gate = new GateOperation();
            var app = TestServer.BuildWith(
                c10k =>
                {
                    c10k.Services.AddSingleton<TimeProvider>(time);
                    c10k.Services.AddSingleton<ILoggerProvider>(logs);
                    c10k.Services.Configure<LoggerFilterOptions>(filters => filters.AddFilter<CapturedLogs>(null, LogLevel.Information));
                    c10k.AddOperation(new ThrowingOperation()).AddOperation(gate);
                },
                settings);
            app.Services.GetRequiredService<IOptions<KestrelServerOptions>>().Value
                .ListenC10kFront(IPAddress.Loopback, 0, ThrowingFront, context => new ThrowingSession(context));
            return new FloodHost(await TestServer.StartAsync(app), time, logs, gate);
        }

        /// <summary>
        /// Causes the event <see cref="Flood"/> times at once, then once more a second later. Each cause returns once its client
        /// saw the outcome (a close, a refusal, an error reply), which follows the log line.
        /// </summary>
        public async Task AssertFloodAsync(int eventId, string instrument, Func<Task> causeAsync)
        {
            long counted = 0;
            using var listener = server.Listen(instrument, (_, value, _, _) => Interlocked.Add(ref counted, value));

            await Task.WhenAll(Enumerable.Range(0, Flood).Select(_ => causeAsync()));
            Assert.Equal(PerSecond, logs.Of(eventId).Count);

            time.Advance(TimeSpan.FromSeconds(1));
            await causeAsync();

            var lines = logs.Of(eventId);
            Assert.Equal(PerSecond + 1, lines.Count);
            Assert.All(lines.Take(PerSecond), line => Assert.Matches(@"\D0 similar messages suppressed before this one\)$", line));
            Assert.Matches($@"\D{Flood - PerSecond} similar messages suppressed before this one\)$", lines[^1]);
            await Timeouts.UntilAsync(() => Interlocked.Read(ref counted) == Flood + 1, "every one is counted");
        }

        public async ValueTask DisposeAsync()
        {
            gate.Open();
            await server.DisposeAsync();
            logs.Dispose();
            gate.Dispose();
        }
    }

    /// <summary>An operation with a bug: every call throws (the request gets ERROR, event 201).</summary>
    private sealed class ThrowingOperation() : Operation("THROW", Code, OperationPlacement.Inline, 0, 0)
    {
        public const ushort Code = 0x2201;

        public override void Execute(in ArgumentList args, IBufferWriter<byte> reply, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("a bug in the operation");
    }

    /// <summary>A front with a bug: its parser throws on the first byte (the connection closes as <c>failed</c>, event 105).</summary>
    private sealed class ThrowingSession(FrontContext context) : ConnectionSession(context, ThrowingEncoder.Instance, ReplyOrdering.RequestOrder)
    {
        protected override bool TryHandleNext(ref ReadOnlySequence<byte> buffer) => throw new InvalidOperationException("a bug in the front's parser");
    }

    private sealed class ThrowingEncoder : ReplyEncoder
    {
        public static readonly ThrowingEncoder Instance = new();

        public override void WriteResult(IBufferWriter<byte> output, in OperationResult result) => throw new NotSupportedException();

        public override void WriteWrongArity(IBufferWriter<byte> output, Operation operation, uint tag) => throw new NotSupportedException();
    }
}
