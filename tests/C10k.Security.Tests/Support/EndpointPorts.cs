using C10k.Server.Hosting;
using C10k.Testing;

namespace C10k.Security.Tests.Support;

/// <summary>The bound port of any named endpoint, TLS ports included ("native", "resp", "native-tls", "resp-tls", "admin").</summary>
internal static class EndpointPorts
{
    public static int Port(this TestServer server, string endpoint) => server.Service<ServerEndpoints>().Port(endpoint);
}
