using System.Security.Cryptography;
using System.Text;
using C10k.Server.Hosting;
using Microsoft.Extensions.Options;

namespace C10k.Server.Security;

/// <summary>
/// The users of <c>C10k:Auth:Users</c>, each kept as the SHA-256 of its password. A check hashes the candidate and compares
/// hashes in constant time, and an unknown user costs the same hash and comparison, so timing tells nothing about the password.
/// </summary>
internal sealed class UserStore
{
    /// <summary>The user <c>AUTH password</c> (one argument) authenticates, as in Redis.</summary>
    public const string DefaultUser = "default";

    private static readonly byte[] NoUser = new byte[SHA256.HashSizeInBytes];
    private readonly Dictionary<string, byte[]> _hashes = new(StringComparer.Ordinal);

    public UserStore(IOptions<AuthOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        foreach (var (name, secret) in options.Value.Users)
        {
            _hashes[name] = TryParseHash(secret, out var hash) ? hash : SHA256.HashData(Encoding.UTF8.GetBytes(secret));
        }
    }

    /// <summary>True when users are configured: every connection must authenticate before anything else.</summary>
    public bool IsRequired => _hashes.Count > 0;

    /// <summary>Configured users.</summary>
    public int Count => _hashes.Count;

    /// <summary>True when <paramref name="password"/> is the password of <paramref name="user"/>.</summary>
    public bool Verify(ReadOnlySpan<byte> user, ReadOnlySpan<byte> password)
    {
        Span<byte> candidate = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(password, candidate);
        var known = _hashes.TryGetValue(Encoding.UTF8.GetString(user), out var hash);
        return CryptographicOperations.FixedTimeEquals(candidate, hash ?? NoUser) & known;
    }

    /// <summary>Parses <c>sha256:</c> followed by 64 hex digits.</summary>
    public static bool TryParseHash(string secret, out byte[] hash)
    {
        hash = new byte[SHA256.HashSizeInBytes];
        return secret.StartsWith(AuthOptions.HashPrefix, StringComparison.Ordinal)
            && secret.Length == AuthOptions.HashPrefix.Length + (2 * SHA256.HashSizeInBytes)
            && Convert.FromHexString(secret.AsSpan(AuthOptions.HashPrefix.Length), hash, out _, out _) == System.Buffers.OperationStatus.Done;
    }
}
