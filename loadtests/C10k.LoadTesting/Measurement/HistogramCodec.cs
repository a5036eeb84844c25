using HdrHistogram;
using HdrHistogram.Utilities;

namespace C10k.LoadTesting.Measurement;

/// <summary>HdrHistogram's compressed V2 encoding as base64: how child processes hand their histograms to the parent.</summary>
internal static class HistogramCodec
{
    public static string Encode(HistogramBase histogram)
    {
        var buffer = ByteBuffer.Allocate(histogram.GetNeededByteBufferCapacity());
        var length = histogram.EncodeIntoCompressedByteBuffer(buffer);
        var bytes = new byte[length];
        buffer.Position = 0;
        for (var i = 0; i < length; i++)
        {
            bytes[i] = buffer.Get();
        }

        return Convert.ToBase64String(bytes);
    }

    public static LongConcurrentHistogram Decode(string base64)
    {
        var decoded = HistogramEncoding.DecodeFromCompressedByteBuffer(ByteBuffer.Allocate(Convert.FromBase64String(base64)), 0);
        var result = LatencyHistograms.Create();
        result.Add(decoded);
        return result;
    }
}
