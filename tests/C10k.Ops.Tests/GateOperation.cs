using System.Buffers;
using C10k.Protocol;
using C10k.Server.Operations;

namespace C10k.Ops.Tests;

/// <summary>A worker operation that holds its worker until the test opens the gate: in-flight work of a known length.</summary>
internal sealed class GateOperation() : Operation("GATE", GateOpcode, OperationPlacement.Worker, 0, 0), IDisposable
{
    public const ushort GateOpcode = 0x1001;

    private readonly ManualResetEventSlim _open = new();

    private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when a worker has started running the operation.</summary>
    public Task Entered => _entered.Task;

    public void Open() => _open.Set();

    public override void Execute(in ArgumentList args, IBufferWriter<byte> reply)
    {
        _entered.TrySetResult();
        _open.Wait(TestTimeouts.Io);
        reply.Write("opened"u8);
    }

    public void Dispose() => _open.Dispose();
}
