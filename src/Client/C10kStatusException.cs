using C10k.Protocol.Native;

namespace C10k.Client;

/// <summary>The server answered with a non-OK status (BUSY, TIMEOUT, BAD_ARGS …). The connection stays usable.</summary>
public sealed class C10kStatusException : Exception
{
    /// <summary>Creates the exception.</summary>
    public C10kStatusException(NativeStatus status, string message)
        : base($"{status}: {message}")
    {
        Status = status;
    }

    /// <summary>Creates the exception.</summary>
    public C10kStatusException()
        : this(NativeStatus.Error, "error")
    {
    }

    /// <summary>Creates the exception.</summary>
    public C10kStatusException(string message)
        : this(NativeStatus.Error, message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public C10kStatusException(string message, Exception innerException)
        : base(message, innerException)
    {
        Status = NativeStatus.Error;
    }

    /// <summary>The reply's status.</summary>
    public NativeStatus Status { get; }
}
