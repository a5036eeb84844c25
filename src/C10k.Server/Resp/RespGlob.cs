namespace C10k.Server.Resp;

/// <summary>
/// Redis's glob patterns as far as CONFIG GET needs them: <c>*</c>, <c>?</c>, <c>[abc]</c>, <c>\x</c>; case-insensitive.
/// Iterative with one backtrack point, so a pattern of many stars costs O(pattern × text), not an exponential walk.
/// </summary>
internal static class RespGlob
{
    public static bool IsMatch(ReadOnlySpan<char> pattern, ReadOnlySpan<char> text)
    {
        int p = 0, t = 0, starP = -1, starT = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length && pattern[p] == '*')
            {
                starP = ++p;
                starT = t;
            }
            else if (p < pattern.Length && TryMatchOne(pattern, ref p, text[t]))
            {
                t++;
            }
            else if (starP >= 0)
            {
                p = starP;
                t = ++starT;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }

        return p == pattern.Length;
    }

    // Matches one pattern element at p against c; on success moves p past the element.
    private static bool TryMatchOne(ReadOnlySpan<char> pattern, ref int p, char c)
    {
        c = char.ToLowerInvariant(c);
        switch (pattern[p])
        {
            case '?':
                p++;
                return true;
            case '[':
                var close = pattern[p..].IndexOf(']');
                if (close < 0 || !pattern.Slice(p + 1, close - 1).Contains(c))
                {
                    return false;
                }

                p += close + 1;
                return true;
            case '\\' when p + 1 < pattern.Length:
                if (char.ToLowerInvariant(pattern[p + 1]) != c)
                {
                    return false;
                }

                p += 2;
                return true;
            default:
                if (char.ToLowerInvariant(pattern[p]) != c)
                {
                    return false;
                }

                p++;
                return true;
        }
    }
}
