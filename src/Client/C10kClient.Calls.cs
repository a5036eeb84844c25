namespace C10k.Client;

/// <summary>How a call is registered, sent and given back: pooled on the fast path, used once when it waits or can be cancelled.</summary>
public sealed partial class C10kClient
{
    /// <summary>
    /// <see cref="SendAsync"/> without allocating per call when <paramref name="cancellationToken"/> cannot be cancelled and a slot
    /// is free (the call's state is reused): await the result exactly once, and never use it after. For callers that make many
    /// calls, such as a load generator. The reply and its payload's copy are the call's only allocations (none for an empty payload).
    /// </summary>
    public ValueTask<NativeReply> SendValueAsync(ushort opcode, ReadOnlyMemory<byte> payload, uint deadlineMs = 0, CancellationToken cancellationToken = default)
    {
        if (Volatile.Read(ref _failure) is { } failure)
        {
            return ValueTask.FromException<NativeReply>(failure);
        }

        return TryRentCall(cancellationToken) is { } call
            ? Start(call, opcode, payload.Span, deadlineMs, copiesPayload: true).Reply
            : SendWaitingAsync(opcode, payload, deadlineMs, cancellationToken);
    }

    /// <summary>
    /// <see cref="SendValueAsync"/> for a caller that checks only the reply's status: the payload is not copied, so a call allocates
    /// nothing when <paramref name="cancellationToken"/> cannot be cancelled and a slot is free. Await the result exactly once.
    /// </summary>
    public ValueTask<NativeReplyStatus> SendForStatusAsync(ushort opcode, ReadOnlyMemory<byte> payload, uint deadlineMs = 0, CancellationToken cancellationToken = default)
    {
        if (Volatile.Read(ref _failure) is { } failure)
        {
            return ValueTask.FromException<NativeReplyStatus>(failure);
        }

        return TryRentCall(cancellationToken) is { } call
            ? Start(call, opcode, payload.Span, deadlineMs, copiesPayload: false).Status
            : StatusOfAsync(SendWaitingAsync(opcode, payload, deadlineMs, cancellationToken));
    }

    /// <summary>Gives a pooled call back once its awaiter took the result (already out of the pending calls), and frees its slot.</summary>
    internal void Recycle(PendingCall call)
    {
        _calls.Enqueue(call);
        _slots.Release();
    }

    private static async ValueTask<NativeReplyStatus> StatusOfAsync(ValueTask<NativeReply> sent)
    {
        var reply = await sent.ConfigureAwait(false);
        return new NativeReplyStatus(reply.Status, reply.Payload.Length);
    }

    // The fast path: a pooled call, when the call cannot be cancelled and a slot is free at once; null sends the call the slow way.
    private PendingCall? TryRentCall(CancellationToken cancellationToken)
    {
        if (cancellationToken.CanBeCanceled || !_slots.Wait(0, CancellationToken.None))
        {
            return null;
        }

        return _calls.TryDequeue(out var call) ? call : new PendingCall(this, _options.RunContinuationsAsynchronously);
    }

    // The slow path: waits for a slot, and a cancellation fails the call (a call used once, so a late cancellation finds nothing).
    private async ValueTask<NativeReply> SendWaitingAsync(ushort opcode, ReadOnlyMemory<byte> payload, uint deadlineMs, CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        var call = new PendingCall(null, _options.RunContinuationsAsynchronously);
        try
        {
            var reply = Start(call, opcode, payload.Span, deadlineMs, copiesPayload: true).Reply;
            await using (cancellationToken.CanBeCanceled ? cancellationToken.UnsafeRegister(static s => ((Cancellation)s!).Cancel(), new Cancellation(this, call, cancellationToken)) : default)
            {
                return await reply.ConfigureAwait(false);
            }
        }
        finally
        {
            _pending.TryRemove(call);
            _slots.Release();
        }
    }

    // Registers the call under a fresh id, then stages its frame; when the connection has already ended, the call fails with why.
    private PendingCall Start(PendingCall call, ushort opcode, ReadOnlySpan<byte> payload, uint deadlineMs, bool copiesPayload)
    {
        call.Start(opcode, _options.TimeProvider.GetTimestamp(), copiesPayload);
        _pending.Add(call);
        if (!_sender.Send(opcode, call.Id, payload, deadlineMs) && _pending.TryRemove(call))
        {
            call.Fail(Volatile.Read(ref _failure)!); // the sender stops only after the failure is set
        }

        return call;
    }

    // Fails every pending call with the connection's failure, outside the table's lock (a caller's continuation may run inline).
    private void FailPending(C10kConnectionException failure)
    {
        foreach (var call in _pending.RemoveAll())
        {
            call.Fail(failure);
        }
    }

    private sealed class Cancellation(C10kClient client, PendingCall call, CancellationToken token)
    {
        public void Cancel()
        {
            if (client._pending.TryRemove(call))
            {
                call.Fail(new OperationCanceledException(token));
            }
        }
    }
}
