namespace C10k.Client;

/// <summary>How a call is registered, sent and given back: pooled on the fast path, used once when it waits or can be cancelled.</summary>
public sealed partial class C10kClient
{
    /// <summary>Gives a pooled call back once its awaiter took the result (already out of the pending calls), and frees its slot.</summary>
    internal void Recycle(PendingCall call)
    {
        _calls.Enqueue(call);
        _slots.Release();
    }

    // The slow path: waits for a slot, and a cancellation fails the call (a call used once, so a late cancellation finds nothing).
    private async ValueTask<NativeReply> SendWaitingAsync(ushort opcode, ReadOnlyMemory<byte> payload, uint deadlineMs, CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        var call = new PendingCall(null, _options.RunContinuationsAsynchronously);
        try
        {
            var reply = Start(call, opcode, payload.Span, deadlineMs);
            await using (cancellationToken.CanBeCanceled ? cancellationToken.UnsafeRegister(static s => ((Cancellation)s!).Cancel(), new Cancellation(this, call, cancellationToken)) : default)
            {
                return await reply.ConfigureAwait(false);
            }
        }
        finally
        {
            _pending.TryRemove(new KeyValuePair<uint, PendingCall>(call.Id, call));
            _slots.Release();
        }
    }

    // Registers the call under a fresh id, then stages its frame; when the connection has already ended, the call fails with why.
    private ValueTask<NativeReply> Start(PendingCall call, ushort opcode, ReadOnlySpan<byte> payload, uint deadlineMs)
    {
        var id = NextId();
        var reply = call.Start(id, opcode, _options.TimeProvider.GetTimestamp());
        _pending[id] = call;
        if (!_sender.Send(opcode, id, payload, deadlineMs) && _pending.TryRemove(new KeyValuePair<uint, PendingCall>(id, call)))
        {
            call.Fail(Volatile.Read(ref _failure)!); // the sender stops only after the failure is set
        }

        return reply;
    }

    private sealed class Cancellation(C10kClient client, PendingCall call, CancellationToken token)
    {
        public void Cancel()
        {
            if (client._pending.TryRemove(new KeyValuePair<uint, PendingCall>(call.Id, call)))
            {
                call.Fail(new OperationCanceledException(token));
            }
        }
    }
}
