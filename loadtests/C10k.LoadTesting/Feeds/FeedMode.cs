namespace C10k.LoadTesting.Feeds;

/// <summary>How a feed walks its items.</summary>
public enum FeedMode
{
    /// <summary>In order, starting over after the last.</summary>
    Circular,

    /// <summary>Uniformly at random (seeded, so a run is repeatable).</summary>
    Random,
}
