using C10k.Protocol.Native;

namespace C10k.Client;

/// <summary>A reply without its payload: what <see cref="C10kClient.SendForStatusAsync"/> returns, with nothing allocated.</summary>
/// <param name="Status">Status.</param>
/// <param name="PayloadLength">Length of the payload the server sent (not kept).</param>
public readonly record struct NativeReplyStatus(NativeStatus Status, int PayloadLength);
