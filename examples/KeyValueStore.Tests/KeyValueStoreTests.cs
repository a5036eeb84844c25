using System.Text;
using C10k.Client;
using C10k.Protocol.Native;
using C10k.Protocol.Typed;

namespace KeyValueStore.Tests;

/// <summary>The store over the wire: the C10k host with the store's operations, every port on 127.0.0.1:0, a database of its own.</summary>
public sealed class KeyValueStoreTests
{
    private static readonly TimeSpan Timeout = KeyValueApp.Timeout;

    [Fact]
    public async Task RespRepliesCarryRedisTypes()
    {
        await using var app = await KeyValueApp.StartAsync(KeyValueApp.NewDatabasePath());
        using var resp = await RespConnection.ConnectAsync(app.RespPort);

        Assert.Equal("+OK", await resp.CallAsync("KV.SET", "user:1", "ada"));
        Assert.Equal("+OK", await resp.CallAsync("KV.SET", "user:2", "grace"));
        Assert.Equal("+OK", await resp.CallAsync("KV.SET", "order:1", "tea"));
        Assert.Equal("\"ada\"", await resp.CallAsync("KV.GET", "user:1"));
        Assert.Equal("nil", await resp.CallAsync("KV.GET", "user:3"));
        Assert.Equal("[\"user:1\", \"user:2\"]", await resp.CallAsync("KV.KEYS", "user:*"));
        Assert.Equal(":3", await resp.CallAsync("KV.COUNT"));
        Assert.Equal(":2", await resp.CallAsync("KV.DEL", "user:1", "order:1", "user:3"));
        Assert.Equal("[]", await resp.CallAsync("KV.KEYS", "order:*"));
        Assert.Equal("-ERR key is longer than 1024 bytes", await resp.CallAsync("KV.GET", new string('k', 1025)));
    }

    [Fact]
    public async Task TheNativeClientGetsTypedValues()
    {
        await using var app = await KeyValueApp.StartAsync(KeyValueApp.NewDatabasePath());
        await using var client = await app.ConnectAsync();

        var set = await CallAsync(client, SetOperation.Code, "user:1", "ada");
        var get = await CallAsync(client, GetOperation.Code, "user:1");
        var missing = await CallAsync(client, GetOperation.Code, "user:2");
        var keys = await CallAsync(client, KeysOperation.Code, "*");
        var deleted = await CallAsync(client, DeleteOperation.Code, "user:1", "user:2");

        Assert.Equal((ReplyType.SimpleString, "OK"), (set.Type, set.Text));
        Assert.Equal((ReplyType.Bulk, "ada"), (get.Type, get.Text));
        Assert.True(missing.IsNil);
        Assert.Equal((ReplyType.Array, "user:1"), (keys.Type, Assert.Single(keys.Elements).Text));
        Assert.Equal((ReplyType.Integer, 1L), (deleted.Type, deleted.Number));
    }

    [Fact]
    public async Task DataSurvivesARestartOnTheSameFile()
    {
        var path = KeyValueApp.NewDatabasePath();
        var first = await KeyValueApp.StartAsync(path);
        await using (var client = await first.ConnectAsync())
        {
            await CallAsync(client, SetOperation.Code, "config:mode", "durable");
        }

        await first.StopAsync();
        await using var second = await KeyValueApp.StartAsync(path);
        await using var again = await second.ConnectAsync();

        Assert.Equal("durable", (await CallAsync(again, GetOperation.Code, "config:mode")).Text);
    }

    [Fact]
    public async Task ConcurrentWritesAllLandInAFewSharedCommits()
    {
        await using var app = await KeyValueApp.StartAsync(KeyValueApp.NewDatabasePath());
        var clients = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => app.ConnectAsync()));
        var (accepted, commits) = (app.Store.Accepted, app.Store.Commits);

        Task<ReplyValue>[] writes;
        using (app.HoldWriteLock())
        {
            // 64 writes arrive while the writer waits for the lock: it holds the first batch it took, the rest queue up.
            writes = [.. Enumerable.Range(0, 64).Select(i => CallAsync(clients[i % 4], SetOperation.Code, $"k{i:D2}", $"v{i}"))];
            await app.WaitForStoreAsync(s => s.Accepted == accepted + 64);
        }

        var replies = await Task.WhenAll(writes);
        var keys = await CallAsync(clients[0], KeysOperation.Code, "k*");

        Assert.All(replies, r => Assert.Equal("OK", r.Text));
        Assert.Equal(Enumerable.Range(0, 64).Select(i => $"k{i:D2}"), keys.Elements.Select(k => k.Text));
        Assert.Equal(64, app.Store.CommittedWrites);
        Assert.InRange(app.Store.Commits - commits, 1, 2);
        foreach (var client in clients)
        {
            await client.DisposeAsync();
        }
    }

    [Fact]
    public async Task AWriteWhoseDeadlinePassesWhileQueuedIsNeverWrittenAndAnsweredOnce()
    {
        await using var app = await KeyValueApp.StartAsync(KeyValueApp.NewDatabasePath(), "MaxBatch=1");
        await using var client = await app.ConnectAsync();

        Task<ReplyValue> first;
        C10kStatusException late;
        using (app.HoldWriteLock())
        {
            // The writer takes "first" alone (MaxBatch=1) and waits for the lock; "late" stays queued past its deadline.
            first = CallAsync(client, SetOperation.Code, "first", "1");
            late = await Assert.ThrowsAsync<C10kStatusException>(
                () => client.CallAsync(SetOperation.Code, [Bytes("late"), Bytes("2")], deadlineMs: 200).WaitAsync(Timeout));
        }

        Assert.Equal(NativeStatus.Cancelled, late.Status);
        Assert.Equal("OK", (await first).Text);
        Assert.True((await CallAsync(client, GetOperation.Code, "late")).IsNil);
        Assert.Equal(1L, (await CallAsync(client, CountOperation.Code)).Number);
        Assert.Equal(1, app.Store.CommittedWrites);
    }

    [Fact]
    public async Task AFullQueueRefusesWithBusyOnBothFronts()
    {
        await using var app = await KeyValueApp.StartAsync(KeyValueApp.NewDatabasePath(), "MaxBatch=1", "MaxQueue=2");
        await using var client = await app.ConnectAsync();
        using var resp = await RespConnection.ConnectAsync(app.RespPort);

        Task<ReplyValue> first;
        Task<ReplyValue>[] writes;
        string refusedOverResp;
        using (app.HoldWriteLock())
        {
            // The writer takes the first write and waits for the lock; then the queue takes two writes and refuses the rest.
            first = CallAsync(client, SetOperation.Code, "first", "v");
            await app.WaitForStoreAsync(s => s.Accepted == 1 && s.Waiting == 0);
            writes = [.. Enumerable.Range(0, 6).Select(i => CallAsync(client, SetOperation.Code, $"k{i}", "v"))];
            await app.WaitForStoreAsync(s => s.Accepted + s.Refused == 7);
            refusedOverResp = await resp.CallAsync("KV.SET", "resp", "v");
        }

        var outcomes = await Task.WhenAll(writes.Select(async w =>
        {
            try
            {
                return (await w).Text;
            }
            catch (C10kStatusException ex) when (ex.Status == NativeStatus.Error)
            {
                return ex.Message;
            }
        }));

        Assert.Equal("-BUSY store queue is full, try again later", refusedOverResp);
        Assert.Equal("OK", (await first).Text);
        Assert.Equal(2, outcomes.Count(o => o == "OK"));
        Assert.All(outcomes.Where(o => o != "OK"), o => Assert.Contains("BUSY store queue is full", o, StringComparison.Ordinal));
        Assert.Equal(3L, (await CallAsync(client, CountOperation.Code)).Number);
        Assert.Equal(5, app.Store.Refused);
    }

    [Fact]
    public async Task ClosingTheStoreAnswersEveryQueuedWriteFirst()
    {
        var path = KeyValueApp.NewDatabasePath();
        var app = await KeyValueApp.StartAsync(path);
        var store = app.Store;
        var writes = Enumerable.Range(0, 100).Select(i => store.SetAsync(Bytes($"k{i}"), Bytes("v"), CancellationToken.None)).ToArray();

        await app.StopAsync();

        Assert.All(writes, w => Assert.True(w.IsCompletedSuccessfully));
        await using var reopened = await KeyValueApp.StartAsync(path);
        Assert.Equal(100, await reopened.Store.CountAsync(CancellationToken.None).WaitAsync(Timeout));
    }

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    private static Task<ReplyValue> CallAsync(C10kClient client, ushort opcode, params string[] args) =>
        client.CallAsync(opcode, [.. args.Select(a => (ReadOnlyMemory<byte>)Bytes(a))]).WaitAsync(Timeout);
}
