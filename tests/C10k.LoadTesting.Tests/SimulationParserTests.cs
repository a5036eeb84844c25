using C10k.LoadTesting.Simulations;

namespace C10k.LoadTesting.Tests;

public sealed class SimulationParserTests
{
    [Fact]
    public void ParsesEveryKindSeparatedBySemicolons()
    {
        var simulations = SimulationParser.Parse(
            "inject rate=20000 during=30s; ramping-inject rate=5 during=2m;keep-constant copies=50 during=10s; ramping-constant copies=8 during=500ms; pause during=1s; iterations-for-constant copies=4 iterations=1000");

        Assert.Equal(
            [
                LoadSimulation.Inject(20000, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30)),
                LoadSimulation.RampingInject(5, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(2)),
                LoadSimulation.KeepConstant(50, TimeSpan.FromSeconds(10)),
                LoadSimulation.RampingConstant(8, TimeSpan.FromMilliseconds(500)),
                LoadSimulation.Pause(TimeSpan.FromSeconds(1)),
                LoadSimulation.IterationsForConstant(4, 1000),
            ],
            simulations);
    }

    [Theory]
    [InlineData("")]
    [InlineData("inject rate=10")]
    [InlineData("inject during=10s")]
    [InlineData("inject rate=ten during=10s")]
    [InlineData("inject rate=10 during=forever")]
    [InlineData("keep-constant rate=10 during=1s")]
    [InlineData("keep-constant copies=10 during=1s extra=1")]
    [InlineData("flood rate=10 during=1s")]
    [InlineData("inject rate=10 during")]
    public void RejectsMalformedSimulationsWithFormatException(string text) =>
        Assert.ThrowsAny<Exception>(() => SimulationParser.Parse(text));

    [Theory]
    [InlineData("30s", 30_000)]
    [InlineData("2m", 120_000)]
    [InlineData("500ms", 500)]
    [InlineData("1.5s", 1_500)]
    [InlineData("1h", 3_600_000)]
    [InlineData("7", 7_000)]
    public void ParsesDurations(string text, double milliseconds) =>
        Assert.Equal(milliseconds, DurationParser.Parse(text).TotalMilliseconds);
}
