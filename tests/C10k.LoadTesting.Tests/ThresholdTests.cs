using C10k.LoadTesting.Results;
using C10k.LoadTesting.Thresholds;

namespace C10k.LoadTesting.Tests;

public sealed class ThresholdTests
{
    [Theory]
    [InlineData("p99 < 5ms", 4.9, true)]
    [InlineData("p99 < 5ms", 5.0, false)]
    [InlineData("p99 <= 5ms", 5.0, true)]
    [InlineData("p99 < 1s", 999, true)]
    [InlineData("p99 < 500us", 0.6, false)]
    public void LatencyThresholdsCompareInMilliseconds(string rule, double p99, bool passed)
    {
        var results = ThresholdEvaluator.Evaluate([Threshold.Parse(rule)], [Stats("ping", p99: p99)]);

        Assert.Equal(passed, Assert.Single(results).Passed);
    }

    [Fact]
    public void FailPercentThresholdUsesThePercentOfAllRequests()
    {
        var results = ThresholdEvaluator.Evaluate([Threshold.Parse("fail% < 0.1")], [Stats("ping", ok: 999, fail: 1)]);

        Assert.False(Assert.Single(results).Passed);
        Assert.Equal(0.1, results[0].Actual);
    }

    [Fact]
    public void ScenarioQualifiedThresholdOnlyChecksThatScenario()
    {
        var results = ThresholdEvaluator.Evaluate([Threshold.Parse("probe: p99.9 < 20ms")], [Stats("hash", p999: 500), Stats("probe", p999: 3)]);

        var only = Assert.Single(results);
        Assert.Equal("probe", only.Scenario);
        Assert.True(only.Passed);
    }

    [Fact]
    public void ThresholdNamingAMissingScenarioFails() =>
        Assert.False(Assert.Single(ThresholdEvaluator.Evaluate([Threshold.Parse("nope: rps > 1")], [Stats("ping")])).Passed);

    [Theory]
    [InlineData("p99 5ms")]
    [InlineData("p42 < 5ms")]
    [InlineData("rps > many")]
    public void MalformedThresholdsAreRejected(string rule) => Assert.Throws<FormatException>(() => Threshold.Parse(rule));

    internal static ScenarioStats Stats(string name, double p99 = 1, double p999 = 1, long ok = 100, long fail = 0) =>
        new(name, "open", 1, ok + fail, ok, fail, 100.0 * fail / (ok + fail), 0.5, 0.4, 0.8, p99, p999, p999, new Dictionary<string, long>(), new ConnectionStats(1, 1, 0, 0, 0, new Dictionary<string, long>()), 0, 0, 0, []);
}
