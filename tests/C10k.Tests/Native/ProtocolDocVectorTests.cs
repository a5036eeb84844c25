using System.Buffers;
using System.Globalization;
using C10k.Client;
using C10k.Protocol.Native;
using C10k.Protocol.Typed;

namespace C10k.Tests.Native;

/// <summary>Every ```vector block of docs/protocol.md is decoded and re-encoded by the codec, so the spec and the code can't drift.</summary>
public class ProtocolDocVectorTests
{
    public static TheoryData<string> VectorNames() => [.. Vectors().Select(v => v["name"])];

    [Fact]
    public void TheSpecHasVectorsOfEveryKind()
    {
        var kinds = Vectors().Select(v => v["kind"]).ToHashSet();
        Assert.Equal(["request", "reply", "invalid"], kinds.Order().Reverse());
        Assert.True(Vectors().Count >= 10);
    }

    [Theory]
    [MemberData(nameof(VectorNames))]
    public void VectorDecodesAndReencodesExactly(string name)
    {
        var vector = Vectors().Single(v => v["name"] == name);
        var bytes = Hex(vector["hex"]);
        var buffer = new ReadOnlySequence<byte>(bytes);
        if (vector["kind"] == "invalid")
        {
            var reader = new NativeFrameReader(int.Parse(vector["max"], CultureInfo.InvariantCulture));
            var error = Assert.Throws<NativeProtocolException>(() => reader.TryRead(ref buffer, out _));
            Assert.Equal(Enum.Parse<NativeProtocolError>(vector["expect"]), error.Error);
            return;
        }

        Assert.True(new NativeFrameReader().TryRead(ref buffer, out var frame));
        Assert.True(buffer.IsEmpty);
        Assert.Equal(vector["kind"] == "reply", frame.IsReply);
        Assert.Equal(ushort.Parse(vector["opcode"][2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture), frame.Opcode);
        Assert.Equal(uint.Parse(vector["id"], CultureInfo.InvariantCulture), frame.RequestId);
        Assert.Equal(Hex(vector["payload-hex"]), frame.Payload.ToArray());
        if (frame.IsReply)
        {
            Assert.Equal(byte.Parse(vector["status"], CultureInfo.InvariantCulture), (byte)frame.Status);
            Assert.Equal(vector.TryGetValue("flags", out var flags) && (Convert.FromHexString(flags)[0] & NativeProtocol.TypedFlag) != 0, frame.IsTyped);
        }
        else
        {
            Assert.Equal(uint.Parse(vector["deadline"], CultureInfo.InvariantCulture), frame.DeadlineMs);
        }

        if (vector.TryGetValue("value", out var value))
        {
            var payload = frame.Payload.ToArray();
            Assert.Equal(value, ReplyValue.Decode(payload).ToString());
            var flattened = new ArrayBufferWriter<byte>();
            ReplyFlattening.Write(payload, flattened);
            Assert.Equal(Hex(vector["flattened-hex"]), flattened.WrittenSpan.ToArray());
            Assert.Equal(flattened.WrittenCount, ReplyFlattening.Length(payload));
        }

        var written = new ArrayBufferWriter<byte>();
        NativeFrameWriter.Instance.WriteMessage(frame, written);
        Assert.Equal(bytes, written.WrittenSpan.ToArray());
    }

    private static byte[] Hex(string text) => Convert.FromHexString(text.Replace(" ", "", StringComparison.Ordinal));

    private static List<Dictionary<string, string>> Vectors()
    {
        var doc = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "docs", "protocol.md"));
        var vectors = new List<Dictionary<string, string>>();
        foreach (var block in doc.Split("```vector\n").Skip(1))
        {
            var body = block[..block.IndexOf("```", StringComparison.Ordinal)];
            vectors.Add(body.Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(line => line.Split(':', 2))
                .ToDictionary(kv => kv[0].Trim(), kv => kv[1].Trim()));
        }

        return vectors;
    }
}
