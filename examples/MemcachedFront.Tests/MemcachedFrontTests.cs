using System.Text;
using C10k.Client;
using C10k.Protocol.Typed;

namespace MemcachedFront.Tests;

/// <summary>The front over TCP where memcached's transcripts can't show it: framing across writes, limits, and the other fronts.</summary>
public sealed class MemcachedFrontTests
{
    [Fact]
    public async Task ALineAndDataBlockSplitAcrossWritesAreReassembled()
    {
        await using var host = await MemcachedHost.StartAsync();
        using var connection = await host.ConnectAsync();

        foreach (var part in new[] { "se", "t k 3 0 1", "0\r", "\n0123", "45678", "9\r", "\nget", " k\r\n" })
        {
            await connection.SendAsync(part);
        }

        await connection.ExpectAsync("STORED\r\nVALUE k 3 10\r\n0123456789\r\nEND\r\n");
    }

    [Fact]
    public async Task ALargeValueArrivesThroughTheSessionsOwnBufferInManyWrites()
    {
        await using var host = await MemcachedHost.StartAsync();
        using var connection = await host.ConnectAsync();
        var value = new byte[300_000];
        new Random(16).NextBytes(value);

        // 300 KB in 7 KB writes: more than the transport's 64 KiB read-ahead, so the session holds the block as it arrives.
        byte[] request = [.. "set blob 0 0 300000\r\n"u8, .. value, .. "\r\nget blob\r\n"u8];
        for (var offset = 0; offset < request.Length; offset += 7_000)
        {
            await connection.SendAsync(request[offset..Math.Min(offset + 7_000, request.Length)]);
        }

        await connection.ExpectAsync("STORED\r\nVALUE blob 0 300000\r\n");
        Assert.Equal(value, await connection.ReadAsync(value.Length));
        await connection.ExpectAsync("\r\nEND\r\n");
    }

    [Fact]
    public async Task AnOverlongLineIsAClientErrorAndClosesTheConnectionAfterEarlierReplies()
    {
        await using var host = await MemcachedHost.StartAsync();
        using var connection = await host.ConnectAsync();

        await connection.SendAsync("version\r\nget " + new string('k', MemcachedSession.MaxLineBytes));

        Assert.Equal(MemcachedSession.VersionLine + "\r\nCLIENT_ERROR line too long\r\n", await connection.ReadToEndAsync());
    }

    [Fact]
    public async Task QuitClosesAfterTheRepliesBeforeItAndIgnoresWhatFollows()
    {
        await using var host = await MemcachedHost.StartAsync();
        using var connection = await host.ConnectAsync();

        await connection.SendAsync("set a 0 0 1\r\nz\r\nquit\r\nget a\r\n");

        Assert.Equal("STORED\r\n", await connection.ReadToEndAsync());
    }

    [Fact]
    public async Task StatsReportsTheStoresFiguresAsStatLines()
    {
        await using var host = await MemcachedHost.StartAsync("--Memcached:MaxTotalBytes=4096", "--Memcached:MaxItemBytes=2048");
        using var connection = await host.ConnectAsync();

        await connection.SendAsync("set a 0 0 3\r\nabc\r\nset b 0 0 1\r\nb\r\nstats\r\n");
        await connection.ExpectAsync("STORED\r\nSTORED\r\n");
        var stats = (await connection.ReadUntilAsync("END\r\n")).Split("\r\n");

        Assert.All(stats[..^2], line => Assert.StartsWith("STAT ", line, StringComparison.Ordinal));
        Assert.Contains($"STAT pid {Environment.ProcessId}", stats);
        Assert.Contains("STAT version " + MemcachedSession.VersionLine["VERSION ".Length..], stats);
        Assert.Contains("STAT curr_items 2", stats);
        Assert.Contains($"STAT bytes {(1 + 3 + 48) + (1 + 1 + 48)}", stats);
        Assert.Contains("STAT limit_maxbytes 4096", stats);
        Assert.Contains("STAT item_size_max 2048", stats);
        Assert.Equal(["END", ""], stats[^2..]);
    }

    [Fact]
    public async Task RespAndNativeClientsSeeWhatMemcachedStoredAndTheOtherWayRound()
    {
        await using var host = await MemcachedHost.StartAsync();
        using var memcached = await host.ConnectAsync();
        using var resp = await host.ConnectAsync("resp");
        await using var native = await C10kClient.ConnectAsync("127.0.0.1", host.Endpoints.NativePort).WaitAsync(MemcachedHost.Timeout);

        await memcached.SendAsync("set k 7 0 5\r\nhello\r\n");
        await memcached.ExpectAsync("STORED\r\n");
        await resp.SendAsync("*2\r\n$6\r\nMC.GET\r\n$1\r\nk\r\n");
        await resp.ExpectAsync("*1\r\n*3\r\n$1\r\nk\r\n:7\r\n$5\r\nhello\r\n");

        await resp.SendAsync("MC.SET n 1 0 41\r\nMC.INCR n 1\r\nMC.INCR k 1\r\nMC.GET nope\r\n");
        await resp.ExpectAsync("+STORED\r\n+42\r\n-CLIENT_ERROR cannot increment or decrement non-numeric value\r\n*0\r\n");

        var gets = await native.CallAsync(MemcachedOpcodes.Gets, [Encoding.ASCII.GetBytes("n")]).WaitAsync(MemcachedHost.Timeout);
        var item = Assert.Single(gets.Elements);
        Assert.Equal(ReplyType.Array, item.Type);
        Assert.Equal(["n", "1", "42"], item.Elements.Take(3).Select(e => e.Type == ReplyType.Integer ? e.Number.ToString(System.Globalization.CultureInfo.InvariantCulture) : e.Text));

        await memcached.SendAsync($"gets n\r\ncas n 2 0 2 {item.Elements[3].Number}\r\nhi\r\nget n\r\n");
        await memcached.ExpectAsync($"VALUE n 1 2 {item.Elements[3].Number}\r\n42\r\nEND\r\nSTORED\r\nVALUE n 2 2\r\nhi\r\nEND\r\n");
    }

    [Fact]
    public async Task AFullStoreRefusesWithOutOfMemoryWhenEvictionIsOff()
    {
        await using var host = await MemcachedHost.StartAsync("--Memcached:MaxItemBytes=1024", "--Memcached:MaxTotalBytes=4096", "--Memcached:EvictWhenFull=false");
        using var connection = await host.ConnectAsync();
        var value = new string('v', 900); // 2 + 900 + 48 = 950 bytes an item: four fit in 4096

        await connection.SendAsync(string.Concat(Enumerable.Range(1, 5).Select(i => $"set k{i} 0 0 900\r\n{value}\r\n")) + "set big 0 0 1000\r\n" + new string('b', 1000) + "\r\n");
        await connection.ExpectAsync("STORED\r\nSTORED\r\nSTORED\r\nSTORED\r\nSERVER_ERROR out of memory storing object\r\nSERVER_ERROR object too large for cache\r\n");
        await connection.SendAsync($"delete k1\r\nset k5 0 0 900\r\n{value}\r\n");
        await connection.ExpectAsync("DELETED\r\nSTORED\r\n");
        Assert.Equal(4 * 950, host.Store.TotalBytes);
        Assert.Equal(0, host.Store.Evictions);
    }

    [Fact]
    public async Task AFullStoreEvictsTheLeastRecentlyUsedItems()
    {
        await using var host = await MemcachedHost.StartAsync("--Memcached:MaxItemBytes=1024", "--Memcached:MaxTotalBytes=4096");
        using var connection = await host.ConnectAsync();
        var value = new string('v', 900);

        await connection.SendAsync(string.Concat(Enumerable.Range(1, 4).Select(i => $"set k{i} 0 0 900\r\n{value}\r\n")) + "get k1\r\n");
        await connection.ExpectAsync($"STORED\r\nSTORED\r\nSTORED\r\nSTORED\r\nVALUE k1 0 900\r\n{value}\r\nEND\r\n");
        await connection.SendAsync($"set k5 0 0 900\r\n{value}\r\nget k2\r\nget k1\r\n");

        // k1 was read after k2 was stored, so k2 was the least recently used.
        await connection.ExpectAsync($"STORED\r\nEND\r\nVALUE k1 0 900\r\n{value}\r\nEND\r\n");
        Assert.Equal(1, host.Store.Evictions);
        Assert.Equal(4, host.Store.Count);
    }

    [Fact]
    public async Task RespGetsTheStoresBoundsAndArgumentChecksAsErrors()
    {
        await using var host = await MemcachedHost.StartAsync("--Memcached:MaxItemBytes=1024", "--Memcached:MaxTotalBytes=4096");
        using var resp = await host.ConnectAsync("resp");

        await resp.SendAsync($"MC.SET big 0 0 {new string('b', 1000)}\r\nMC.SET k x 0 v\r\nMC.INCR k -1\r\nMC.TOUCH k soon\r\nMC.SET k 0\r\n");

        await resp.ExpectAsync("-SERVER_ERROR object too large for cache\r\n-ERR bad command line format\r\n-ERR invalid numeric delta argument\r\n"
            + "-ERR invalid exptime argument\r\n-ERR wrong number of arguments for 'mc.set' command\r\n");
    }
}
