using System.Diagnostics.CodeAnalysis;

namespace C10k.Protocol.Resp;

/// <summary>RESP2 reply types, named as the RESP specification names them.</summary>
[SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "Integer is the RESP specification's name for the ':' type.")]
public enum RespReplyType : byte
{
    /// <summary><c>+</c></summary>
    SimpleString,

    /// <summary><c>-</c></summary>
    Error,

    /// <summary><c>:</c></summary>
    Integer,

    /// <summary><c>$</c></summary>
    BulkString,

    /// <summary><c>*</c></summary>
    Array,
}
