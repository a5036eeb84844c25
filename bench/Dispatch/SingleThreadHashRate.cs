using System.Buffers;
using System.Diagnostics;
using C10k.Protocol;
using C10k.Server.Operations;

namespace C10k.Bench.Dispatch;

/// <summary>The baseline: the server's own HASH routine on one thread, in-process, no I/O.</summary>
internal static class SingleThreadHashRate
{
    public static double Measure(int iterations, TimeSpan duration)
    {
        var operation = new HashOperation(maxIterations: 1_000_000);
        var payload = new ArrayBufferWriter<byte>();
        var digits = System.Text.Encoding.ASCII.GetBytes(iterations.ToString(System.Globalization.CultureInfo.InvariantCulture));
        C10k.Protocol.Native.NativeArguments.Write(payload, digits);
        C10k.Protocol.Native.NativeArguments.Write(payload, "payload"u8);
        var args = new ArgumentList(new ReadOnlySequence<byte>(payload.WrittenMemory), 2, ArgumentEncoding.LengthPrefixed);
        var reply = new ArrayBufferWriter<byte>();

        for (var i = 0; i < 200; i++)
        {
            reply.ResetWrittenCount();
            operation.Execute(args, reply, CancellationToken.None);
        }

        var count = 0L;
        var started = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(started) < duration)
        {
            reply.ResetWrittenCount();
            operation.Execute(args, reply, CancellationToken.None);
            count++;
        }

        return count / Stopwatch.GetElapsedTime(started).TotalSeconds;
    }
}
