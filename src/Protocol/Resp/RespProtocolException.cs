using System.Diagnostics.CodeAnalysis;

namespace C10k.Protocol.Resp;

/// <summary>
/// Malformed RESP input: the stream cannot be trusted past this point, so the connection replies
/// <c>-ERR </c> + <see cref="Exception.Message"/> (Redis's wording) and closes.
/// </summary>
public sealed class RespProtocolException : ProtocolException
{
    /// <summary>Creates the exception for <see cref="RespProtocolError.InvalidMultibulkLength"/>.</summary>
    public RespProtocolException()
        : this(RespProtocolError.InvalidMultibulkLength)
    {
    }

    /// <summary>Creates the exception with its own <paramref name="message"/>.</summary>
    public RespProtocolException(string message)
        : base(message, KindOf(RespProtocolError.InvalidMultibulkLength))
    {
    }

    /// <summary>Creates the exception with its own <paramref name="message"/> and the exception that caused it.</summary>
    public RespProtocolException(string message, Exception innerException)
        : base(message, KindOf(RespProtocolError.InvalidMultibulkLength), innerException)
    {
    }

    /// <summary>Creates the exception for <paramref name="error"/>; <paramref name="got"/> is the offending byte where the wording names it.</summary>
    public RespProtocolException(RespProtocolError error, byte got = 0)
        : base(Describe(error, got), KindOf(error))
    {
        Error = error;
        Got = got;
    }

    /// <summary>What was wrong.</summary>
    public RespProtocolError Error { get; }

    /// <summary>The unexpected byte, for <see cref="RespProtocolError.ExpectedBulkString"/> and <see cref="RespProtocolError.UnexpectedReplyType"/>.</summary>
    public byte Got { get; }

    [DoesNotReturn]
    internal static void Throw(RespProtocolError error, byte got = 0) => throw new RespProtocolException(error, got);

    // Wording from Redis 7.0 src/networking.c (processInlineBuffer, processMultibulkBuffer).
    private static string Describe(RespProtocolError error, byte got) => error switch
    {
        RespProtocolError.InvalidMultibulkLength => "Protocol error: invalid multibulk length",
        RespProtocolError.InvalidBulkLength => "Protocol error: invalid bulk length",
        RespProtocolError.ExpectedBulkString => $"Protocol error: expected '$', got '{(char)got}'",
        RespProtocolError.TooBigInlineRequest => "Protocol error: too big inline request",
        RespProtocolError.TooBigMultibulkCountString => "Protocol error: too big mbulk count string",
        RespProtocolError.TooBigBulkCountString => "Protocol error: too big bulk count string",
        RespProtocolError.UnauthenticatedMultibulkLength => "Protocol error: unauthenticated multibulk length",
        RespProtocolError.UnauthenticatedBulkLength => "Protocol error: unauthenticated bulk length",
        RespProtocolError.UnbalancedQuotes => "Protocol error: unbalanced quotes in request",
        RespProtocolError.UnexpectedReplyType => $"Protocol error: unexpected reply type '{(char)got}'",
        RespProtocolError.InvalidReplyLength => "Protocol error: invalid integer or length in reply",
        RespProtocolError.TooBigReplyLine => "Protocol error: too big reply line",
        _ => "Protocol error",
    };

    private static string KindOf(RespProtocolError error) => error switch
    {
        RespProtocolError.InvalidMultibulkLength => "invalid_multibulk_length",
        RespProtocolError.InvalidBulkLength => "invalid_bulk_length",
        RespProtocolError.ExpectedBulkString => "expected_bulk_string",
        RespProtocolError.TooBigInlineRequest => "too_big_inline_request",
        RespProtocolError.TooBigMultibulkCountString => "too_big_mbulk_count",
        RespProtocolError.TooBigBulkCountString => "too_big_bulk_count",
        RespProtocolError.UnbalancedQuotes => "unbalanced_quotes",
        RespProtocolError.UnauthenticatedMultibulkLength => "unauthenticated_multibulk_length",
        RespProtocolError.UnauthenticatedBulkLength => "unauthenticated_bulk_length",
        _ => "malformed",
    };
}
