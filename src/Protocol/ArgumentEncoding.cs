namespace C10k.Protocol;

/// <summary>How the arguments of a request are laid out in <see cref="ArgumentList.Raw"/>.</summary>
public enum ArgumentEncoding : byte
{
    /// <summary>Native: each argument is a big-endian u32 length followed by that many bytes.</summary>
    LengthPrefixed,

    /// <summary>RESP multibulk: each argument is <c>$len\r\n</c>, the bytes, then <c>\r\n</c>.</summary>
    RespBulk,

    /// <summary>
    /// RESP inline command: arguments separated by spaces or tabs, no line terminator in <see cref="ArgumentList.Raw"/>. Only lines
    /// with no quotes and no other blanks arrive this way; the reader decodes the others (Redis's quoting rules) into <see cref="RespBulk"/>.
    /// </summary>
    RespInline,
}
