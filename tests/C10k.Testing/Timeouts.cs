using Xunit;

namespace C10k.Testing;

/// <summary>One generous bound for every socket, HTTP, process and host await in the tests: it only detects hangs; no test asserts on timing.</summary>
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
