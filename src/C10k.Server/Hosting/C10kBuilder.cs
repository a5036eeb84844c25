using System.Diagnostics.CodeAnalysis;
using C10k.Server.Operations;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace C10k.Server.Hosting;

/// <summary>What <see cref="C10kServiceCollectionExtensions.AddC10k"/> returns: adds operations and opts in to server-wide settings.</summary>
public sealed class C10kBuilder
{
    internal C10kBuilder(IServiceCollection services) => Services = services;

    /// <summary>The application's services.</summary>
    public IServiceCollection Services { get; }

    /// <summary>
    /// Registers operation <typeparamref name="TOperation"/>, created once by dependency injection: its constructor may take any
    /// singleton service (a connection pool, a key store, <c>ILogger&lt;T&gt;</c>). Its name and opcode must be new.
    /// </summary>
    public C10kBuilder AddOperation<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TOperation>()
        where TOperation : Operation
    {
        Services.TryAddSingleton<TOperation>();
        Services.AddSingleton<Operation>(services => services.GetRequiredService<TOperation>());
        return this;
    }

    /// <summary>Registers an operation instance.</summary>
    public C10kBuilder AddOperation(Operation operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        Services.AddSingleton(operation);
        return this;
    }

    /// <summary>Runs <paramref name="configure"/> on the operation registry once it holds the built-ins and the registered operations.</summary>
    public C10kBuilder ConfigureOperations(Action<OperationRegistry> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        Services.AddSingleton(new RegistryCallback(configure));
        return this;
    }

    /// <summary>
    /// Applies section <c>C10k:Transport</c> to Kestrel's socket transport: inline scheduling (connection callbacks run on the socket
    /// engine's threads, which suits C10k's cheap inline requests), the listen backlog and the read-ahead bound per connection. The transport is shared by every endpoint
    /// of the server, HTTP ones included, so <c>AddC10k</c> leaves it alone; the C10k host calls this.
    /// </summary>
    public C10kBuilder ConfigureSocketTransport()
    {
        Services.AddOptions<SocketTransportOptions>().Configure<IOptions<TransportOptions>>((socket, transport) =>
        {
            socket.UnsafePreferInlineScheduling = transport.Value.InlineScheduling;
            socket.Backlog = transport.Value.Backlog;
            socket.MaxReadBufferSize = transport.Value.MaxReadBufferBytes;
        });
        return this;
    }

    /// <summary>A registry callback from <see cref="ConfigureOperations"/>.</summary>
    internal sealed record RegistryCallback(Action<OperationRegistry> Configure);
}
