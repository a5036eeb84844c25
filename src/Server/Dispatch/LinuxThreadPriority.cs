using System.Runtime.InteropServices;

namespace C10k.Server.Dispatch;

/// <summary>
/// Per-thread nice values on Linux. <see cref="Thread.Priority"/> does nothing there; setpriority on the thread id does,
/// and lets the kernel prefer socket threads over CPU-heavy workers.
/// </summary>
internal static partial class LinuxThreadPriority
{
    private const int PrioProcess = 0;
    private const long SysGettid = 186; // x86_64; other architectures skip the call (see TrySetNice)

    /// <summary>Sets the calling thread's nice value; false where unsupported or refused.</summary>
    public static bool TrySetNice(int nice)
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture != Architecture.X64)
        {
            return false;
        }

        var tid = (int)Syscall(SysGettid);
        return tid > 0 && SetPriority(PrioProcess, tid, nice) == 0;
    }

    [LibraryImport("libc", EntryPoint = "syscall")]
    private static partial long Syscall(long number);

    [LibraryImport("libc", EntryPoint = "setpriority", SetLastError = true)]
    private static partial int SetPriority(int which, int who, int prio);
}
