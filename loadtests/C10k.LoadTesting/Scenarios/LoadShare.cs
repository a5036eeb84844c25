namespace C10k.LoadTesting.Scenarios;

/// <summary>This process's part of the load when <c>--processes K</c> splits it: share <see cref="Index"/> of <see cref="Count"/>.</summary>
public readonly record struct LoadShare(int Index, int Count)
{
    /// <summary>The whole load, one process.</summary>
    public static LoadShare Whole => new(0, 1);

    /// <summary>This share of <paramref name="total"/> whole units; the remainder goes to the lowest indices, so the shares add up exactly.</summary>
    public long Of(long total) => (total / Count) + (Index < total % Count ? 1 : 0);

    /// <summary>This share of a continuous quantity (a rate).</summary>
    public double Of(double total) => total / Count;

    /// <summary>The items this share uses, round-robin (all of them when there are fewer items than shares).</summary>
    public IReadOnlyList<T> Pick<T>(IReadOnlyList<T> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        var share = this;
        return items.Count < Count ? items : items.Where((_, i) => i % share.Count == share.Index).ToList();
    }
}
