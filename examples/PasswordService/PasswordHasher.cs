using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace PasswordService;

/// <summary>
/// PBKDF2-HMAC-SHA256 with a random 16-byte salt and a 32-byte key, stored as <c>pbkdf2-sha256$iterations$salt$key</c>
/// (salt and key in base64). The stored iteration count is the one verified against, so raising the count keeps old hashes valid.
/// </summary>
public sealed class PasswordHasher(IOptions<PasswordOptions> options)
{
    /// <summary>Fewest iterations a stored hash may name.</summary>
    public const int MinIterations = 1_000;

    /// <summary>Most iterations a stored hash may name: a client can't make one request cost minutes.</summary>
    public const int MaxIterations = 5_000_000;

    /// <summary>Longest password accepted, in bytes.</summary>
    public const int MaxPasswordBytes = 1_024;

    private const string Scheme = "pbkdf2-sha256";
    private const int SaltBytes = 16;
    private const int KeyBytes = 32;

    /// <summary>Iterations of a new hash.</summary>
    public int Iterations => options.Value.Iterations;

    /// <summary>Hashes <paramref name="password"/> with a fresh salt.</summary>
    public string Hash(ReadOnlySpan<byte> password)
    {
        Span<byte> salt = stackalloc byte[SaltBytes];
        RandomNumberGenerator.Fill(salt);
        Span<byte> key = stackalloc byte[KeyBytes];
        Rfc2898DeriveBytes.Pbkdf2(password, salt, key, Iterations, HashAlgorithmName.SHA256);
        return string.Create(CultureInfo.InvariantCulture, $"{Scheme}${Iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(key)}");
    }

    /// <summary>True when <paramref name="password"/> matches <paramref name="stored"/> (compared in constant time); false when it doesn't or <paramref name="stored"/> is malformed.</summary>
    public static bool Verify(ReadOnlySpan<byte> password, string stored)
    {
        if (!TryParse(stored, out var iterations, out var salt, out var expected))
        {
            return false;
        }

        Span<byte> key = stackalloc byte[KeyBytes];
        Rfc2898DeriveBytes.Pbkdf2(password, salt, key, iterations, HashAlgorithmName.SHA256);
        return CryptographicOperations.FixedTimeEquals(key, expected);
    }

    /// <summary>The iteration count of a well-formed stored hash, for the cost estimate; false when it is malformed or out of range.</summary>
    public static bool TryReadIterations(string stored, out int iterations) => TryParse(stored, out iterations, out _, out _);

    private static bool TryParse(string stored, out int iterations, out byte[] salt, out byte[] key)
    {
        iterations = 0;
        salt = key = [];
        var parts = stored.Split('$');
        if (parts.Length != 4 || parts[0] != Scheme
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out iterations)
            || iterations is < MinIterations or > MaxIterations)
        {
            return false;
        }

        try
        {
            salt = Convert.FromBase64String(parts[2]);
            key = Convert.FromBase64String(parts[3]);
        }
        catch (FormatException)
        {
            return false;
        }

        return salt.Length == SaltBytes && key.Length == KeyBytes;
    }
}
