using System.Text;

namespace C10k.LoadTesting.Commands;

/// <summary>One argument with placeholders, e.g. <c>key:{seq}</c>; <c>{{</c> and <c>}}</c> stand for literal braces.</summary>
public sealed class ArgumentTemplate
{
    private readonly TemplatePart[] _parts;
    private readonly ReadOnlyMemory<byte>? _constant;

    private ArgumentTemplate(string text, TemplatePart[] parts)
    {
        Text = text;
        _parts = parts;
        if (parts.All(p => p is TemplatePart.Literal))
        {
            _constant = parts.SelectMany(p => ((TemplatePart.Literal)p).Bytes).ToArray();
        }
    }

    /// <summary>The argument as written.</summary>
    public string Text { get; }

    /// <summary>True when the argument has no placeholder (it renders to the same bytes every time, without allocating).</summary>
    public bool IsConstant => _constant.HasValue;

    /// <summary>The bytes of a constant argument, null when it has placeholders.</summary>
    internal ReadOnlyMemory<byte>? Constant => _constant;

    /// <summary>Variables the argument uses, e.g. <c>key</c> for <c>{key}</c>.</summary>
    public IEnumerable<string> Variables => _parts.Select(p => p.Variable).OfType<string>();

    /// <summary>Parses <paramref name="text"/>; <paramref name="position"/> tells random placeholders at different places apart.</summary>
    public static ArgumentTemplate Parse(string text, int position = 0)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = new List<TemplatePart>();
        var literal = new StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if ((c == '{' || c == '}') && i + 1 < text.Length && text[i + 1] == c)
            {
                literal.Append(c);
                i++;
            }
            else if (c == '{')
            {
                var close = text.IndexOf('}', i + 1);
                if (close < 0)
                {
                    throw new FormatException($"'{text}': '{{' without a closing '}}' (write '{{{{' for a literal brace).");
                }

                Flush(literal, parts);
                parts.Add(TemplatePart.Placeholder(text[(i + 1)..close], (position * 64) + parts.Count));
                i = close;
            }
            else if (c == '}')
            {
                throw new FormatException($"'{text}': '}}' without an opening '{{' (write '}}}}' for a literal brace).");
            }
            else
            {
                literal.Append(c);
            }
        }

        Flush(literal, parts);
        return new ArgumentTemplate(text, [.. parts]);
    }

    /// <summary>The argument's bytes for <paramref name="scope"/>.</summary>
    public ReadOnlyMemory<byte> Render(TemplateScope scope)
    {
        if (_constant is { } constant)
        {
            return constant;
        }

        var output = new List<byte>(32);
        foreach (var part in _parts)
        {
            part.Render(scope, output);
        }

        return output.ToArray();
    }

    private static void Flush(StringBuilder literal, List<TemplatePart> parts)
    {
        if (literal.Length > 0)
        {
            parts.Add(new TemplatePart.Literal(Encoding.UTF8.GetBytes(literal.ToString())));
            literal.Clear();
        }
    }
}
