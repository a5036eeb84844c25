using System.ComponentModel.DataAnnotations;

namespace C10k.Server.Hosting;

/// <summary>
/// TLS of the data ports, section <c>C10k:Tls</c>: the certificate that <c>C10k:Native:TlsPort</c> and <c>C10k:Resp:TlsPort</c> serve.
/// TLS 1.2 and 1.3 only.
/// </summary>
public sealed class TlsOptions
{
    /// <summary>Configuration section.</summary>
    public const string Section = "C10k:Tls";

    /// <summary>
    /// Server certificate: a PEM file (the certificate, then any intermediates) or a PKCS#12 file (<c>.pfx</c>/<c>.p12</c>). Read at
    /// start and again whenever its contents (or the key's, or the client CA's) change, within a second; a change that does not
    /// load keeps the old one.
    /// Default empty; required when a TLS port is set.
    /// </summary>
    public string CertificatePath { get; set; } = "";

    /// <summary>The PEM private key of <c>CertificatePath</c>. Default empty: the key is in the certificate file (PEM or PKCS#12).</summary>
    public string KeyPath { get; set; } = "";

    /// <summary>Password of a PKCS#12 file or of an encrypted PEM key. Default empty.</summary>
    public string Password { get; set; } = "";

    /// <summary>Require a client certificate that chains to <c>ClientCaPath</c> (mutual TLS). Default false.</summary>
    public bool RequireClientCertificate { get; set; }

    /// <summary>
    /// PEM file of the CA certificates client certificates must chain to, reloaded with the certificate when it changes. Default
    /// empty: the system's trusted roots.
    /// </summary>
    public string ClientCaPath { get; set; } = "";

    /// <summary>A TLS handshake not finished within this long is closed (it holds a place under MaxConnections meanwhile). Default 10,000 ms.</summary>
    [Range(100, 600_000)]
    public int HandshakeTimeoutMs { get; set; } = 10_000;
}
