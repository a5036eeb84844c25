namespace C10k.Ops.Tests;

/// <summary>One bound for every socket, HTTP and host await in these tests: generous for a loaded 2-core CI box, finite always.</summary>
internal static class TestTimeouts
{
    public static readonly TimeSpan Io = TimeSpan.FromSeconds(15);
}
