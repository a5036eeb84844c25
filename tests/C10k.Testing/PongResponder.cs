using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using C10k.Protocol.Native;

namespace C10k.Testing;

/// <summary>
/// A native-protocol peer that answers every request of its one connection with an OK reply carrying "PONG" and the request's id,
/// on a thread of its own, from one buffer, with blocking socket calls: it allocates nothing per request, so what a process
/// allocates while a client calls it is the client's (allocation tests of the client and of the load generator's native target).
/// </summary>
public sealed class PongResponder : IDisposable
{
    private readonly Socket _listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private readonly Thread _thread;

    private PongResponder()
    {
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(1);
        Port = ((IPEndPoint)_listener.LocalEndPoint!).Port;
        _thread = new Thread(Serve) { IsBackground = true, Name = "pong-responder" };
    }

    public int Port { get; }

    public static PongResponder Start()
    {
        var responder = new PongResponder();
        responder._thread.Start();
        return responder;
    }

    /// <summary>Stops accepting; the connection ends when its client closes it.</summary>
    public void Dispose() => _listener.Dispose();

    private void Serve()
    {
        try
        {
            using var socket = _listener.Accept();
            socket.NoDelay = true;
            var header = new byte[NativeProtocol.HeaderSize];
            var reply = new byte[NativeProtocol.HeaderSize + 4];
            NativeFrameWriter.WriteHeader(reply, isReply: true, NativeOpcodes.Ping, 0, NativeStatus.Ok, 0, 4);
            "PONG"u8.CopyTo(reply.AsSpan(NativeProtocol.HeaderSize));
            var skipped = new byte[256];
            while (Fill(socket, header))
            {
                var payloadLength = (int)BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(8));
                for (var left = payloadLength; left > 0; left -= skipped.Length)
                {
                    if (!Fill(socket, skipped.AsSpan(0, Math.Min(left, skipped.Length))))
                    {
                        return;
                    }
                }

                header.AsSpan(2, 6).CopyTo(reply.AsSpan(2)); // opcode and request id, as the request had them
                socket.Send(reply);
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // Disposed before a client came, or the client reset the connection: nothing left to answer.
        }
    }

    private static bool Fill(Socket socket, Span<byte> buffer)
    {
        while (!buffer.IsEmpty)
        {
            var read = socket.Receive(buffer);
            if (read == 0)
            {
                return false;
            }

            buffer = buffer[read..];
        }

        return true;
    }
}
