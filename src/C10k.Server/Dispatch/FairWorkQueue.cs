using System.Runtime.CompilerServices;

namespace C10k.Server.Dispatch;

/// <summary>
/// The worker pool's queue: one FIFO per connection, taken round-robin by connection, bounded in items and in bytes.
/// The bounds are enforced where requests enter, by <see cref="MayQueue"/>, which the read loop asks before each request:
/// a connection may add while the queue has room and it holds less than its fair share, max(1, bound ÷ connections with queued
/// work), of items and of bytes; a connection with nothing queued may always add one. Past that it is not read (TCP
/// backpressure) until its own replies drain, so it gets no BUSY. So the queue holds at most its bounds plus one request per
/// connection. <see cref="TryAdd"/> refuses (BUSY) only past twice the bounds, which takes a caller that does not ask first:
/// between one connection's question and its add, others can take the last places (at most one request per I/O thread).
/// </summary>
internal sealed class FairWorkQueue(int maxItems, long maxBytes)
{
    /// <summary>What an item costs besides its argument copy: the item, its reply writer, the queue slots (an estimate).</summary>
    internal const int ItemOverheadBytes = 256;

    private readonly object _lock = new();
    private readonly ConditionalWeakTable<IWorkOwner, Account> _accounts = new();
    private readonly Queue<Account> _turns = new();
    private int _count;
    private long _bytes;
    private int _owners;

    /// <summary>Items waiting now.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Bytes waiting now (argument copies plus <see cref="ItemOverheadBytes"/> each).</summary>
    public long Bytes => Interlocked.Read(ref _bytes);

    /// <summary>Connections with work waiting now.</summary>
    public int Owners => Volatile.Read(ref _owners);

    /// <summary>What <paramref name="item"/> counts against the byte bound.</summary>
    public static long SizeOf(WorkItem item) => item.Args.Raw.Length + ItemOverheadBytes;

    /// <summary>True while <paramref name="owner"/> may add work: it has none waiting, or the queue has room and it is under its share.</summary>
    public bool MayQueue(IWorkOwner owner)
    {
        // Asked before every request, cheap ones included: an empty queue answers without looking the connection up.
        if (Count == 0 || !_accounts.TryGetValue(owner, out var account))
        {
            return true;
        }

        var queued = Volatile.Read(ref account.Count);
        return queued == 0 || (Count < maxItems && Bytes < maxBytes && UnderShare(queued, Interlocked.Read(ref account.Bytes)));
    }

    /// <summary>Adds <paramref name="item"/> at the end of its connection's line; false past twice the bounds (see the class summary).</summary>
    public bool TryAdd(WorkItem item)
    {
        var size = SizeOf(item);
        var account = _accounts.GetValue(item.Owner, static _ => new Account());
        lock (_lock)
        {
            if (account.Count != 0 && (_count >= 2L * maxItems || _bytes + size > 2 * maxBytes))
            {
                return false;
            }

            if (account.Count == 0)
            {
                _owners++;
                _turns.Enqueue(account);
            }

            account.Items.Enqueue(item);
            Volatile.Write(ref account.Count, account.Count + 1);
            Interlocked.Exchange(ref account.Bytes, account.Bytes + size);
            Volatile.Write(ref _count, _count + 1);
            Interlocked.Exchange(ref _bytes, _bytes + size);
            return true;
        }
    }

    /// <summary>Takes the next connection's oldest item; that connection goes to the end of the line if it has more.</summary>
    public bool TryTake(out WorkItem item)
    {
        lock (_lock)
        {
            if (!_turns.TryDequeue(out var account))
            {
                item = null!;
                return false;
            }

            item = account.Items.Dequeue();
            var size = SizeOf(item);
            Volatile.Write(ref account.Count, account.Count - 1);
            Interlocked.Exchange(ref account.Bytes, account.Bytes - size);
            Volatile.Write(ref _count, _count - 1);
            Interlocked.Exchange(ref _bytes, _bytes - size);
            if (account.Count > 0)
            {
                _turns.Enqueue(account);
            }
            else
            {
                _owners--;
            }

            return true;
        }
    }

    /// <summary>Only asked of a connection that has work waiting, so it is already among <see cref="Owners"/>.</summary>
    private bool UnderShare(int queued, long bytes)
    {
        var owners = Math.Max(1, Owners);
        return queued < Math.Max(1, maxItems / owners) && bytes < maxBytes / owners;
    }

    private sealed class Account
    {
        public readonly Queue<WorkItem> Items = new();
        public int Count;
        public long Bytes;
    }
}
