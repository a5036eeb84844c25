using System.Buffers.Binary;
using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using C10k.Protocol.Native;
using C10k.Testing;

namespace C10k.Security.Tests.Support;

/// <summary>A hand-driven client connection (plain or TLS, from a chosen loopback address), every await bounded.</summary>
internal sealed class Peer : IAsyncDisposable
{
    private readonly Socket _socket;
    private Stream _stream;

    private Peer(Socket socket)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: false);
    }

    /// <summary>Connects to 127.0.0.1:<paramref name="port"/> from <paramref name="from"/> (e.g. 127.0.0.2, which is not "local").</summary>
    public static async Task<Peer> ConnectAsync(int port, string from = "127.0.0.1")
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        socket.Bind(new IPEndPoint(IPAddress.Parse(from), 0));
        await socket.ConnectAsync(IPAddress.Loopback, port).WaitAsync(Timeouts.Socket);
        return new Peer(socket);
    }

    /// <summary>
    /// Connects and runs a TLS handshake that trusts <paramref name="caFile"/>, optionally presenting a client certificate and
    /// offering only <paramref name="protocols"/> (default: the system's choice).
    /// </summary>
    public static async Task<Peer> ConnectTlsAsync(
        int port, string caFile, X509Certificate2? clientCertificate = null, string from = "127.0.0.1", SslProtocols protocols = SslProtocols.None)
    {
        var peer = await ConnectAsync(port, from);
        var ssl = new SslStream(peer._stream);
        peer._stream = ssl;
        var roots = new X509Certificate2Collection();
        roots.ImportFromPemFile(caFile);
        var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
        policy.CustomTrustStore.AddRange(roots);
        await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            CertificateChainPolicy = policy,
            ClientCertificates = clientCertificate is null ? null : [clientCertificate],
            EnabledSslProtocols = protocols,
        }).WaitAsync(Timeouts.Socket);
        return peer;
    }

    /// <summary>The server's certificate, on a TLS connection.</summary>
    public X509Certificate? RemoteCertificate => (_stream as SslStream)?.RemoteCertificate;

    /// <summary>The protocol the handshake settled on, on a TLS connection.</summary>
    public SslProtocols? Protocol => (_stream as SslStream)?.SslProtocol;

    public static byte[] Native(ushort opcode, uint id, params string[] args)
    {
        var payload = args.SelectMany(a =>
        {
            var bytes = Encoding.UTF8.GetBytes(a);
            var length = new byte[4];
            BinaryPrimitives.WriteInt32BigEndian(length, bytes.Length);
            return length.Concat(bytes);
        }).ToArray();
        var frame = new byte[NativeProtocol.HeaderSize + payload.Length];
        NativeFrameWriter.WriteHeader(frame, false, opcode, id, NativeStatus.Ok, 0, payload.Length);
        payload.CopyTo(frame, NativeProtocol.HeaderSize);
        return frame;
    }

    public async Task SendAsync(byte[] bytes)
    {
        await _stream.WriteAsync(bytes).AsTask().WaitAsync(Timeouts.Socket);
        await _stream.FlushAsync().WaitAsync(Timeouts.Socket);
    }

    public Task SendAsync(string text) => SendAsync(Encoding.UTF8.GetBytes(text));

    /// <summary>Reads exactly <paramref name="count"/> bytes; null when the server closes first.</summary>
    public async Task<byte[]?> ReadAsync(int count)
    {
        var buffer = new byte[count];
        var length = 0;
        while (length < count)
        {
            var read = await ReadSomeAsync(buffer.AsMemory(length));
            if (read == 0)
            {
                return null;
            }

            length += read;
        }

        return buffer;
    }

    /// <summary>One native reply frame; null when the server closes first.</summary>
    public async Task<(uint Id, NativeStatus Status, string Text)?> ReadNativeAsync()
    {
        var header = await ReadAsync(NativeProtocol.HeaderSize);
        if (header is null)
        {
            return null;
        }

        var payload = await ReadAsync((int)BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(8)));
        return payload is null ? null : (BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(4)), (NativeStatus)header[12], Encoding.UTF8.GetString(payload));
    }

    /// <summary>One CRLF-terminated RESP line without its CRLF; null when the server closes first.</summary>
    public async Task<string?> ReadLineAsync()
    {
        var line = new List<byte>();
        var one = new byte[1];
        while (line.Count < 2 || line[^2] != '\r' || line[^1] != '\n')
        {
            if (await ReadSomeAsync(one) == 0)
            {
                return null;
            }

            line.Add(one[0]);
        }

        return Encoding.UTF8.GetString(line.ToArray(), 0, line.Count - 2);
    }

    /// <summary>True once the server has closed the connection (reads end, or reset), after skipping whatever it still sent.</summary>
    public async Task<bool> IsClosedByServerAsync()
    {
        var buffer = new byte[4096];
        for (var i = 0; i < 1024; i++)
        {
            if (await ReadSomeAsync(buffer) == 0)
            {
                return true;
            }
        }

        return false;
    }

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync();
        _socket.Dispose();
    }

    private async Task<int> ReadSomeAsync(Memory<byte> buffer)
    {
        try
        {
            return await _stream.ReadAsync(buffer).AsTask().WaitAsync(Timeouts.Socket);
        }
        catch (IOException)
        {
            return 0;
        }
    }
}
