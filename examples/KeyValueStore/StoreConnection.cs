using Microsoft.Data.Sqlite;

namespace KeyValueStore;

/// <summary>
/// One SQLite connection and its prepared statements, used by one store thread only. The writer's connection sets the database
/// up (WAL, <c>synchronous=FULL</c>: a commit is on disk when it returns); readers open theirs read-only.
/// </summary>
internal sealed class StoreConnection : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly Dictionary<string, SqliteCommand> _commands = [];

    private StoreConnection(SqliteConnection connection) => _connection = connection;

    /// <summary>Opens the writer's connection, creating the file, its folder and the table when missing.</summary>
    public static StoreConnection OpenWriter(string path)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        var store = Open(path, SqliteOpenMode.ReadWriteCreate);
        store.Execute("PRAGMA journal_mode=WAL");
        store.Execute("PRAGMA synchronous=FULL");
        store.Execute("CREATE TABLE IF NOT EXISTS kv (key BLOB PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID");
        return store;
    }

    /// <summary>Opens a reader's connection (after the writer's has set the database up).</summary>
    public static StoreConnection OpenReader(string path) => Open(path, SqliteOpenMode.ReadOnly);

    public void Begin() => Execute("BEGIN IMMEDIATE");

    public void Commit() => Execute("COMMIT");

    public void Rollback() => Execute("ROLLBACK");

    public byte[]? Get(byte[] key) =>
        Command("SELECT value FROM kv WHERE key = $a", key).ExecuteScalar() as byte[];

    public void Set(byte[] key, byte[] value) =>
        Command("INSERT INTO kv (key, value) VALUES ($a, $b) ON CONFLICT (key) DO UPDATE SET value = excluded.value", key, value)
            .ExecuteNonQuery();

    public long Delete(IReadOnlyList<byte[]> keys)
    {
        var deleted = 0L;
        foreach (var key in keys)
        {
            deleted += Command("DELETE FROM kv WHERE key = $a", key).ExecuteNonQuery();
        }

        return deleted;
    }

    /// <summary>The first <paramref name="limit"/> keys in byte order matching a glob pattern (<c>*</c>, <c>?</c>, <c>[a-z]</c>), as Redis's KEYS.</summary>
    public List<byte[]> Keys(byte[] pattern, int limit)
    {
        // SQLite's GLOB never matches a BLOB: both sides are compared as text (the same bytes).
        using var reader = Command("SELECT key FROM kv WHERE CAST(key AS TEXT) GLOB CAST($a AS TEXT) ORDER BY key LIMIT $b", pattern, limit).ExecuteReader();
        var keys = new List<byte[]>();
        while (reader.Read())
        {
            keys.Add((byte[])reader.GetValue(0));
        }

        return keys;
    }

    public long Count() => (long)Command("SELECT count(*) FROM kv").ExecuteScalar()!;

    public void Dispose()
    {
        foreach (var command in _commands.Values)
        {
            command.Dispose();
        }

        _connection.Dispose();
    }

    private static StoreConnection Open(string path, SqliteOpenMode mode)
    {
        // No pooling: the store owns its connections for its lifetime, and closing one really closes the file.
        var builder = new SqliteConnectionStringBuilder { DataSource = path, Mode = mode, Pooling = false, DefaultTimeout = 30 };
        var connection = new SqliteConnection(builder.ConnectionString);
        connection.Open();
        return new StoreConnection(connection);
    }

    private void Execute(string sql) => Command(sql).ExecuteNonQuery();

    // Each statement is prepared once per connection and reused with new parameter values.
    private SqliteCommand Command(string sql, params object[] values)
    {
        if (!_commands.TryGetValue(sql, out var command))
        {
            command = _connection.CreateCommand();
            command.CommandText = sql;
            for (var i = 0; i < values.Length; i++)
            {
                command.Parameters.Add(new SqliteParameter("$" + (char)('a' + i), values[i]));
            }

            _commands.Add(sql, command);
        }

        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i];
        }

        return command;
    }
}
