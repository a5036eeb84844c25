using System.ComponentModel.DataAnnotations;

namespace KeyValueStore;

/// <summary>Section <c>Store</c>.</summary>
public sealed class StoreOptions
{
    /// <summary>
    /// The SQLite database file, created with its folder if missing. A relative path is under the application's folder
    /// (<see cref="AppContext.BaseDirectory"/>). Default <c>data/kv.db</c>.
    /// </summary>
    [Required]
    public string Path { get; set; } = "data/kv.db";

    /// <summary>Requests waiting for the writer, and separately for the readers, before new ones are refused with <c>BUSY</c>.</summary>
    [Range(1, 1_000_000)]
    public int MaxQueue { get; set; } = 10_000;

    /// <summary>Most writes the writer commits in one transaction (one fsync).</summary>
    [Range(1, 100_000)]
    public int MaxBatch { get; set; } = 256;

    /// <summary>Reader threads, each with its own read-only connection (WAL lets them read while the writer commits).</summary>
    [Range(1, 64)]
    public int Readers { get; set; } = 2;

    /// <summary>Most keys one <c>KV.KEYS</c> reply lists (the first ones in byte order).</summary>
    [Range(1, 1_000_000)]
    public int MaxKeys { get; set; } = 1000;

    /// <summary>The database file's full path.</summary>
    public string FullPath => System.IO.Path.GetFullPath(Path, AppContext.BaseDirectory);
}
