using System.ComponentModel.DataAnnotations;

namespace PasswordService;

/// <summary>Section <c>Passwords</c>.</summary>
public sealed class PasswordOptions
{
    /// <summary>PBKDF2-HMAC-SHA256 iterations of a new hash. Default 600,000: OWASP's recommendation for this hash (2023).</summary>
    [Range(PasswordHasher.MinIterations, PasswordHasher.MaxIterations)]
    public int Iterations { get; set; } = 600_000;
}
