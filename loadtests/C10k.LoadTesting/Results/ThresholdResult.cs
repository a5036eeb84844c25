namespace C10k.LoadTesting.Results;

/// <summary>A threshold checked against one scenario.</summary>
public sealed record ThresholdResult(string Threshold, string Scenario, double Actual, bool Passed);
