using System.Net;
using System.Net.Sockets;

namespace C10k.LoadTesting.Targets;

/// <summary>Connects a TCP socket, optionally from a given loopback source address.</summary>
internal static class SocketConnector
{
    /// <summary>Linux IP_BIND_ADDRESS_NO_PORT: pick the source port at connect time, so one source address serves every 4-tuple.</summary>
    private const int IpBindAddressNoPort = 24;

    public static async ValueTask<Socket> ConnectAsync(string host, int port, IPAddress? source, CancellationToken cancellationToken)
    {
        var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, cancellationToken);
        var remote = new IPEndPoint(addresses[0], port);
        var socket = new Socket(remote.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            if (source is not null)
            {
                if (OperatingSystem.IsLinux())
                {
                    socket.SetRawSocketOption((int)SocketOptionLevel.IP, IpBindAddressNoPort, BitConverter.GetBytes(1));
                }

                socket.Bind(new IPEndPoint(source, 0));
            }

            await socket.ConnectAsync(remote, cancellationToken);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
