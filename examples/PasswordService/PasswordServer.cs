using C10k.Server.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace PasswordService;

/// <summary>The service's registrations, shared by Program.cs and the tests.</summary>
public static class PasswordServer
{
    /// <summary>Adds the hasher (options from section <c>Passwords</c>, validated at start) and both operations.</summary>
    public static void Configure(C10kBuilder c10k)
    {
        ArgumentNullException.ThrowIfNull(c10k);
        c10k.Services.AddOptions<PasswordOptions>().BindConfiguration("Passwords").ValidateDataAnnotations().ValidateOnStart();
        c10k.Services.AddSingleton<PasswordHasher>();
        c10k.AddOperation<HashPasswordOperation>().AddOperation<VerifyPasswordOperation>();
    }
}
