using System.Buffers;
using System.Globalization;
using System.Text;
using C10k.Protocol;
using C10k.Protocol.Native;
using C10k.Protocol.Resp;

namespace C10k.Server.Resp;

/// <summary>
/// CONFIG GET pattern [pattern ...] over the settings clients ask for on connect (redis-benchmark: save, appendonly;
/// StackExchange.Redis: replica-read-only, databases, timeout…), with this server's real values. Other subcommands are refused.
/// </summary>
internal static class RespConfigCommand
{
    public static NativeStatus Execute(RespServices resp, in ArgumentList args, IBufferWriter<byte> output)
    {
        var sub = args[0];
        if (!RespArgument.Is(sub, "GET"u8))
        {
            RespErrors.WriteUnknownSubcommand(output, sub, "CONFIG");
            return NativeStatus.BadArgs;
        }

        if (args.Count < 2)
        {
            RespErrors.WriteWrongArity(output, "config|get");
            return NativeStatus.BadArgs;
        }

        var settings = Settings(resp);
        var matched = new List<KeyValuePair<string, string>>();
        var first = true;
        foreach (var pattern in args)
        {
            if (first)
            {
                first = false;
                continue;
            }

            var glob = Encoding.ASCII.GetString(pattern);
            foreach (var setting in settings)
            {
                if (!matched.Contains(setting) && RespGlob.IsMatch(glob, setting.Key))
                {
                    matched.Add(setting);
                }
            }
        }

        RespReplyWriter.WriteArrayHeader(output, matched.Count * 2);
        foreach (var (key, value) in matched)
        {
            RespReplyWriter.WriteBulkString(output, Encoding.ASCII.GetBytes(key));
            RespReplyWriter.WriteBulkString(output, Encoding.ASCII.GetBytes(value));
        }

        return NativeStatus.Ok;
    }

    // Values describe this server: nothing is persisted, one logical database, its own connection limit and idle timeout.
    private static KeyValuePair<string, string>[] Settings(RespServices resp) =>
    [
        new("save", ""),
        new("appendonly", "no"),
        new("replica-read-only", "yes"),
        new("slave-read-only", "yes"),
        new("databases", "1"),
        new("maxclients", resp.ConnectionLimits.MaxConnections.ToString(CultureInfo.InvariantCulture)),
        new("timeout", (resp.ConnectionLimits.IdleTimeoutMs / 1000).ToString(CultureInfo.InvariantCulture)),
        new("port", resp.Endpoints.Port("resp").ToString(CultureInfo.InvariantCulture)),
        new("proto-max-bulk-len", resp.Options.MaxBulkBytes.ToString(CultureInfo.InvariantCulture)),
        new("cluster-enabled", "no"),
    ];
}
