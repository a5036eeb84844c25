using System.ComponentModel.DataAnnotations;

namespace MemcachedFront;

/// <summary>Section <c>Memcached</c>: the memcached front's port and the store's bounds.</summary>
public sealed class MemcachedOptions : IValidatableObject
{
    /// <summary>Port of the memcached text protocol (0: any free port), on <c>C10k:BindAddress</c>. Default 11212.</summary>
    [Range(0, 65535)]
    public int Port { get; set; } = 11212;

    /// <summary>Largest item (key, data and 48 bytes of bookkeeping). Default 1 MiB, memcached's <c>-I</c>.</summary>
    [Range(1024, 64 * 1024 * 1024)]
    public int MaxItemBytes { get; set; } = 1024 * 1024;

    /// <summary>Bytes all items may hold together. Default 64 MiB, memcached's <c>-m</c>.</summary>
    [Range(1024, long.MaxValue)]
    public long MaxTotalBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>
    /// When full, evict the least recently used items (true, memcached's default) or refuse the store with
    /// <c>SERVER_ERROR out of memory storing object</c> (false, memcached's <c>-M</c>).
    /// </summary>
    public bool EvictWhenFull { get; set; } = true;

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (MaxTotalBytes < MaxItemBytes)
        {
            yield return new ValidationResult("Memcached:MaxTotalBytes must be at least Memcached:MaxItemBytes.", [nameof(MaxTotalBytes)]);
        }
    }
}
