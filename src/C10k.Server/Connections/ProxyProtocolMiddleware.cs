using C10k.Protocol.Proxy;
using C10k.Server.Hosting;
using C10k.Server.Security;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace C10k.Server.Connections;

/// <summary>
/// Connection middleware of a data port with <c>C10k:Network:ProxyProtocol</c> on. A peer outside <c>C10k:Network:TrustedProxies</c>
/// is refused before a byte is read. From a trusted peer it reads the PROXY v2 header before the front's handler sees a byte, and
/// replaces the connection's <see cref="BaseConnectionContext.RemoteEndPoint"/> (and local endpoint) with the addresses it carries,
/// so every later log line and limit sees the real client. A malformed header (<c>proxy_header_invalid</c>), or none within
/// <c>C10k:Limits:PartialFrameTimeoutMs</c> or before the peer closed (<c>proxy_header_missing</c>), closes the connection before
/// the handler runs, refused as <see cref="Admission"/> refuses.
/// </summary>
internal static class ProxyProtocolMiddleware
{
    /// <summary>Adds the middleware to <paramref name="listen"/> when the option is on; a no-op otherwise.</summary>
    public static ListenOptions UseProxyProtocolWhenEnabled(this ListenOptions listen, Front front)
    {
        var services = listen.ApplicationServices;
        var network = services.GetRequiredService<IOptions<NetworkOptions>>().Value;
        if (!network.ProxyProtocol)
        {
            return listen;
        }

        if (!TrustedProxies.TryParse(network.TrustedProxies, out var trusted, out var bad))
        {
            throw new InvalidOperationException($"{NetworkOptions.Section}:TrustedProxies: '{bad}' is not an address or CIDR range");
        }

        var admission = services.GetRequiredService<Admission>();
        var timeout = TimeSpan.FromMilliseconds(services.GetRequiredService<IOptions<LimitsOptions>>().Value.PartialFrameTimeoutMs);
        listen.Use(next => context => trusted.Contains(context.RemoteEndPoint)
            ? ReadHeaderThenAsync(context, next, timeout, admission, front)
            : admission.RefuseAsync(context, front, Refusal.UntrustedProxy, 0, canWrite: false));
        return listen;
    }

    // A header that fails is refused like any connection before its handler: counted and logged (rate-limited) by admission.
    private static async Task ReadHeaderThenAsync(ConnectionContext context, ConnectionDelegate next, TimeSpan timeout, Admission admission, Front front)
    {
        var input = context.Transport.Input;
        using var deadline = new CancellationTokenSource(timeout);
        while (true)
        {
            System.IO.Pipelines.ReadResult result;
            try
            {
                result = await input.ReadAsync(deadline.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ConnectionResetException or IOException)
            {
                // No header within the timeout, or the peer reset the connection first.
                await admission.RefuseAsync(context, front, Refusal.ProxyHeaderMissing, 0, canWrite: false);
                return;
            }

            var buffer = result.Buffer;
            switch (ProxyHeaderV2.TryParse(buffer, out var header, out var consumed))
            {
                case ProxyParseStatus.Done:
                    input.AdvanceTo(consumed);
                    if (header.Command == ProxyCommand.Proxy && header.Source is not null)
                    {
                        context.RemoteEndPoint = header.Source;
                        context.LocalEndPoint = header.Destination;
                    }

                    await next(context);
                    return;
                case ProxyParseStatus.Invalid:
                    input.AdvanceTo(buffer.End);
                    await admission.RefuseAsync(context, front, Refusal.ProxyHeaderInvalid, 0, canWrite: false);
                    return;
                default:
                    if (result.IsCompleted)
                    {
                        input.AdvanceTo(buffer.End);
                        await admission.RefuseAsync(context, front, Refusal.ProxyHeaderMissing, 0, canWrite: false);
                        return;
                    }

                    input.AdvanceTo(buffer.Start, buffer.End);
                    break;
            }
        }
    }
}
