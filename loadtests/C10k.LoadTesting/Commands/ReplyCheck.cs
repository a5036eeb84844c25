using System.Text;
using System.Text.RegularExpressions;

namespace C10k.LoadTesting.Commands;

/// <summary>
/// What a reply must be for its request to count as ok: a kind (<c>simple</c>, <c>error</c>, <c>integer</c>, <c>bulk</c>, <c>null</c>,
/// <c>array</c>), an exact value (a template, so <c>{name}</c> compares with what an earlier step saved) and/or a regular expression
/// matched against the value. A reply that breaks a rule fails with status <c>check:type</c>, <c>check:value</c> or <c>check:regex</c>.
/// An error reply fails with its error code unless the check expects <c>error</c>.
/// </summary>
public sealed class ReplyCheck
{
    private static readonly TimeSpan RegexTimeout = TimeSpan.FromMilliseconds(100);
    private readonly Regex? _regex;

    /// <summary>Creates a check; null parts are not checked.</summary>
    public ReplyCheck(ReplyKind? kind, ArgumentTemplate? value, string? regex)
    {
        Kind = kind;
        Value = value;
        _regex = regex is null ? null : new Regex(regex, RegexOptions.CultureInvariant, RegexTimeout);
    }

    /// <summary>The kind the reply must have.</summary>
    public ReplyKind? Kind { get; }

    /// <summary>The value the reply must have.</summary>
    public ArgumentTemplate? Value { get; }

    /// <summary>True when the check reads the reply's value (so the connection must keep it).</summary>
    public bool NeedsValue => Value is not null || _regex is not null;

    /// <summary>Parses a kind name as scenario files and <c>--expect-type</c> write it.</summary>
    public static ReplyKind ParseKind(string text) =>
        Enum.TryParse<ReplyKind>(text, ignoreCase: true, out var kind) && kind != ReplyKind.None && Enum.IsDefined(kind)
            ? kind
            : throw new FormatException($"Unknown reply type '{text}' (use simple, error, integer, bulk, null or array).");

    /// <summary><paramref name="response"/> judged by this check.</summary>
    public Response Apply(Response response, TemplateScope scope)
    {
        ArgumentNullException.ThrowIfNull(scope);
        if (response.Kind == ReplyKind.None || (response.Kind == ReplyKind.Error && Kind != ReplyKind.Error))
        {
            return response; // no reply at all (closed, timeout...) or an unexpected error reply: the failure stands as it is
        }

        if (Kind is { } kind && response.Kind != kind)
        {
            return Failed(response, "check:type");
        }

        if (Value is not null && !response.Value.Span.SequenceEqual(Value.Render(scope).Span))
        {
            return Failed(response, "check:value");
        }

        if (_regex is not null && !_regex.IsMatch(Encoding.UTF8.GetString(response.Value.Span)))
        {
            return Failed(response, "check:regex");
        }

        return response with { IsOk = true, Status = LoadTesting.Response.OkStatus };
    }

    private static Response Failed(Response response, string status) => response with { IsOk = false, Status = status };
}
