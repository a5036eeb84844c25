using C10k.Protocol;
using C10k.Protocol.Typed;
using C10k.Server.Operations;

namespace C10k.Testing;

/// <summary>
/// An asynchronous operation that awaits a gate the test opens (I/O of a known length, without timing), honouring its
/// cancellation token. It holds no thread while it waits. Replies the bulk <c>open</c>; counts how many run at once.
/// </summary>
public sealed class AsyncGateOperation(ushort opcode = AsyncGateOperation.GateOpcode, string name = "AGATE") : AsyncOperation(name, opcode, 0, 1)
{
    public const ushort GateOpcode = 0x1003;

    private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _entered;
    private int _executed;
    private int _cancelled;
    private int _running;
    private int _maxRunning;

    /// <summary>How many calls have started.</summary>
    public int Entered => Volatile.Read(ref _entered);

    /// <summary>How many calls passed the gate and replied.</summary>
    public int Executed => Volatile.Read(ref _executed);

    /// <summary>How many calls were cancelled while waiting (deadline, connection closed, drain).</summary>
    public int Cancelled => Volatile.Read(ref _cancelled);

    /// <summary>The most calls waiting at the gate at the same time.</summary>
    public int MaxRunning => Volatile.Read(ref _maxRunning);

    public void Open() => _gate.TrySetResult();

    public override async ValueTask ExecuteAsync(ArgumentList args, ReplyWriter reply, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _entered);
        var running = Interlocked.Increment(ref _running);
        InterlockedMax(ref _maxRunning, running);
        try
        {
            await _gate.Task.WaitAsync(Timeouts.Socket, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            Interlocked.Increment(ref _cancelled);
            throw;
        }
        finally
        {
            Interlocked.Decrement(ref _running);
        }

        Interlocked.Increment(ref _executed);
        reply.WriteBulk("open"u8);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        var seen = Volatile.Read(ref target);
        while (value > seen && Interlocked.CompareExchange(ref target, value, seen) is var now && now != seen)
        {
            seen = now;
        }
    }
}
