using System.Collections.Concurrent;

namespace C10k.Server.Diagnostics;

/// <summary>
/// Lets at most <c>perSecond</c> messages of one event id through per second, so garbage from the internet can't flood the log.
/// What it held back is reported with the next message that passes.
/// </summary>
internal sealed class LogRateLimiter(TimeProvider time, int perSecond = 10)
{
    private readonly ConcurrentDictionary<int, Window> _windows = new();

    /// <summary>True when a message of <paramref name="eventId"/> may be logged now; <paramref name="suppressed"/> = messages held back since the last one.</summary>
    public bool TryAcquire(int eventId, out long suppressed)
    {
        var window = _windows.GetOrAdd(eventId, static _ => new Window());
        var second = time.GetTimestamp() / time.TimestampFrequency;
        lock (window)
        {
            if (window.Second != second)
            {
                window.Second = second;
                window.Count = 0;
            }

            if (window.Count < perSecond)
            {
                window.Count++;
                suppressed = window.Suppressed;
                window.Suppressed = 0;
                return true;
            }

            window.Suppressed++;
            suppressed = 0;
            return false;
        }
    }

    private sealed class Window
    {
        public long Second = -1;
        public int Count;
        public long Suppressed;
    }
}
