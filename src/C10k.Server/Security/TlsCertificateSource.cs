using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using C10k.Server.Diagnostics;
using C10k.Server.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace C10k.Server.Security;

/// <summary>
/// The TLS settings every handshake on a TLS port gets: the certificate of <c>C10k:Tls</c> (with its chain, sent from memory),
/// TLS 1.2 and 1.3, and the client-certificate rule. The files (certificate, key, client CA) are checked for changes at most once
/// a second, on a handshake, by their contents' hash (so a copy that keeps the old time stamp counts too), and reloaded when they
/// change: a renewed certificate needs no restart. Files that fail to load keep the previous settings and are logged once; the
/// next change is tried again (a renewal caught half-written loads once it is complete).
/// </summary>
internal sealed class TlsCertificateSource
{
    private static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(1);

    private readonly TlsOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _reload = new();
    private SslServerAuthenticationOptions _current;
    private byte[] _stamp;
    private byte[]? _failedStamp;
    private long _nextCheck;

    public TlsCertificateSource(IOptions<TlsOptions> options, TimeProvider time, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggers);
        _options = options.Value;
        _time = time;
        _logger = loggers.CreateLogger("C10k.Server.Tls");
        _stamp = Stamp();
        _current = Load();
        _nextCheck = _time.GetTimestamp();
    }

    /// <summary>Kestrel's per-handshake callback (<see cref="TlsHandshakeCallbackOptions.OnConnection"/>).</summary>
    public ValueTask<SslServerAuthenticationOptions> OnConnectionAsync(TlsHandshakeCallbackContext context) => new(Current);

    /// <summary>The settings for a handshake starting now (reloaded first if the files changed).</summary>
    public SslServerAuthenticationOptions Current
    {
        get
        {
            var now = _time.GetTimestamp();
            if (now >= Volatile.Read(ref _nextCheck) && _reload.TryEnter())
            {
                try
                {
                    _nextCheck = now + (long)(CheckInterval.TotalSeconds * _time.TimestampFrequency);
                    ReloadIfChanged();
                }
                finally
                {
                    _reload.Exit();
                }
            }

            return Volatile.Read(ref _current);
        }
    }

    /// <summary>The callback's options for Kestrel's <c>UseHttps</c>.</summary>
    public TlsHandshakeCallbackOptions HandshakeOptions() => new()
    {
        OnConnection = OnConnectionAsync,
        HandshakeTimeout = TimeSpan.FromMilliseconds(_options.HandshakeTimeoutMs),
    };

    private void ReloadIfChanged()
    {
        var stamp = Stamp();
        if (stamp.AsSpan().SequenceEqual(_stamp) || stamp.AsSpan().SequenceEqual(_failedStamp))
        {
            return;
        }

        try
        {
            Volatile.Write(ref _current, Load());
            _stamp = stamp;
            _failedStamp = null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
        {
            _failedStamp = stamp;
            AdmissionLog.CertificateReloadFailed(_logger, ex.Message);
        }
    }

    private SslServerAuthenticationOptions Load()
    {
        var (certificate, chain) = TlsCertificateFiles.Load(_options);
        X509Certificate2Collection? clientRoots = null;
        if (_options.ClientCaPath.Length > 0)
        {
            clientRoots = [];
            clientRoots.ImportFromPemFile(_options.ClientCaPath);
        }

        AdmissionLog.CertificateLoaded(_logger, _options.CertificatePath, certificate.Subject, certificate.NotAfter.ToUniversalTime());
        return new SslServerAuthenticationOptions
        {
            ServerCertificateContext = SslStreamCertificateContext.Create(certificate, chain, offline: true),
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            ClientCertificateRequired = _options.RequireClientCertificate,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            RemoteCertificateValidationCallback = _options.RequireClientCertificate
                ? (_, presented, presentedChain, errors) => IsTrustedClient(clientRoots, presented, presentedChain, errors)
                : null,
        };
    }

    // A client certificate must chain to the client CA file's roots (when given) or the system's.
    private static bool IsTrustedClient(X509Certificate2Collection? roots, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is null)
        {
            return false;
        }

        if (roots is null)
        {
            return errors == SslPolicyErrors.None;
        }

        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.AddRange(roots);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (chain is not null)
        {
            custom.ChainPolicy.ExtraStore.AddRange(chain.ChainPolicy.ExtraStore);
        }

        return custom.Build(certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()));
    }

    // SHA-256 over the contents of every file the settings come from (a missing or unreadable one counts as empty): a renewal
    // changes at least one, whatever it does to the files' time stamps.
    private byte[] Stamp()
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var path in new[] { _options.CertificatePath, _options.KeyPath, _options.ClientCaPath })
        {
            try
            {
                hash.AppendData(path.Length > 0 ? File.ReadAllBytes(path) : []);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                hash.AppendData("unreadable"u8);
            }

            hash.AppendData([0]);
        }

        return hash.GetHashAndReset();
    }
}
