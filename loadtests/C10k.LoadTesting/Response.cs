namespace C10k.LoadTesting;

/// <summary>The outcome of one scenario invocation: ok, or failed with a status (NBomber's <c>Response.Ok()</c>/<c>Response.Fail()</c>).</summary>
/// <param name="IsOk">True when the request succeeded.</param>
/// <param name="Status">A short status: <c>ok</c>, or why it failed (<c>timeout</c>, <c>reset</c>, <c>ERR</c>, ...). Reports group failures by it.</param>
/// <param name="SizeBytes">Reply size, for information.</param>
public readonly record struct Response(bool IsOk, string Status, int SizeBytes)
{
    /// <summary>Status of a successful response.</summary>
    public const string OkStatus = "ok";

    /// <summary>The kind of reply received (<see cref="ReplyKind.None"/> when the step made up its own response).</summary>
    public ReplyKind Kind { get; init; }

    /// <summary>
    /// The reply's value as bytes (a simple string, error text, integer digits, bulk string, or an array's element count), when the
    /// command asked for it (reply checks and saved variables do); empty otherwise.
    /// </summary>
    public ReadOnlyMemory<byte> Value { get; init; }

    /// <summary>A successful response.</summary>
    public static Response Ok(int sizeBytes = 0) => new(true, OkStatus, sizeBytes);

    /// <summary>A failed response with <paramref name="status"/>.</summary>
    public static Response Fail(string status) => new(false, status, 0);

    /// <summary>The failure an exception thrown by a step stands for: <c>cancelled</c>, <c>timeout</c>, or the exception's type name.</summary>
    public static Response FromException(Exception exception) => exception switch
    {
        OperationCanceledException => Fail("cancelled"),
        TimeoutException => Fail("timeout"),
        null => throw new ArgumentNullException(nameof(exception)),
        _ => Fail(exception.GetType().Name),
    };
}
