namespace C10k.LoadTesting.Feeds;

/// <summary>Supplies one payload per invocation (NBomber's data feed).</summary>
public interface IDataFeed
{
    /// <summary>The next payload. Safe to call from many threads.</summary>
    ReadOnlyMemory<byte> NextItem();
}
