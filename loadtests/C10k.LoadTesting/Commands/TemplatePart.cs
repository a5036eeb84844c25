using System.Globalization;
using System.Text;

namespace C10k.LoadTesting.Commands;

/// <summary>One piece of an argument template: literal bytes, or a placeholder rendered per iteration.</summary>
internal abstract class TemplatePart
{
    /// <summary>Parses the text between braces, e.g. <c>seq</c>, <c>random:1-100000</c>, <c>int:1000</c>, <c>bytes:64</c>, <c>feed</c>, <c>key</c>.</summary>
    public static TemplatePart Placeholder(string text, int position)
    {
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        var name = colon < 0 ? text : text[..colon];
        var argument = colon < 0 ? null : text[(colon + 1)..];
        return (name, argument) switch
        {
            ("seq", null) => new SequencePart(),
            ("feed", null) => new FeedPart(),
            ("random", { } range) => RandomPart.Parse(range, text, position),
            ("int", { } max) => new RandomPart(1, Number(max, text), position),
            ("bytes", { } count) => new Literal(Encoding.ASCII.GetBytes(new string('x', checked((int)Number(count, text))))),
            (_, null) when IsVariableName(name) => new VariablePart(name),
            _ => throw new FormatException($"Unknown placeholder '{{{text}}}' (use {{seq}}, {{feed}}, {{random:MIN-MAX}}, {{int:MAX}}, {{bytes:N}} or a variable {{name}})."),
        };
    }

    /// <summary>Letters, digits, '_' and '-', starting with a letter.</summary>
    public static bool IsVariableName(string name) =>
        name.Length > 0 && char.IsAsciiLetter(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-');

    /// <summary>The variable this part reads, if it is one.</summary>
    public virtual string? Variable => null;

    /// <summary>Appends this part's bytes for <paramref name="scope"/>.</summary>
    public abstract void Render(TemplateScope scope, List<byte> output);

    internal static long Number(string text, string placeholder) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : throw new FormatException($"Placeholder '{{{placeholder}}}': '{text}' is not a positive integer.");

    internal sealed class Literal(byte[] bytes) : TemplatePart
    {
        public byte[] Bytes { get; } = bytes;

        public override void Render(TemplateScope scope, List<byte> output) => output.AddRange(Bytes);
    }

    private sealed class SequencePart : TemplatePart
    {
        public override void Render(TemplateScope scope, List<byte> output) => AppendNumber(scope.Sequence, output);
    }

    private sealed class FeedPart : TemplatePart
    {
        public override void Render(TemplateScope scope, List<byte> output) => output.AddRange(scope.Feed.Span);
    }

    private sealed class VariablePart(string name) : TemplatePart
    {
        public override string? Variable => name;

        public override void Render(TemplateScope scope, List<byte> output) => output.AddRange(scope.Get(name).Span);
    }

    /// <summary>
    /// A uniform integer in [min, max], a hash of the iteration's sequence number and the placeholder's position: repeatable run to
    /// run, different per placeholder, and free of shared state between threads.
    /// </summary>
    private sealed class RandomPart(long min, long max, int position) : TemplatePart
    {
        public static RandomPart Parse(string range, string placeholder, int position)
        {
            var dash = range.IndexOf('-', StringComparison.Ordinal);
            if (dash <= 0)
            {
                throw new FormatException($"Placeholder '{{{placeholder}}}': give a range MIN-MAX, e.g. {{random:1-100000}}.");
            }

            var (min, max) = (Number(range[..dash], placeholder), Number(range[(dash + 1)..], placeholder));
            return max >= min ? new RandomPart(min, max, position) : throw new FormatException($"Placeholder '{{{placeholder}}}': MAX is below MIN.");
        }

        public override void Render(TemplateScope scope, List<byte> output)
        {
            var span = (ulong)(max - min) + 1;
            AppendNumber(min + (long)(SplitMix((ulong)scope.Sequence * 0x9E3779B97F4A7C15UL ^ (ulong)position) % span), output);
        }

        private static ulong SplitMix(ulong z)
        {
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }

    private static void AppendNumber(long value, List<byte> output)
    {
        Span<byte> digits = stackalloc byte[20];
        System.Buffers.Text.Utf8Formatter.TryFormat(value, digits, out var written);
        output.AddRange(digits[..written]);
    }
}
