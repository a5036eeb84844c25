using System.Buffers;
using C10k.Protocol;
using C10k.Server.Operations;

namespace C10k.Tests.Support;

/// <summary>A worker operation that blocks until the test opens the gate: holds workers busy without timing.</summary>
public sealed class GateOperation(ushort opcode = 0x1001, string name = "GATE") : Operation(name, opcode, OperationPlacement.Worker, 0, 1), IDisposable
{
    private readonly ManualResetEventSlim _gate = new(false);
    private int _entered;
    private int _executed;

    public int Entered => Volatile.Read(ref _entered);

    public int Executed => Volatile.Read(ref _executed);

    public void Open() => _gate.Set();

    public void Dispose() => _gate.Dispose();

    public override void Execute(in ArgumentList args, IBufferWriter<byte> reply)
    {
        Interlocked.Increment(ref _entered);
        if (!_gate.Wait(Timeouts.Socket))
        {
            throw new TimeoutException("gate never opened");
        }

        Interlocked.Increment(ref _executed);
        reply.Write("open"u8);
    }
}
