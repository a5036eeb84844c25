using System.Buffers;
using System.Text;
using C10k.Protocol;
using C10k.Protocol.Typed;
using C10k.Server.Operations;

namespace PasswordService;

/// <summary>
/// <c>PWHASH password</c>: a new stored hash. Its cost is the configured iteration count, so auto placement puts it on the worker
/// pool (hundreds of milliseconds at 600,000 iterations) and never on a socket thread.
/// </summary>
public sealed class HashPasswordOperation(PasswordHasher hasher)
    : Operation("PWHASH", Code, OperationPlacement.Auto, minArgs: 1, maxArgs: 1)
{
    /// <summary>Native opcode (application range, 0x1000 and up).</summary>
    public const ushort Code = 0x1101;

    /// <inheritdoc />
    public override bool TryValidate(in ArgumentList args, out long cost, out string? message)
    {
        cost = hasher.Iterations;
        message = PasswordArgument.Check(args[0]);
        return message is null;
    }

    /// <inheritdoc />
    public override void Execute(in ArgumentList args, IBufferWriter<byte> reply, CancellationToken cancellationToken)
    {
        // One PBKDF2 call can't be interrupted: a request cancelled while queued stops here, before it starts.
        cancellationToken.ThrowIfCancellationRequested();
        Span<byte> password = stackalloc byte[PasswordHasher.MaxPasswordBytes];
        args[0].CopyTo(password);
        Encoding.ASCII.GetBytes(hasher.Hash(password[..(int)args[0].Length]), reply);
    }
}

/// <summary>
/// <c>PWVERIFY password stored</c>: the integer <c>1</c> when the password matches the stored hash, else <c>0</c> (a typed
/// reply, like Redis's booleans: RESP <c>:1</c>). Its cost is the stored hash's own iteration count (bounded by
/// <see cref="PasswordHasher.MaxIterations"/>), read while validating.
/// </summary>
public sealed class VerifyPasswordOperation()
    : TypedOperation("PWVERIFY", Code, OperationPlacement.Auto, minArgs: 2, maxArgs: 2)
{
    /// <summary>Native opcode.</summary>
    public const ushort Code = 0x1102;

    /// <summary>The message for a stored hash that is not one of ours.</summary>
    public const string BadStoredHash = "stored hash is not pbkdf2-sha256$iterations$salt$key";

    // Ours are about 90 bytes; anything much longer is not decoded on the socket thread.
    private const int MaxStoredBytes = 128;

    /// <inheritdoc />
    public override bool TryValidate(in ArgumentList args, out long cost, out string? message)
    {
        var iterations = 0;
        message = PasswordArgument.Check(args[0])
            ?? (args[1].Length <= MaxStoredBytes && PasswordHasher.TryReadIterations(Encoding.ASCII.GetString(args[1]), out iterations) ? null : BadStoredHash);
        cost = iterations;
        return message is null;
    }

    /// <inheritdoc />
    public override void Execute(in ArgumentList args, ReplyWriter reply, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Span<byte> password = stackalloc byte[PasswordHasher.MaxPasswordBytes];
        args[0].CopyTo(password);
        var matches = PasswordHasher.Verify(password[..(int)args[0].Length], Encoding.ASCII.GetString(args[1]));
        reply.WriteInteger(matches ? 1 : 0);
    }
}

/// <summary>The rules for a password argument, shared by both operations.</summary>
internal static class PasswordArgument
{
    public static string? Check(ReadOnlySequence<byte> password) => password.Length switch
    {
        0 => "password is empty",
        > PasswordHasher.MaxPasswordBytes => "password is longer than 1024 bytes",
        _ => null,
    };
}
