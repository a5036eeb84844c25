using System.Buffers;
using C10k.Protocol.Native;

namespace C10k.Client;

/// <summary>Typed replies: the connection asks for them once (HELLO 2), then operations that reply with types return <see cref="ReplyValue"/>s.</summary>
public sealed partial class C10kClient
{
    private Task<bool>? _typedReplies;

    /// <summary>
    /// Asks the server for typed replies on this connection (HELLO with version 2), once; later calls return the same answer.
    /// False when the server speaks version 1 only: its replies are then bytes, which <see cref="CallAsync"/> returns as bulk values.
    /// </summary>
    public Task<bool> EnableTypedRepliesAsync(CancellationToken cancellationToken = default)
    {
        var asked = Volatile.Read(ref _typedReplies);
        if (asked is not null && !asked.IsFaulted && !asked.IsCanceled)
        {
            return asked;
        }

        var hello = HelloTypedAsync(cancellationToken);
        return Interlocked.CompareExchange(ref _typedReplies, hello, asked) == asked ? hello : _typedReplies!;
    }

    /// <summary>
    /// Calls an operation and returns its reply as a typed value (bulk for an operation without types). A status other than OK
    /// (an error reply included) throws <see cref="C10kStatusException"/>.
    /// </summary>
    public async Task<ReplyValue> CallAsync(ushort opcode, IReadOnlyList<ReadOnlyMemory<byte>> arguments, uint deadlineMs = 0, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        await EnableTypedRepliesAsync(cancellationToken).ConfigureAwait(false);
        var payload = new ArrayBufferWriter<byte>();
        foreach (var argument in arguments)
        {
            NativeArguments.Write(payload, argument.Span);
        }

        var reply = EnsureOk(await SendAsync(opcode, payload.WrittenMemory, deadlineMs, cancellationToken).ConfigureAwait(false));
        return reply.IsTyped ? ReplyValue.Decode(reply.Payload.Span) : ReplyValue.Bulk(reply.Payload);
    }

    private async Task<bool> HelloTypedAsync(CancellationToken cancellationToken)
    {
        var reply = EnsureOk(await SendAsync(NativeOpcodes.Hello, Arguments("2"u8), 0, cancellationToken).ConfigureAwait(false));
        return System.Buffers.Binary.BinaryPrimitives.ReadUInt16BigEndian(reply.Payload.Span) >= NativeProtocol.TypedVersion;
    }
}
