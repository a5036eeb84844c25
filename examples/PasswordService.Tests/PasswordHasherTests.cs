using System.Text;
using Microsoft.Extensions.Options;

namespace PasswordService.Tests;

public sealed class PasswordHasherTests
{
    private static readonly PasswordHasher Hasher = new(Options.Create(new PasswordOptions { Iterations = 10_000 }));

    [Fact]
    public void HashVerifiesItsOwnPasswordAndNoOther()
    {
        var stored = Hasher.Hash("correct horse"u8);

        Assert.True(PasswordHasher.Verify("correct horse"u8, stored));
        Assert.False(PasswordHasher.Verify("correct horsf"u8, stored));
    }

    [Fact]
    public void StoredHashNamesSchemeAndIterationsAndUsesAFreshSalt()
    {
        var first = Hasher.Hash("pw"u8);
        var second = Hasher.Hash("pw"u8);

        Assert.StartsWith("pbkdf2-sha256$10000$", first, StringComparison.Ordinal);
        Assert.NotEqual(first, second);
        Assert.True(PasswordHasher.TryReadIterations(first, out var iterations));
        Assert.Equal(10_000, iterations);
    }

    [Fact]
    public void KnownVectorMatches()
    {
        // PBKDF2-HMAC-SHA256("password", "saltsaltsaltsalt", 1000 iterations, 32 bytes), computed independently with Python's hashlib.pbkdf2_hmac.
        var salt = Convert.ToBase64String(Encoding.ASCII.GetBytes("saltsaltsaltsalt"));
        var stored = $"pbkdf2-sha256$1000${salt}$8nX7hwFEzIB8aPajJTYK8weHQc5Ngz0pFVAKvSu4jQA=";

        Assert.True(PasswordHasher.Verify("password"u8, stored));
    }

    [Theory]
    [InlineData("pbkdf2-sha256$999$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")]
    [InlineData("pbkdf2-sha256$5000001$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")]
    [InlineData("pbkdf2-sha1$10000$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")]
    [InlineData("pbkdf2-sha256$10000$not base64$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")]
    [InlineData("pbkdf2-sha256$10000$AAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")]
    [InlineData("")]
    public void MalformedOrOutOfRangeStoredHashIsRejected(string stored)
    {
        Assert.False(PasswordHasher.TryReadIterations(stored, out _));
        Assert.False(PasswordHasher.Verify("pw"u8, stored));
    }
}
