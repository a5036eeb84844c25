using System.Diagnostics;
using System.Runtime.InteropServices;

namespace C10k.LoadTesting.Runner;

/// <summary>
/// Wakes waiters at their due time on one dedicated thread, to within tens of microseconds: it sleeps coarsely while the next due
/// time is far, then with nanosleep (Linux) for the last stretch. Timers and <c>Task.Delay</c> have millisecond granularity and
/// resume on the thread pool, so an open-model schedule of one request every 100 µs woke up to a millisecond late in batches and
/// spun through timers in between. A waiter that asks for it resumes on this thread, so the request it sends leaves without a hop.
/// </summary>
internal sealed partial class SendPacer : IDisposable
{
    /// <summary>The pacer thread's nice value where the OS allows it (root, or CAP_SYS_NICE): on a busy machine CFS then wakes it first.</summary>
    private const int PacerNice = -10;

    /// <summary>Below this the pacer stops using Monitor.Wait (millisecond granularity) and sleeps precisely.</summary>
    private static readonly long FineTicks = Stopwatch.Frequency / 500; // 2 ms

    private readonly PriorityQueue<Waiter, long> _queue = new();
    private readonly object _gate = new(); // Monitor.Wait/Pulse need a monitor, not a System.Threading.Lock
    private readonly Thread _thread;
    private bool _stopped;

    public SendPacer()
    {
        _thread = new Thread(Run) { IsBackground = true, Name = "c10k-load pacer", Priority = ThreadPriority.Highest };
        _thread.Start();
    }

    /// <summary>Completes at <paramref name="dueTimestamp"/> (a <see cref="Stopwatch"/> timestamp); continuations run on the pacer thread when <paramref name="resumeOnPacer"/>.</summary>
    public Task WaitUntilAsync(long dueTimestamp, bool resumeOnPacer, CancellationToken cancellationToken)
    {
        var waiter = new Waiter(resumeOnPacer);
        if (cancellationToken.CanBeCanceled)
        {
            waiter.Registration = cancellationToken.UnsafeRegister(static w => ((Waiter)w!).TrySetCanceled(), waiter);
        }

        lock (_gate)
        {
            if (_stopped)
            {
                waiter.TrySetCanceled(CancellationToken.None);
                return waiter.Task;
            }

            var earliest = !_queue.TryPeek(out _, out var first) || dueTimestamp < first;
            _queue.Enqueue(waiter, dueTimestamp);
            if (earliest)
            {
                Monitor.Pulse(_gate);
            }
        }

        return waiter.Task;
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _stopped = true;
            Monitor.Pulse(_gate);
        }

        if (Thread.CurrentThread != _thread)
        {
            _thread.Join(); // a run that ends on the pacer's own thread (a continuation it resumed) just lets the loop exit
        }

        while (_queue.TryDequeue(out var waiter, out _))
        {
            waiter.Registration.Dispose();
            waiter.TrySetCanceled();
        }
    }

    private void Run()
    {
        if (OperatingSystem.IsLinux())
        {
            // On Linux the nice value is per thread, and PRIO_PROCESS with who = 0 means the calling thread; refused without privileges.
            _ = SetPriority(0, 0, PacerNice);
        }

        while (true)
        {
            Waiter? ready = null;
            long remaining;
            lock (_gate)
            {
                if (_stopped)
                {
                    return;
                }

                if (!_queue.TryPeek(out var next, out var due))
                {
                    Monitor.Wait(_gate);
                    continue;
                }

                remaining = due - Stopwatch.GetTimestamp();
                if (remaining > FineTicks)
                {
                    Monitor.Wait(_gate, TimeSpan.FromTicks((remaining - FineTicks) * TimeSpan.TicksPerSecond / Stopwatch.Frequency));
                    continue;
                }

                if (remaining <= 0 || next.Task.IsCompleted)
                {
                    ready = _queue.Dequeue();
                }
            }

            if (ready is null)
            {
                SleepPrecisely(remaining); // a waiter added meanwhile with an earlier time is at most this late
                continue;
            }

            ready.Registration.Dispose();
            ready.TrySetResult();
        }
    }

    private static void SleepPrecisely(long ticks)
    {
        var nanoseconds = ticks * 1_000_000_000 / Stopwatch.Frequency;
        if (OperatingSystem.IsLinux())
        {
            var request = new TimeSpec { Seconds = nanoseconds / 1_000_000_000, Nanoseconds = nanoseconds % 1_000_000_000 };
            NanoSleep(in request, IntPtr.Zero);
        }
        else
        {
            Thread.Sleep(TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerMillisecond, nanoseconds / 100)));
        }
    }

    [LibraryImport("libc", EntryPoint = "setpriority")]
    private static partial int SetPriority(int which, int who, int priority);

    [LibraryImport("libc", EntryPoint = "nanosleep")]
    private static partial int NanoSleep(in TimeSpec request, IntPtr remaining);

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    private sealed class Waiter(bool resumeOnPacer) : TaskCompletionSource(resumeOnPacer ? TaskCreationOptions.None : TaskCreationOptions.RunContinuationsAsynchronously)
    {
        public CancellationTokenRegistration Registration { get; set; }
    }
}
