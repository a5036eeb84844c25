using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace C10k.Client;

/// <summary>TLS settings of a <see cref="C10kClient"/> (<see cref="ClientOptions.Tls"/>): TLS 1.2 or 1.3 to the server's TLS port.</summary>
public sealed class ClientTlsOptions
{
    /// <summary>Name the server's certificate must carry, also sent as SNI. Default null: the host passed to ConnectAsync.</summary>
    public string? ServerName { get; set; }

    /// <summary>PEM file of the CA certificates the server's certificate must chain to. Default null: the system's trusted roots.</summary>
    public string? CaCertificatePath { get; set; }

    /// <summary>Client certificate with its private key, for a server that requires one (mutual TLS). Default null.</summary>
    public X509Certificate2? ClientCertificate { get; set; }

    /// <summary>
    /// PEM file of a client certificate (used when <see cref="ClientCertificate"/> is null), with its key in
    /// <see cref="ClientKeyPath"/> or in the same file. Default null.
    /// </summary>
    public string? ClientCertificatePath { get; set; }

    /// <summary>PEM private key of <see cref="ClientCertificatePath"/>. Default null: in the certificate file.</summary>
    public string? ClientKeyPath { get; set; }

    /// <summary>
    /// The handshake settings for a connection to <paramref name="host"/>: TLS 1.2 or 1.3, the server name (or the host), the client
    /// certificate, and the CA file as the only trusted root when given. For any TLS stream, not only a <see cref="C10kClient"/>'s.
    /// </summary>
    public SslClientAuthenticationOptions CreateAuthenticationOptions(string host)
    {
        var options = new SslClientAuthenticationOptions
        {
            TargetHost = ServerName ?? host,
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
        };
        var certificate = ClientCertificate ?? (ClientCertificatePath is { } path ? X509Certificate2.CreateFromPemFile(path, ClientKeyPath) : null);
        if (certificate is not null)
        {
            options.ClientCertificates = [certificate];
        }

        if (CaCertificatePath is { } caPath)
        {
            var roots = new X509Certificate2Collection();
            roots.ImportFromPemFile(caPath);
            options.CertificateChainPolicy = new X509ChainPolicy
            {
                TrustMode = X509ChainTrustMode.CustomRootTrust,
                RevocationMode = X509RevocationMode.NoCheck,
            };
            options.CertificateChainPolicy.CustomTrustStore.AddRange(roots);
        }

        return options;
    }
}
