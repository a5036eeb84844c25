namespace C10k.Security.Tests.Support;

/// <summary>Generous bounds that only detect hangs on a loaded 2-core box; no test asserts on timing.</summary>
internal static class Bounded
{
    public static readonly TimeSpan Io = TimeSpan.FromSeconds(30);

    /// <summary>Polls <paramref name="condition"/> until it holds; fails the test after <see cref="Io"/>.</summary>
    public static async Task UntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Io;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "Timed out waiting until " + what);
            await Task.Delay(10);
        }
    }
}
