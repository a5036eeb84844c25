using System.Buffers;
using C10k.Protocol.Native;
using C10k.Tests.Support;

namespace C10k.Tests.Native;

[Collection(SerialTests.Name)]
public class CodecAllocationTests
{
    [Fact]
    public void ParsingAndWritingTenThousandFramesAllocatesNothing()
    {
        var request = RawConnection.Request(NativeOpcodes.Hash, 9, RawConnection.Args("1000", "payload"));
        var reader = new NativeFrameReader();
        var output = new ArrayBufferWriter<byte>(64 * 1024);
        var checksum = RunParseAndWrite(reader, request, output, 20_000);

        var before = GC.GetAllocatedBytesForCurrentThread();
        checksum += RunParseAndWrite(reader, request, output, 10_000);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal(30_000L * 2, checksum);
    }

    // Fully optimized from the first call: no on-stack replacement (which allocates) in the middle of the measurement.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static long RunParseAndWrite(NativeFrameReader reader, byte[] request, ArrayBufferWriter<byte> output, int count)
    {
        long arguments = 0;
        for (var i = 0; i < count; i++)
        {
            var buffer = new ReadOnlySequence<byte>(request);
            reader.TryRead(ref buffer, out var frame);
            NativeArguments.TryParse(frame.Payload, 64, out var args);
            foreach (var arg in args)
            {
                arguments += arg.IsEmpty ? 0 : 1;
            }

            output.ResetWrittenCount();
            NativeFrameWriter.WriteReply(output, frame.Opcode, frame.RequestId, NativeStatus.Ok, "fc8a6b86a13f71cd9a67f558ab6fd82a"u8);
            NativeFrameWriter.Instance.WriteMessage(frame, output);
        }

        return arguments;
    }
}
