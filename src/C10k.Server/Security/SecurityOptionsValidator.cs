using System.Net;
using System.Security.Cryptography;
using C10k.Server.Hosting;
using Microsoft.Extensions.Options;

namespace C10k.Server.Security;

/// <summary>
/// Checks of the security options that a range can't express, each failure one line naming the key: user entries, the trusted
/// proxy list, the admin bind address, and a TLS port's certificate (loaded once here, so a bad file stops the start).
/// </summary>
internal sealed class SecurityOptionsValidator(IOptions<NativeOptions> native, IOptions<RespOptions> resp) :
    IValidateOptions<AuthOptions>, IValidateOptions<NetworkOptions>, IValidateOptions<AdminOptions>, IValidateOptions<TlsOptions>
{
    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        foreach (var (user, secret) in options.Users)
        {
            var key = AuthOptions.Section + ":Users:" + user;
            if (user.Length == 0 || user.Any(char.IsWhiteSpace))
            {
                failures.Add($"{key}: a user name must be non-empty and without spaces");
            }

            if (secret.Length == 0)
            {
                failures.Add($"{key} has an empty password");
            }
            else if (secret.StartsWith(AuthOptions.HashPrefix, StringComparison.Ordinal) && !UserStore.TryParseHash(secret, out _))
            {
                failures.Add($"{key} must be {AuthOptions.HashPrefix} followed by {2 * SHA256.HashSizeInBytes} hex digits");
            }
        }

        return Result(failures);
    }

    public ValidateOptionsResult Validate(string? name, NetworkOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return TrustedProxies.TryParse(options.TrustedProxies, out _, out var bad)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"{NetworkOptions.Section}:TrustedProxies must list IP addresses and CIDR ranges (got '{bad}')");
    }

    public ValidateOptionsResult Validate(string? name, AdminOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return IPAddress.TryParse(options.BindAddress, out _)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"{AdminOptions.Section}:BindAddress must be an IP address (got '{options.BindAddress}')");
    }

    public ValidateOptionsResult Validate(string? name, TlsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (native.Value.TlsPort < 0 && resp.Value.TlsPort < 0)
        {
            return ValidateOptionsResult.Success;
        }

        if (options.CertificatePath.Length == 0)
        {
            return ValidateOptionsResult.Fail($"{TlsOptions.Section}:CertificatePath is required when {NativeOptions.Section}:TlsPort or {RespOptions.Section}:TlsPort is set");
        }

        var failures = new List<string>();
        foreach (var (key, path) in new[] { ("CertificatePath", options.CertificatePath), ("KeyPath", options.KeyPath), ("ClientCaPath", options.ClientCaPath) })
        {
            if (path.Length > 0 && !File.Exists(path))
            {
                failures.Add($"{TlsOptions.Section}:{key}: no file at '{path}'");
            }
        }

        if (failures.Count == 0)
        {
            try
            {
                TlsCertificateFiles.Load(options).Certificate.Dispose();
            }
            catch (Exception ex) when (ex is CryptographicException or ArgumentException or InvalidOperationException)
            {
                failures.Add($"{TlsOptions.Section}:CertificatePath '{options.CertificatePath}' does not load with its key: {ex.Message}");
            }
        }

        return Result(failures);
    }

    private static ValidateOptionsResult Result(List<string> failures) =>
        failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
}
