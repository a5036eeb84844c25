using System.Buffers;
using System.Buffers.Binary;
using System.Net;

namespace C10k.Protocol.Proxy;

/// <summary>What a PROXY protocol v2 header says.</summary>
public enum ProxyCommand
{
    /// <summary>The balancer's own connection (e.g. a health check): keep the socket's addresses.</summary>
    Local = 0,

    /// <summary>A relayed client connection: <see cref="ProxyHeader.Source"/> is the real client.</summary>
    Proxy = 1,
}

/// <summary>Outcome of <see cref="ProxyHeaderV2.TryParse"/>.</summary>
public enum ProxyParseStatus
{
    /// <summary>More bytes are needed; nothing was consumed.</summary>
    Incomplete,

    /// <summary>A whole header was parsed.</summary>
    Done,

    /// <summary>The bytes are not a PROXY v2 header (wrong signature, version, command, or too long): close the connection.</summary>
    Invalid,
}

/// <summary>
/// A parsed PROXY v2 header. <see cref="Source"/>/<see cref="Destination"/> are null for LOCAL, for UNSPEC and for
/// address families other than TCP/UDP over IPv4/IPv6 (unix sockets): the receiver then keeps the socket's addresses.
/// </summary>
public readonly record struct ProxyHeader(ProxyCommand Command, IPEndPoint? Source, IPEndPoint? Destination, int Length);

/// <summary>
/// Parser of the PROXY protocol version 2 header (haproxy.org/download/2.6/doc/proxy-protocol.txt, section 2.2) that a
/// TCP balancer (HAProxy <c>send-proxy-v2</c>, AWS NLB, ...) puts in front of a relayed connection's first byte. Pure: no
/// I/O, works on a <see cref="ReadOnlySequence{T}"/> split anywhere. TLVs after the addresses are skipped.
/// </summary>
public static class ProxyHeaderV2
{
    /// <summary>Fixed part: 12-byte signature, version/command, family/transport, 2-byte length.</summary>
    public const int FixedSize = 16;

    /// <summary>Default bound on a whole header (fixed part + addresses + TLVs); a longer one is <see cref="ProxyParseStatus.Invalid"/>.</summary>
    public const int DefaultMaxLength = 4096;

    /// <summary>The 12-byte signature every v2 header starts with.</summary>
    public static ReadOnlySpan<byte> Signature => [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A];

    /// <summary>
    /// Parses a header at the start of <paramref name="input"/>. On <see cref="ProxyParseStatus.Done"/>, <paramref name="consumed"/>
    /// is the position just after the header (the first byte of the relayed stream).
    /// </summary>
    public static ProxyParseStatus TryParse(in ReadOnlySequence<byte> input, out ProxyHeader header, out SequencePosition consumed, int maxLength = DefaultMaxLength)
    {
        header = default;
        consumed = input.Start;
        Span<byte> fixedPart = stackalloc byte[FixedSize];
        var available = (int)Math.Min(input.Length, FixedSize);
        input.Slice(0, available).CopyTo(fixedPart);

        // Reject a wrong prefix as soon as it is seen: a client that speaks the data protocol directly fails at once.
        if (!fixedPart[..Math.Min(available, Signature.Length)].SequenceEqual(Signature[..Math.Min(available, Signature.Length)]))
        {
            return ProxyParseStatus.Invalid;
        }

        if (available < FixedSize)
        {
            return ProxyParseStatus.Incomplete;
        }

        var version = fixedPart[12] >> 4;
        var command = fixedPart[12] & 0x0F;
        if (version != 2 || command > 1)
        {
            return ProxyParseStatus.Invalid;
        }

        var addressLength = BinaryPrimitives.ReadUInt16BigEndian(fixedPart[14..]);
        var total = FixedSize + addressLength;
        if (total > maxLength)
        {
            return ProxyParseStatus.Invalid;
        }

        if (input.Length < total)
        {
            return ProxyParseStatus.Incomplete;
        }

        var family = fixedPart[13] >> 4;
        var transport = fixedPart[13] & 0x0F;
        IPEndPoint? source = null;
        IPEndPoint? destination = null;
        if (command == (int)ProxyCommand.Proxy && transport is 1 or 2)
        {
            var addressBytes = family switch { 1 => 4, 2 => 16, _ => 0 };
            if (addressBytes > 0)
            {
                if (addressLength < (2 * addressBytes) + 4)
                {
                    return ProxyParseStatus.Invalid;
                }

                Span<byte> addresses = stackalloc byte[(2 * addressBytes) + 4];
                input.Slice(FixedSize, addresses.Length).CopyTo(addresses);
                source = new IPEndPoint(new IPAddress(addresses[..addressBytes]), BinaryPrimitives.ReadUInt16BigEndian(addresses[(2 * addressBytes)..]));
                destination = new IPEndPoint(new IPAddress(addresses[addressBytes..(2 * addressBytes)]), BinaryPrimitives.ReadUInt16BigEndian(addresses[((2 * addressBytes) + 2)..]));
            }
        }

        header = new ProxyHeader((ProxyCommand)command, source, destination, total);
        consumed = input.GetPosition(total);
        return ProxyParseStatus.Done;
    }

    /// <summary>Writes a v2 header for a TCP connection from <paramref name="source"/> to <paramref name="destination"/> (both IPv4 or both IPv6); null for LOCAL.</summary>
    public static byte[] Create(IPEndPoint? source, IPEndPoint? destination)
    {
        if (source is null || destination is null)
        {
            var local = new byte[FixedSize];
            Signature.CopyTo(local);
            local[12] = 0x20;
            return local;
        }

        var size = source.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 4 : 16;
        if (destination.AddressFamily != source.AddressFamily)
        {
            throw new ArgumentException("source and destination must be of one address family", nameof(destination));
        }

        var header = new byte[FixedSize + (2 * size) + 4];
        Signature.CopyTo(header);
        header[12] = 0x21;
        header[13] = (byte)(size == 4 ? 0x11 : 0x21);
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(14), (ushort)((2 * size) + 4));
        source.Address.TryWriteBytes(header.AsSpan(FixedSize, size), out _);
        destination.Address.TryWriteBytes(header.AsSpan(FixedSize + size, size), out _);
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(FixedSize + (2 * size)), (ushort)source.Port);
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(FixedSize + (2 * size) + 2), (ushort)destination.Port);
        return header;
    }
}
