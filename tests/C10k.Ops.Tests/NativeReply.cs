using System.Text;
using C10k.Protocol.Native;

namespace C10k.Ops.Tests;

/// <summary>A reply frame as the test client read it.</summary>
internal sealed record NativeReply(ushort Opcode, uint RequestId, NativeStatus Status, byte[] Payload)
{
    public string Text => Encoding.UTF8.GetString(Payload);
}
