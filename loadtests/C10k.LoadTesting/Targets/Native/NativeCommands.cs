using System.Buffers.Text;
using System.Globalization;
using System.Text;
using C10k.Protocol.Native;

namespace C10k.LoadTesting.Targets.Native;

/// <summary>Command words on a native target: the built-in operations by name (any case), or any opcode as <c>0x1001</c> or <c>4097</c>.</summary>
internal static class NativeCommands
{
    public static bool TryGetOpcode(ReadOnlySpan<byte> word, out ushort opcode)
    {
        opcode = word switch
        {
            _ when Ascii.EqualsIgnoreCase(word, "PING"u8) => NativeOpcodes.Ping,
            _ when Ascii.EqualsIgnoreCase(word, "ECHO"u8) => NativeOpcodes.Echo,
            _ when Ascii.EqualsIgnoreCase(word, "HASH"u8) => NativeOpcodes.Hash,
            _ when Ascii.EqualsIgnoreCase(word, "HELLO"u8) => NativeOpcodes.Hello,
            _ => 0,
        };
        if (opcode != 0)
        {
            return true;
        }

        if (word.Length > 2 && word[0] == '0' && (word[1] | 0x20) == 'x')
        {
            return ushort.TryParse(System.Text.Encoding.ASCII.GetString(word[2..]), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out opcode) && opcode != 0;
        }

        return Utf8Parser.TryParse(word, out opcode, out var consumed) && consumed == word.Length && opcode != 0;
    }
}
