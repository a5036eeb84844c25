namespace C10k.Protocol.Resp;

/// <summary>Why a RESP stream was rejected. Each code maps to Redis's exact reply text (<see cref="RespProtocolException"/>).</summary>
public enum RespProtocolError : byte
{
    /// <summary><c>*</c> header that is not an integer, or more elements than <see cref="RespLimits.MaxArgs"/>.</summary>
    InvalidMultibulkLength,

    /// <summary><c>$</c> header that is not a non-negative integer, or longer than <see cref="RespLimits.MaxBulkBytes"/>.</summary>
    InvalidBulkLength,

    /// <summary>An element of a request array that does not start with <c>$</c>.</summary>
    ExpectedBulkString,

    /// <summary>An inline command line longer than <see cref="RespLimits.MaxInlineBytes"/>.</summary>
    TooBigInlineRequest,

    /// <summary>A <c>*</c> header with no CRLF within <see cref="RespLimits.MaxInlineBytes"/>.</summary>
    TooBigMultibulkCountString,

    /// <summary>A <c>$</c> header with no CRLF within <see cref="RespLimits.MaxInlineBytes"/>.</summary>
    TooBigBulkCountString,

    /// <summary>A <c>*</c> header over the element limit before authentication.</summary>
    UnauthenticatedMultibulkLength,

    /// <summary>A <c>$</c> header over the bulk limit before authentication.</summary>
    UnauthenticatedBulkLength,

    /// <summary>A reply starting with a byte that is not a RESP2 type (client side).</summary>
    UnexpectedReplyType,

    /// <summary>A reply integer, or bulk or array length, that is not a valid integer or exceeds the limits (client side).</summary>
    InvalidReplyLength,

    /// <summary>A reply line with no CRLF within <see cref="RespLimits.MaxInlineBytes"/> (client side).</summary>
    TooBigReplyLine,

    /// <summary>An inline command line with an unterminated quote, or a closing quote not followed by a blank.</summary>
    UnbalancedQuotes,
}
