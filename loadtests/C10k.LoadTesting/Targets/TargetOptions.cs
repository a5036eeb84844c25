using C10k.Client;

namespace C10k.LoadTesting.Targets;

/// <summary>
/// How connections to a target are secured and authenticated (<c>--tls</c>, <c>--cacert</c>, <c>--sni</c>, <c>--cert</c>,
/// <c>--key</c>, <c>--user</c>, <c>--password</c>). File paths are read where the connections are opened (on each agent's host).
/// </summary>
public sealed record TargetOptions
{
    /// <summary>No TLS, no AUTH.</summary>
    public static TargetOptions None { get; } = new();

    /// <summary>Connect with TLS 1.2 or 1.3 (implied by a <c>rediss://</c> target).</summary>
    public bool Tls { get; init; }

    /// <summary>PEM file of the CA certificates the server's certificate must chain to; null: the system's trusted roots.</summary>
    public string? CaCertificatePath { get; init; }

    /// <summary>Name the server's certificate must carry, sent as SNI; null: the target's host.</summary>
    public string? ServerName { get; init; }

    /// <summary>PEM client certificate for servers that require one (mutual TLS), with its key in <see cref="ClientKeyPath"/> or in the same file.</summary>
    public string? ClientCertificatePath { get; init; }

    /// <summary>PEM private key of <see cref="ClientCertificatePath"/>.</summary>
    public string? ClientKeyPath { get; init; }

    /// <summary>User for AUTH; null: <c>AUTH password</c> on RESP, the user <c>default</c> on the native protocol.</summary>
    public string? User { get; init; }

    /// <summary>Password to authenticate each connection with once connected (RESP <c>AUTH</c>, native AUTH); null: no AUTH.</summary>
    public string? Password { get; init; }

    /// <summary>
    /// Reads the certificate files once, so a missing or malformed one fails the run before any connection: throws
    /// <see cref="FileNotFoundException"/> or <see cref="System.Security.Cryptography.CryptographicException"/>.
    /// </summary>
    public void Validate(string host) => ClientTls?.CreateAuthenticationOptions(host);

    /// <summary>The client's TLS settings, or null without TLS.</summary>
    internal ClientTlsOptions? ClientTls => Tls
        ? new ClientTlsOptions { CaCertificatePath = CaCertificatePath, ServerName = ServerName, ClientCertificatePath = ClientCertificatePath, ClientKeyPath = ClientKeyPath }
        : null;
}
