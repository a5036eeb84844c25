namespace C10k.Client;

/// <summary>
/// A client's calls waiting for their replies, by request id, under one lock. A <see cref="Dictionary{TKey, TValue}"/> rather than a
/// ConcurrentDictionary: it keeps removed entries for reuse, so registering a call allocates nothing once the table has grown to the
/// calls in flight (a ConcurrentDictionary allocates a node per add). Whoever removes a call completes it, outside the lock.
/// </summary>
internal sealed class PendingCallTable
{
    private readonly Lock _lock = new();
    private readonly Dictionary<uint, PendingCall> _calls = [];
    private uint _lastId;

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _calls.Count;
            }
        }
    }

    /// <summary>
    /// Registers <paramref name="call"/> under a fresh request id, which becomes the call's <see cref="PendingCall.Id"/>. Ids wrap
    /// from uint.MaxValue to 1 (0 is for server notices) and skip any id still pending.
    /// </summary>
    public void Add(PendingCall call)
    {
        lock (_lock)
        {
            do
            {
                _lastId++;
            }
            while (_lastId == 0 || _calls.ContainsKey(_lastId));

            call.Id = _lastId;
            _calls.Add(_lastId, call);
        }
    }

    /// <summary>Takes out the call a reply with <paramref name="id"/> answers, if it is still pending.</summary>
    public bool TryRemove(uint id, out PendingCall call)
    {
        lock (_lock)
        {
            return _calls.Remove(id, out call!);
        }
    }

    /// <summary>Takes out <paramref name="call"/> if it is still pending (not answered, timed out or failed meanwhile).</summary>
    public bool TryRemove(PendingCall call)
    {
        lock (_lock)
        {
            return _calls.TryGetValue(call.Id, out var pending) && pending == call && _calls.Remove(call.Id);
        }
    }

    /// <summary>Takes out every pending call.</summary>
    public List<PendingCall> RemoveAll()
    {
        lock (_lock)
        {
            var all = new List<PendingCall>(_calls.Values);
            _calls.Clear();
            return all;
        }
    }

    /// <summary>Takes out the calls sent longer than <paramref name="timeout"/> ago, into <paramref name="expired"/> with their failure.</summary>
    public void RemoveExpired(TimeProvider time, TimeSpan timeout, List<(PendingCall Call, Exception Failure)> expired)
    {
        lock (_lock)
        {
            if (_calls.Count == 0)
            {
                return; // no walk over the entries a burst left free
            }

            foreach (var (id, call) in _calls)
            {
                if (time.GetElapsedTime(call.StartedAt) > timeout)
                {
                    _calls.Remove(id); // allowed while enumerating: removal does not invalidate a Dictionary's enumerator
                    expired.Add((call, new TimeoutException($"No reply to request {id} (opcode 0x{call.Opcode:X4}) within {timeout}.")));
                }
            }
        }
    }
}
