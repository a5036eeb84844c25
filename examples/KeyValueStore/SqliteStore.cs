using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace KeyValueStore;

/// <summary>
/// The key-value store: one SQLite database owned by threads of its own. Microsoft.Data.Sqlite's <c>*Async</c> methods run
/// synchronously, so no C10k thread ever touches the database: operations queue a request and await its answer. One writer
/// thread takes every queued write (up to <see cref="StoreOptions.MaxBatch"/>) into one transaction, one commit, one fsync
/// (group commit); a few reader threads, each with a read-only connection, answer reads while it writes (WAL). A write is
/// answered once its transaction is committed, so a read sent after that answer sees it. Both queues are bounded: a full one
/// refuses with <see cref="StoreBusyException"/>. A request whose token fires while it is queued is dropped, never run.
/// </summary>
public sealed partial class SqliteStore : IDisposable
{
    private readonly StoreOptions _options;
    private readonly ILogger<SqliteStore> _logger;
    private readonly BlockingCollection<StoreRequest> _writes;
    private readonly BlockingCollection<StoreRequest> _reads;
    private readonly Thread[] _threads;
    private long _accepted;
    private long _refused;
    private long _committedWrites;
    private long _commits;

    /// <summary>Opens (or creates) the database and starts the writer and reader threads.</summary>
    public SqliteStore(IOptions<StoreOptions> options, ILogger<SqliteStore> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _logger = logger;
        _writes = new BlockingCollection<StoreRequest>(_options.MaxQueue);
        _reads = new BlockingCollection<StoreRequest>(_options.MaxQueue);
        var path = _options.FullPath;
        var writer = StoreConnection.OpenWriter(path);
        _threads = new Thread[1 + _options.Readers];
        _threads[0] = new Thread(() => WriteLoop(writer)) { IsBackground = true, Name = "kv-writer" };
        for (var i = 1; i < _threads.Length; i++)
        {
            var reader = StoreConnection.OpenReader(path);
            _threads[i] = new Thread(() => ReadLoop(reader)) { IsBackground = true, Name = $"kv-reader-{i}" };
        }

        foreach (var thread in _threads)
        {
            thread.Start();
        }

        LogOpened(path, _options.Readers, _options.MaxBatch);
    }

    /// <summary>Writes committed so far.</summary>
    public long CommittedWrites => Interlocked.Read(ref _committedWrites);

    /// <summary>Transactions committed so far: fewer than <see cref="CommittedWrites"/> when writes were grouped.</summary>
    public long Commits => Interlocked.Read(ref _commits);

    /// <summary>Requests queued so far, writes and reads.</summary>
    public long Accepted => Interlocked.Read(ref _accepted);

    /// <summary>Requests in the queues now, waiting for a store thread.</summary>
    public int Waiting => _writes.Count + _reads.Count;

    /// <summary>Requests refused so far because their queue was full.</summary>
    public long Refused => Interlocked.Read(ref _refused);

    /// <summary>The value of <paramref name="key"/>, or null when there is none.</summary>
    public Task<byte[]?> GetAsync(byte[] key, CancellationToken cancellationToken) =>
        Enqueue(_reads, new StoreRequest<byte[]?>(c => c.Get(key), cancellationToken));

    /// <summary>The first <see cref="StoreOptions.MaxKeys"/> keys matching a glob pattern, in byte order.</summary>
    public Task<List<byte[]>> KeysAsync(byte[] pattern, CancellationToken cancellationToken) =>
        Enqueue(_reads, new StoreRequest<List<byte[]>>(c => c.Keys(pattern, _options.MaxKeys), cancellationToken));

    /// <summary>How many keys the store holds.</summary>
    public Task<long> CountAsync(CancellationToken cancellationToken) =>
        Enqueue(_reads, new StoreRequest<long>(c => c.Count(), cancellationToken));

    /// <summary>Sets <paramref name="key"/> to <paramref name="value"/>; completes once committed.</summary>
    public Task<bool> SetAsync(byte[] key, byte[] value, CancellationToken cancellationToken) =>
        Enqueue(_writes, new StoreRequest<bool>(c => { c.Set(key, value); return true; }, cancellationToken));

    /// <summary>Deletes <paramref name="keys"/>; completes once committed, with how many existed.</summary>
    public Task<long> DeleteAsync(IReadOnlyList<byte[]> keys, CancellationToken cancellationToken) =>
        Enqueue(_writes, new StoreRequest<long>(c => c.Delete(keys), cancellationToken));

    /// <summary>Stops taking requests, answers every queued one, waits for the threads and closes the database.</summary>
    public void Dispose()
    {
        // The readers stop first, so the writer's connection closes last: only a connection that may write checkpoints the
        // WAL into the database file as it closes.
        _reads.CompleteAdding();
        foreach (var reader in _threads.Skip(1))
        {
            reader.Join();
        }

        _writes.CompleteAdding();
        _threads[0].Join();

        _writes.Dispose();
        _reads.Dispose();
        LogClosed(Accepted, Refused, CommittedWrites, Commits);
    }

    private Task<T> Enqueue<T>(BlockingCollection<StoreRequest> queue, StoreRequest<T> request)
    {
        bool added;
        try
        {
            added = queue.TryAdd(request);
        }
        catch (InvalidOperationException)
        {
            // Adding completed (or the queue disposed, an ObjectDisposedException): the store is closing.
            request.Fail(new ObjectDisposedException(nameof(SqliteStore), "The store is closed."));
            return request.Answer;
        }

        if (added)
        {
            Interlocked.Increment(ref _accepted);
        }
        else
        {
            Interlocked.Increment(ref _refused);
            request.Fail(new StoreBusyException());
        }

        return request.Answer;
    }

    private void ReadLoop(StoreConnection connection)
    {
        using (connection)
        {
            while (_reads.TryTake(out var request, Timeout.Infinite))
            {
                if (request.TryClaim())
                {
                    request.Run(connection);
                    request.Complete();
                }
            }
        }
    }

    private void WriteLoop(StoreConnection connection)
    {
        using (connection)
        {
            var batch = new List<StoreRequest>(_options.MaxBatch);
            while (_writes.TryTake(out var first, Timeout.Infinite))
            {
                // Whatever queued up while the last transaction committed goes into this one.
                Claim(first, batch);
                while (batch.Count < _options.MaxBatch && _writes.TryTake(out var next))
                {
                    Claim(next, batch);
                }

                if (batch.Count > 0)
                {
                    Commit(connection, batch);
                    batch.Clear();
                }
            }
        }
    }

    private static void Claim(StoreRequest request, List<StoreRequest> batch)
    {
        if (request.TryClaim())
        {
            batch.Add(request);
        }
    }

    private void Commit(StoreConnection connection, List<StoreRequest> batch)
    {
        try
        {
            connection.Begin();
            try
            {
                foreach (var request in batch)
                {
                    request.Run(connection);
                }

                connection.Commit();
            }
            catch
            {
                connection.Rollback();
                throw;
            }
        }
        catch (Exception ex) when (ex is Microsoft.Data.Sqlite.SqliteException or InvalidOperationException)
        {
            LogCommitFailed(ex, batch.Count);
            foreach (var request in batch)
            {
                request.Fail(ex);
            }

            return;
        }

        Interlocked.Add(ref _committedWrites, batch.Count);
        Interlocked.Increment(ref _commits);
        foreach (var request in batch)
        {
            request.Complete();
        }
    }

    [LoggerMessage(1, LogLevel.Information, "Store {Path} open: one writer (up to {MaxBatch} writes a commit), {Readers} readers")]
    private partial void LogOpened(string path, int readers, int maxBatch);

    [LoggerMessage(2, LogLevel.Information, "Store closed: {Accepted} requests served, {Refused} refused (queue full); {Writes} writes in {Commits} commits")]
    private partial void LogClosed(long accepted, long refused, long writes, long commits);

    [LoggerMessage(3, LogLevel.Error, "A commit of {Count} writes failed; each is answered with the error")]
    private partial void LogCommitFailed(Exception exception, int count);
}
