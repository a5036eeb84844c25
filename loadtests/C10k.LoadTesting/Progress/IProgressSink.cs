namespace C10k.LoadTesting.Progress;

/// <summary>Receives live progress once a second.</summary>
public interface IProgressSink
{
    /// <summary>Shows one second's snapshots, one per scenario.</summary>
    void Report(IReadOnlyList<ProgressSnapshot> snapshots);
}
