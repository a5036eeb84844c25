using System.Buffers;
using C10k.Protocol;
using C10k.Server.Operations;

namespace C10k.Testing;

/// <summary>
/// A worker operation that holds its worker until the test opens the gate (in-flight work of a known length, without
/// timing); takes 0 or 1 arguments and replies <c>open</c>.
/// </summary>
public sealed class GateOperation(ushort opcode = GateOperation.GateOpcode, string name = "GATE")
    : Operation(name, opcode, OperationPlacement.Worker, 0, 1), IDisposable
{
    public const ushort GateOpcode = 0x1001;

    private readonly ManualResetEventSlim _gate = new(false);
    private readonly TaskCompletionSource _firstEntered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _entered;
    private int _executed;

    /// <summary>How many calls a worker has started running.</summary>
    public int Entered => Volatile.Read(ref _entered);

    /// <summary>How many calls passed the gate and replied.</summary>
    public int Executed => Volatile.Read(ref _executed);

    /// <summary>Completes when a worker starts running the first call.</summary>
    public Task FirstEntered => _firstEntered.Task;

    public void Open() => _gate.Set();

    public void Dispose() => _gate.Dispose();

    public override void Execute(in ArgumentList args, IBufferWriter<byte> reply)
    {
        Interlocked.Increment(ref _entered);
        _firstEntered.TrySetResult();
        if (!_gate.Wait(Timeouts.Socket))
        {
            throw new TimeoutException("gate never opened");
        }

        Interlocked.Increment(ref _executed);
        reply.Write("open"u8);
    }
}
