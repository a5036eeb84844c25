using System.Text;

namespace C10k.LoadTesting.Commands;

/// <summary>
/// A command with argument templates, e.g. <c>SET key:{seq} {feed}</c>, <c>GET key:{random:1-100000}</c>, <c>HASH {int:1000} {feed}</c>.
/// Words are separated by spaces; double quotes keep spaces in one argument (<c>\"</c> and <c>\\</c> escape inside them). The first word
/// is the command: a RESP command name, or on a native target PING, ECHO, HASH, HELLO or an opcode such as <c>0x1001</c>.
/// </summary>
public sealed class CommandTemplate
{
    private readonly ArgumentTemplate[] _arguments;
    private readonly ReadOnlyMemory<byte>[]? _constant;

    private CommandTemplate(string text, ArgumentTemplate[] arguments)
    {
        Text = text;
        _arguments = arguments;
        if (arguments.All(a => a.IsConstant))
        {
            _constant = [.. arguments.Select(a => a.Constant!.Value)];
        }
    }

    /// <summary>The command as written.</summary>
    public string Text { get; }

    /// <summary>The words every iteration sends when no argument has a placeholder; null otherwise.</summary>
    internal ReadOnlyMemory<byte>[]? ConstantWords => _constant;

    /// <summary>The command word, e.g. <c>SET</c>.</summary>
    public string Name => _arguments[0].Text;

    /// <summary>Variables the command uses.</summary>
    public IEnumerable<string> Variables => _arguments.SelectMany(a => a.Variables);

    /// <summary>Parses <paramref name="text"/>; throws <see cref="FormatException"/> naming what is wrong.</summary>
    public static CommandTemplate Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var words = Split(text);
        if (words.Count == 0)
        {
            throw new FormatException("A command is empty: give at least its name, e.g. \"PING\".");
        }

        if (words[0].Contains('{', StringComparison.Ordinal))
        {
            throw new FormatException($"'{text}': the command name cannot be a template.");
        }

        return new CommandTemplate(text, [.. words.Select((w, i) => ArgumentTemplate.Parse(w, i))]);
    }

    /// <summary>The command's words for <paramref name="scope"/>: the name, then the arguments.</summary>
    public ReadOnlyMemory<byte>[] Render(TemplateScope scope) => _constant ?? [.. _arguments.Select(a => a.Render(scope))];

    /// <inheritdoc />
    public override string ToString() => Text;

    private static List<string> Split(string text)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        var inWord = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '"')
            {
                inWord = true;
                for (i++; i < text.Length && text[i] != '"'; i++)
                {
                    if (text[i] == '\\' && i + 1 < text.Length && text[i + 1] is '"' or '\\')
                    {
                        i++;
                    }

                    word.Append(text[i]);
                }

                if (i == text.Length)
                {
                    throw new FormatException($"'{text}': a quote is not closed.");
                }
            }
            else if (char.IsWhiteSpace(c))
            {
                if (inWord)
                {
                    words.Add(word.ToString());
                    word.Clear();
                    inWord = false;
                }
            }
            else
            {
                word.Append(c);
                inWord = true;
            }
        }

        if (inWord)
        {
            words.Add(word.ToString());
        }

        return words;
    }
}
