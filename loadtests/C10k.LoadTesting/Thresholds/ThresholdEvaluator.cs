using C10k.LoadTesting.Results;

namespace C10k.LoadTesting.Thresholds;

/// <summary>Checks thresholds against a run's scenarios.</summary>
public static class ThresholdEvaluator
{
    /// <summary>Process exit code when a threshold failed (1 is left for errors).</summary>
    public const int FailedExitCode = 2;

    /// <summary>Evaluates each threshold against every scenario it names (all of them when it names none).</summary>
    public static IReadOnlyList<ThresholdResult> Evaluate(IEnumerable<Threshold> thresholds, IReadOnlyList<ScenarioStats> scenarios)
    {
        ArgumentNullException.ThrowIfNull(thresholds);
        ArgumentNullException.ThrowIfNull(scenarios);
        var results = new List<ThresholdResult>();
        foreach (var threshold in thresholds)
        {
            var matching = scenarios.Where(s => threshold.Scenario is null || string.Equals(s.Name, threshold.Scenario, StringComparison.OrdinalIgnoreCase)).ToList();
            if (matching.Count == 0)
            {
                results.Add(new ThresholdResult(threshold.Text, threshold.Scenario ?? "*", double.NaN, false));
            }

            foreach (var scenario in matching)
            {
                var actual = threshold.Actual(scenario);
                results.Add(new ThresholdResult(threshold.Text, scenario.Name, actual, threshold.IsSatisfiedBy(actual)));
            }
        }

        return results;
    }
}
