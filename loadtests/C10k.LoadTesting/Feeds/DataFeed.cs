using System.Text;

namespace C10k.LoadTesting.Feeds;

/// <summary>A feed over a fixed list of payloads, circular or random.</summary>
public sealed class DataFeed : IDataFeed
{
    private readonly ReadOnlyMemory<byte>[] _items;
    private readonly FeedMode _mode;
    private readonly Random _random;
    private readonly Lock _randomLock = new();
    private long _next = -1;

    /// <summary>Creates a feed over <paramref name="items"/>; <paramref name="seed"/> fixes the random order.</summary>
    public DataFeed(IEnumerable<ReadOnlyMemory<byte>> items, FeedMode mode, int seed = 42)
    {
        ArgumentNullException.ThrowIfNull(items);
        _items = [.. items];
        if (_items.Length == 0)
        {
            throw new ArgumentException("A feed needs at least one item.", nameof(items));
        }

        _mode = mode;
#pragma warning disable CA5394 // Load-test payload choice, not security: a seeded, repeatable generator is the point.
        _random = new Random(seed);
#pragma warning restore CA5394
    }

    /// <summary>A feed with one item per non-empty line of <paramref name="path"/> (UTF-8).</summary>
    public static DataFeed FromFile(string path, FeedMode mode, int seed = 42) =>
        new(File.ReadLines(path).Where(l => l.Length > 0).Select(l => (ReadOnlyMemory<byte>)Encoding.UTF8.GetBytes(l)), mode, seed);

    /// <inheritdoc />
    public ReadOnlyMemory<byte> NextItem()
    {
        if (_mode == FeedMode.Circular)
        {
            return _items[(int)((ulong)Interlocked.Increment(ref _next) % (ulong)_items.Length)];
        }

        lock (_randomLock)
        {
#pragma warning disable CA5394 // See constructor.
            return _items[_random.Next(_items.Length)];
#pragma warning restore CA5394
        }
    }
}
