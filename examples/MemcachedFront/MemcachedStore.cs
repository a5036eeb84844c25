using System.Buffers;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Options;

namespace MemcachedFront;

/// <summary>How a storage command treats the key's current item.</summary>
public enum StoreMode
{
    /// <summary><c>set</c>: store, whatever is there.</summary>
    Set,

    /// <summary><c>add</c>: store only when there is no item.</summary>
    Add,

    /// <summary><c>replace</c>: store only when there is an item.</summary>
    Replace,

    /// <summary><c>append</c>: add the data after the item's (its flags and exptime stay).</summary>
    Append,

    /// <summary><c>prepend</c>: add the data before the item's.</summary>
    Prepend,

    /// <summary><c>cas</c>: store only when the item's cas unique is the one given.</summary>
    Cas,
}

/// <summary>The outcome of a storage command, named as memcached replies it.</summary>
public enum StoreResult
{
    /// <summary><c>STORED</c>.</summary>
    Stored,

    /// <summary><c>NOT_STORED</c>: add over an item, replace/append/prepend without one.</summary>
    NotStored,

    /// <summary><c>EXISTS</c>: cas with a stale unique.</summary>
    Exists,

    /// <summary><c>NOT_FOUND</c>: cas without an item.</summary>
    NotFound,

    /// <summary><c>SERVER_ERROR object too large for cache</c>: over <see cref="MemcachedOptions.MaxItemBytes"/>.</summary>
    TooLarge,

    /// <summary><c>SERVER_ERROR out of memory storing object</c>: the store is full and eviction is off.</summary>
    OutOfMemory,
}

/// <summary>The outcome of incr/decr.</summary>
public enum DeltaResult
{
    /// <summary>The new value, as a decimal.</summary>
    Done,

    /// <summary><c>NOT_FOUND</c>.</summary>
    NotFound,

    /// <summary><c>CLIENT_ERROR cannot increment or decrement non-numeric value</c>.</summary>
    NonNumeric,
}

/// <summary>One stored item; never changed once stored (an update stores a new one), so a reader may keep it.</summary>
public sealed class StoredItem(string key, byte[] value, uint flags, long expiresAt, ulong cas, long storedAt)
{
    /// <summary>The key (Latin-1: one char per byte).</summary>
    public string Key { get; } = key;

    /// <summary>The data block.</summary>
    public byte[] Value { get; } = value;

    /// <summary>The client's opaque flags.</summary>
    public uint Flags { get; } = flags;

    /// <summary>Unix time at which it expires; 0: never.</summary>
    public long ExpiresAt { get; } = expiresAt;

    /// <summary>The cas unique (<c>gets</c>).</summary>
    public ulong Cas { get; } = cas;

    /// <summary>Unix time it was stored (delayed <c>flush_all</c> drops what was stored before its time).</summary>
    public long StoredAt { get; } = storedAt;

    /// <summary>Bytes it counts against <see cref="MemcachedOptions.MaxTotalBytes"/>.</summary>
    public long Size => MemcachedStore.SizeOf(Key.Length, Value.Length);

    internal LinkedListNode<StoredItem>? Node { get; set; }
}

/// <summary>
/// The items, shared by the memcached front and the RESP/native operations: a dictionary and an LRU list under one lock, bounded
/// by <see cref="MemcachedOptions.MaxItemBytes"/> per item and <see cref="MemcachedOptions.MaxTotalBytes"/> in all (the least
/// recently used items are evicted to make room, or the store is refused when eviction is off). Expired items are dropped when
/// met. Every request is a few dictionary operations under the lock: cheap enough to run inline on the I/O thread.
/// </summary>
public sealed class MemcachedStore(IOptions<MemcachedOptions> options, TimeProvider clock)
{
    /// <summary>Bytes an item costs besides its key and data (memcached's item header is about this size).</summary>
    public const int ItemOverheadBytes = 48;

    private readonly MemcachedOptions _options = options.Value;
    private readonly long _startedAt = clock.GetUtcNow().ToUnixTimeSeconds();
    private readonly Dictionary<string, StoredItem> _items = new(StringComparer.Ordinal);
    private readonly LinkedList<StoredItem> _lru = new();
    private readonly Lock _gate = new();
    private ulong _lastCas;
    private long _flushAt;

    /// <summary>Items held, expired ones not yet met included.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _items.Count;
            }
        }
    }

    /// <summary>Bytes held (<see cref="StoredItem.Size"/> summed).</summary>
    public long TotalBytes { get; private set; }

    /// <summary>Items evicted to make room since the start.</summary>
    public long Evictions { get; private set; }

    /// <summary>The figures <c>stats</c> reports, named as memcached names them.</summary>
    public IReadOnlyList<(string Name, long Value)> Stats()
    {
        var now = Now();
        lock (_gate)
        {
            return
            [
                ("pid", Environment.ProcessId), ("uptime", now - _startedAt), ("time", now), ("curr_items", _items.Count),
                ("bytes", TotalBytes), ("limit_maxbytes", _options.MaxTotalBytes), ("item_size_max", _options.MaxItemBytes), ("evictions", Evictions),
            ];
        }
    }

    /// <summary>What an item of this key and data length counts.</summary>
    public static long SizeOf(long keyBytes, long valueBytes) => keyBytes + valueBytes + ItemOverheadBytes;

    /// <summary>True when an item of this key and data length is over <see cref="MemcachedOptions.MaxItemBytes"/>.</summary>
    public bool IsTooLarge(long keyBytes, long valueBytes) => SizeOf(keyBytes, valueBytes) > _options.MaxItemBytes;

    /// <summary>Runs a storage command. <paramref name="exptime"/> as on the wire; <paramref name="cas"/> only for <see cref="StoreMode.Cas"/>.</summary>
    public StoreResult Store(StoreMode mode, ReadOnlySpan<byte> key, uint flags, int exptime, in ReadOnlySequence<byte> data, ulong cas = 0)
    {
        var name = Encoding.Latin1.GetString(key);
        lock (_gate)
        {
            var now = Now();
            var current = Find(name, now);
            if (IsTooLarge(key.Length, data.Length + (mode is StoreMode.Append or StoreMode.Prepend ? current?.Value.Length ?? 0 : 0)))
            {
                // memcached drops the old item when a set can't be stored, so no stale value outlives it.
                if (mode == StoreMode.Set && current is not null)
                {
                    Remove(current);
                }

                return StoreResult.TooLarge;
            }

            var refused = mode switch
            {
                StoreMode.Add when current is not null => StoreResult.NotStored,
                StoreMode.Replace or StoreMode.Append or StoreMode.Prepend when current is null => StoreResult.NotStored,
                StoreMode.Cas when current is null => StoreResult.NotFound,
                StoreMode.Cas when current!.Cas != cas => StoreResult.Exists,
                _ => StoreResult.Stored,
            };
            if (refused != StoreResult.Stored)
            {
                return refused;
            }

            var item = mode switch
            {
                StoreMode.Append => new StoredItem(name, [.. current!.Value, .. data.ToArray()], current.Flags, current.ExpiresAt, ++_lastCas, now),
                StoreMode.Prepend => new StoredItem(name, [.. data.ToArray(), .. current!.Value], current.Flags, current.ExpiresAt, ++_lastCas, now),
                _ => new StoredItem(name, data.ToArray(), flags, ExpiresAt(exptime, now), ++_lastCas, now),
            };
            return Link(item, current) ? StoreResult.Stored : StoreResult.OutOfMemory;
        }
    }

    /// <summary>The live item of <paramref name="key"/>, or null; marks it recently used.</summary>
    public StoredItem? Get(ReadOnlySpan<byte> key)
    {
        var name = Encoding.Latin1.GetString(key);
        lock (_gate)
        {
            var item = Find(name, Now());
            if (item is not null)
            {
                _lru.Remove(item.Node!);
                _lru.AddFirst(item.Node!);
            }

            return item;
        }
    }

    /// <summary>Deletes the item of <paramref name="key"/>; false when there was none.</summary>
    public bool Delete(ReadOnlySpan<byte> key)
    {
        var name = Encoding.Latin1.GetString(key);
        lock (_gate)
        {
            var item = Find(name, Now());
            if (item is not null)
            {
                Remove(item);
            }

            return item is not null;
        }
    }

    /// <summary>Gives the item of <paramref name="key"/> a new exptime; false when there is none.</summary>
    public bool Touch(ReadOnlySpan<byte> key, int exptime)
    {
        var name = Encoding.Latin1.GetString(key);
        lock (_gate)
        {
            var now = Now();
            var item = Find(name, now);
            if (item is null)
            {
                return false;
            }

            // Same data, same cas (memcached's touch keeps it); a new exptime.
            Link(new StoredItem(name, item.Value, item.Flags, ExpiresAt(exptime, now), item.Cas, item.StoredAt), item);
            return true;
        }
    }

    /// <summary>
    /// incr (<paramref name="increment"/>) or decr: unsigned 64-bit arithmetic, incr wrapping, decr stopping at 0. A shorter result
    /// is space-padded to the old length, as memcached does in place (protocol.txt allows it).
    /// </summary>
    public DeltaResult Add(ReadOnlySpan<byte> key, ulong delta, bool increment, out ulong result)
    {
        result = 0;
        var name = Encoding.Latin1.GetString(key);
        lock (_gate)
        {
            var now = Now();
            var item = Find(name, now);
            if (item is null)
            {
                return DeltaResult.NotFound;
            }

            if (!MemcachedSyntax.TryParseStoredNumber(item.Value, out var number))
            {
                return DeltaResult.NonNumeric;
            }

            result = increment ? unchecked(number + delta) : number - Math.Min(number, delta);
            var digits = result.ToString(CultureInfo.InvariantCulture);
            var value = new byte[Math.Max(digits.Length, item.Value.Length)];
            value.AsSpan().Fill((byte)' ');
            Encoding.ASCII.GetBytes(digits, value);
            Link(new StoredItem(name, value, item.Flags, item.ExpiresAt, ++_lastCas, now), item);
            return DeltaResult.Done;
        }
    }

    /// <summary>
    /// <c>flush_all</c>: with no delay (or 0 or less), every item goes now; else, at the time the delay names (seconds, or a Unix
    /// time past 30 days), every item stored before it.
    /// </summary>
    public void Flush(int delay)
    {
        lock (_gate)
        {
            if (delay <= 0)
            {
                _items.Clear();
                _lru.Clear();
                TotalBytes = 0;
                _flushAt = 0;
                return;
            }

            _flushAt = ExpiresAt(delay, Now());
        }
    }

    private long Now() => clock.GetUtcNow().ToUnixTimeSeconds();

    private static long ExpiresAt(int exptime, long now) => exptime switch
    {
        0 => 0,
        < 0 => now - 1,
        <= (int)MemcachedSyntax.MaxRelativeExptime => now + exptime,
        _ => exptime,
    };

    // The item, unless it expired or a delayed flush_all that is due covers it (then it goes).
    private StoredItem? Find(string name, long now)
    {
        if (!_items.TryGetValue(name, out var item))
        {
            return null;
        }

        var expired = item.ExpiresAt != 0 && item.ExpiresAt <= now;
        var flushed = _flushAt != 0 && _flushAt <= now && item.StoredAt < _flushAt;
        if (expired || flushed)
        {
            Remove(item);
            return null;
        }

        return item;
    }

    // Stores item in place of current (or new); false when it does not fit and eviction is off.
    private bool Link(StoredItem item, StoredItem? current)
    {
        var freed = current?.Size ?? 0;
        while (TotalBytes - freed + item.Size > _options.MaxTotalBytes)
        {
            var oldest = _lru.Last?.Value;
            if (!_options.EvictWhenFull || oldest is null || (oldest == current && _lru.Count == 1))
            {
                return false;
            }

            if (oldest == current)
            {
                // The item being replaced is the oldest: its bytes are already counted as freed; evict the next one.
                oldest = _lru.Last!.Previous!.Value;
            }

            Remove(oldest);
            Evictions++;
        }

        if (current is not null)
        {
            Remove(current);
        }

        item.Node = _lru.AddFirst(item);
        _items[item.Key] = item;
        TotalBytes += item.Size;
        return true;
    }

    private void Remove(StoredItem item)
    {
        _items.Remove(item.Key);
        _lru.Remove(item.Node!);
        TotalBytes -= item.Size;
    }
}
