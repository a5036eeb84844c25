namespace C10k.LoadTesting.Commands;

/// <summary>
/// What one iteration's templates draw from: its sequence number (unique across processes and agents), the feed item, and the
/// variables set so far (<c>vars</c>, then each step's <c>save</c>), so later steps can use what earlier ones produced.
/// </summary>
public sealed class TemplateScope
{
    private Dictionary<string, ReadOnlyMemory<byte>>? _variables;

    /// <summary>Creates the scope of one iteration.</summary>
    public TemplateScope(long sequence, ReadOnlyMemory<byte> feed)
    {
        Sequence = sequence;
        Feed = feed;
    }

    /// <summary>The iteration's number: <c>{seq}</c>, and the seed of its <c>{random:…}</c> values.</summary>
    public long Sequence { get; }

    /// <summary>The feed item (or the scenario's payload without a feed): <c>{feed}</c>.</summary>
    public ReadOnlyMemory<byte> Feed { get; }

    /// <summary>Sets variable <paramref name="name"/>, used as <c>{name}</c> from then on.</summary>
    public void Set(string name, ReadOnlyMemory<byte> value) => (_variables ??= new(StringComparer.Ordinal))[name] = value;

    /// <summary>The value of variable <paramref name="name"/>; throws when no earlier step or var set it.</summary>
    public ReadOnlyMemory<byte> Get(string name) =>
        _variables is not null && _variables.TryGetValue(name, out var value)
            ? value
            : throw new InvalidOperationException($"Variable '{name}' is not set in this iteration.");
}
