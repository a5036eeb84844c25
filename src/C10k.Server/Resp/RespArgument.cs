using System.Buffers;
using System.Text;

namespace C10k.Server.Resp;

/// <summary>Matches an argument off the wire against a keyword, ignoring case, without a string.</summary>
internal static class RespArgument
{
    // Longer than any keyword we match.
    private const int MaxKeyword = 32;

    public static bool Is(in ReadOnlySequence<byte> argument, ReadOnlySpan<byte> keyword)
    {
        if (argument.Length != keyword.Length)
        {
            return false;
        }

        if (argument.IsSingleSegment)
        {
            return Ascii.EqualsIgnoreCase(argument.FirstSpan, keyword);
        }

        if (keyword.Length > MaxKeyword)
        {
            return false;
        }

        Span<byte> copy = stackalloc byte[MaxKeyword];
        argument.CopyTo(copy);
        return Ascii.EqualsIgnoreCase(copy[..keyword.Length], keyword);
    }
}
