using System.Globalization;
using System.Net;
using System.Net.Sockets;
using C10k.Bench.ParkingFloor;

// The parking floor for bench/memory.sh: a +PONG-per-line server on its own socket loop in which an idle connection holds
// only its Socket and one ParkedConnection (pending a zero-byte receive); buffers are rented while bytes are handled.
// Socket completions run inline on the runtime's epoll thread, as in C10k.Server. Usage: C10k.Bench.ParkingFloor PORT
if (Environment.GetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS") is null)
{
    Environment.SetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", "1");
}

using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
listener.Bind(new IPEndPoint(IPAddress.Loopback, int.Parse(args[0], CultureInfo.InvariantCulture)));
listener.Listen(512);
while (true)
{
    ParkedConnection.Start(await listener.AcceptAsync());
}
