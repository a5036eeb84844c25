namespace KeyValueStore;

/// <summary>The store's queue is full (<see cref="StoreOptions.MaxQueue"/>): the request was refused, not queued.</summary>
public sealed class StoreBusyException : Exception
{
    /// <summary>The standard message.</summary>
    public StoreBusyException()
        : base("BUSY store queue is full, try again later")
    {
    }

    /// <summary>With a message of the caller's.</summary>
    public StoreBusyException(string message)
        : base(message)
    {
    }

    /// <summary>With a message and a cause.</summary>
    public StoreBusyException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
