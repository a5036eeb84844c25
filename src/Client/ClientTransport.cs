using System.Net;
using System.Net.Security;
using System.Net.Sockets;

namespace C10k.Client;

/// <summary>Opens the byte stream a <see cref="C10kClient"/> runs on: a TCP connection, with TLS over it when asked.</summary>
internal static class ClientTransport
{
    /// <summary>Connects within <see cref="ClientOptions.ConnectTimeout"/>, TLS handshake included; returns the socket and the stream over it.</summary>
    public static async Task<(Socket Socket, Stream Stream)> ConnectAsync(string host, int port, ClientOptions options, CancellationToken cancellationToken)
    {
        var addresses = await Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false);
        var address = addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork) ?? addresses[0];
        var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        Stream? stream = null;
        try
        {
            if (options.LocalAddress is { } local)
            {
                socket.Bind(new IPEndPoint(local, 0));
            }

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.ConnectTimeout);
            await socket.ConnectAsync(new IPEndPoint(address, port), timeout.Token).ConfigureAwait(false);
            stream = new NetworkStream(socket, ownsSocket: false);
            if (options.Tls is { } tls)
            {
                var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
                stream = ssl;
                await ssl.AuthenticateAsClientAsync(tls.CreateAuthenticationOptions(host), timeout.Token).ConfigureAwait(false);
            }

            return (socket, stream);
        }
        catch
        {
            if (stream is not null)
            {
                await stream.DisposeAsync().ConfigureAwait(false);
            }

            socket.Dispose();
            throw;
        }
    }
}
