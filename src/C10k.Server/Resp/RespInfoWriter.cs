using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using C10k.Protocol;
using C10k.Protocol.Resp;
using C10k.Server.Connections;
using C10k.Server.Hosting;

namespace C10k.Server.Resp;

/// <summary>
/// INFO [section ...]: Redis's layout (<c># Section</c> then <c>key:value</c> lines) for server, clients, stats, replication, cpu,
/// and a <c>workers</c> section with the pool's live counters. Rare and small, so it is built as text.
/// </summary>
internal static class RespInfoWriter
{
    private static readonly string[] DefaultSections = ["server", "clients", "stats", "replication", "cpu", "workers"];

    public static void Write(RespServices resp, in ArgumentList args, IBufferWriter<byte> output)
    {
        var sections = new List<string>();
        foreach (var arg in args)
        {
            var name = Encoding.ASCII.GetString(arg).ToLowerInvariant();
            if (name is "default" or "all" or "everything")
            {
                sections.AddRange(DefaultSections);
            }
            else
            {
                sections.Add(name);
            }
        }

        if (sections.Count == 0)
        {
            sections.AddRange(DefaultSections);
        }

        var text = new StringBuilder();
        foreach (var section in sections.Distinct())
        {
            var before = text.Length;
            if (text.Length > 0)
            {
                text.Append("\r\n");
            }

            if (!TryAppend(resp, section, text))
            {
                text.Length = before;
            }
        }

        RespReplyWriter.WriteBulkString(output, Encoding.ASCII.GetBytes(text.ToString()));
    }

    private static bool TryAppend(RespServices resp, string section, StringBuilder text)
    {
        var c = CultureInfo.InvariantCulture;
        var dispatcher = resp.Connections.Dispatcher;
        switch (section)
        {
            case "server":
                var uptime = (long)Stopwatch.GetElapsedTime(resp.StartedAt).TotalSeconds;
                text.Append("# Server\r\n")
                    .Append(c, $"redis_version:{RespHelloCommand.CompatibleVersion}\r\n")
                    .Append(c, $"c10k_version:{typeof(RespInfoWriter).Assembly.GetName().Version}\r\n")
                    .Append("redis_mode:standalone\r\n")
                    .Append(c, $"os:{RuntimeInformation.OSDescription} {RuntimeInformation.OSArchitecture}\r\n")
                    .Append(c, $"arch_bits:{IntPtr.Size * 8}\r\n")
                    .Append(c, $"runtime:{RuntimeInformation.FrameworkDescription}\r\n")
                    .Append(c, $"process_id:{Environment.ProcessId}\r\n")
                    .Append(c, $"socket_inline_completions:{SocketEngine.InlineCompletions}\r\n")
                    .Append(c, $"socket_engines:{SocketEngine.EngineCount}\r\n")
                    .Append(c, $"tcp_port:{resp.Endpoints.Port("resp")}\r\n")
                    .Append(c, $"uptime_in_seconds:{uptime}\r\n")
                    .Append(c, $"uptime_in_days:{uptime / 86400}\r\n");
                return true;
            case "clients":
                text.Append("# Clients\r\n")
                    .Append(c, $"connected_clients:{resp.Connections.Registry.OpenConnections(Front.Resp)}\r\n")
                    .Append(c, $"maxclients:{resp.ConnectionLimits.MaxConnections}\r\n")
                    .Append("blocked_clients:0\r\n")
                    .Append(c, $"native_connected_clients:{resp.Connections.Registry.OpenConnections(Front.Native)}\r\n")
                    .Append(c, $"requests_in_flight:{resp.Connections.Registry.InFlight}\r\n");
                return true;
            case "stats":
                text.Append("# Stats\r\n")
                    .Append(c, $"total_connections_received:{resp.ConnectionsReceived}\r\n")
                    .Append(c, $"total_commands_processed:{resp.CommandsProcessed}\r\n")
                    .Append(c, $"rejected_connections:{resp.ConnectionsRejected}\r\n");
                return true;
            case "replication":
                text.Append("# Replication\r\nrole:master\r\nconnected_slaves:0\r\n");
                return true;
            case "cpu":
                var cpu = Environment.CpuUsage;
                text.Append("# CPU\r\n")
                    .Append(c, $"used_cpu_sys:{cpu.PrivilegedTime.TotalSeconds:F6}\r\n")
                    .Append(c, $"used_cpu_user:{cpu.UserTime.TotalSeconds:F6}\r\n");
                return true;
            case "workers":
                var executed = dispatcher.ExecutedPerWorker;
                text.Append("# Workers\r\n")
                    .Append(c, $"strategy:{dispatcher.Strategy}\r\n")
                    .Append(c, $"workers:{executed.Count}\r\n")
                    .Append(c, $"busy_workers:{dispatcher.BusyWorkers}\r\n")
                    .Append(c, $"queue_depth:{dispatcher.QueueDepth}\r\n")
                    .Append(c, $"executed:{executed.Sum()}\r\n");
                for (var i = 0; i < executed.Count; i++)
                {
                    text.Append(c, $"worker{i}_executed:{executed[i]}\r\n");
                }

                return true;
            default:
                return false;
        }
    }
}
