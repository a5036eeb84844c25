using System.Buffers;
using System.Text;
using C10k.Protocol.Native;
using Microsoft.AspNetCore.Connections;

namespace C10k.Server.Connections;

/// <summary>
/// Why a connection is turned away before its front's handler runs, and how each front says so: native a notice frame with
/// request id 0 and <see cref="Status"/>, RESP <c>-Code Message</c>. Then the server closes.
/// </summary>
internal sealed record Refusal(string Reason, NativeStatus Status, string Code, string Message)
{
    public static Refusal Draining { get; } = new("draining", NativeStatus.ShuttingDown, "ERR", "server is shutting down");

    public static Refusal ConnectionLimit { get; } = new("connection_limit", NativeStatus.ConnectionLimit, "ERR", "max number of clients reached");

    public static Refusal AddressLimit { get; } =
        new("address_limit", NativeStatus.ConnectionLimit, "ERR", "max number of connections from this address reached");

    public static Refusal UntrustedProxy { get; } = new("untrusted_proxy", NativeStatus.Denied, "DENIED", "PROXY protocol header from an untrusted address");

    // The three below are never written: after a PROXY header the peer is the balancer, not the client the words would be for;
    // after a failed handshake there is no TLS session to write them in.
    public static Refusal ProxyHeaderInvalid { get; } = new("proxy_header_invalid", NativeStatus.Denied, "ERR", "not a PROXY v2 header");

    public static Refusal ProxyHeaderMissing { get; } = new("proxy_header_missing", NativeStatus.Denied, "ERR", "no complete PROXY v2 header before the partial-frame timeout or the end of the stream");

    public static Refusal TlsHandshake { get; } = new("tls_handshake", NativeStatus.Denied, "ERR", "no TLS handshake completed");

    // Redis 7.0's -DENIED explanation (src/networking.c clientAcceptHandler), in this server's terms.
    public static Refusal ProtectedMode { get; } = new("protected_mode", NativeStatus.Denied, "DENIED",
        "C10k is running in protected mode because protected mode is enabled and no users are configured (C10k:Auth:Users). " +
        "In this mode connections are only accepted from the loopback interface. If you want to connect from other hosts, " +
        "you may adopt one of the following solutions: 1) Configure a user, e.g. C10k__Auth__Users__default=<password>, " +
        "and authenticate with AUTH. 2) Disable protected mode with C10k:ProtectedMode=false, however MAKE SURE the server " +
        "is not publicly accessible from the internet if you do so. NOTE: You only need to do one of the above things in " +
        "order for the server to start accepting connections from the outside.");

    /// <summary>
    /// Writes this refusal in <paramref name="front"/>'s protocol and flushes it (best effort: the peer may be gone). An
    /// application's front gets no words (its protocol is not known here): the connection just closes.
    /// </summary>
    public async ValueTask WriteAsync(ConnectionContext connection, Front front)
    {
        var output = connection.Transport.Output;
        if (front == Front.Native)
        {
            var length = Encoding.UTF8.GetByteCount(Message);
            var span = output.GetSpan(NativeProtocol.HeaderSize + length);
            NativeFrameWriter.WriteHeader(span, isReply: true, 0, 0, Status, 0, length);
            Encoding.UTF8.GetBytes(Message, span[NativeProtocol.HeaderSize..]);
            output.Advance(NativeProtocol.HeaderSize + length);
        }
        else if (front == Front.Resp)
        {
            output.Write("-"u8);
            output.Write(Encoding.UTF8.GetBytes(Code + " " + Message + "\r\n"));
        }

        await output.FlushAsync();
    }
}
