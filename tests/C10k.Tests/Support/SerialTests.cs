namespace C10k.Tests.Support;

/// <summary>Tests that measure the whole process (managed memory) run alone, with no other test allocating beside them.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialTests
{
    public const string Name = "Serial";
}
