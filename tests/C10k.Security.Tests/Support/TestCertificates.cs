using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace C10k.Security.Tests.Support;

/// <summary>
/// A throw-away CA with a server certificate (localhost, 127.0.0.1) and a client certificate, ECDSA P-256 (an RSA handshake costs
/// milliseconds of CPU), made at test time as PEM files in a temporary directory that is deleted afterwards: no key is committed.
/// </summary>
internal sealed class TestCertificates : IDisposable
{
    private readonly string _directory = System.IO.Directory.CreateTempSubdirectory("c10k-tls-").FullName;

    public TestCertificates(string serverName = "localhost")
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=C10k test CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        using var ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        CaCertificate = Write("ca.crt", ca.ExportCertificatePem());
        Write("ca.key", caKey.ExportPkcs8PrivateKeyPem());
        (ServerCertificate, ServerKey) = Issue(ca, "server", serverName, new Oid("1.3.6.1.5.5.7.3.1"));
        (ClientCertificate, ClientKey) = Issue(ca, "client", "c10k-client", new Oid("1.3.6.1.5.5.7.3.2"));
    }

    public string Directory => _directory;

    public string CaCertificate { get; }

    public string ServerCertificate { get; }

    public string ServerKey { get; }

    public string ClientCertificate { get; }

    public string ClientKey { get; }

    /// <summary>Server settings (<c>Section:Key=value</c>) for both fronts' TLS ports on free ports with the server certificate, then <paramref name="more"/>.</summary>
    public string[] ServerSettings(params string[] more) =>
        ["Native:TlsPort=0", "Resp:TlsPort=0", "Tls:CertificatePath=" + ServerCertificate, "Tls:KeyPath=" + ServerKey, .. more];

    /// <summary>Issues another server certificate from the same CA (for reload tests); returns its certificate and key paths.</summary>
    public (string Certificate, string Key) IssueServer(string name, string commonName)
    {
        using var ca = X509Certificate2.CreateFromPemFile(CaCertificate, Path.Combine(_directory, "ca.key"));
        return Issue(ca, name, commonName, new Oid("1.3.6.1.5.5.7.3.1"));
    }

    public void Dispose() => System.IO.Directory.Delete(_directory, recursive: true);

    private (string Certificate, string Key) Issue(X509Certificate2 ca, string name, string commonName, Oid usage)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=" + commonName, key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(commonName);
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([usage], false));
        using var caKey = ca.GetECDsaPrivateKey()!;
        var serial = RandomNumberGenerator.GetBytes(8);
        using var issued = request.Create(ca.SubjectName, X509SignatureGenerator.CreateForECDsa(caKey), DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1), serial);
        return (Write(name + ".crt", issued.ExportCertificatePem()), Write(name + ".key", key.ExportPkcs8PrivateKeyPem()));
    }

    private string Write(string name, string pem)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, pem);
        return path;
    }
}
