using System.Buffers;
using System.Text;
using C10k.Fuzz;
using C10k.Protocol.Resp;

namespace C10k.Tests.Fuzz;

/// <summary>Inputs AFL++ found (tests/Fuzz/fuzz.sh), kept as they were found and as the smallest case of each cause.</summary>
public class FuzzRegressionTests
{
    [Theory]
    [InlineData("2a310d1024340d29310d0a0a23340d0a23340d0a502fff29310de80a230d0a494e340d0a23340d0a")]
    [InlineData(
        "2a27492262c3c3c304c360606060606060606080606060606060c3fdc3c3c3c3c3c32720271e6060605d6060606060606060609160606075606060606060606060606060" +
        "c3fdc3c3c3c3c3c32720271e6060605d60606060606060602210405c5c5c5c5c5c5c3b5c5c5c5c5c5c5c5c5c36405c58c32720271e6060605d606060606060601904225c" +
        "858585858585858585858585856120624420227834405c6e220d")]
    public void RespRequestCrashesFoundByTheFuzzerParseAlike(string hex) => ParserDriver.Check(FuzzTarget.RespRequest, Convert.FromHexString(hex));

    [Fact]
    public void HeldRequestSurvivesAnEmptyHeldRequestBeforeIt()
    {
        // "\r" is held; the next read completes it as an empty line and holds "#" of the next request in the same call.
        var reader = new RespRequestReader(spillThresholdBytes: 1);
        var pending = ReadOnlySequence<byte>.Empty;
        var names = new List<string>();
        foreach (var read in new[] { "\r", "\n#", "4\r\n" })
        {
            var buffer = new ReadOnlySequence<byte>([.. pending.ToArray(), .. Encoding.ASCII.GetBytes(read)]);
            while (reader.TryRead(ref buffer, out var request))
            {
                names.Add(Encoding.ASCII.GetString(request.Name));
            }

            pending = buffer;
        }

        Assert.Equal(["#4"], names);
    }

    [Fact]
    public void HeaderLineOverTheLimitIsAnErrorBeforeTheByteAfterItsCrArrives()
    {
        // Without the CR's follower the reader used to wait, and so parsed differently from the same bytes cut before the CR.
        var buffer = new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes("*" + new string('1', 17) + "\r"));

        var thrown = Assert.Throws<RespProtocolException>(() => new RespRequestReader(new RespLimits { MaxInlineBytes = 16 }).TryRead(ref buffer, out _));

        Assert.Equal(RespProtocolError.TooBigMultibulkCountString, thrown.Error);
    }
}
