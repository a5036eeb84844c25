using System.Buffers;
using System.Diagnostics.Metrics;
using System.Security.Cryptography;
using C10k.Server.Connections;
using C10k.Server.Diagnostics;
using Microsoft.Extensions.Logging;

namespace C10k.Server.Security;

/// <summary>
/// AUTH's decision for every front, with Redis 7's rules: with users configured a name and password must match; with none, the
/// default user has no password (any password for <c>default</c> passes, and a bare <c>AUTH password</c> is a configuration
/// mistake). Failures are counted (<c>c10k.auth.failures</c>) and logged rate-limited with the peer address.
/// </summary>
internal sealed class Authenticator
{
    private readonly UserStore _users;
    private readonly ILogger _logger;
    private readonly LogRateLimiter _limiter;
    private readonly Counter<long> _failures;

    public Authenticator(UserStore users, C10kMetrics metrics, ILoggerFactory loggers, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(loggers);
        _users = users;
        _logger = loggers.CreateLogger("C10k.Server.Auth");
        _limiter = new LogRateLimiter(time);
        _failures = metrics.Meter.CreateCounter<long>("c10k.auth.failures", "{attempt}", "AUTH attempts refused (wrong user or password), by front.");
    }

    /// <summary>True when connections start unauthenticated.</summary>
    public bool IsRequired => _users.IsRequired;

    /// <summary>
    /// Checks <paramref name="user"/> (<paramref name="userGiven"/> false: <c>default</c>, the one-argument AUTH) and
    /// <paramref name="password"/>, arguments as they came off the wire; the password's copy is wiped afterwards.
    /// </summary>
    public AuthResult Authenticate(Front front, in ReadOnlySequence<byte> user, bool userGiven, in ReadOnlySequence<byte> password, string? remote)
    {
        var secret = password.ToArray();
        var result = Authenticate(front, user.ToArray(), userGiven, secret, remote);
        CryptographicOperations.ZeroMemory(secret);
        return result;
    }

    private AuthResult Authenticate(Front front, ReadOnlySpan<byte> user, bool userGiven, ReadOnlySpan<byte> password, string? remote)
    {
        if (!_users.IsRequired)
        {
            if (!userGiven)
            {
                return AuthResult.NoPasswordConfigured;
            }

            if (user.SequenceEqual("default"u8))
            {
                return AuthResult.Ok;
            }
        }
        else if (_users.Verify(userGiven ? user : "default"u8, password))
        {
            return AuthResult.Ok;
        }

        _failures.Add(1, new KeyValuePair<string, object?>("front", C10kMetrics.FrontTag(front)));
        if (_limiter.TryAcquire(AdmissionLog.AuthFailedId, out var suppressed))
        {
            AdmissionLog.AuthFailed(_logger, front, userGiven ? Printable(user) : UserStore.DefaultUser, remote, suppressed);
        }

        return AuthResult.WrongPassword;
    }

    // A name off the wire goes into a log line: at most 64 bytes, control characters and non-ASCII as '?'.
    private static string Printable(ReadOnlySpan<byte> name)
    {
        name = name[..Math.Min(name.Length, 64)];
        Span<char> text = stackalloc char[name.Length];
        for (var i = 0; i < name.Length; i++)
        {
            text[i] = name[i] is >= 0x20 and < 0x7F ? (char)name[i] : '?';
        }

        return new string(text);
    }
}
