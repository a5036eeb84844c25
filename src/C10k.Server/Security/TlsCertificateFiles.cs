using System.Security.Cryptography.X509Certificates;
using C10k.Server.Hosting;

namespace C10k.Server.Security;

/// <summary>Reads the server certificate of <c>C10k:Tls</c>: PEM (certificate, intermediates, key in the same or its own file) or PKCS#12.</summary>
internal static class TlsCertificateFiles
{
    /// <summary>The certificate with its private key, and the intermediates to send with it.</summary>
    public static (X509Certificate2 Certificate, X509Certificate2Collection Chain) Load(TlsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var path = options.CertificatePath;
        if (IsPkcs12(path))
        {
            var all = X509CertificateLoader.LoadPkcs12CollectionFromFile(path, options.Password);
            var leaf = all.First(c => c.HasPrivateKey);
            return (leaf, [.. all.Where(c => !ReferenceEquals(c, leaf))]);
        }

        var keyPath = options.KeyPath.Length > 0 ? options.KeyPath : null;
        var certificate = options.Password.Length > 0
            ? X509Certificate2.CreateFromEncryptedPemFile(path, options.Password, keyPath)
            : X509Certificate2.CreateFromPemFile(path, keyPath);
        var chain = new X509Certificate2Collection();
        chain.ImportFromPemFile(path);
        return (certificate, [.. chain.Where(c => c.Thumbprint != certificate.Thumbprint)]);
    }

    private static bool IsPkcs12(string path) =>
        path.EndsWith(".pfx", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".p12", StringComparison.OrdinalIgnoreCase);
}
