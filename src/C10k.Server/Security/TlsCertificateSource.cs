using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using C10k.Server.Diagnostics;
using C10k.Server.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace C10k.Server.Security;

/// <summary>
/// The TLS settings every handshake on a TLS port gets: the certificate of <c>C10k:Tls</c> (with its chain, sent from memory),
/// TLS 1.2 and 1.3, and the client-certificate rule. The files are checked for changes at most once a second, on a handshake,
/// and reloaded when they change (a renewed certificate needs no restart); one that fails to load keeps the previous one.
/// </summary>
internal sealed class TlsCertificateSource
{
    private static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(1);

    private readonly TlsOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _reload = new();
    private readonly X509Certificate2Collection? _clientRoots;
    private SslServerAuthenticationOptions _current;
    private string _stamp;
    private long _nextCheck;

    public TlsCertificateSource(IOptions<TlsOptions> options, TimeProvider time, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggers);
        _options = options.Value;
        _time = time;
        _logger = loggers.CreateLogger("C10k.Server.Tls");
        if (_options.ClientCaPath.Length > 0)
        {
            _clientRoots = [];
            _clientRoots.ImportFromPemFile(_options.ClientCaPath);
        }

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
        if (stamp == _stamp)
        {
            return;
        }

        try
        {
            Volatile.Write(ref _current, Load());
            _stamp = stamp;
        }
        catch (Exception ex) when (ex is IOException or System.Security.Cryptography.CryptographicException or ArgumentException)
        {
            // A renewal caught half-written: the next check after it is complete loads it.
            AdmissionLog.CertificateReloadFailed(_logger, ex.Message);
        }
    }

    private SslServerAuthenticationOptions Load()
    {
        var (certificate, chain) = TlsCertificateFiles.Load(_options);
        AdmissionLog.CertificateLoaded(_logger, _options.CertificatePath, certificate.Subject, certificate.NotAfter.ToUniversalTime());
        return new SslServerAuthenticationOptions
        {
            ServerCertificateContext = SslStreamCertificateContext.Create(certificate, chain, offline: true),
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            ClientCertificateRequired = _options.RequireClientCertificate,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            RemoteCertificateValidationCallback = _options.RequireClientCertificate ? ValidateClientCertificate : null,
        };
    }

    private bool ValidateClientCertificate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is null)
        {
            return false;
        }

        if (_clientRoots is null)
        {
            return errors == SslPolicyErrors.None;
        }

        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.AddRange(_clientRoots);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (chain is not null)
        {
            custom.ChainPolicy.ExtraStore.AddRange(chain.ChainPolicy.ExtraStore);
        }

        return custom.Build(certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()));
    }

    // Size and write time of every file the certificate comes from: a renewal changes at least one.
    private string Stamp() => string.Join('|', new[] { _options.CertificatePath, _options.KeyPath }
        .Where(p => p.Length > 0)
        .Select(p => new FileInfo(p))
        .Select(f => f.Exists ? $"{f.Length}@{f.LastWriteTimeUtc.Ticks}" : "missing"));
}
