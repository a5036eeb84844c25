namespace C10k.Protocol;

/// <summary>
/// Malformed input on any front: the stream can't be trusted past this point. <see cref="Kind"/> names what was wrong with a
/// short, bounded word (the <c>kind</c> tag of the <c>c10k.protocol.errors</c> metric and the log line), so a connection maps
/// any front's error the same way.
/// </summary>
public abstract class ProtocolException : Exception
{
    /// <summary>Creates the exception.</summary>
    protected ProtocolException(string message, string kind)
        : base(message) => Kind = kind;

    /// <summary>Creates the exception with an inner exception.</summary>
    protected ProtocolException(string message, string kind, Exception? innerException)
        : base(message, innerException) => Kind = kind;

    /// <summary>What was wrong, as a metric tag (<c>bad_magic</c>, <c>invalid_bulk_length</c>, …).</summary>
    public string Kind { get; }
}
