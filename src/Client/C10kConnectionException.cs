namespace C10k.Client;

/// <summary>The connection ended; every pending and later call fails with this. <see cref="Exception.Message"/> says why.</summary>
public sealed class C10kConnectionException : Exception
{
    /// <summary>Creates the exception.</summary>
    public C10kConnectionException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception.</summary>
    public C10kConnectionException()
        : this("The connection ended.")
    {
    }

    /// <summary>Creates the exception.</summary>
    public C10kConnectionException(string message)
        : this(message, null)
    {
    }
}
