using System.Globalization;
using System.Text;
using C10k.Protocol.Typed;

namespace C10k.Client;

/// <summary>
/// A typed reply as the client returns it: a simple string, an error, an integer, bulk data, an array of values, or nil
/// (docs/protocol.md, "Typed replies"). A reply without types (every version-1 operation) is <see cref="ReplyType.Bulk"/>.
/// </summary>
public sealed class ReplyValue
{
    private static readonly ReplyValue NilValue = new(ReplyType.Nil, 0, ReadOnlyMemory<byte>.Empty, []);

    private ReplyValue(ReplyType type, long number, ReadOnlyMemory<byte> bytes, IReadOnlyList<ReplyValue> elements)
    {
        Type = type;
        Number = number;
        Bytes = bytes;
        Elements = elements;
    }

    /// <summary>The value's type.</summary>
    public ReplyType Type { get; }

    /// <summary>The value of an <see cref="ReplyType.Integer"/>; 0 otherwise.</summary>
    public long Number { get; }

    /// <summary>The bytes of a string (simple, error, bulk); empty otherwise.</summary>
    public ReadOnlyMemory<byte> Bytes { get; }

    /// <summary>The elements of an <see cref="ReplyType.Array"/>; empty otherwise.</summary>
    public IReadOnlyList<ReplyValue> Elements { get; }

    /// <summary>True for nil.</summary>
    public bool IsNil => Type == ReplyType.Nil;

    /// <summary>A string's bytes as UTF-8 text.</summary>
    public string Text => Encoding.UTF8.GetString(Bytes.Span);

    /// <summary>Bulk data (what an untyped reply is).</summary>
    public static ReplyValue Bulk(ReadOnlyMemory<byte> bytes) => new(ReplyType.Bulk, 0, bytes, []);

    /// <summary>Decodes a typed payload; malformed input throws <see cref="InvalidDataException"/>.</summary>
    public static ReplyValue Decode(ReadOnlySpan<byte> payload)
    {
        if (!ReplyReader.IsWellFormed(payload))
        {
            throw new InvalidDataException("The typed reply is malformed.");
        }

        var reader = new ReplyReader(payload);
        return Read(ref reader);
    }

    /// <summary>
    /// The value in the notation of docs/protocol.md's test vectors: <c>42</c>, <c>"data"</c> (bytes outside printable ASCII as
    /// <c>\xHH</c>), <c>+OK</c>, <c>-ERR message</c>, <c>nil</c>, <c>[a, b]</c>.
    /// </summary>
    public override string ToString() => Type switch
    {
        ReplyType.Integer => Number.ToString(CultureInfo.InvariantCulture),
        ReplyType.SimpleString => "+" + Text,
        ReplyType.Error => "-" + Text,
        ReplyType.Nil => "nil",
        ReplyType.Array => "[" + string.Join(", ", Elements) + "]",
        _ => Quoted(Bytes.Span),
    };

    private static ReplyValue Read(ref ReplyReader reader)
    {
        var type = reader.Read(out var bytes, out var number);
        switch (type)
        {
            case ReplyType.Nil:
                return NilValue;
            case ReplyType.Integer:
                return new(type, number, ReadOnlyMemory<byte>.Empty, []);
            case ReplyType.Array:
                var elements = new ReplyValue[number];
                for (var i = 0; i < elements.Length; i++)
                {
                    elements[i] = Read(ref reader);
                }

                return new(type, 0, ReadOnlyMemory<byte>.Empty, elements);
            default:
                return new(type, 0, bytes.ToArray(), []);
        }
    }

    private static string Quoted(ReadOnlySpan<byte> bytes)
    {
        var text = new StringBuilder("\"");
        foreach (var b in bytes)
        {
            text.Append(b is >= 0x20 and < 0x7F and not (byte)'"' and not (byte)'\\' ? (char)b : $"\\x{b:x2}");
        }

        return text.Append('"').ToString();
    }
}
