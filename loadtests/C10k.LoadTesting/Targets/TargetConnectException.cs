using System.Security.Authentication;

namespace C10k.LoadTesting.Targets;

/// <summary>
/// A connection that reached the server but could not be set up (TLS handshake, AUTH): counted as a connect failure under
/// <see cref="Exception.Message"/>, e.g. <c>tls handshake failed</c> or <c>auth refused (WRONGPASS)</c>.
/// </summary>
public sealed class TargetConnectException : Exception
{
    /// <summary>A connect failure without a reason.</summary>
    public TargetConnectException()
    {
    }

    /// <summary>A connect failure counted under <paramref name="reason"/>.</summary>
    public TargetConnectException(string reason)
        : base(reason)
    {
    }

    /// <summary>A connect failure counted under <paramref name="reason"/>, caused by <paramref name="innerException"/>.</summary>
    public TargetConnectException(string reason, Exception innerException)
        : base(reason, innerException)
    {
    }

    /// <summary>Awaits a TLS handshake; its failure (a certificate the client does not trust, a server that speaks no TLS) becomes <c>tls handshake failed: …</c>.</summary>
    internal static async Task HandshakeAsync(Task handshake)
    {
        try
        {
            await handshake;
        }
        catch (Exception e) when (e is AuthenticationException or IOException)
        {
            throw new TargetConnectException("tls handshake failed: " + e.Message, e);
        }
    }
}
