using System.Collections;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace C10k.Server.Hosting;

/// <summary>
/// The application's server (Kestrel) as everyone else sees it, minus the C10k endpoints in its address list. The web host logs
/// "Now listening on: http://…" for every address in that list, and <c>app.Urls</c> reads it: a data port is not HTTP, and C10k
/// logs its own endpoints at start. Everything else is the server itself; adding an address still reaches it.
/// </summary>
internal sealed class AnnouncedAddresses : IServer
{
    private readonly IServer _server;

    private AnnouncedAddresses(IServer server, ServerEndpoints endpoints)
    {
        _server = server;
        Features = new FeatureCollection(server.Features);
        if (server.Features.Get<IServerAddressesFeature>() is { } addresses)
        {
            Features.Set<IServerAddressesFeature>(new Filtered(addresses, endpoints));
        }
    }

    public IFeatureCollection Features { get; }

    /// <summary>
    /// Wraps the last <see cref="IServer"/> registered so far (the web host registers Kestrel before the application's services);
    /// with none registered yet, nothing changes and Kestrel announces the data ports as it would.
    /// </summary>
    public static void Decorate(IServiceCollection services)
    {
        var index = -1;
        for (var i = 0; i < services.Count; i++)
        {
            if (services[i].ServiceType == typeof(IServer) && !services[i].IsKeyedService)
            {
                index = i;
            }
        }

        if (index < 0 || services[index].ImplementationFactory?.Target is Marker)
        {
            return;
        }

        var server = services[index];
        var marker = new Marker(server);
        services[index] = ServiceDescriptor.Singleton<IServer>(marker.Create);
    }

    public Task StartAsync<TContext>(IHttpApplication<TContext> application, CancellationToken cancellationToken)
        where TContext : notnull => _server.StartAsync(application, cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => _server.StopAsync(cancellationToken);

    public void Dispose() => _server.Dispose();

    /// <summary>The wrapped registration; also marks the descriptor as already wrapped.</summary>
    private sealed class Marker(ServiceDescriptor server)
    {
        public AnnouncedAddresses Create(IServiceProvider services)
        {
            var inner = (IServer)(server.ImplementationInstance
                ?? server.ImplementationFactory?.Invoke(services)
                ?? ActivatorUtilities.CreateInstance(services, server.ImplementationType!));
            return new AnnouncedAddresses(inner, services.GetRequiredService<ServerEndpoints>());
        }
    }

    private sealed class Filtered(IServerAddressesFeature inner, ServerEndpoints endpoints) : IServerAddressesFeature
    {
        public ICollection<string> Addresses { get; } = new AddressView(inner.Addresses, endpoints);

        public bool PreferHostingUrls
        {
            get => inner.PreferHostingUrls;
            set => inner.PreferHostingUrls = value;
        }
    }

    private sealed class AddressView(ICollection<string> addresses, ServerEndpoints endpoints) : ICollection<string>
    {
        public int Count => Visible().Count();

        public bool IsReadOnly => addresses.IsReadOnly;

        public void Add(string item) => addresses.Add(item);

        public void Clear() => addresses.Clear();

        public bool Contains(string item) => Visible().Contains(item);

        public void CopyTo(string[] array, int arrayIndex) => Visible().ToList().CopyTo(array, arrayIndex);

        public bool Remove(string item) => addresses.Remove(item);

        public IEnumerator<string> GetEnumerator() => Visible().GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        private IEnumerable<string> Visible() => addresses.Where(address => !endpoints.Announces(address));
    }
}
