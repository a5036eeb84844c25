using System.Buffers;
using System.Text;
using Microsoft.Extensions.Options;

namespace MemcachedFront.Tests;

/// <summary>The store on a clock the test moves: expiry and delayed flush_all, which memcached's transcripts can't show without waiting.</summary>
public sealed class MemcachedStoreTests
{
    private const long Start = 1_800_000_000;

    private readonly ManualClock _clock = new();
    private readonly MemcachedStore _store;

    public MemcachedStoreTests() => _store = new MemcachedStore(Options.Create(new MemcachedOptions()), _clock);

    [Fact]
    public void RelativeAndAbsoluteExptimesExpireAtTheirSecond()
    {
        Set("relative", exptime: 10);
        Set("absolute", exptime: (int)(Start + 20));
        Set("never", exptime: 0);

        _clock.Seconds = Start + 9;
        Assert.NotNull(Get("relative"));
        _clock.Seconds = Start + 10;
        Assert.Null(Get("relative"));
        Assert.NotNull(Get("absolute"));
        _clock.Seconds = Start + 20;
        Assert.Null(Get("absolute"));
        Assert.NotNull(Get("never"));
        Assert.Equal(1, _store.Count);
    }

    [Fact]
    public void TouchGivesANewExptimeAndKeepsTheCas()
    {
        Set("k", exptime: 5);
        var cas = Get("k")!.Cas;

        Assert.True(_store.Touch("k"u8, 100));
        _clock.Seconds = Start + 50;

        Assert.Equal(cas, Get("k")!.Cas);
        Assert.False(_store.Touch("nope"u8, 1));
    }

    [Fact]
    public void ADelayedFlushDropsWhatWasStoredBeforeItsTimeOnceItComes()
    {
        Set("old", exptime: 0);
        _store.Flush(5);

        _clock.Seconds = Start + 4;
        Assert.NotNull(Get("old"));
        _clock.Seconds = Start + 5;
        Set("new", exptime: 0);
        Assert.Null(Get("old"));
        Assert.NotNull(Get("new"));
    }

    private void Set(string key, int exptime) =>
        Assert.Equal(StoreResult.Stored, _store.Store(StoreMode.Set, Encoding.ASCII.GetBytes(key), 0, exptime, new ReadOnlySequence<byte>("v"u8.ToArray())));

    private StoredItem? Get(string key) => _store.Get(Encoding.ASCII.GetBytes(key));

    private sealed class ManualClock : TimeProvider
    {
        public long Seconds { get; set; } = Start;

        public override DateTimeOffset GetUtcNow() => DateTimeOffset.FromUnixTimeSeconds(Seconds);
    }
}
