using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace C10k.Server.Hosting;

/// <summary>
/// Binds one options class to its section of the host's configuration (whatever <see cref="Microsoft.Extensions.Configuration.IConfiguration"/>
/// the host registered: the C10k host's appsettings.json, environment and command line, or an application's own) and validates it at start.
/// </summary>
internal static class OptionsRegistration
{
    public static IServiceCollection AddSection<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.All)] TOptions>(
        this IServiceCollection services, string section)
        where TOptions : class
    {
        services.AddOptions<TOptions>()
            .BindConfiguration(section)
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<TOptions>>(new SectionValidator<TOptions>(section));
        return services;
    }
}
