using System.Runtime.InteropServices;

namespace C10k.Server.Dispatch;

/// <summary>
/// Per-thread nice values and scheduling policies on Linux. <see cref="Thread.Priority"/> does nothing there; setpriority and
/// sched_setscheduler on the thread id do, and let the kernel prefer socket threads over CPU-heavy workers.
/// </summary>
internal static partial class LinuxThreadPriority
{
    private const int PrioProcess = 0;
    private const int SchedOther = 0;
    private const int SchedBatch = 3;
    private const int SchedIdle = 5;
    private const long SysGettid = 186; // x86_64; other architectures skip the calls (see CurrentThreadId)
    private const long SysSchedSetattr = 314;
    private const ulong LongSliceNanoseconds = 20_000_000;

    /// <summary>Applies <paramref name="scheduling"/> and then <paramref name="nice"/> to the calling thread; false where unsupported or refused.</summary>
    public static bool TryApply(WorkerScheduling scheduling, int nice)
    {
        if (CurrentThreadId() is not { } tid)
        {
            return false;
        }

        if (scheduling == WorkerScheduling.LongSlice)
        {
            var attr = new SchedAttr { Size = (uint)Marshal.SizeOf<SchedAttr>(), Policy = SchedOther, Nice = nice, Runtime = LongSliceNanoseconds };
            return Syscall(SysSchedSetattr, tid, ref attr, 0) == 0;
        }

        var policy = scheduling switch
        {
            WorkerScheduling.Batch => SchedBatch,
            WorkerScheduling.Idle => SchedIdle,
            _ => SchedOther,
        };
        var priority = 0; // struct sched_param { int sched_priority; }: 0 for every non-real-time policy
        var ok = policy == SchedOther || SetScheduler(tid, policy, ref priority) == 0;
        return (nice == 0 || SetPriority(PrioProcess, tid, nice) == 0) && ok;
    }

    private static int? CurrentThreadId()
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture != Architecture.X64)
        {
            return null;
        }

        var tid = (int)Syscall(SysGettid);
        return tid > 0 ? tid : null;
    }

    [LibraryImport("libc", EntryPoint = "syscall")]
    private static partial long Syscall(long number);

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static partial long Syscall(long number, int tid, ref SchedAttr attr, uint flags);

    [LibraryImport("libc", EntryPoint = "setpriority", SetLastError = true)]
    private static partial int SetPriority(int which, int who, int prio);

    [LibraryImport("libc", EntryPoint = "sched_setscheduler", SetLastError = true)]
    private static partial int SetScheduler(int pid, int policy, ref int param);

    /// <summary>struct sched_attr, first version (48 bytes); Runtime is the requested slice for SCHED_OTHER.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct SchedAttr
    {
        public uint Size;
        public uint Policy;
        public ulong Flags;
        public int Nice;
        public uint Priority;
        public ulong Runtime;
        public ulong Deadline;
        public ulong Period;
    }
}
