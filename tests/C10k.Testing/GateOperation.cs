using System.Buffers;
using C10k.Protocol;
using C10k.Server.Operations;

namespace C10k.Testing;

/// <summary>
/// An operation that holds the thread running it (a worker, or with <see cref="OperationPlacement.Inline"/> the
/// connection's read loop) until the test opens the gate: in-flight work of a known length, without timing. Takes 0 or 1
/// arguments and replies <c>open</c>. It honours its cancellation token unless <c>cancellable</c> is false (work that
/// can't be stopped, like a blocking call).
/// </summary>
public sealed class GateOperation(
    ushort opcode = GateOperation.GateOpcode, string name = "GATE", OperationPlacement placement = OperationPlacement.Worker, bool cancellable = true)
    : Operation(name, opcode, placement, 0, 1), IDisposable
{
    public const ushort GateOpcode = 0x1001;

    private readonly ManualResetEventSlim _gate = new(false);
    private readonly TaskCompletionSource _firstEntered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _entered;
    private int _executed;
    private int _cancelled;

    /// <summary>How many calls have started running.</summary>
    public int Entered => Volatile.Read(ref _entered);

    /// <summary>How many calls passed the gate and replied.</summary>
    public int Executed => Volatile.Read(ref _executed);

    /// <summary>How many calls were cancelled while waiting at the gate (deadline, connection closed, drain).</summary>
    public int Cancelled => Volatile.Read(ref _cancelled);

    /// <summary>Completes when the first call starts running.</summary>
    public Task FirstEntered => _firstEntered.Task;

    public void Open() => _gate.Set();

    public void Dispose() => _gate.Dispose();

    public override void Execute(in ArgumentList args, IBufferWriter<byte> reply, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _entered);
        _firstEntered.TrySetResult();
        try
        {
            if (!_gate.Wait(Timeouts.Socket, cancellable ? cancellationToken : CancellationToken.None))
            {
                throw new TimeoutException("gate never opened");
            }
        }
        catch (OperationCanceledException)
        {
            Interlocked.Increment(ref _cancelled);
            throw;
        }

        Interlocked.Increment(ref _executed);
        reply.Write("open"u8);
    }
}
