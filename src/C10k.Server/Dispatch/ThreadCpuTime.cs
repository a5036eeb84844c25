using System.Diagnostics;
using System.Runtime.InteropServices;

namespace C10k.Server.Dispatch;

/// <summary>
/// CPU time of the calling thread, in <see cref="Stopwatch"/> ticks, for calibrating auto placement: what a request costs is the
/// CPU it takes, not the wall time it spent preempted (a SCHED_IDLE worker on a busy box can take many times longer). Linux:
/// <c>clock_gettime(CLOCK_THREAD_CPUTIME_ID)</c> (a system call, a fraction of a microsecond, so it is read only for runs long
/// enough to calibrate); elsewhere, wall time.
/// </summary>
internal static partial class ThreadCpuTime
{
    private const int ClockThreadCpuTimeId = 3;

    /// <summary>A timestamp in Stopwatch ticks: the thread's CPU time on Linux, else <see cref="Stopwatch.GetTimestamp"/>.</summary>
    public static long Now()
    {
        if (OperatingSystem.IsLinux() && ClockGetTime(ClockThreadCpuTimeId, out var time) == 0)
        {
            return (long)(((time.Seconds * 1_000_000_000.0) + time.Nanoseconds) * Stopwatch.Frequency / 1_000_000_000.0);
        }

        return Stopwatch.GetTimestamp();
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clock, out TimeSpec time);

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}
