using System.Runtime.InteropServices;

namespace C10k.Server.Hosting;

/// <summary>Reads RLIMIT_NOFILE, the per-process file descriptor cap every socket counts against.</summary>
internal static partial class DescriptorLimit
{
    private const int RlimitNofile = 7;

    /// <summary>The soft limit, or null where it can't be read.</summary>
    public static long? SoftLimit()
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        Span<ulong> limits = stackalloc ulong[2];
        return GetRLimit(RlimitNofile, ref MemoryMarshal.GetReference(limits)) == 0 ? (long)Math.Min(limits[0], long.MaxValue) : null;
    }

    [LibraryImport("libc", EntryPoint = "getrlimit")]
    private static partial int GetRLimit(int resource, ref ulong limits);
}
