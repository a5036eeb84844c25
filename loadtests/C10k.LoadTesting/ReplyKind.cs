using System.Diagnostics.CodeAnalysis;

namespace C10k.LoadTesting;

/// <summary>What kind of reply a command got (RESP2's types; a native reply is <see cref="Bulk"/> when OK, <see cref="Error"/> otherwise).</summary>
[SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "Integer is the RESP specification's name for the ':' type.")]
public enum ReplyKind
{
    /// <summary>No reply was parsed (a step that returned its own <see cref="Response"/>, or a failure before any reply).</summary>
    None,

    /// <summary>RESP simple string (<c>+OK</c>).</summary>
    Simple,

    /// <summary>RESP error (<c>-ERR ...</c>) or a native status other than OK.</summary>
    Error,

    /// <summary>RESP integer (<c>:42</c>).</summary>
    Integer,

    /// <summary>RESP bulk string, or a native OK reply's payload.</summary>
    Bulk,

    /// <summary>RESP null bulk string or null array.</summary>
    Null,

    /// <summary>RESP array; its value is the element count.</summary>
    Array,
}
