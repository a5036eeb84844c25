using System.Net;
using C10k.Server.Fronts;
using C10k.Server.Hosting;
using C10k.Server.Operations;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MemcachedFront;

/// <summary>The service's registrations, shared by Program.cs and the tests.</summary>
public static class MemcachedServer
{
    /// <summary>Name of the memcached endpoint in the start-up log and in <see cref="ServerEndpoints"/>.</summary>
    public const string Front = "memcached";

    /// <summary>
    /// Adds the store (options from section <c>Memcached</c>, validated at start), its operations (<c>MC.SET</c>, <c>MC.GET</c>…, on
    /// every front) and the memcached front on <c>C10k:BindAddress</c>:<c>Memcached:Port</c>, next to C10k's RESP and native ports.
    /// </summary>
    public static void Configure(C10kBuilder c10k)
    {
        ArgumentNullException.ThrowIfNull(c10k);
        var services = c10k.Services;
        services.AddOptions<MemcachedOptions>().BindConfiguration("Memcached").ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(provider => new MemcachedStore(provider.GetRequiredService<IOptions<MemcachedOptions>>(), TimeProvider.System));
        foreach (var (name, code, mode) in MemcachedOpcodes.Storage)
        {
            AddOperation(services, store => new StorageOperation(name, code, mode, store));
        }

        AddOperation(services, store => new RetrievalOperation("MC.GET", MemcachedOpcodes.Get, withCas: false, store));
        AddOperation(services, store => new RetrievalOperation("MC.GETS", MemcachedOpcodes.Gets, withCas: true, store));
        AddOperation(services, store => new DeltaOperation("MC.INCR", MemcachedOpcodes.Incr, increment: true, store));
        AddOperation(services, store => new DeltaOperation("MC.DECR", MemcachedOpcodes.Decr, increment: false, store));
        AddOperation(services, store => new DeleteOperation(store));
        AddOperation(services, store => new TouchOperation(store));
        AddOperation(services, store => new FlushAllOperation(store));

        // The front's endpoint, added to Kestrel's own options: C10k's ports come from C10kServer, this one from here.
        services.AddOptions<KestrelServerOptions>().Configure<IOptions<MemcachedOptions>, IOptions<ServerOptions>>((kestrel, memcached, server) =>
        {
            var store = kestrel.ApplicationServices.GetRequiredService<MemcachedStore>();
            kestrel.ListenC10kFront(IPAddress.Parse(server.Value.BindAddress), memcached.Value.Port, Front, context => new MemcachedSession(context, store));
        });
    }

    private static void AddOperation(IServiceCollection services, Func<MemcachedStore, Operation> create) =>
        services.AddSingleton(provider => create(provider.GetRequiredService<MemcachedStore>()));
}
