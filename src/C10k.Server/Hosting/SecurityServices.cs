using C10k.Server.Connections;
using C10k.Server.Diagnostics;
using C10k.Server.Security;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace C10k.Server.Hosting;

/// <summary>Admission, authentication and TLS services, and what they log once at start.</summary>
internal static class SecurityServices
{
    public static IServiceCollection AddSecurity(this IServiceCollection services)
    {
        services.AddSingleton(_ => new ConnectionLimitDefault());
        services.AddSingleton<IPostConfigureOptions<LimitsOptions>>(sp => sp.GetRequiredService<ConnectionLimitDefault>());
        services.AddSingleton<SecurityOptionsValidator>();
        services.AddSingleton<IValidateOptions<AuthOptions>>(sp => sp.GetRequiredService<SecurityOptionsValidator>());
        services.AddSingleton<IValidateOptions<NetworkOptions>>(sp => sp.GetRequiredService<SecurityOptionsValidator>());
        services.AddSingleton<IValidateOptions<AdminOptions>>(sp => sp.GetRequiredService<SecurityOptionsValidator>());
        services.AddSingleton<IValidateOptions<TlsOptions>>(sp => sp.GetRequiredService<SecurityOptionsValidator>());
        services.AddSingleton<ConnectionGate>();
        services.AddSingleton<UserStore>();
        services.AddSingleton<ClientAccess>();
        services.AddSingleton<Admission>();
        services.AddSingleton<Authenticator>();
        services.AddSingleton<TlsCertificateSource>();
        return services;
    }

    /// <summary>The connection limit with its source, a warning when a configured one exceeds the descriptors, and who may connect.</summary>
    public static void LogStarted(IServiceProvider services, ILogger logger)
    {
        var limit = services.GetRequiredService<ConnectionLimitDefault>();
        var gate = services.GetRequiredService<ConnectionGate>();
        AdmissionLog.ConnectionLimit(logger, gate.MaxConnections, limit.Source, gate.MaxPerAddress > 0 ? gate.MaxPerAddress.ToString(System.Globalization.CultureInfo.InvariantCulture) : "no limit");
        if (limit.ExceedsDescriptors && limit.DescriptorLimitAtStart is { } nofile)
        {
            AdmissionLog.DescriptorLimitLow(logger, gate.MaxConnections, ConnectionLimitDefault.Reserve, nofile);
        }

        AdmissionLog.AccessMode(logger, services.GetRequiredService<ClientAccess>().Describe());
    }
}
