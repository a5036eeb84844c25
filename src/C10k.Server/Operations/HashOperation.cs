using System.Buffers;
using System.Security.Cryptography;
using C10k.Protocol;
using C10k.Protocol.Native;

namespace C10k.Server.Operations;

/// <summary>
/// HASH iterations data: d = SHA256(data), then iterations - 1 times d = SHA256(d); replies the 64-char lowercase hex of d.
/// The reference CPU-heavy operation (ARCHITECTURE.md); its cost estimate is its iteration count.
/// </summary>
internal sealed class HashOperation(int maxIterations) : Operation("HASH", NativeOpcodes.Hash, OperationPlacement.Auto, 2, 2)
{
    /// <summary>Message for an iteration count that is not a decimal in range (Redis's wording, shared by both fronts).</summary>
    public const string BadIterations = "value is not an integer or out of range";

    // One reusable hash context per thread: creating one per call costs ~40 % of HASH 1000 (measured in issue 4).
    [ThreadStatic]
    private static IncrementalHash? t_sha256;

    public override bool TryValidate(in ArgumentList args, out long cost, out string? message)
    {
        if (!args.TryGetInt64(0, out cost) || cost < 1 || cost > maxIterations)
        {
            message = BadIterations;
            return false;
        }

        message = null;
        return true;
    }

    public override void Execute(in ArgumentList args, IBufferWriter<byte> reply, CancellationToken cancellationToken)
    {
        args.TryGetInt64(0, out var iterations);
        var sha = t_sha256 ??= IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var segment in args[1])
        {
            sha.AppendData(segment.Span);
        }

        Span<byte> digest = stackalloc byte[32];
        sha.GetHashAndReset(digest);
        for (var i = 1; i < iterations; i++)
        {
            if ((i & 4095) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            sha.AppendData(digest);
            sha.GetHashAndReset(digest);
        }

        var hex = reply.GetSpan(64);
        for (var i = 0; i < digest.Length; i++)
        {
            hex[2 * i] = "0123456789abcdef"u8[digest[i] >> 4];
            hex[(2 * i) + 1] = "0123456789abcdef"u8[digest[i] & 0xF];
        }

        reply.Advance(64);
    }
}
