using System.Buffers;
using System.Net;
using System.Text;
using C10k.Fuzz;
using C10k.Protocol.Native;
using C10k.Protocol.Proxy;
using C10k.Protocol.Resp;
using CsCheck;

namespace C10k.Tests.Fuzz;

/// <summary>
/// Random and mutated byte streams, cut at random points and byte by byte, parse exactly as the same stream whole, and throw nothing
/// but the codec's protocol exception (<see cref="ParserDriver.Check"/>, the AFL++ harness's check). Every case has its own fixed
/// CsCheck seed, so a run is repeatable; the fuzzer (tests/Fuzz/fuzz.sh) explores beyond these.
/// </summary>
public class ParserPropertyTests
{
    private const int Cases = 300;

    private static readonly string[] InlineWords = ["PING", "ECHO", "hash", "1000", "\"a b\"", "'x y'", "\"\\x41\\n\"", "\"\"", "'it\\'s'", "a\"b c\"", "\t", "\v", "\r"];

    private static readonly string[] RequestPieces = ["\r\n", "\n", " \r\n", "*0\r\n", "*-1\r\n", "*1\r\n$0\r\n\r\n", "*2\r\n$4\r\nECHO\r\n"];

    private static readonly string[] ReplyPieces = ["+OK\r\n", "-ERR x\r\n", ":42\r\n", ":-1\r\n", "$-1\r\n", "*-1\r\n", "*0\r\n", "*1\r\n", "*2\r\n", "*3\r\n"];

    [Fact]
    public void NativeFrameStreamsParseTheSameHoweverTheyAreCut() => Property(FuzzTarget.Native, NativeFrame);

    [Fact]
    public void RespRequestStreamsParseTheSameHoweverTheyAreCut() => Property(FuzzTarget.RespRequest, Gen.OneOf(RespArray, RespInline, Gen.OneOf(RequestPieces).Select(Encoding.ASCII.GetBytes)));

    [Fact]
    public void RespReplyStreamsParseTheSameHoweverTheyAreCut() => Property(FuzzTarget.RespReply, Gen.OneOf(Gen.OneOf(ReplyPieces).Select(Encoding.ASCII.GetBytes), Bulk));

    [Fact]
    public void ProxyHeadersParseTheSameHoweverTheyAreCut() => Property(FuzzTarget.Proxy, ProxyHeader);

    private static Gen<byte[]> Bulk => Gen.Byte.Array[0, 12].Select(value => Encoding.ASCII.GetBytes($"${value.Length}\r\n").Concat(value).Concat("\r\n"u8.ToArray()).ToArray());

    private static Gen<byte[]> RespArray => Gen.Byte[(byte)'a', (byte)'e'].Array[0, 6].Array[1, 5].Select(parts =>
    {
        var output = new ArrayBufferWriter<byte>();
        RespRequestWriter.WriteArrayHeader(output, parts.Length);
        foreach (var part in parts)
        {
            RespRequestWriter.WriteArgument(output, part);
        }

        return output.WrittenSpan.ToArray();
    });

    private static Gen<byte[]> RespInline => Gen.OneOf(InlineWords).Array[0, 5].Select(words => Encoding.ASCII.GetBytes(string.Join(' ', words) + "\r\n"));

    private static Gen<byte[]> NativeFrame => Gen.Select(Gen.Bool, Gen.UShort[0, 20], Gen.UInt, Gen.Byte.Array[0, 8].Array[0, 3], (isReply, opcode, id, arguments) =>
    {
        var payload = new ArrayBufferWriter<byte>();
        foreach (var argument in arguments)
        {
            NativeArguments.Write(payload, argument);
        }

        var frame = new byte[NativeProtocol.HeaderSize + payload.WrittenCount];
        NativeFrameWriter.WriteHeader(frame, isReply, opcode, id, NativeStatus.Ok, isReply ? 0 : id % 1000, payload.WrittenCount);
        payload.WrittenSpan.CopyTo(frame.AsSpan(NativeProtocol.HeaderSize));
        return frame;
    });

    private static Gen<byte[]> ProxyHeader => Gen.Select(Gen.Int[0, 2], Gen.UInt, Gen.UShort, Gen.Byte.Array[0, 8], (family, address, port, tlv) =>
    {
        var header = family switch
        {
            0 => ProxyHeaderV2.Create(null, null),
            1 => ProxyHeaderV2.Create(new IPEndPoint(new IPAddress(address), port), new IPEndPoint(IPAddress.Loopback, 7000)),
            _ => ProxyHeaderV2.Create(new IPEndPoint(IPAddress.IPv6Loopback, port), new IPEndPoint(IPAddress.IPv6Any, 6380)),
        };
        header[15] += (byte)tlv.Length;
        return header.Concat(tlv).ToArray();
    });

    // Well-formed messages mixed with random bytes, then a few random edits (flip, insert, delete).
    private static void Property(FuzzTarget target, Gen<byte[]> message)
    {
        var pieces = Gen.Frequency((4, message), (1, Gen.Byte.Array[0, 12])).Array[0, 8];
        var streams = Gen.Select(pieces, Gen.Int[0, int.MaxValue].Array[0, 3], Gen.Byte, (parts, edits, value) =>
        {
            var bytes = parts.SelectMany(p => p).ToList();
            foreach (var edit in edits)
            {
                var at = edit % (bytes.Count + 1);
                switch (edit % 3)
                {
                    case 0 when at < bytes.Count:
                        bytes[at] ^= value;
                        break;
                    case 1:
                        bytes.Insert(at, value);
                        break;
                    case 2 when at < bytes.Count:
                        bytes.RemoveAt(at);
                        break;
                }
            }

            return bytes.ToArray();
        });

        for (var seed = 0UL; seed < Cases; seed++)
        {
            streams.Sample(input => ParserDriver.Check(target, input), seed: new PCG(1, seed).ToString(), iter: 1, threads: 1, print: Convert.ToHexString);
        }
    }
}
