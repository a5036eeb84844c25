namespace C10k.Tests.Support;

/// <summary>Generous bounds that only detect hangs; no test asserts on timing.</summary>
public static class Timeouts
{
    public static readonly TimeSpan Socket = TimeSpan.FromSeconds(30);

    /// <summary>Polls <paramref name="condition"/> until it holds; fails the test after <see cref="Socket"/>.</summary>
    public static async Task UntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Socket;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail("Timed out waiting until " + what);
            }

            await Task.Delay(10);
        }
    }
}
