using System.Net.Sockets;
using System.Reflection;

namespace C10k.Server.Hosting;

/// <summary>
/// The runtime's Unix socket engine (<c>System.Net.Sockets.SocketAsyncEngine</c>): whether it runs socket completions inline on
/// its epoll threads, and how many it runs. It reads <see cref="InlineCompletionsVariable"/> once, into a static readonly field,
/// when the first socket is created; there is no AppContext switch. So Program.cs sets the variable before any socket exists,
/// and <c>INFO server</c> reports what the engine actually took, read back from those fields.
/// </summary>
internal static class SocketEngine
{
    /// <summary>The environment variable the runtime reads: "1" = run socket continuations on the epoll threads.</summary>
    public const string InlineCompletionsVariable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    private const BindingFlags StaticFields = BindingFlags.Static | BindingFlags.NonPublic | BindingFlags.Public;

    /// <summary>
    /// Sets <see cref="InlineCompletionsVariable"/> to "1" unless the environment already sets it (so <c>=0</c> still opts out).
    /// Must run before the first socket of the process; later it has no effect.
    /// </summary>
    public static void PreferInlineCompletions()
    {
        if (Environment.GetEnvironmentVariable(InlineCompletionsVariable) is null)
        {
            Environment.SetEnvironmentVariable(InlineCompletionsVariable, "1");
        }
    }

    /// <summary>The engine's own setting ("yes"/"no"), or "unknown" off Unix or where the runtime's internals differ.</summary>
    public static string InlineCompletions => EngineType()?.GetField("InlineSocketCompletionsEnabled", StaticFields)?.GetValue(null) switch
    {
        true => "yes",
        false => "no",
        _ => "unknown",
    };

    /// <summary>Epoll threads the engine runs, or -1 when they can't be read (see <see cref="InlineCompletions"/>).</summary>
    public static int EngineCount => EngineType()?.GetField("s_engines", StaticFields)?.GetValue(null) is Array engines ? engines.Length : -1;

    private static Type? EngineType() => OperatingSystem.IsWindows() ? null : typeof(Socket).Assembly.GetType("System.Net.Sockets.SocketAsyncEngine");
}
