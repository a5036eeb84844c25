using C10k.Client;
using C10k.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace KeyValueStore.Tests;

/// <summary>The store's app on 127.0.0.1:0 with its database in a folder of the test's own, deleted at the end.</summary>
internal sealed class KeyValueApp : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly WebApplication _app;
    private bool _stopped;

    private KeyValueApp(WebApplication app, string path)
    {
        _app = app;
        Path = path;
    }

    public string Path { get; }

    public SqliteStore Store => _app.Services.GetRequiredService<SqliteStore>();

    public int NativePort => _app.Services.GetRequiredService<ServerEndpoints>().NativePort;

    public int RespPort => _app.Services.GetRequiredService<ServerEndpoints>().Port("resp");

    public static string NewDatabasePath() =>
        System.IO.Path.Combine(System.IO.Path.GetTempPath(), "kv-tests-" + Guid.NewGuid().ToString("N"), "kv.db");

    /// <summary>Starts the app on <paramref name="path"/> with <c>Store</c> settings such as <c>MaxBatch=1</c>.</summary>
    public static async Task<KeyValueApp> StartAsync(string path, params string[] store)
    {
        var app = C10kServer.Build(
            ["--C10k:Native:Port=0", "--C10k:Resp:Port=0", "--C10k:Admin:Port=0", "--Logging:LogLevel:Default=Warning", $"--Store:Path={path}",
                .. store.Select(s => "--Store:" + s)],
            KeyValueServer.Configure);
        await app.StartAsync().WaitAsync(Timeout);
        return new KeyValueApp(app, path);
    }

    public async Task<C10kClient> ConnectAsync() => await C10kClient.ConnectAsync("127.0.0.1", NativePort).WaitAsync(Timeout);

    /// <summary>
    /// Takes SQLite's write lock from a connection of the test's own (BEGIN IMMEDIATE), so the store's writer waits in its next
    /// transaction, holding the batch it took, until the returned lock is disposed (rolled back).
    /// </summary>
    public IDisposable HoldWriteLock() => new WriteLock(Path);

    /// <summary>Waits (a bounded loop) until the store's counters meet <paramref name="condition"/>.</summary>
    public async Task WaitForStoreAsync(Func<SqliteStore, bool> condition)
    {
        for (var i = 0; i < 3000 && !condition(Store); i++)
        {
            await Task.Delay(10);
        }

        Assert.True(condition(Store));
    }

    /// <summary>Stops the app (the store drains and closes its database) and keeps the file.</summary>
    public async Task StopAsync()
    {
        if (!_stopped)
        {
            _stopped = true;
            await _app.StopAsync().WaitAsync(Timeout);
            await _app.DisposeAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Directory.Delete(System.IO.Path.GetDirectoryName(Path)!, recursive: true);
    }

    private sealed class WriteLock : IDisposable
    {
        private readonly SqliteConnection _connection;
        private readonly SqliteTransaction _transaction;

        public WriteLock(string path)
        {
            _connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ConnectionString);
            _connection.Open();
            _transaction = _connection.BeginTransaction(deferred: false);
        }

        public void Dispose()
        {
            _transaction.Dispose();
            _connection.Dispose();
        }
    }
}
