using C10k.Server.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace KeyValueStore;

/// <summary>The store's registrations, shared by Program.cs and the tests.</summary>
public static class KeyValueServer
{
    /// <summary>Adds the store (options from section <c>Store</c>, validated at start) and its five operations.</summary>
    public static void Configure(C10kBuilder c10k)
    {
        ArgumentNullException.ThrowIfNull(c10k);
        c10k.Services.AddOptions<StoreOptions>().BindConfiguration("Store").ValidateDataAnnotations().ValidateOnStart();
        c10k.Services.AddSingleton<SqliteStore>();
        c10k.AddOperation<GetOperation>().AddOperation<SetOperation>().AddOperation<DeleteOperation>()
            .AddOperation<KeysOperation>().AddOperation<CountOperation>();
    }
}
