using System.Text;
using C10k.Protocol.Native;

namespace C10k.Testing;

/// <summary>A reply frame as <see cref="RawConnection"/> read it.</summary>
public sealed record NativeReply(ushort Opcode, uint RequestId, NativeStatus Status, byte[] Payload, byte Flags = NativeProtocol.ReplyFlag)
{
    public string Text => Encoding.UTF8.GetString(Payload);
}
